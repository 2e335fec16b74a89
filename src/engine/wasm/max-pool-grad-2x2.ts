// The MaxPoolGrad path for 2x2 pools of stride 2 whose windows lie inside
// the input, the pool of most MNIST nets. It writes all four taps of every
// window, so dx needs no zeroing first. It runs the SIMD kernel when the
// runtime has it and the channels come in fours. Otherwise a loop compares
// the taps with the pooled output without data-dependent branches.
import type { BackendWasm } from './heap';
import { simdRouteWindowRow } from './simd-max-pool-grad';

/** Heap indices and sizes of the NHWC tensors that the 2x2 routing reads and writes. */
export interface TwoByTwoPool {
  /** Index of x [batch, inHeight, inWidth, channels], the pooled input. */
  xStart: number;
  /** Index of y [batch, outHeight, outWidth, channels], the pooled output. */
  yStart: number;
  /** Index of dy, shaped like y. */
  dyStart: number;
  /** Index of dx, shaped like x. */
  dxStart: number;
  batch: number;
  inHeight: number;
  inWidth: number;
  outHeight: number;
  outWidth: number;
  channels: number;
}

/**
 * Sets every element of dx that a window covers, like routeTwoByTwoPools,
 * with the SIMD kernel of `backend`'s memory where it can.
 */
export function routeTwoByTwoPoolsOn(backend: BackendWasm, heap: Float32Array, pool: TwoByTwoPool): void {
  const { xStart, dyStart, dxStart, batch, inHeight, inWidth, outHeight, outWidth, channels } = pool;
  const empty = batch === 0 || outHeight === 0 || outWidth === 0 || channels === 0;
  const route = channels % 4 === 0 && !empty ? simdRouteWindowRow(backend) : null;
  if (route === null) {
    routeTwoByTwoPools(heap, pool);
    return;
  }
  const rowStride = inWidth * channels;
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const x = xStart + (n * inHeight + 2 * oh) * rowStride;
      const dy = dyStart + (n * outHeight + oh) * outWidth * channels;
      route(4 * x, 4 * dy, 4 * (dxStart - xStart), outWidth, channels / 4, 4 * channels, 4 * rowStride);
    }
  }
}

/**
 * Sets every element of dx that a window covers, with the cpu backend's
 * rules. The window's dy goes to the first tap whose x equals y, the
 * window's maximum, in the order top left, top right, bottom left, bottom
 * right. The other taps get 0. A window of -Infinity passes nothing. When
 * no tap equals y, as when y is NaN, the window is searched again by
 * comparison, which skips NaN. Rows and columns that no window covers (the
 * last one of an odd size) are left unwritten.
 */
export function routeTwoByTwoPools(heap: Float32Array, pool: TwoByTwoPool): void {
  const { xStart, yStart, dyStart, dxStart, batch, inHeight, inWidth, outHeight, outWidth, channels } = pool;
  const rowStride = inWidth * channels;
  const imageStride = inHeight * rowStride;
  const shift = dxStart - xStart;
  let output = 0;
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < outHeight; oh++) {
      let corner = xStart + n * imageStride + 2 * oh * rowStride;
      for (let ow = 0; ow < outWidth; ow++, corner += 2 * channels) {
        for (let c = 0; c < channels; c++, output++) {
          const topLeft = corner + c;
          const bottomLeft = topLeft + rowStride;
          const max = heap[yStart + output];
          // Bit t is set where tap t equals the maximum. Comparisons turned
          // into bits avoid branches, which mispredicted often on ReLU outputs.
          const matches =
            +(heap[topLeft] === max) |
            (+(heap[topLeft + channels] === max) << 1) |
            (+(heap[bottomLeft] === max) << 2) |
            (+(heap[bottomLeft + channels] === max) << 3);
          heap[shift + topLeft] = 0;
          heap[shift + topLeft + channels] = 0;
          heap[shift + bottomLeft] = 0;
          heap[shift + bottomLeft + channels] = 0;
          if (matches === 0) {
            routeByComparison(heap, topLeft, rowStride, channels, shift, heap[dyStart + output]);
          } else if (max !== -Infinity) {
            const tap = 31 - Math.clz32(matches & -matches);
            heap[shift + topLeft + (tap & 1) * channels + (tap >> 1) * rowStride] = heap[dyStart + output];
          }
        }
      }
    }
  }
}

/** Routes one window's gradient to its first maximum by comparison: NaN never compares greater, so it is skipped. */
function routeByComparison(heap: Float32Array, topLeft: number, rowStride: number, channels: number, shift: number, gradient: number): void {
  let best = -Infinity;
  let position = -1;
  for (const tap of [topLeft, topLeft + channels, topLeft + rowStride, topLeft + rowStride + channels]) {
    if (heap[tap] > best) {
      best = heap[tap];
      position = tap;
    }
  }
  if (position >= 0) heap[shift + position] = gradient;
}
