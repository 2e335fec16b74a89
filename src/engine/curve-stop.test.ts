// Stop reasons of training on the cpu backend: the curve stop of a request,
// early stopping and divergence, on a tiny network and a few MNIST digits.
import { beforeAll, describe, expect, it } from 'vitest';
import type { EvaluationRequest } from '../core/run/types';
import type { SequentialArch, SequentialSpace } from '../core/space/types';
import { initBackend } from './backend';
import { loadMnistNode } from './data/mnistNode';
import { splitDataset } from './data/mnist';
import { evaluateCandidate, type EvaluationData } from './evaluate';

const SPACE: SequentialSpace = {
  family: 'sequential',
  name: 'tiny',
  depths: [1],
  ops: ['conv3x3'],
  widths: [4],
  connectivity: 'sequential',
  stemChannels: 4,
  downsampleAfter: [0],
};
const ARCH: SequentialArch = { family: 'sequential', layers: [{ op: 'conv3x3', width: 4, skipFrom: null }] };

function request(overrides: Partial<EvaluationRequest> = {}): EvaluationRequest {
  return {
    trialId: 'trial-1',
    arch: ARCH,
    space: SPACE,
    seed: 7,
    input: { inputShape: [28, 28, 1], numClasses: 10 },
    dataset: { name: 'mnist', trainSize: 16, validationSize: 8, testSize: 4 },
    training: { epochs: 6, batchSize: 8, optimizer: 'adam', learningRate: 0.01, momentum: 0.9, schedule: 'constant', patience: 0 },
    constraints: {},
    ...overrides,
  };
}

const OPTIONS = { backend: 'cpu' as const, latencyRuns: 1 };
let data: EvaluationData;

beforeAll(async () => {
  await initBackend('cpu');
  const dataset = await loadMnistNode();
  data = { dataset, split: splitDataset(dataset, request().dataset) };
});

describe('curve stop in training', () => {
  it('prunes a trial that cannot reach the threshold', async () => {
    // A threshold of 100% is out of reach for a net trained on 16 digits, so the rule stops at its first check.
    const curveStop = { kthBest: 1, probability: 0.5, minEpochs: 2, threshold: 1 };
    const result = await evaluateCandidate(request({ curveStop }), data, OPTIONS);
    expect(result.status).toBe('pruned');
    expect(result.curve).toHaveLength(2);
    expect(result.metrics).toBeUndefined();
    expect(result.stopReason).toMatch(/^curve stop after 2 of 6 epochs: predicted final accuracy \d+\.\d% is below the 1st best 100\.0%/);
    expect(result.predictedAccuracy).toBeLessThan(1);
  });

  it('trains fully with a threshold of 0', async () => {
    const curveStop = { kthBest: 1, probability: 0.5, minEpochs: 2, threshold: 0 };
    const result = await evaluateCandidate(request({ curveStop, training: { ...request().training, epochs: 3 } }), data, OPTIONS);
    expect(result.status).toBe('done');
    expect(result.curve).toHaveLength(3);
    expect(result.stopReason).toBeUndefined();
  });
});

describe('stop reasons', () => {
  it('names early stopping', async () => {
    // A learning rate of 1e-9 leaves the accuracy flat, so patience 1 stops after epoch 2.
    const training = { ...request().training, learningRate: 1e-9, patience: 1 };
    const result = await evaluateCandidate(request({ training }), data, OPTIONS);
    expect(result.status).toBe('done');
    expect(result.curve).toHaveLength(2);
    expect(result.stopReason).toBe('early stopping after 2 of 6 epochs: no better validation accuracy for 1 epochs (patience 1)');
  });

  it('names divergence', async () => {
    const training = { ...request().training, epochs: 1, learningRate: 1e30, optimizer: 'sgd' as const };
    const result = await evaluateCandidate(request({ training }), data, OPTIONS);
    expect(result.status).toBe('diverged');
    expect(result.stopReason).toMatch(/^diverged in epoch 1: the batch loss became NaN, infinite or over 1000 times the first loss$/);
  });
});
