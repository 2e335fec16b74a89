import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import type { EvaluationRequest } from '../core/run/types';
import type { SequentialArch, SequentialSpace } from '../core/space/types';
import { architectureCost } from '../core/space';
import { initBackend } from './backend';
import { loadMnistNode } from './data/mnistNode';
import { splitDataset } from './data/mnist';
import { evaluateCandidate, type EvaluationData } from './evaluate';
import { savedModelToFiles } from './export';

const SPACE: SequentialSpace = {
  family: 'sequential',
  name: 'tiny',
  depths: [1, 2],
  ops: ['conv3x3', 'sepconv3x3', 'maxpool3x3'],
  widths: [4],
  connectivity: 'sequential',
  stemChannels: 4,
  downsampleAfter: [0],
};
const ARCH: SequentialArch = {
  family: 'sequential',
  layers: [
    { op: 'conv3x3', width: 4, skipFrom: null },
    { op: 'sepconv3x3', width: 4, skipFrom: null },
  ],
};

function request(overrides: Partial<EvaluationRequest> = {}): EvaluationRequest {
  return {
    trialId: 'trial-1',
    arch: ARCH,
    space: SPACE,
    seed: 42,
    input: { inputShape: [28, 28, 1], numClasses: 10 },
    dataset: { name: 'mnist', trainSize: 16, validationSize: 8, testSize: 10 },
    training: { epochs: 1, batchSize: 8, optimizer: 'adam', learningRate: 0.01, momentum: 0.9, schedule: 'constant', patience: 0 },
    constraints: {},
    ...overrides,
  };
}

const OPTIONS = { backend: 'cpu' as const, latencyRuns: 2 };
let data: EvaluationData;

beforeAll(async () => {
  await initBackend('cpu');
  const dataset = await loadMnistNode();
  data = { dataset, split: splitDataset(dataset, request().dataset) };
});

describe('evaluateCandidate', () => {
  it('returns metrics, the model and reference predictions', async () => {
    const result = await evaluateCandidate(request(), data, OPTIONS);
    expect(result.status).toBe('done');
    const metrics = result.metrics!;
    const cost = architectureCost(SPACE, ARCH, request().input);
    expect(metrics.params).toBe(cost.params);
    expect(metrics.flops).toBe(cost.flops);
    expect(metrics.validationAccuracy).toBeGreaterThanOrEqual(0);
    expect(metrics.testAccuracy).toBeLessThanOrEqual(1);
    expect(metrics.latency.runs).toBe(2);
    expect(metrics.backend).toBe('cpu');
    expect(metrics.device).toMatch(/^node /);
    expect(metrics.feasible).toBe(true);
    expect(result.curve).toHaveLength(1);
    expect(result.reference!.labels).toHaveLength(10);
    expect(result.reference!.pixels[0]).toHaveLength(784);
  });

  it('saves a model that loads and reproduces the reference', async () => {
    const result = await evaluateCandidate(request(), data, OPTIONS);
    const files = savedModelToFiles(result.model!, 'trial-1');
    expect(files.modelJson.weightsManifest[0].paths).toEqual(['trial-1.weights.bin']);
    const loaded = await tf.loadLayersModel(
      tf.io.fromMemory(
        files.modelJson.modelTopology,
        files.modelJson.weightsManifest[0].weights as tf.io.WeightsManifestEntry[],
        files.weights,
      ),
    );
    const reference = result.reference!;
    const images = tf.tensor4d(reference.pixels.flat().map((pixel) => pixel / 255), [reference.pixels.length, 28, 28, 1]);
    const probabilities = loaded.predict(images) as tf.Tensor;
    const actual = probabilities.arraySync() as number[][];
    actual.forEach((row, i) => row.forEach((value, j) => expect(value).toBeCloseTo(reference.probabilities[i][j], 6)));
    tf.dispose([images, probabilities]);
    loaded.dispose();
  });

  it('repeats exactly for the same request', async () => {
    const first = await evaluateCandidate(request(), data, OPTIONS);
    const second = await evaluateCandidate(request(), data, OPTIONS);
    expect(second.curve).toEqual(first.curve);
    expect(second.metrics!.validationAccuracy).toBe(first.metrics!.validationAccuracy);
    expect(second.metrics!.testAccuracy).toBe(first.metrics!.testAccuracy);
  });

  it('returns failed for an invalid arch', async () => {
    const arch = { family: 'sequential', layers: [{ op: 'conv7x7', width: 4, skipFrom: null }] } as unknown as SequentialArch;
    const result = await evaluateCandidate(request({ arch }), data, OPTIONS);
    expect(result.status).toBe('failed');
    expect(result.error!.code).toBe('invalid_config');
  });

  it('returns failed for a mismatched input shape', async () => {
    const result = await evaluateCandidate(request({ input: { inputShape: [32, 32, 3], numClasses: 10 } }), data, OPTIONS);
    expect(result.status).toBe('failed');
    expect(result.error!.message).toContain('does not match the dataset images');
  });

  it('returns diverged for a huge learning rate', async () => {
    const training = { ...request().training, optimizer: 'sgd' as const, learningRate: 1e30 };
    const result = await evaluateCandidate(request({ training }), data, OPTIONS);
    expect(result.status).toBe('diverged');
    expect(result.model).toBeUndefined();
  });

  it('marks a trial over the latency limit infeasible', async () => {
    const result = await evaluateCandidate(request({ constraints: { maxLatencyMs: 1e-9 } }), data, OPTIONS);
    expect(result.metrics!.feasible).toBe(false);
  });

  it('reports progress with the trial id', async () => {
    const fractions: number[] = [];
    await evaluateCandidate(request(), data, {
      ...OPTIONS,
      onProgress: (progress) => {
        expect(progress.trialId).toBe('trial-1');
        fractions.push(progress.fraction);
      },
    });
    expect(fractions.at(-1)).toBe(1);
  });

  it('rejects with cancelled and leaks nothing', async () => {
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const evaluation = evaluateCandidate(request({ training: { ...request().training, epochs: 3 } }), data, {
      ...OPTIONS,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(evaluation).rejects.toMatchObject({ code: 'cancelled' });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects at once when already cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(evaluateCandidate(request(), data, { ...OPTIONS, signal: controller.signal })).rejects.toMatchObject({
      code: 'cancelled',
    });
  });

  it('keeps the tensor count over many evaluations', async () => {
    const baseline = tf.memory().numTensors;
    const invalid = { family: 'sequential', layers: [] } as unknown as SequentialArch;
    const archs: SequentialArch[] = [
      ARCH,
      invalid,
      { family: 'sequential', layers: [{ op: 'maxpool3x3', width: null, skipFrom: null }] },
      { family: 'sequential', layers: [{ op: 'sepconv3x3', width: 4, skipFrom: null }] },
    ];
    const statuses: string[] = [];
    for (let i = 0; i < 10; i++) {
      const training = { ...request().training, optimizer: i % 2 === 0 ? ('adam' as const) : ('sgd' as const) };
      const result = await evaluateCandidate(request({ arch: archs[i % archs.length], seed: i, training }), data, OPTIONS);
      statuses.push(result.status);
      expect(tf.memory().numTensors, `after evaluation ${i}`).toBe(baseline);
    }
    expect(statuses).toContain('failed');
    expect(statuses).toContain('done');
  });
});
