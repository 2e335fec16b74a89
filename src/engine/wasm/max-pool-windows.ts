// The general path of MaxPoolGrad on wasm: any window size, stride and
// padding. For windows inside the input it looks up the forward output's
// maximum and takes the first tap equal to it, because comparisons that are
// mostly false cost far fewer mispredicted branches than a running maximum.
// Windows that meet the padding, and windows without a finite maximum,
// search their clipped taps directly.
import type { backend_util } from '@tensorflow/tfjs-core';

/**
 * Adds each window's dy [batch, outHeight, outWidth, channels], stored in
 * `heap` from `dyStart`, to dx at the first position, in row-major window
 * order, that contains the window's maximum of x. x and dx are NHWC
 * [batch, inHeight, inWidth, channels] from `xStart` and `dxStart`, and dx
 * must be zeroed first. `outputStart` is where MaxPool's output y, of dy's
 * shape, starts. A window of NaNs or of -Infinity passes nothing.
 */
export function routeMaxPoolWindows(
  heap: Float32Array,
  xStart: number,
  dxStart: number,
  dyStart: number,
  outputStart: number,
  info: backend_util.Conv2DInfo,
): void {
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const padTop = info.padInfo.top;
  const padLeft = info.padInfo.left;
  const rowStride = inWidth * channels;
  const imageStride = inHeight * rowStride;
  const shift = dxStart - xStart;
  const offsets = new Int32Array(filterHeight * filterWidth);
  for (let fh = 0; fh < filterHeight; fh++) {
    for (let fw = 0; fw < filterWidth; fw++) offsets[fh * filterWidth + fw] = fh * dilationHeight * rowStride + fw * dilationWidth * channels;
  }

  let dyIndex = dyStart;
  for (let n = 0; n < batchSize; n++) {
    const image = xStart + n * imageStride;
    for (let oh = 0; oh < outHeight; oh++) {
      const top = oh * strideHeight - padTop;
      // The window rows inside the input, so the channel loop needs no bounds checks.
      const firstRow = Math.max(0, Math.ceil(-top / dilationHeight));
      const endRow = Math.min(filterHeight, Math.ceil((inHeight - top) / dilationHeight));
      for (let ow = 0; ow < outWidth; ow++, dyIndex += channels) {
        const left = ow * strideWidth - padLeft;
        const firstColumn = Math.max(0, Math.ceil(-left / dilationWidth));
        const endColumn = Math.min(filterWidth, Math.ceil((inWidth - left) / dilationWidth));
        const corner = image + top * rowStride + left * channels;
        if (firstRow === 0 && endRow === filterHeight && firstColumn === 0 && endColumn === filterWidth) {
          routeInsideWindow(heap, corner, offsets, channels, dyIndex, outputStart + dyIndex - dyStart, shift);
          continue;
        }
        for (let c = 0; c < channels; c++) {
          let best = -Infinity;
          let bestPosition = -1;
          for (let fh = firstRow; fh < endRow; fh++) {
            const row = corner + fh * dilationHeight * rowStride + c;
            for (let fw = firstColumn; fw < endColumn; fw++) {
              const position = row + fw * dilationWidth * channels;
              const value = heap[position];
              if (value > best) {
                best = value;
                bestPosition = position;
              }
            }
          }
          if (bestPosition >= 0) heap[shift + bestPosition] += heap[dyIndex + c];
        }
      }
    }
  }
}

/**
 * Routes dy for one window that lies wholly inside the input to the first
 * tap equal to the window's maximum at `outputIndex`, with the same ties
 * and NaN rule. When no tap matches, as for a maximum of NaN or -Infinity,
 * it searches the taps for the largest value instead.
 */
function routeInsideWindow(
  heap: Float32Array,
  corner: number,
  offsets: Int32Array,
  channels: number,
  dyIndex: number,
  outputIndex: number,
  shift: number,
): void {
  const taps = offsets.length;
  for (let c = 0; c < channels; c++) {
    const first = corner + c;
    const maximum = heap[outputIndex + c];
    let bestPosition = -1;
    if (maximum > -Infinity) {
      for (let t = 0; t < taps; t++) {
        if (heap[first + offsets[t]] === maximum) {
          bestPosition = first + offsets[t];
          break;
        }
      }
    }
    if (bestPosition < 0) bestPosition = searchMaximum(heap, first, offsets);
    if (bestPosition >= 0) heap[shift + bestPosition] += heap[dyIndex + c];
  }
}

/** Returns the first position of the largest value among the taps from `first`, or -1 when none exceeds -Infinity. */
function searchMaximum(heap: Float32Array, first: number, offsets: Int32Array): number {
  let best = -Infinity;
  let bestPosition = -1;
  for (let t = 0; t < offsets.length; t++) {
    const position = first + offsets[t];
    const value = heap[position];
    if (value > best) {
      best = value;
      bestPosition = position;
    }
  }
  return bestPosition;
}
