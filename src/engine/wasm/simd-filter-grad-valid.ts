// Conv2D filter gradients of stride-1 'valid' convolutions by a WebAssembly
// SIMD product that reads the patch entries straight from channels-first x,
// so neither a patch matrix is written nor dy packed as XNNPACK's filter.
// It sums the same products as simd-filter-grad.ts, two rows by 16 columns.
import type { backend_util, TensorInfo } from '@tensorflow/tfjs-core';
import { allocate, free, heapFloats, transpose, withShape, type BackendWasm } from './heap';
import {
  END,
  get,
  I32,
  I32_ADD,
  increment,
  instantiateKernel,
  type KernelFunction,
  LOOP,
  loopWhileCountdown,
  memory,
  set,
  V128,
  V128_LOAD,
  V128_LOAD32_SPLAT,
  VOID_BLOCK,
} from './simd-assembler';
import { COLUMNS_PER_CALL, multiplyAddTile, storeTile } from './simd-filter-grad';

/**
 * Sets two rows by 16 columns of dFilter: out[r, j] = sum over n, oh, ow
 * of x[r](n, oh, ow) * dy[n, oh, ow, j]. Arguments are byte addresses and
 * byte counts in the backend's memory:
 * - row0, row1: x's element for n = oh = ow = 0 of each row's tap
 * - dy: column 0 of the 16 columns in dy's first row; rows are dyRowBytes apart
 * - batch, outHeight, outWidth: loop counts, each at least 1
 * - lineSkipBytes: added to the row addresses after each output row
 * - imageSkipBytes: added to them after each image
 * - out: row 0 of the 16 output columns, whose rows are outRowBytes apart
 */
export type AccumulateValidProducts = (
  row0: number,
  row1: number,
  dy: number,
  dyRowBytes: number,
  batch: number,
  outHeight: number,
  outWidth: number,
  lineSkipBytes: number,
  imageSkipBytes: number,
  out: number,
  outRowBytes: number,
) => void;

/**
 * Filter entries one call sums. Two rows by 16 columns keep 14 vectors live,
 * where three rows needed 19 and ran the reference net's second conv in
 * 2.4 ms rather than 1.6 ms (Node 20), likely from spills to the stack.
 */
const ROWS = 2;
const COLUMNS = COLUMNS_PER_CALL;

// Parameters and locals of the function, by index.
const ROW_0 = 0;
const DY = 2;
const DY_ROW_BYTES = 3;
const BATCH = 4;
const OUT_HEIGHT = 5;
const OUT_WIDTH = 6;
const LINE_SKIP = 7;
const IMAGE_SKIP = 8;
const OUT = 9;
const OUT_ROW_BYTES = 10;
const LINES_LEFT = 11;
const COLUMNS_LEFT = 12;
/** Accumulator of row r and column vector v: local ACCUMULATORS + 4 * r + v. */
const ACCUMULATORS = 13;
const GRADIENTS = ACCUMULATORS + 4 * ROWS;
const SPLATS = GRADIENTS + 4;

const ROW_LOCALS = [ROW_0, ROW_0 + 1];

function addTo(index: number, amount: number): number[] {
  return [...get(index), ...get(amount), I32_ADD, ...set(index)];
}

function accumulateValidBody(): number[] {
  const multiplyAdd = multiplyAddTile(ROWS, ACCUMULATORS, SPLATS, GRADIENTS);
  const column = [
    ...[0, 1, 2, 3].flatMap((v) => [...get(DY), ...memory(V128_LOAD, 16 * v), ...set(GRADIENTS + v)]),
    ...ROW_LOCALS.flatMap((row, r) => [...get(row), ...memory(V128_LOAD32_SPLAT), ...set(SPLATS + r)]),
    ...multiplyAdd,
    ...ROW_LOCALS.flatMap((row) => increment(row, 4)),
    ...addTo(DY, DY_ROW_BYTES),
    ...loopWhileCountdown(COLUMNS_LEFT),
  ];
  const line = [
    ...get(OUT_WIDTH), ...set(COLUMNS_LEFT),
    LOOP, VOID_BLOCK, ...column, END,
    ...ROW_LOCALS.flatMap((row) => addTo(row, LINE_SKIP)),
    ...loopWhileCountdown(LINES_LEFT),
  ];
  const image = [
    ...get(OUT_HEIGHT), ...set(LINES_LEFT),
    LOOP, VOID_BLOCK, ...line, END,
    ...ROW_LOCALS.flatMap((row) => addTo(row, IMAGE_SKIP)),
    ...loopWhileCountdown(BATCH),
  ];
  return [LOOP, VOID_BLOCK, ...image, END, ...storeTile(ROWS, ACCUMULATORS, OUT, OUT_ROW_BYTES)];
}

/** Returns the definition of the accumulateValidProducts function. */
export function accumulateValidKernel(): KernelFunction {
  return {
    name: 'accumulateValidProducts',
    params: 11,
    locals: [
      [2, I32],
      [4 * ROWS + 4 + ROWS, V128],
    ],
    body: accumulateValidBody(),
  };
}

/** Returns the SIMD routine bound to the memory of `backend`, or null where it cannot run. */
export function simdAccumulateValid(backend: BackendWasm): AccumulateValidProducts | null {
  return instantiateKernel<AccumulateValidProducts>(backend, 'accumulateValidProducts', accumulateValidKernel);
}

/**
 * Returns whether this path covers the convolution `info`: NHWC, stride 1,
 * dilation 1, no padding, a multiple of 16 output channels and a non-empty
 * output.
 */
export function fitsValidProduct(info: backend_util.Conv2DInfo): boolean {
  const { strideHeight, strideWidth, dilationHeight, dilationWidth, padInfo, outChannels } = info;
  const ones = strideHeight === 1 && strideWidth === 1 && dilationHeight === 1 && dilationWidth === 1;
  const unpadded = padInfo.top === 0 && padInfo.bottom === 0 && padInfo.left === 0 && padInfo.right === 0;
  const nonEmpty = info.batchSize > 0 && info.outHeight > 0 && info.outWidth > 0 && info.inChannels > 0;
  return info.dataFormat === 'channelsLast' && ones && unpadded && nonEmpty && outChannels > 0 && outChannels % COLUMNS === 0;
}

/**
 * Returns dFilter [filterHeight, filterWidth, inChannels, outChannels] of
 * the convolution `info` (one that fitsValidProduct accepts) of x
 * [batch, inHeight, inWidth, inChannels] that gave dy, summed by
 * `accumulate` from x transposed to [inChannels, batch, inHeight, inWidth].
 * Filter entries are taken two at a time, and a last group of one repeats
 * entry 0 in its spare row, whose sums are dropped.
 */
export function filterGradientByValidProduct(
  wasm: BackendWasm,
  accumulate: AccumulateValidProducts,
  x: TensorInfo,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth } = info;
  const length = filterHeight * filterWidth * inChannels;
  const paddedLength = Math.ceil(length / ROWS) * ROWS;
  const channelsFirst = inChannels === 1 ? x : transpose(wasm, x, [3, 0, 1, 2]);
  const product = allocate(wasm, [paddedLength, outChannels]);
  const xStart = heapFloats(wasm, channelsFirst).start;
  const dyStart = heapFloats(wasm, dy).start;
  const productStart = heapFloats(wasm, product).start;
  const imageSize = inHeight * inWidth;
  // Byte address of x's element for filter entry (fh, fw, c) at n = oh = ow = 0.
  const rowAddress = (entry: number): number => {
    const row = entry < length ? entry : 0;
    const c = row % inChannels;
    const tap = (row - c) / inChannels;
    const fw = tap % filterWidth;
    const fh = (tap - fw) / filterWidth;
    return 4 * (xStart + c * batchSize * imageSize + fh * inWidth + fw);
  };
  const lineSkip = 4 * (inWidth - outWidth);
  const imageSkip = 4 * (imageSize - outHeight * inWidth);
  for (let row = 0; row < paddedLength; row += ROWS) {
    const row0 = rowAddress(row);
    const row1 = rowAddress(row + 1);
    for (let column = 0; column < outChannels; column += COLUMNS) {
      const out = 4 * (productStart + row * outChannels + column);
      accumulate(row0, row1, 4 * (dyStart + column), 4 * outChannels, batchSize, outHeight, outWidth, lineSkip, imageSkip, out, 4 * outChannels);
    }
  }
  if (channelsFirst.dataId !== x.dataId) free(wasm, channelsFirst);

  const filterShape = [filterHeight, filterWidth, inChannels, outChannels];
  if (paddedLength === length) return withShape(product, filterShape);
  const filterGradient = allocate(wasm, filterShape);
  const view = heapFloats(wasm, product);
  view.heap.copyWithin(heapFloats(wasm, filterGradient).start, view.start, view.start + length * outChannels);
  free(wasm, product);
  return filterGradient;
}
