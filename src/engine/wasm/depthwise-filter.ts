// The filter gradient of a depthwise Conv2D with channel multiplier 1. For
// each image row and filter tap it takes a dot product over the output
// columns per channel, summed in a local float64, so the inner loop writes
// no array.
import type { ConvGeometry } from './patches';

/**
 * Adds to `sums` [filterHeight * filterWidth * channels] the filter
 * gradient of x [batch, inHeight, inWidth, channels], stored in `heap` from
 * `xStart`, and dy [batch, outHeight, outWidth, channels] from `dyStart`:
 * sums[tap, c] += x[position of tap at p, c] * dy[p, c] over the output
 * positions p whose tap meets the input.
 */
export function accumulateDepthwiseFilter(heap: Float32Array, xStart: number, dyStart: number, g: ConvGeometry, sums: Float64Array): void {
  const { batch, inHeight, inWidth, inChannels: channels, outHeight, outWidth, filterHeight, filterWidth } = g;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth, padTop, padLeft } = g;
  const rowStride = inWidth * channels;
  const imageStride = inHeight * rowStride;
  const xStep = strideWidth * channels;
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const top = oh * strideHeight - padTop;
      const firstRow = Math.max(0, Math.ceil(-top / dilationHeight));
      const endRow = Math.min(filterHeight, Math.ceil((inHeight - top) / dilationHeight));
      const dyRow = dyStart + (n * outHeight + oh) * outWidth * channels;
      for (let fh = firstRow; fh < endRow; fh++) {
        const xRow = xStart + n * imageStride + (top + fh * dilationHeight) * rowStride;
        for (let fw = 0; fw < filterWidth; fw++) {
          // Output columns whose tap fw falls inside the input row.
          const offset = fw * dilationWidth - padLeft;
          const firstColumn = Math.max(0, Math.ceil(-offset / strideWidth));
          const endColumn = Math.min(outWidth, Math.ceil((inWidth - offset) / strideWidth));
          if (firstColumn >= endColumn) continue;
          const count = endColumn - firstColumn;
          const xFirst = xRow + (firstColumn * strideWidth + offset) * channels;
          const dyFirst = dyRow + firstColumn * channels;
          const tap = (fh * filterWidth + fw) * channels;
          accumulateTap(heap, xFirst, dyFirst, count, xStep, channels, sums, tap);
        }
      }
    }
  }
}

/**
 * Adds to sums[tap + c], for every channel c, the dot product of `count`
 * x values from `xFirst + c` (step `xStep`) and dy values from `dyFirst + c`
 * (step `channels`). Four channels share one pass, because the loop
 * overhead, not the multiplications, bounds this loop in V8.
 */
function accumulateTap(
  heap: Float32Array,
  xFirst: number,
  dyFirst: number,
  count: number,
  xStep: number,
  channels: number,
  sums: Float64Array,
  tap: number,
): void {
  let c = 0;
  for (; c + 4 <= channels; c += 4) {
    let sum0 = 0;
    let sum1 = 0;
    let sum2 = 0;
    let sum3 = 0;
    let xi = xFirst + c;
    let di = dyFirst + c;
    for (let k = 0; k < count; k++, xi += xStep, di += channels) {
      sum0 += heap[xi] * heap[di];
      sum1 += heap[xi + 1] * heap[di + 1];
      sum2 += heap[xi + 2] * heap[di + 2];
      sum3 += heap[xi + 3] * heap[di + 3];
    }
    sums[tap + c] += sum0;
    sums[tap + c + 1] += sum1;
    sums[tap + c + 2] += sum2;
    sums[tap + c + 3] += sum3;
  }
  for (; c < channels; c++) {
    let sum = 0;
    let xi = xFirst + c;
    let di = dyFirst + c;
    for (let k = 0; k < count; k++, xi += xStep, di += channels) sum += heap[xi] * heap[di];
    sums[tap + c] += sum;
  }
}
