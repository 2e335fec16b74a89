// The proxy step inside evaluateCandidate on tfjs's cpu backend with a tiny
// sequential network and 16 MNIST training images.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EvaluationRequest, ProxyRequest } from '../../core/run/types';
import { initBackend } from '../backend';
import { splitDataset } from '../data/mnist';
import { loadMnistNode } from '../data/mnistNode';
import { evaluateCandidate, type EvaluationData } from '../evaluate';
import { oneConvRequest } from '../tinySequential.fixture';

function request(proxy: ProxyRequest): EvaluationRequest {
  return oneConvRequest('trial-1', {
    seed: 5,
    dataset: { name: 'mnist', trainSize: 16, validationSize: 8, testSize: 8 },
    training: { epochs: 1, batchSize: 8, optimizer: 'adam', learningRate: 0.01, momentum: 0.9, schedule: 'constant', patience: 0 },
    proxy,
  });
}

const OPTIONS = { backend: 'cpu' as const, latencyRuns: 1 };
let data: EvaluationData;

beforeAll(async () => {
  await initBackend('cpu');
  const dataset = await loadMnistNode();
  data = { dataset, split: splitDataset(dataset, request({ name: 'snip', mode: 'record', keepFraction: 1, reference: [] }).dataset) };
});

describe('evaluateCandidate with a proxy', () => {
  it('record mode trains and stores the score', async () => {
    const result = await evaluateCandidate(request({ name: 'snip', mode: 'record', keepFraction: 1, reference: [1e9] }), data, OPTIONS);
    expect(result.status).toBe('done');
    expect(result.proxies?.snip).toBeGreaterThan(0);
    expect(Object.keys(result.proxies ?? {})).toEqual(['snip']);
  });

  it('filter mode prunes a low score before training', async () => {
    const tensors = tf.memory().numTensors;
    const result = await evaluateCandidate(
      request({ name: 'synflow', mode: 'filter', keepFraction: 0.5, reference: [1e30, 2e30, 3e30] }),
      data,
      OPTIONS,
    );
    expect(result.status).toBe('pruned');
    expect(result.curve).toEqual([]);
    expect(result.metrics).toBeUndefined();
    expect(result.stopReason).toMatch(/^synflow score .* ranks 4 of 4/);
    expect(result.proxies?.synflow).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('filter mode trains a high score', async () => {
    const result = await evaluateCandidate(request({ name: 'params', mode: 'filter', keepFraction: 0.5, reference: [1, 2, 3] }), data, OPTIONS);
    expect(result.status).toBe('done');
    expect(result.proxies?.params).toBe(result.metrics?.params);
  });
});
