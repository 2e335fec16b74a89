// The input gradient of a strided depthwise Conv2D split by stride phase.
// The input rows and columns of one phase (ih + padTop = q * stride + phase)
// receive dy only through the filter taps of that phase, so each phase is a
// stride-1 forward depthwise Conv2D of dy with a small rotated sub-filter on
// XNNPACK, scattered into dx. This skips the zeros that spreading dy by the
// stride would multiply.
import { getKernel, type TensorInfo } from '@tensorflow/tfjs-core';
import { allocate, free, heapFloats, type BackendWasm } from './heap';
import type { ConvGeometry } from './patches';

/** The input positions and filter taps of one phase along one axis. */
interface AxisPhase {
  /** Phase p: the taps p, p + stride, ... and the input positions q * stride + p - pad. */
  phase: number;
  /** Number of filter taps of the phase. */
  taps: number;
  /** First q whose input position is inside the input. */
  first: number;
  /** Number of input positions of the phase. */
  count: number;
  /** Zero padding before dy, so that output row o of the convolution is position first + o. */
  padBefore: number;
  /** Zero padding after dy, so that the convolution has at least `count` outputs. */
  padAfter: number;
}

function axisPhases(inSize: number, outSize: number, filterSize: number, stride: number, pad: number): AxisPhase[] {
  const phases: AxisPhase[] = [];
  for (let phase = 0; phase < stride; phase++) {
    const taps = Math.max(0, Math.ceil((filterSize - phase) / stride));
    const first = Math.max(0, Math.ceil((pad - phase) / stride));
    const last = Math.floor((inSize - 1 + pad - phase) / stride);
    const count = Math.max(0, last - first + 1);
    const padBefore = taps - 1 - first;
    const padAfter = Math.max(0, count - 1 + taps - outSize - padBefore);
    phases.push({ phase, taps, first, count, padBefore, padAfter });
  }
  return phases;
}

/**
 * Returns whether depthwiseInputByPhases handles `g`: a stride above 1,
 * dilation 1, and no padding wider than the filter taps of a phase, which
 * 'same' and 'valid' never need.
 */
export function canSplitByPhase(g: ConvGeometry): boolean {
  if (g.strideHeight === 1 && g.strideWidth === 1) return false;
  if (g.dilationHeight !== 1 || g.dilationWidth !== 1) return false;
  const rows = axisPhases(g.inHeight, g.outHeight, g.filterHeight, g.strideHeight, g.padTop);
  const columns = axisPhases(g.inWidth, g.outWidth, g.filterWidth, g.strideWidth, g.padLeft);
  return [...rows, ...columns].every((p) => p.taps === 0 || p.count === 0 || p.padBefore >= 0);
}

/**
 * Computes dx [batch, inHeight, inWidth, channels] of a strided depthwise
 * Conv2D with channel multiplier 1 from dy and filter [filterHeight,
 * filterWidth, channels, 1]. Check canSplitByPhase(g) first.
 */
export function depthwiseInputByPhases(backend: BackendWasm, dy: TensorInfo, filter: TensorInfo, g: ConvGeometry): TensorInfo {
  const kernel = getKernel('DepthwiseConv2dNative', 'wasm');
  if (kernel === undefined) {
    throw new Error('the wasm DepthwiseConv2dNative kernel is not registered: import @tensorflow/tfjs-backend-wasm before training on wasm');
  }
  const rows = axisPhases(g.inHeight, g.outHeight, g.filterHeight, g.strideHeight, g.padTop);
  const columns = axisPhases(g.inWidth, g.outWidth, g.filterWidth, g.strideWidth, g.padLeft);
  const { batch, inHeight, inWidth, inChannels: channels } = g;

  const dx = allocate(backend, [batch, inHeight, inWidth, channels]);
  // Positions of phases without taps get no gradient.
  if ([...rows, ...columns].some((p) => p.taps === 0)) {
    const { heap, start } = heapFloats(backend, dx);
    heap.fill(0, start, start + batch * inHeight * inWidth * channels);
  }
  for (const row of rows) {
    for (const column of columns) {
      if (row.taps === 0 || column.taps === 0 || row.count === 0 || column.count === 0) continue;
      const [height, width] = fastFilterShape(row.taps, column.taps);
      const subFilter = rotatedSubFilter(backend, filter, g, row, column, height, width);
      const part = kernel.kernelFunc({
        inputs: { x: dy, filter: subFilter },
        backend,
        attrs: {
          strides: [1, 1],
          dilations: [1, 1],
          pad: [
            [0, 0],
            [row.padBefore, row.padAfter + height - row.taps],
            [column.padBefore, column.padAfter + width - column.taps],
            [0, 0],
          ],
          dataFormat: 'NHWC',
        },
      }) as TensorInfo;
      scatterPhase(backend, part, dx, g, row, column);
      free(backend, subFilter, part);
    }
  }
  return dx;
}

/**
 * Tap counts for which XNNPACK (in tfjs-backend-wasm 4.22) has a fast
 * depthwise kernel. With 2 or 6 taps a [64, 14, 14, 48] convolution took
 * 3 to 4 ms, with 3, 4 or 9 taps 0.2 to 0.8 ms (Node 20).
 */
const FAST_TAP_COUNTS = [1, 3, 4, 9, 25];

/** Returns the smallest filter shape of a fast tap count with room for height x width taps, or that shape itself if none has. */
function fastFilterShape(height: number, width: number): [number, number] {
  for (const taps of FAST_TAP_COUNTS) {
    for (let rows = height; rows <= taps; rows++) {
      if (taps % rows === 0 && taps / rows >= width) return [rows, taps / rows];
    }
  }
  return [height, width];
}

/**
 * Returns the filter taps of one phase in reverse order on both axes, as a
 * [height, width, channels, 1] filter whose taps beyond the phase's are 0.
 * NOTE: those zero taps multiply dy, so an infinite dy gives NaN there
 * where the exact gradient is infinite.
 */
function rotatedSubFilter(
  backend: BackendWasm,
  filter: TensorInfo,
  g: ConvGeometry,
  row: AxisPhase,
  column: AxisPhase,
  height: number,
  width: number,
): TensorInfo {
  const channels = g.inChannels;
  const subFilter = allocate(backend, [height, width, channels, 1]);
  const { heap, start: target } = heapFloats(backend, subFilter);
  heap.fill(0, target, target + height * width * channels);
  const source = heapFloats(backend, filter).start;
  for (let i = 0; i < row.taps; i++) {
    const fh = row.phase + (row.taps - 1 - i) * g.strideHeight;
    for (let j = 0; j < column.taps; j++) {
      const fw = column.phase + (column.taps - 1 - j) * g.strideWidth;
      const from = source + (fh * g.filterWidth + fw) * channels;
      const to = target + (i * width + j) * channels;
      for (let c = 0; c < channels; c++) heap[to + c] = heap[from + c];
    }
  }
  return subFilter;
}

/** Copies the first row.count x column.count outputs of one phase's convolution to their positions in dx. */
function scatterPhase(backend: BackendWasm, part: TensorInfo, dx: TensorInfo, g: ConvGeometry, row: AxisPhase, column: AxisPhase): void {
  const { batch, inHeight, inWidth, inChannels: channels, strideHeight, strideWidth, padTop, padLeft } = g;
  const partHeight = part.shape[1];
  const partWidth = part.shape[2];
  const { heap, start: dxStart } = heapFloats(backend, dx);
  const partStart = heapFloats(backend, part).start;
  const columnStep = strideWidth * channels;
  for (let n = 0; n < batch; n++) {
    for (let q = 0; q < row.count; q++) {
      const ih = (row.first + q) * strideHeight + row.phase - padTop;
      let to = dxStart + ((n * inHeight + ih) * inWidth + column.first * strideWidth + column.phase - padLeft) * channels;
      let from = partStart + (n * partHeight + q) * partWidth * channels;
      for (let k = 0; k < column.count; k++, to += columnStep, from += channels) {
        for (let c = 0; c < channels; c++) heap[to + c] = heap[from + c];
      }
    }
  }
}
