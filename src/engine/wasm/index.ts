// Training kernels for tfjs-backend-wasm 4.22, which ships the forward
// kernels but lacks several gradients (Conv2DBackpropFilter, the depthwise
// gradients, UnsortedSegmentSum) and runs others slowly.
import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { createAvgPoolGradConfig } from './avg-pool-grad';
import { createBatchMatMulConfig } from './batch-matmul';
import { createBatchNormConfig } from './batch-norm';
import { conv2dBackpropFilterConfig, conv2dBackpropInputConfig } from './conv2d-grad';
import { depthwiseBackpropFilterConfig, depthwiseBackpropInputConfig } from './depthwise-grad';
import { replaceElementwiseKernels } from './elementwise';
import { maxPoolGradConfig } from './max-pool-grad';
import { createLeadingReduceConfig, type Reduction } from './reduce';
import { unsortedSegmentSumConfig } from './segment-sum';
import { createTileConfig } from './tile';

/** Kernels that tfjs-backend-wasm 4.22 does not have. */
const MISSING_KERNELS: KernelConfig[] = [
  conv2dBackpropFilterConfig,
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
  unsortedSegmentSumConfig,
];

/** Kernels that tfjs-backend-wasm 4.22 has but that ran several times slower than these. */
const FASTER_KERNELS: KernelConfig[] = [conv2dBackpropInputConfig, maxPoolGradConfig];

let registered = false;

/**
 * Registers the gradient kernels that training on the 'wasm' backend needs
 * and replaces the backend's slow Conv2DBackpropInput, MaxPoolGrad,
 * AvgPoolGrad, Tile, transposed BatchMatMul, and Sum and Mean over leading
 * axes. Call it after importing @tensorflow/tfjs-backend-wasm,
 * because that import registers the kernels this replaces; before it, this
 * throws. Calling it again does nothing.
 */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  const batchMatMul = getKernel('BatchMatMul', 'wasm');
  const tile = getKernel('Tile', 'wasm');
  if (batchMatMul === undefined || tile === undefined) {
    throw new Error('the wasm backend is not loaded: import @tensorflow/tfjs-backend-wasm before registerWasmTrainingKernels()');
  }
  registered = true;
  replaceKernel(createBatchMatMulConfig(batchMatMul));
  replaceKernel(createTileConfig(tile));
  const avgPoolGrad = getKernel('AvgPoolGrad', 'wasm');
  if (avgPoolGrad !== undefined) replaceKernel(createAvgPoolGradConfig(avgPoolGrad));
  for (const reduction of ['Sum', 'Mean'] as Reduction[]) {
    const original = getKernel(reduction, 'wasm');
    if (original !== undefined) replaceKernel(createLeadingReduceConfig(original, reduction));
  }
  replaceElementwiseKernels(replaceKernel);
  const batchNorm = getKernel('FusedBatchNorm', 'wasm');
  if (batchNorm !== undefined) replaceKernel(createBatchNormConfig(batchNorm));
  for (const config of FASTER_KERNELS) replaceKernel(config);
  for (const config of MISSING_KERNELS) {
    if (getKernel(config.kernelName, 'wasm') === undefined) registerKernel(config);
  }
}

function replaceKernel(config: KernelConfig): void {
  if (getKernel(config.kernelName, config.backendName) !== undefined) unregisterKernel(config.kernelName, config.backendName);
  registerKernel(config);
}
