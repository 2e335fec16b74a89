// Conv2D gradients for the wasm backend. dFilter takes the paths of
// conv2d-filter-grad.ts. dx is col2im(dy @ filterᵀ) with the SIMD col2im
// where it fits, else a stride-1 convolution of dy with the rotated
// filter, else col2im in JavaScript. Temporary tensors are freed.
import {
  backend_util,
  getKernel,
  type Conv2DBackpropFilterAttrs,
  type Conv2DBackpropInputAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { conv2dFilterGradient } from './conv2d-filter-grad';
import { allocate, free, heapFloats, matMul, transposeLastTwo, withShape, type BackendWasm } from './heap';
import { accumulatePatches, convGeometry, isPointwise, patchCount, patchLength } from './patches';
import { accumulatePatchesBySimd, fitsSimdCol2im, simdAddRuns } from './simd-col2im';

/**
 * Filter gradient of an NHWC Conv2D: x [batch, inHeight, inWidth, inChannels]
 * and dy [batch, outHeight, outWidth, outChannels] give
 * dFilter [filterHeight, filterWidth, inChannels, outChannels].
 */
const conv2dBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as BackendWasm;
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(dataFormat),
  );
  return conv2dFilterGradient(wasm, x, dy, info);
};

/**
 * Input gradient of an NHWC Conv2D: dy [batch, outHeight, outWidth,
 * outChannels] and filter [filterHeight, filterWidth, inChannels, outChannels]
 * give dx of attrs.inputShape. It replaces tfjs-backend-wasm's own kernel,
 * a scalar loop that took about 30 ms for the second conv of a 28x28 MNIST
 * net at batch 64 in Node, where this takes a few milliseconds.
 */
const conv2dBackpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as BackendWasm;
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as Conv2DBackpropInputAttrs;
  const info = backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(dataFormat),
  );
  const geometry = convGeometry(info);
  // Stride-1 convolutions whose filter rows are whole SIMD vectors take the
  // product with the SIMD col2im: 1.8 ms against 2.2 ms for the rotated
  // convolution on the reference net's second conv (Node 20).
  // NOTE: that is the only shape timed; other shapes may favour the convolution.
  const addRuns = fitsSimdCol2im(geometry) && !isPointwise(geometry) ? simdAddRuns(wasm) : null;
  if (addRuns === null) {
    const byConvolution = convolveWithRotatedFilter(wasm, dy, filter, info);
    if (byConvolution !== null) return byConvolution;
  }

  const count = patchCount(geometry);
  const length = patchLength(geometry);
  const filterTransposed = transposeLastTwo(wasm, withShape(filter, [length, info.outChannels]));
  const columns = matMul(wasm, withShape(dy, [count, info.outChannels]), filterTransposed);
  free(wasm, filterTransposed);
  if (isPointwise(geometry)) return withShape(columns, inputShape);

  const dx = allocate(wasm, inputShape);
  const source = heapFloats(wasm, columns);
  if (addRuns !== null) accumulatePatchesBySimd(addRuns, source.heap, source.start, geometry, heapFloats(wasm, dx).start);
  else accumulatePatches(source.heap, source.start, geometry, heapFloats(wasm, dx).start);
  free(wasm, columns);
  return dx;
};

/**
 * Returns dx of a stride-1 convolution as the backend's forward Conv2D of
 * dy with the filter rotated by 180 degrees and its channel axes swapped.
 * The padding makes the output the input's size. That ran about 1.5 times
 * faster than col2im in Node. Returns null for strides above 1, or padding
 * wider than the filter, which the caller handles with col2im.
 */
function convolveWithRotatedFilter(
  wasm: BackendWasm,
  dy: TensorInfo,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo | null {
  const { filterHeight, filterWidth, inChannels, outChannels, padInfo } = info;
  const pads = [
    filterHeight - 1 - padInfo.top,
    filterHeight - 1 - padInfo.bottom,
    filterWidth - 1 - padInfo.left,
    filterWidth - 1 - padInfo.right,
  ];
  const conv2d = getKernel('Conv2D', 'wasm');
  if (info.strideHeight !== 1 || info.strideWidth !== 1 || pads.some((pad) => pad < 0) || conv2d === undefined) return null;

  const rotated = allocate(wasm, [filterHeight, filterWidth, outChannels, inChannels]);
  const { heap, start: rotatedStart } = heapFloats(wasm, rotated);
  const filterStart = heapFloats(wasm, filter).start;
  const taps = filterHeight * filterWidth;
  for (let tap = 0; tap < taps; tap++) {
    const source = filterStart + (taps - 1 - tap) * inChannels * outChannels;
    const target = rotatedStart + tap * outChannels * inChannels;
    for (let i = 0; i < inChannels; i++) {
      for (let o = 0; o < outChannels; o++) heap[target + o * inChannels + i] = heap[source + i * outChannels + o];
    }
  }
  const dx = conv2d.kernelFunc({
    inputs: { x: dy, filter: rotated },
    backend: wasm,
    attrs: {
      strides: 1,
      dilations: 1,
      pad: [[0, 0], [pads[0], pads[1]], [pads[2], pads[3]], [0, 0]],
      dataFormat: 'NHWC',
    },
  }) as TensorInfo;
  free(wasm, rotated);
  return dx;
}

export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter,
};

export const conv2dBackpropInputConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInput,
};
