// The input gradient of a depthwise Conv2D as a forward depthwise Conv2D on
// XNNPACK: dy, spread out by the stride, convolved with the filter rotated
// by 180 degrees. On the stride-1 layers of a MobileNetV2-like candidate
// (batch 64, Node 20, tfjs-backend-wasm 4.22) this ran 3 to 7 times faster
// than a loop in JavaScript. Strided convolutions use it only when
// depthwise-input-phases.ts cannot split them, because spreading dy
// multiplies many zeros; AvgPoolGrad uses it at every stride.
import { getKernel, type TensorInfo } from '@tensorflow/tfjs-core';
import { allocate, free, heapFloats, type BackendWasm } from './heap';
import type { ConvGeometry } from './patches';

/** Zero padding, in rows and columns, around the spread dy of the transposed convolution. */
export interface TransposedPadding {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/**
 * Returns the padding that makes a stride-1 convolution of the spread dy
 * [(outHeight - 1) * strideHeight + 1, ...] with the rotated filter give
 * exactly inHeight x inWidth outputs. Returns null when a side would need a
 * negative padding, which only explicit pads wider than the dilated filter
 * cause; 'same' and 'valid' never do.
 */
export function transposedPadding(g: ConvGeometry): TransposedPadding | null {
  const spanHeight = (g.filterHeight - 1) * g.dilationHeight;
  const spanWidth = (g.filterWidth - 1) * g.dilationWidth;
  const top = spanHeight - g.padTop;
  const left = spanWidth - g.padLeft;
  const bottom = g.inHeight + spanHeight - spreadSize(g.outHeight, g.strideHeight) - top;
  const right = g.inWidth + spanWidth - spreadSize(g.outWidth, g.strideWidth) - left;
  if (top < 0 || left < 0 || bottom < 0 || right < 0) return null;
  return { top, bottom, left, right };
}

function spreadSize(outSize: number, stride: number): number {
  return (outSize - 1) * stride + 1;
}

/**
 * Computes dx [batch, inHeight, inWidth, channels] of a depthwise Conv2D
 * with channel multiplier 1 from dy and filter [filterHeight, filterWidth,
 * channels, 1]. Throws when transposedPadding(g) is null: check it first.
 */
export function depthwiseInputByForwardConv(backend: BackendWasm, dy: TensorInfo, filter: TensorInfo, g: ConvGeometry): TensorInfo {
  const padding = transposedPadding(g);
  if (padding === null) {
    throw new Error('depthwiseInputByForwardConv needs a padding of at most the dilated filter size: use the loop for explicit pads');
  }
  const kernel = getKernel('DepthwiseConv2dNative', 'wasm');
  if (kernel === undefined) {
    throw new Error('the wasm DepthwiseConv2dNative kernel is not registered: import @tensorflow/tfjs-backend-wasm before training on wasm');
  }

  const rotated = rotateFilter(backend, filter, g);
  const strided = g.strideHeight > 1 || g.strideWidth > 1;
  const source = strided ? spreadByStride(backend, dy, g) : dy;
  const dx = kernel.kernelFunc({
    inputs: { x: source, filter: rotated },
    backend,
    attrs: {
      strides: [1, 1],
      dilations: [g.dilationHeight, g.dilationWidth],
      pad: [
        [0, 0],
        [padding.top, padding.bottom],
        [padding.left, padding.right],
        [0, 0],
      ],
      dataFormat: 'NHWC',
    },
  }) as TensorInfo;
  free(backend, rotated);
  if (strided) free(backend, source);
  return dx;
}

/** Returns a new filter with the taps in reverse order on both spatial axes. */
function rotateFilter(backend: BackendWasm, filter: TensorInfo, g: ConvGeometry): TensorInfo {
  const { filterHeight, filterWidth, inChannels } = g;
  const rotated = allocate(backend, filter.shape);
  const { heap, start: target } = heapFloats(backend, rotated);
  const source = heapFloats(backend, filter).start;
  const taps = filterHeight * filterWidth;
  for (let tap = 0; tap < taps; tap++) {
    const from = source + (taps - 1 - tap) * inChannels;
    const to = target + tap * inChannels;
    for (let c = 0; c < inChannels; c++) heap[to + c] = heap[from + c];
  }
  return rotated;
}

/**
 * Returns dy [batch, outHeight, outWidth, channels] spread to [batch,
 * (outHeight - 1) * strideHeight + 1, (outWidth - 1) * strideWidth + 1,
 * channels], with zeros between the original positions.
 */
function spreadByStride(backend: BackendWasm, dy: TensorInfo, g: ConvGeometry): TensorInfo {
  const { batch, outHeight, outWidth, inChannels: channels, strideHeight, strideWidth } = g;
  const height = spreadSize(outHeight, strideHeight);
  const width = spreadSize(outWidth, strideWidth);
  const spread = allocate(backend, [batch, height, width, channels]);
  const { heap, start: target } = heapFloats(backend, spread);
  const rowStride = width * channels;
  heap.fill(0, target, target + batch * height * rowStride);
  let source = heapFloats(backend, dy).start;
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < outHeight; oh++) {
      let to = target + (n * height + oh * strideHeight) * rowStride;
      for (let ow = 0; ow < outWidth; ow++, source += channels, to += strideWidth * channels) {
        for (let c = 0; c < channels; c++) heap[to + c] = heap[source + c];
      }
    }
  }
  return spread;
}
