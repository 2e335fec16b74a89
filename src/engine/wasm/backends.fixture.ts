// Helpers for tests that run the same tfjs computation on the cpu and wasm
// backends and compare the outputs to a relative error of 1e-4 in float32.
import { expect } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from './index';
import { relativeError } from './simd-block.fixture';

/** Largest accepted relative error between the wasm and cpu outputs. */
export const TOLERANCE = 1e-4;

/** Registers the training kernels and initialises both backends. Call it in beforeAll. */
export async function setUpBackends(): Promise<void> {
  registerWasmTrainingKernels();
  expect(await tf.setBackend('wasm')).toBe(true);
  await tf.setBackend('cpu');
}

/** Deterministic values in [-1, 1) from a small linear congruential generator. */
export function values(size: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  let state = seed >>> 0;
  for (let i = 0; i < size; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state / 2 ** 31 - 1;
  }
  return out;
}

/** Number of elements of a tensor of `shape`. */
export function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Runs `compute` on `backend` and returns its outputs as arrays. It also
 * checks that every tensor and every wasm data buffer made on the way is freed.
 */
async function runOn(backend: 'cpu' | 'wasm', compute: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const tensorsBefore = tf.memory().numTensors;
  const buffersBefore = tf.engine().backend.numDataIds();
  const outputs = compute();
  const arrays = outputs.map((output) => Float32Array.from(output.dataSync()));
  tf.dispose(outputs);
  expect(tf.memory().numTensors, `tensors left by ${backend}`).toBe(tensorsBefore);
  expect(tf.engine().backend.numDataIds(), `data buffers left by ${backend}`).toBe(buffersBefore);
  return arrays;
}

// Defined beside the reference block, which also runs in Web Workers where Vitest's expect is not available.
export { relativeError } from './simd-block.fixture';

/** Checks that `compute` gives the same outputs on wasm as `reference` (by default `compute` itself) on cpu. */
export async function expectSameOnBothBackends(compute: () => tf.Tensor[], reference = compute): Promise<void> {
  const expected = await runOn('cpu', reference);
  const actual = await runOn('wasm', compute);
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(actual[i].length, `length of output ${i}`).toBe(expected[i].length);
    expect(relativeError(actual[i], expected[i]), `relative error of output ${i}`).toBeLessThanOrEqual(TOLERANCE);
  }
}

/** Runs one kernel by name on the active backend, as the gradient functions of tfjs-core do. */
export function runKernel(name: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, unknown>): tf.Tensor {
  return tf.engine().runKernel(name, inputs as unknown as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
}
