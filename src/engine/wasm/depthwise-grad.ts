// Depthwise Conv2D gradients for the wasm backend, as direct loops over the
// heap with the channel loop innermost, where NHWC input, dy and filter are
// all contiguous. A channel multiplier above 1 is handled in the same loop.
import {
  backend_util,
  type DepthwiseConv2dNativeBackpropFilterAttrs,
  type DepthwiseConv2dNativeBackpropInputAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { allocate, heapFloats, type BackendWasm } from './heap';
import { convGeometry, type ConvGeometry } from './patches';

/** Float64 sums of the filter gradient, so batches of many positions keep float32 accuracy. */
let filterSums = new Float64Array(0);

function depthwiseInfo(
  inputShape: number[],
  filterShape: number[],
  attrs: { strides: number | [number, number]; dilations: number | [number, number]; pad: DepthwiseConv2dNativeBackpropInputAttrs['pad']; dimRoundingMode?: 'floor' | 'round' | 'ceil' },
): backend_util.Conv2DInfo {
  return backend_util.computeConv2DInfo(
    inputShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    true,
  );
}

/**
 * Calls `visit(inputIndex, dyIndex, filterIndex)` for every filter tap of
 * every output position that meets the input: the indices are of the first
 * channel, relative to the start of x, dy and filter.
 */
function forEachTap(g: ConvGeometry, outChannels: number, visit: (input: number, dy: number, filter: number) => void): void {
  const { batch, inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth } = g;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth, padTop, padLeft } = g;
  const rowStride = inWidth * inChannels;
  const imageStride = inHeight * rowStride;
  let dyIndex = 0;
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const top = oh * strideHeight - padTop;
      for (let ow = 0; ow < outWidth; ow++, dyIndex += outChannels) {
        const left = ow * strideWidth - padLeft;
        for (let fh = 0; fh < filterHeight; fh++) {
          const ih = top + fh * dilationHeight;
          if (ih < 0 || ih >= inHeight) continue;
          for (let fw = 0; fw < filterWidth; fw++) {
            const iw = left + fw * dilationWidth;
            if (iw < 0 || iw >= inWidth) continue;
            visit(n * imageStride + ih * rowStride + iw * inChannels, dyIndex, (fh * filterWidth + fw) * outChannels);
          }
        }
      }
    }
  }
}

/**
 * Filter gradient of an NHWC depthwise Conv2D: x [batch, inHeight, inWidth,
 * inChannels] and dy [batch, outHeight, outWidth, inChannels * multiplier]
 * give dFilter [filterHeight, filterWidth, inChannels, multiplier].
 */
const depthwiseBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as BackendWasm;
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const typed = attrs as unknown as DepthwiseConv2dNativeBackpropFilterAttrs;
  const info = depthwiseInfo(x.shape, typed.filterShape, typed);
  const geometry = convGeometry(info);
  const outChannels = info.outChannels;
  const multiplier = typed.filterShape[3];
  const size = typed.filterShape.reduce((a, b) => a * b, 1);
  if (filterSums.length < size) filterSums = new Float64Array(size);
  const sums = filterSums;
  sums.fill(0, 0, size);

  const dFilter = allocate(wasm, typed.filterShape);
  const { heap, start: filterStart } = heapFloats(wasm, dFilter);
  const xStart = heapFloats(wasm, x).start;
  const dyStart = heapFloats(wasm, dy).start;
  if (multiplier === 1) {
    forEachTap(geometry, outChannels, (input, dyIndex, filter) => {
      const xi = xStart + input;
      const di = dyStart + dyIndex;
      for (let c = 0; c < outChannels; c++) sums[filter + c] += heap[xi + c] * heap[di + c];
    });
  } else {
    forEachTap(geometry, outChannels, (input, dyIndex, filter) => {
      const xi = xStart + input;
      const di = dyStart + dyIndex;
      for (let o = 0; o < outChannels; o++) sums[filter + o] += heap[xi + ((o / multiplier) | 0)] * heap[di + o];
    });
  }
  for (let i = 0; i < size; i++) heap[filterStart + i] = sums[i];
  return dFilter;
};

/**
 * Input gradient of an NHWC depthwise Conv2D: dy [batch, outHeight,
 * outWidth, inChannels * multiplier] and filter [filterHeight, filterWidth,
 * inChannels, multiplier] give dx of attrs.inputShape.
 */
const depthwiseBackpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as BackendWasm;
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const typed = attrs as unknown as DepthwiseConv2dNativeBackpropInputAttrs;
  const info = depthwiseInfo(typed.inputShape, filter.shape, typed);
  const geometry = convGeometry(info);
  const outChannels = info.outChannels;
  const multiplier = filter.shape[3];

  const dx = allocate(wasm, typed.inputShape);
  const { heap, start: dxStart } = heapFloats(wasm, dx);
  heap.fill(0, dxStart, dxStart + typed.inputShape.reduce((a, b) => a * b, 1));
  const filterStart = heapFloats(wasm, filter).start;
  const dyStart = heapFloats(wasm, dy).start;
  if (multiplier === 1) {
    forEachTap(geometry, outChannels, (input, dyIndex, tap) => {
      const xi = dxStart + input;
      const di = dyStart + dyIndex;
      const fi = filterStart + tap;
      for (let c = 0; c < outChannels; c++) heap[xi + c] += heap[fi + c] * heap[di + c];
    });
  } else {
    forEachTap(geometry, outChannels, (input, dyIndex, tap) => {
      const xi = dxStart + input;
      const di = dyStart + dyIndex;
      const fi = filterStart + tap;
      for (let o = 0; o < outChannels; o++) heap[xi + ((o / multiplier) | 0)] += heap[fi + o] * heap[di + o];
    });
  }
  return dx;
};

export const depthwiseBackpropFilterConfig: KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropFilter',
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropFilter,
};

export const depthwiseBackpropInputConfig: KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropInput',
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropInput,
};
