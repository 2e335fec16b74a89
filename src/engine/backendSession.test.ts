import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import type { BackendProbe } from '../core/run/types';
import type { SequentialArch } from '../core/space/types';
import { BackendSession } from './backendSession';
import { DatasetTensorCache } from './data/pipeline';
import { loadMnistNode } from './data/mnistNode';
import { splitDataset } from './data/mnist';
import type { EvaluationData } from './evaluate';
import { oneConvRequest } from './tinySequential.fixture';

// Fallback between the wasm and cpu backends in Node. A training failure on
// a backend is forced by removing a forward kernel for the test, so the
// tests do not depend on which training kernels wasm has.

/** A probe result that ranks wasm before cpu, as a wasm backend with training kernels would be. */
const WASM_FIRST: BackendProbe = {
  chosen: 'wasm',
  batchSize: 8,
  entries: [
    { backend: 'cpu', passed: true, msPerStep: 400, imagesPerSecond: 20 },
    { backend: 'wasm', passed: true, msPerStep: 10, imagesPerSecond: 800 },
  ],
};

const OPTIONS = { latencyRuns: 1 };
const removedKernels: tf.KernelConfig[] = [];
let data: EvaluationData;

function removeKernel(kernelName: string, backendName: string): void {
  const config = tf.getKernel(kernelName, backendName);
  if (config === undefined) throw new Error(`kernel ${kernelName} is not registered for ${backendName}`);
  tf.unregisterKernel(kernelName, backendName);
  removedKernels.push(config);
}

beforeAll(async () => {
  const dataset = await loadMnistNode();
  data = { dataset, split: splitDataset(dataset, oneConvRequest('split').dataset), tensorCache: new DatasetTensorCache() };
});

afterEach(() => {
  for (const config of removedKernels.splice(0)) tf.registerKernel(config);
});

describe('BackendSession', () => {
  it('falls back to cpu and stays there', async () => {
    const session = await BackendSession.fromProbe(WASM_FIRST);
    removeKernel('Conv2D', 'wasm');

    const first = await session.evaluate(oneConvRequest('first'), data, OPTIONS);

    expect(first.error).toBeUndefined();
    expect(first.status).toBe('done');
    expect(first.metrics?.backend).toBe('cpu');
    expect(first.metrics?.backendProbe).toEqual(WASM_FIRST);
    expect(first.metrics?.backendFallback?.from).toBe('wasm');
    expect(first.metrics?.backendFallback?.to).toBe('cpu');
    expect(first.metrics?.backendFallback?.reason).toContain('Conv2D');
    expect(session.active).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');

    const second = await session.evaluate(oneConvRequest('second'), data, OPTIONS);
    expect(second.metrics?.backend).toBe('cpu');
    expect(second.metrics?.backendFallback?.from).toBe('wasm');
  });

  it('keeps its backend when every backend fails', async () => {
    const session = await BackendSession.fromProbe(WASM_FIRST);
    removeKernel('Conv2D', 'wasm');
    removeKernel('Conv2D', 'cpu');

    const result = await session.evaluate(oneConvRequest('broken'), data, OPTIONS);

    expect(result.status).toBe('failed');
    expect(result.error?.code).toBe('internal');
    expect(result.error?.message).toContain("'wasm'");
    expect(session.active).toBe('wasm');
    expect(session.lastFallback).toBeUndefined();
  });

  it('does not retry an invalid candidate', async () => {
    const session = await BackendSession.fromProbe({ ...WASM_FIRST, chosen: 'cpu' });
    const outside: SequentialArch = { family: 'sequential', layers: [{ op: 'conv5x5', width: 4, skipFrom: null }] };

    const result = await session.evaluate(oneConvRequest('outside', { arch: outside }), data, OPTIONS);

    expect(result.status).toBe('failed');
    expect(result.error?.code).toBe('invalid_config');
    expect(session.active).toBe('cpu');
  });

  it('explicit cpu never probes', async () => {
    const session = await BackendSession.create('cpu');

    const result = await session.evaluate(oneConvRequest('explicit'), data, OPTIONS);

    expect(session.probe).toBeUndefined();
    expect(result.metrics?.backend).toBe('cpu');
    expect(result.metrics?.backendProbe).toBeUndefined();
  });
});
