// Depthwise Conv2D gradients for the wasm backend. With channel multiplier 1
// the input gradient runs as forward depthwise Conv2Ds on XNNPACK, one per
// stride phase when strided (depthwise-input-phases.ts, depthwise-input.ts),
// and the filter gradient as dot products per tap (depthwise-filter.ts).
// Other multipliers, and explicit pads wider than the filter, take the
// general loop over the heap below.
import {
  backend_util,
  type DepthwiseConv2dNativeBackpropFilterAttrs,
  type DepthwiseConv2dNativeBackpropInputAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { allocate, heapFloats, type BackendWasm } from './heap';
import { accumulateDepthwiseFilter } from './depthwise-filter';
import { depthwiseInputByForwardConv, transposedPadding } from './depthwise-input';
import { canSplitByPhase, depthwiseInputByPhases } from './depthwise-input-phases';
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

/** The gradient accumulateDepthwise computes. */
type DepthwiseGradient = 'filter' | 'input';

/**
 * Runs over every filter tap of every output position that meets the input
 * and accumulates, per output channel o = c * multiplier + q, either
 * filter[tap, o] += x[position, c] * dy[o] into `sums` (starting at 0), or
 * dx[position, c] += filter[tap, o] * dy[o] into the heap at `valuesStart`.
 * `inputStart` is x for the filter gradient and the filter for the input
 * gradient, and `sums` is only read for the filter gradient. The loops are
 * written out, without callbacks, because they are the hot path of
 * depthwise training.
 */
function accumulateDepthwise(
  gradient: DepthwiseGradient,
  g: ConvGeometry,
  multiplier: number,
  heap: Float32Array,
  inputStart: number,
  dyStart: number,
  valuesStart: number,
  sums: Float64Array,
): void {
  const { batch, inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth } = g;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth, padTop, padLeft } = g;
  const outChannels = inChannels * multiplier;
  const rowStride = inWidth * inChannels;
  const imageStride = inHeight * rowStride;
  let dyIndex = dyStart;
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const top = oh * strideHeight - padTop;
      const firstRow = Math.max(0, Math.ceil(-top / dilationHeight));
      const endRow = Math.min(filterHeight, Math.ceil((inHeight - top) / dilationHeight));
      for (let ow = 0; ow < outWidth; ow++, dyIndex += outChannels) {
        const left = ow * strideWidth - padLeft;
        const firstColumn = Math.max(0, Math.ceil(-left / dilationWidth));
        const endColumn = Math.min(filterWidth, Math.ceil((inWidth - left) / dilationWidth));
        for (let fh = firstRow; fh < endRow; fh++) {
          const row = n * imageStride + (top + fh * dilationHeight) * rowStride;
          for (let fw = firstColumn; fw < endColumn; fw++) {
            const position = row + (left + fw * dilationWidth) * inChannels;
            const tap = (fh * filterWidth + fw) * outChannels;
            if (gradient === 'filter') {
              const xi = inputStart + position;
              if (multiplier === 1) {
                for (let c = 0; c < outChannels; c++) sums[tap + c] += heap[xi + c] * heap[dyIndex + c];
              } else {
                for (let o = 0; o < outChannels; o++) sums[tap + o] += heap[xi + ((o / multiplier) | 0)] * heap[dyIndex + o];
              }
            } else {
              const dxi = valuesStart + position;
              const fi = inputStart + tap;
              if (multiplier === 1) {
                for (let c = 0; c < outChannels; c++) heap[dxi + c] += heap[fi + c] * heap[dyIndex + c];
              } else {
                for (let o = 0; o < outChannels; o++) heap[dxi + ((o / multiplier) | 0)] += heap[fi + o] * heap[dyIndex + o];
              }
            }
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
  const multiplier = typed.filterShape[3];
  const size = typed.filterShape.reduce((a, b) => a * b, 1);
  if (filterSums.length < size) filterSums = new Float64Array(size);
  const sums = filterSums;
  sums.fill(0, 0, size);

  const dFilter = allocate(wasm, typed.filterShape);
  const { heap, start: filterStart } = heapFloats(wasm, dFilter);
  const xStart = heapFloats(wasm, x).start;
  const dyStart = heapFloats(wasm, dy).start;
  if (multiplier === 1) accumulateDepthwiseFilter(heap, xStart, dyStart, geometry, sums);
  else accumulateDepthwise('filter', geometry, multiplier, heap, xStart, dyStart, 0, sums);
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
  const multiplier = filter.shape[3];
  if (multiplier === 1 && canSplitByPhase(geometry)) return depthwiseInputByPhases(wasm, dy, filter, geometry);
  if (multiplier === 1 && transposedPadding(geometry) !== null) {
    return depthwiseInputByForwardConv(wasm, dy, filter, geometry);
  }

  const dx = allocate(wasm, typed.inputShape);
  const { heap, start: dxStart } = heapFloats(wasm, dx);
  heap.fill(0, dxStart, dxStart + typed.inputShape.reduce((a, b) => a * b, 1));
  const filterStart = heapFloats(wasm, filter).start;
  const dyStart = heapFloats(wasm, dy).start;
  accumulateDepthwise('input', geometry, multiplier, heap, filterStart, dyStart, dxStart, filterSums);
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
