// Patch extraction (im2col) and its adjoint (col2im) for NHWC convolutions,
// which turn the gradients of Conv2D into matrix products. They work on the
// wasm heap in place, copying runs of floats with copyWithin where they can.
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

/** Runs shorter than this many floats are copied by a loop, longer ones by copyWithin. */
const MIN_BLOCK_COPY = 16;

/**
 * Writes the patch matrix of the input x [batch, inHeight, inWidth,
 * inChannels], stored in `heap` from index `xStart`, into `heap` from index
 * `patchStart` as a [M, K] matrix (see patchCount and patchLength). Entry
 * (m, k) is the input value that filter tap k meets at output position m, or
 * 0 in the padding; k = (fh * filterWidth + fw) * inChannels + c follows the
 * layout of a [filterHeight, filterWidth, inChannels, outChannels] filter.
 * The two ranges must not overlap.
 */
export function writePatches(heap: Float32Array, xStart: number, g: ConvGeometry, patchStart: number): void {
  const { batch, inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth } = g;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth, padTop, padLeft } = g;
  const rowStride = inWidth * inChannels;
  const imageStride = inHeight * rowStride;
  const rowLength = filterWidth * inChannels;
  // With dilation 1 the taps of one filter row are contiguous in the input.
  const rowIsContiguous = dilationWidth === 1;
  let target = patchStart;
  for (let n = 0; n < batch; n++) {
    const image = xStart + n * imageStride;
    for (let oh = 0; oh < outHeight; oh++) {
      const top = oh * strideHeight - padTop;
      for (let ow = 0; ow < outWidth; ow++) {
        const left = ow * strideWidth - padLeft;
        const rowInside = rowIsContiguous && left >= 0 && left + filterWidth <= inWidth;
        for (let fh = 0; fh < filterHeight; fh++, target += rowLength) {
          const ih = top + fh * dilationHeight;
          if (ih < 0 || ih >= inHeight) {
            heap.fill(0, target, target + rowLength);
          } else if (rowInside) {
            copyRun(heap, image + ih * rowStride + left * inChannels, target, rowLength);
          } else {
            for (let fw = 0; fw < filterWidth; fw++) {
              const iw = left + fw * dilationWidth;
              const tap = target + fw * inChannels;
              if (iw < 0 || iw >= inWidth) heap.fill(0, tap, tap + inChannels);
              else copyRun(heap, image + ih * rowStride + iw * inChannels, tap, inChannels);
            }
          }
        }
      }
    }
  }
}

function copyRun(heap: Float32Array, source: number, target: number, length: number): void {
  if (length >= MIN_BLOCK_COPY) {
    heap.copyWithin(target, source, source + length);
  } else {
    for (let i = 0; i < length; i++) heap[target + i] = heap[source + i];
  }
}

/**
 * Sets dx [batch, inHeight, inWidth, inChannels], stored in `heap` from
 * `dxStart`, to the sum of the patch gradients [M, K] stored from
 * `columnStart` over the positions they were taken from: the adjoint of
 * writePatches, so dx = col2im(dy @ filterᵀ). Values that fall in the
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
