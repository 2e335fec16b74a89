// The Conv2D filter gradient, by one of four paths. Single-channel inputs
// take a SIMD sum over image rows (simd-filter-grad-rows.ts), and stride-1
// 'valid' convolutions a SIMD product reading patches from x
// (simd-filter-grad-valid.ts). The rest take a forward convolution on
// XNNPACK with x's batch and channel axes swapped and dy as the filter, or
// a product of the transposed patch matrix with dy.
import { backend_util, getKernel, type TensorInfo } from '@tensorflow/tfjs-core';
import { allocate, free, heapFloats, matMul, transpose, withShape, type BackendWasm } from './heap';
import { moveBatchInside, swapBatchAndChannels } from './nhwc-transpose';
import { convGeometry, isPointwise, patchCount, patchLength, writeTransposedPatches } from './patches';
import { filterGradientByImageRows, fitsImageRows, simdAccumulateImage } from './simd-filter-grad-rows';
import { filterGradientByValidProduct, fitsValidProduct, simdAccumulateValid } from './simd-filter-grad-valid';
import { COLUMNS_PER_CALL, ROWS_PER_CALL, simdAccumulateProducts, type AccumulateProducts } from './simd-filter-grad';

/**
 * Returns dFilter [filterHeight, filterWidth, inChannels, outChannels] of
 * the NHWC convolution `info` of x [batch, inHeight, inWidth, inChannels]
 * that gave dy [batch, outHeight, outWidth, outChannels], by the faster path
 * for its shape. Throws when the data format is not NHWC.
 *
 * Single-channel inputs with 3-wide filters at stride 1 and a multiple of
 * 16 output channels take the image-row sum, 0.37 ms against 0.66 ms for the patch
 * product on the reference net's first conv (Node 20). For the rest, the
 * rule comes from timing both other paths, with a new dy for every call, in
 * Node 20 with tfjs-backend-wasm 4.22 at batch 64 on 13x13 to 28x28 inputs.
 * The convolution was faster with four or more input channels and no more
 * output channels than patch entries (filterHeight * filterWidth *
 * inChannels), 1.5 times for the reference net's second conv. The patch
 * product was as fast or faster for the rest. Of the convolution's shapes,
 * stride-1 'valid' ones with a multiple of 16 output channels take the SIMD
 * product that reads x in place. It took 1.5 ms against 2.6 ms for the
 * reference net's second conv (Node 20), because XNNPACK packs dy first.
 * NOTE: that is the only shape timed.
 */
export function conv2dFilterGradient(wasm: BackendWasm, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const geometry = convGeometry(info);
  const accumulateImage = fitsImageRows(info) ? simdAccumulateImage(wasm) : null;
  if (accumulateImage !== null) return filterGradientByImageRows(wasm, accumulateImage, x, dy, info);
  if (info.inChannels >= 4 && info.outChannels <= patchLength(geometry)) {
    const accumulateValid = fitsValidProduct(info) ? simdAccumulateValid(wasm) : null;
    if (accumulateValid !== null) return filterGradientByValidProduct(wasm, accumulateValid, x, dy, info);
    const byConvolution = filterGradientByConvolution(wasm, x, dy, info);
    if (byConvolution !== null) return byConvolution;
  }
  return filterGradientByTransposedPatches(wasm, x, dy, info);
}

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
  const images = swapBatchAndChannels(wasm, x);
  const gradients = moveBatchInside(wasm, dy);
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

/**
 * Returns dFilter [filterHeight, filterWidth, inChannels, outChannels] as
 * the product of the transposed patch matrix [patchLength, patchCount] and
 * dy [patchCount, outChannels], which is the filter's layout, so neither dy
 * nor the product is transposed.
 */
export function filterGradientByTransposedPatches(wasm: BackendWasm, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const geometry = convGeometry(info);
  const count = patchCount(geometry);
  const length = patchLength(geometry);
  // With one input channel, x [batch, height, width, 1] is already laid out as [1, batch, height, width].
  const channelsFirst = info.inChannels === 1 ? x : transpose(wasm, x, [3, 0, 1, 2]);
  const accumulate = length <= MAX_SIMD_PATCH_LENGTH && info.outChannels % COLUMNS_PER_CALL === 0 && count > 0 ? simdAccumulateProducts(wasm) : null;
  if (accumulate !== null) {
    const filterGradient = productBySimd(wasm, accumulate, channelsFirst, dy, info);
    if (channelsFirst.dataId !== x.dataId) free(wasm, channelsFirst);
    return filterGradient;
  }

  // A pointwise convolution's transposed patch matrix is the channels-first x [inChannels, batch * height * width] itself.
  let patches = withShape(channelsFirst, [length, count]);
  if (!isPointwise(geometry)) {
    patches = allocate(wasm, [length, count]);
    const { heap, start: patchStart } = heapFloats(wasm, patches);
    writeTransposedPatches(heap, heapFloats(wasm, channelsFirst).start, geometry, patchStart);
  }
  const product = matMul(wasm, patches, withShape(dy, [count, info.outChannels]));
  if (patches.dataId !== x.dataId) free(wasm, patches);
  if (channelsFirst.dataId !== x.dataId && channelsFirst.dataId !== patches.dataId) free(wasm, channelsFirst);
  return withShape(product, [info.filterHeight, info.filterWidth, info.inChannels, info.outChannels]);
}

/**
 * Patch lengths up to which the SIMD product runs. For the reference net's
 * first conv (9 entries, [43264, 16] dy) it took 0.9 ms per step where
 * XNNPACK took 2.4 ms, mostly packing dy, in Node 20. XNNPACK's product
 * runs faster per multiply-add once dy is packed, so long patches favour it.
 * NOTE: the limit of 32 is an estimate from those rates, not a measured
 * crossover.
 */
const MAX_SIMD_PATCH_LENGTH = 32;

/**
 * Returns dFilter as patchesᵀ @ dy summed by `accumulate`, with the patch
 * matrix padded by zero rows to whole groups of ROWS_PER_CALL rows.
 */
function productBySimd(wasm: BackendWasm, accumulate: AccumulateProducts, channelsFirst: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const geometry = convGeometry(info);
  const count = patchCount(geometry);
  const length = patchLength(geometry);
  const columns = info.outChannels;
  const paddedLength = Math.ceil(length / ROWS_PER_CALL) * ROWS_PER_CALL;
  const patches = allocate(wasm, [paddedLength, count]);
  const product = allocate(wasm, [paddedLength, columns]);
  const { heap, start: patchStart } = heapFloats(wasm, patches);
  writeTransposedPatches(heap, heapFloats(wasm, channelsFirst).start, geometry, patchStart);
  heap.fill(0, patchStart + length * count, patchStart + paddedLength * count);

  const productStart = heapFloats(wasm, product).start;
  const dyStart = heapFloats(wasm, dy).start;
  for (let row = 0; row < paddedLength; row += ROWS_PER_CALL) {
    for (let column = 0; column < columns; column += COLUMNS_PER_CALL) {
      accumulate(4 * (patchStart + row * count), 4 * count, 4 * (dyStart + column), 4 * columns, count, 4 * (productStart + row * columns + column), 4 * columns);
    }
  }
  free(wasm, patches);

  const filterShape = [info.filterHeight, info.filterWidth, info.inChannels, columns];
  if (paddedLength === length) return withShape(product, filterShape);
  const filterGradient = allocate(wasm, filterShape);
  const view = heapFloats(wasm, product);
  view.heap.copyWithin(heapFloats(wasm, filterGradient).start, view.start, view.start + length * columns);
  free(wasm, product);
  return filterGradient;
}
