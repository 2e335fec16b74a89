// Patch extraction (im2col, written transposed) and col2im for NHWC
// convolutions, which turn the gradients of Conv2D into matrix products.
// They work on the wasm heap in place.
import { backend_util } from '@tensorflow/tfjs-core';

/** The sizes of one 2-D convolution that the loops below need. */
export interface ConvGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  /** Rows of zero padding above the input. */
  padTop: number;
  /** Columns of zero padding left of the input. */
  padLeft: number;
}

/**
 * Returns the geometry of a convolution from tfjs's own shape computation,
 * so padding 'same', 'valid', numbers and explicit pads match every backend.
 * Throws when the data format is not NHWC (channelsLast).
 */
export function convGeometry(info: backend_util.Conv2DInfo): ConvGeometry {
  if (info.dataFormat !== 'channelsLast') {
    throw new Error(`the wasm training kernels support only NHWC data, got dataFormat ${info.dataFormat}: transpose the input to NHWC`);
  }
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    dilationHeight: info.dilationHeight,
    dilationWidth: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

/** Number of output positions, batch * outHeight * outWidth: the rows M of the patch matrix. */
export function patchCount(g: ConvGeometry): number {
  return g.batch * g.outHeight * g.outWidth;
}

/** Length of one patch, filterHeight * filterWidth * inChannels: the columns K of the patch matrix. */
export function patchLength(g: ConvGeometry): number {
  return g.filterHeight * g.filterWidth * g.inChannels;
}

/** Returns whether the convolution is a 1x1, stride 1, unpadded one, whose patch matrix is the input itself. */
export function isPointwise(g: ConvGeometry): boolean {
  return (
    g.filterHeight === 1 &&
    g.filterWidth === 1 &&
    g.strideHeight === 1 &&
    g.strideWidth === 1 &&
    g.padTop === 0 &&
    g.padLeft === 0 &&
    g.outHeight === g.inHeight &&
    g.outWidth === g.inWidth
  );
}

/** Runs of at least this many floats are copied with copyWithin, shorter ones by a loop. */
const MIN_BLOCK_COPY = 16;

/**
 * Writes the transposed patch matrix [K, M] (see patchLength and
 * patchCount) into `heap` from index `patchStart`. Entry (k, m) is the
 * input value that filter tap k meets at output position m = (n, oh, ow) in
 * row-major order, or 0 in the padding. k = (fh * filterWidth + fw) *
 * inChannels + c follows the layout of a [filterHeight, filterWidth,
 * inChannels, outChannels] filter. The input is x transposed to
 * [inChannels, batch, inHeight, inWidth], stored in `heap` from `xStart`,
 * so each row is made of runs along the input width. The two ranges must
 * not overlap.
 */
export function writeTransposedPatches(heap: Float32Array, xStart: number, g: ConvGeometry, patchStart: number): void {
  const { batch, inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth } = g;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth, padTop, padLeft } = g;
  const imageSize = inHeight * inWidth;
  const rowLength = batch * outHeight * outWidth;
  for (let fh = 0; fh < filterHeight; fh++) {
    for (let fw = 0; fw < filterWidth; fw++) {
      // The output columns whose tap fw falls inside the input: ow * strideWidth + shift in [0, inWidth).
      const shift = fw * dilationWidth - padLeft;
      const firstColumn = Math.min(outWidth, Math.max(0, Math.ceil(-shift / strideWidth)));
      const endColumn = Math.max(firstColumn, Math.min(outWidth, Math.floor((inWidth - 1 - shift) / strideWidth) + 1));
      for (let c = 0; c < inChannels; c++) {
        let target = patchStart + ((fh * filterWidth + fw) * inChannels + c) * rowLength;
        for (let n = 0; n < batch; n++) {
          const image = xStart + (c * batch + n) * imageSize;
          for (let oh = 0; oh < outHeight; oh++, target += outWidth) {
            const ih = oh * strideHeight + fh * dilationHeight - padTop;
            if (ih < 0 || ih >= inHeight) {
              heap.fill(0, target, target + outWidth);
              continue;
            }
            const source = image + ih * inWidth + shift;
            for (let ow = 0; ow < firstColumn; ow++) heap[target + ow] = 0;
            if (strideWidth === 1 && endColumn - firstColumn >= MIN_BLOCK_COPY) {
              heap.copyWithin(target + firstColumn, source + firstColumn, source + endColumn);
            } else {
              for (let ow = firstColumn; ow < endColumn; ow++) heap[target + ow] = heap[source + ow * strideWidth];
            }
            for (let ow = endColumn; ow < outWidth; ow++) heap[target + ow] = 0;
          }
        }
      }
    }
  }
}

/**
 * Sets dx [batch, inHeight, inWidth, inChannels], stored in `heap` from
 * `dxStart`, to the sum of the patch gradients [M, K] stored from
 * `columnStart` over the positions they were taken from: the adjoint of
 * patch extraction, so dx = col2im(dy @ filterᵀ). Values that fall in the
 * padding are dropped. The two ranges must not overlap.
 */
export function accumulatePatches(heap: Float32Array, columnStart: number, g: ConvGeometry, dxStart: number): void {
  const { batch, inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth } = g;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth, padTop, padLeft } = g;
  const rowStride = inWidth * inChannels;
  const imageStride = inHeight * rowStride;
  heap.fill(0, dxStart, dxStart + batch * imageStride);
  let source = columnStart;
  for (let n = 0; n < batch; n++) {
    const image = dxStart + n * imageStride;
    for (let oh = 0; oh < outHeight; oh++) {
      const top = oh * strideHeight - padTop;
      for (let ow = 0; ow < outWidth; ow++) {
        const left = ow * strideWidth - padLeft;
        for (let fh = 0; fh < filterHeight; fh++) {
          const ih = top + fh * dilationHeight;
          const rowInside = ih >= 0 && ih < inHeight;
          for (let fw = 0; fw < filterWidth; fw++, source += inChannels) {
            const iw = left + fw * dilationWidth;
            if (!rowInside || iw < 0 || iw >= inWidth) continue;
            const target = image + ih * rowStride + iw * inChannels;
            for (let c = 0; c < inChannels; c++) heap[target + c] += heap[source + c];
          }
        }
      }
    }
  }
}
