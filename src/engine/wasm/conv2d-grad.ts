// Conv2D gradients for the wasm backend, both as matrix products on
// XNNPACK: dFilterᵀ = dyᵀ @ patches(x), and dx = col2im(dy @ filterᵀ).
// Every temporary tensor is freed before the kernel returns.
import {
  backend_util,
  type Conv2DBackpropFilterAttrs,
  type Conv2DBackpropInputAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { allocate, free, heapFloats, matMul, transposeLastTwo, withShape, type BackendWasm } from './heap';
import { accumulatePatches, convGeometry, isPointwise, patchCount, patchLength, writePatches } from './patches';

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
  const geometry = convGeometry(info);
  const count = patchCount(geometry);
  const length = patchLength(geometry);

  // A pointwise convolution's patch matrix is x itself, so nothing is copied.
  let patches = withShape(x, [count, length]);
  if (!isPointwise(geometry)) {
    patches = allocate(wasm, [count, length]);
    const input = heapFloats(wasm, x);
    writePatches(input.heap, input.start, geometry, heapFloats(wasm, patches).start);
  }
  const dyTransposed = transposeLastTwo(wasm, withShape(dy, [count, info.outChannels]));
  const filterGradientTransposed = matMul(wasm, dyTransposed, patches);
  const filterGradient = transposeLastTwo(wasm, filterGradientTransposed);
  free(wasm, dyTransposed, filterGradientTransposed);
  if (patches.dataId !== x.dataId) free(wasm, patches);
  return withShape(filterGradient, filterShape);
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
  const count = patchCount(geometry);
  const length = patchLength(geometry);

  const filterTransposed = transposeLastTwo(wasm, withShape(filter, [length, info.outChannels]));
  const columns = matMul(wasm, withShape(dy, [count, info.outChannels]), filterTransposed);
  free(wasm, filterTransposed);
  if (isPointwise(geometry)) return withShape(columns, inputShape);

  const dx = allocate(wasm, inputShape);
  const source = heapFloats(wasm, columns);
  accumulatePatches(source.heap, source.start, geometry, heapFloats(wasm, dx).start);
  free(wasm, columns);
  return dx;
};

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
