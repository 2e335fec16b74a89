// Sum and Mean for the wasm backend when they reduce the leading axes of a
// float32 tensor, as the BatchNorm and bias gradients reduce [batch, height,
// width, channels] to [channels]. tfjs-backend-wasm 4.22 first transposes
// the reduced axes to the end, which made Sum the second slowest kernel of a
// training step of a MobileNetV2-like candidate (Node 20). Column counts
// that are multiples of 4 are summed by the SIMD loops of simd-column-sums.ts.
import { backend_util, util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { allocate, free, heapFloats, type BackendWasm } from './heap';
import { simdSumColumns, SUM_WIDTHS } from './simd-column-sums';

/** Float64 column sums, so reductions over many rows keep float32 accuracy. */
let columnSums = new Float64Array(0);

/** The reduction a config computes. */
export type Reduction = 'Sum' | 'Mean';

/**
 * Returns a `reduction` kernel config that sums float32 tensors over their
 * leading axes (axes 0 to k - 1, any k up to the rank) in float64 per
 * output element, and divides by the row count for Mean. Other dtypes and
 * axes go to `original`, the backend's own config, whose setup it keeps.
 */
export function createLeadingReduceConfig(original: KernelConfig, reduction: Reduction): KernelConfig {
  const reduce: KernelFunc = (args) => {
    const wasm = args.backend as BackendWasm;
    const { x } = args.inputs as { x: TensorInfo };
    const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
    const axes = util.parseAxisParam(axis, x.shape);
    const leading = axes.length > 0 && [...axes].sort((a, b) => a - b).every((value, i) => value === i);
    if (x.dtype !== 'float32' || !leading) return original.kernelFunc(args);

    const [outShape, reduceShape] = backend_util.computeOutAndReduceShapes(x.shape, axes);
    const rows = util.sizeFromShape(reduceShape);
    const columns = util.sizeFromShape(outShape);
    const shape = keepDims ? backend_util.expandShapeToKeepDim(outShape, axes) : outShape;
    const out = wasm.makeOutput(shape, 'float32');
    const scale = reduction === 'Mean' ? 1 / rows : 1;
    if (columns % 4 === 0 && rows > 0 && sumColumnsBySimd(wasm, x, rows, columns, out, scale)) return out;
    const { heap, start: outStart } = heapFloats(wasm, out);
    const xStart = heapFloats(wasm, x).start;
    sumColumns(heap, xStart, rows, columns, outStart, scale);
    return out;
  };
  return { kernelName: reduction, backendName: 'wasm', kernelFunc: reduce, setupFunc: original.setupFunc };
}

/**
 * Writes to `heap` from `outStart` the sums of the columns of the [rows,
 * columns] matrix stored from `xStart`, times `scale`. A sum over no rows is 0.
 */
function sumColumns(heap: Float32Array, xStart: number, rows: number, columns: number, outStart: number, scale: number): void {
  if (columnSums.length < columns) columnSums = new Float64Array(columns);
  const sums = columnSums;
  sums.fill(0, 0, columns);
  if (columns === 1) {
    let total = 0;
    for (let r = 0; r < rows; r++) total += heap[xStart + r];
    sums[0] = total;
  } else {
    // Eight rows per pass, added in float64, so each column sum is written an eighth as often.
    const step = 8 * columns;
    let row = xStart;
    let r = 0;
    for (; r + 8 <= rows; r += 8, row += step) {
      for (let c = 0; c < columns; c++) {
        const i = row + c;
        const upper = heap[i] + heap[i + columns] + (heap[i + 2 * columns] + heap[i + 3 * columns]);
        const lower = heap[i + 4 * columns] + heap[i + 5 * columns] + (heap[i + 6 * columns] + heap[i + 7 * columns]);
        sums[c] += upper + lower;
      }
    }
    for (; r < rows; r++, row += columns) {
      for (let c = 0; c < columns; c++) sums[c] += heap[row + c];
    }
  }
  for (let c = 0; c < columns; c++) heap[outStart + c] = sums[c] * scale;
}

/**
 * Writes the column sums of x [rows, columns] times `scale` to `out` with
 * the SIMD kernels of simd-column-sums.ts, widest groups of columns first,
 * and returns true. Returns false, having written nothing, where a kernel
 * is unavailable. columns must be a multiple of 4 and rows at least 1.
 */
function sumColumnsBySimd(wasm: BackendWasm, x: TensorInfo, rows: number, columns: number, out: TensorInfo, scale: number): boolean {
  const kernels = SUM_WIDTHS.map((vectors) => simdSumColumns(wasm, vectors));
  if (kernels.some((kernel) => kernel === null)) return false;
  // Two float32 slots per float64 sum, plus one to start the sums on an 8-byte boundary.
  const scratch = allocate(wasm, [2 * columns + 1]);
  const unaligned = heapFloats(wasm, scratch).start;
  const scratchStart = unaligned + (unaligned % 2);
  const xStart = heapFloats(wasm, x).start;
  let column = 0;
  SUM_WIDTHS.forEach((vectors, i) => {
    const width = 4 * vectors;
    for (; column + width <= columns; column += width) kernels[i]!(4 * (xStart + column), 4 * columns, rows, 4 * (scratchStart + 2 * column));
  });
  const { heap, start: outStart } = heapFloats(wasm, out);
  const sums = new Float64Array(heap.buffer, 4 * scratchStart, columns);
  for (let c = 0; c < columns; c++) heap[outStart + c] = sums[c] * scale;
  free(wasm, scratch);
  return true;
}
