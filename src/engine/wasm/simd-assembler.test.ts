// Checks of the SIMD kernel cache on Node's unthreaded wasm build: what
// describeSimdKernels reports for a kernel that instantiates, one that the
// runtime rejects, and one that no gradient has requested yet.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { setUpBackends } from './backends.fixture';
import type { BackendWasm } from './heap';
import { describeSimdKernels, instantiateKernel, summarizeSimdKernels, type KernelFunction } from './simd-assembler';

beforeAll(setUpBackends);

/** A function whose body is the undefined opcode 0xff, so compiling the module fails. */
function invalidKernel(): KernelFunction {
  return { name: 'invalid', params: 0, locals: [], body: [0xff] };
}

describe('describeSimdKernels', () => {
  it('reports the kernels a gradient instantiated', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as BackendWasm;
    expect(describeSimdKernels(backend).active).not.toContain('routeWindowRow');

    tf.tidy(() => tf.grad((x) => tf.sum(tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid')))(tf.ones([1, 4, 4, 4])).dataSync());

    const report = describeSimdKernels(backend);
    expect(report.sharedMemory).toBe(false);
    expect(report.active).toContain('routeWindowRow');
    expect(report.unavailable).toEqual([]);
  });

  it('lists a rejected module with its error', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as BackendWasm;

    expect(instantiateKernel(backend, 'invalidForTest', invalidKernel)).toBeNull();
    expect(instantiateKernel(backend, 'invalidForTest', invalidKernel)).toBeNull();

    const report = describeSimdKernels(backend);
    expect(report.active).not.toContain('invalidForTest');
    expect(report.unavailable.map((entry) => entry.name)).toEqual(['invalidForTest']);
    expect(report.unavailable[0].error).toMatch(/compil|invalid|opcode/i);
  });

  it('summarizes the report in one line', async () => {
    await tf.setBackend('wasm');
    const line = summarizeSimdKernels(tf.backend() as BackendWasm);

    expect(line).toMatch(/^SIMD kernels on unshared memory: .*routeWindowRow.*; unavailable: invalidForTest \(.+\)$/);
  });
});
