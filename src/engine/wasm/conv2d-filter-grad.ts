// The Conv2D filter gradient as one forward convolution on XNNPACK, with
// the batch and channel axes of x swapped and dy used as the filter, so the
// patch matrix is never written out.
import { backend_util, getKernel, type TensorInfo } from '@tensorflow/tfjs-core';
import { allocate, free, heapFloats, transpose, type BackendWasm } from './heap';

/**
 * Returns dFilter [filterHeight, filterWidth, inChannels, outChannels] of
 * the NHWC convolution `info` of x by a filter that gave dy, or null when
 * the backend's Conv2D kernel is not registered. Entry (fh, fw, ci, co) is
 * the sum over n, oh, ow of x[n, oh * strideHeight + fh * dilationHeight -
 * padTop, ow * strideWidth + fw * dilationWidth - padLeft, ci] times
 * dy[n, oh, ow, co]. That is a convolution of x transposed to [inChannels,
 * inHeight, inWidth, batch] with dy transposed to the filter [outHeight,
 * outWidth, batch, outChannels], dilated by the stride and strided by the
 * dilation, whose output [inChannels, fh, fw, outChannels] is then reordered.
 */
export function filterGradientByConvolution(
  wasm: BackendWasm,
  x: TensorInfo,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo | null {
  const conv2d = getKernel('Conv2D', 'wasm');
  if (conv2d === undefined) return null;
  const { inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth, padInfo } = info;

  // The last input row any tap reads is (filterHeight - 1) * dilationHeight +
  // (outHeight - 1) * strideHeight - padTop. Padding the bottom up to it, and
  // no further, gives exactly filterHeight output rows. When rows below it go
  // unread, the convolution gives extra output rows, which the copy drops.
  const padBottom = Math.max(0, (filterHeight - 1) * dilationHeight + (outHeight - 1) * strideHeight + 1 - inHeight - padInfo.top);
  const padRight = Math.max(0, (filterWidth - 1) * dilationWidth + (outWidth - 1) * strideWidth + 1 - inWidth - padInfo.left);
  const images = transpose(wasm, x, [3, 1, 2, 0]);
  const gradients = transpose(wasm, dy, [1, 2, 0, 3]);
  const product = conv2d.kernelFunc({
    inputs: { x: images, filter: gradients },
    backend: wasm,
    attrs: {
      strides: [dilationHeight, dilationWidth],
      dilations: [strideHeight, strideWidth],
      pad: [[0, 0], [padInfo.top, padBottom], [padInfo.left, padRight], [0, 0]],
      dataFormat: 'NHWC',
    },
  }) as TensorInfo;
  free(wasm, images, gradients);

  const productHeight = product.shape[1];
  const productWidth = product.shape[2];
  const filterGradient = allocate(wasm, [filterHeight, filterWidth, inChannels, outChannels]);
  const { heap, start: target } = heapFloats(wasm, filterGradient);
  const source = heapFloats(wasm, product).start;
  for (let fh = 0; fh < filterHeight; fh++) {
    for (let fw = 0; fw < filterWidth; fw++) {
      for (let ci = 0; ci < inChannels; ci++) {
        const from = source + ((ci * productHeight + fh) * productWidth + fw) * outChannels;
        const to = target + ((fh * filterWidth + fw) * inChannels + ci) * outChannels;
        heap.copyWithin(to, from, from + outChannels);
      }
    }
  }
  free(wasm, product);
  return filterGradient;
}
