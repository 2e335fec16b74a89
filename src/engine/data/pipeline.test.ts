import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import type { EvaluationRequest } from '../../core/run/types';
import type { SequentialArch, SequentialSpace } from '../../core/space/types';
import { initBackend } from '../backend';
import { evaluateCandidate } from '../evaluate';
import { loadMnistNode } from './mnistNode';
import { splitDataset, type DatasetSplit, type ImageDataset } from './mnist';
import { DatasetTensorCache } from './pipeline';

const SPACE: SequentialSpace = {
  family: 'sequential',
  name: 'tiny',
  depths: [1, 2],
  ops: ['conv3x3', 'sepconv3x3', 'maxpool3x3', 'avgpool3x3'],
  widths: [2, 4],
  connectivity: 'sequential',
  stemChannels: 4,
  downsampleAfter: [0],
};

/** Ten small candidates of SPACE, cycling through its operations and widths. */
const CANDIDATES: SequentialArch[] = Array.from({ length: 10 }, (_, i) => {
  const op = SPACE.ops[i % SPACE.ops.length];
  const width = op.startsWith('conv') || op.startsWith('sepconv') ? SPACE.widths[i % 2] : null;
  const layers = [{ op, width, skipFrom: null }];
  if (i % 3 === 0) layers.push({ op: 'maxpool3x3', width: null, skipFrom: null });
  return { family: 'sequential', layers };
});

function request(trialId: string, arch: SequentialArch): EvaluationRequest {
  return {
    trialId,
    arch,
    space: SPACE,
    seed: 11,
    input: { inputShape: [28, 28, 1], numClasses: 10 },
    dataset: { name: 'mnist', trainSize: 8, validationSize: 4, testSize: 4 },
    training: { epochs: 1, batchSize: 4, optimizer: 'sgd', learningRate: 0.05, momentum: 0.9, schedule: 'constant', patience: 0 },
    constraints: {},
  };
}

let dataset: ImageDataset;
let split: DatasetSplit;

beforeAll(async () => {
  await initBackend('cpu');
  dataset = await loadMnistNode();
  split = splitDataset(dataset, request('split', CANDIDATES[0]).dataset);
});

describe('DatasetTensorCache', () => {
  it('builds the split tensors once', () => {
    const cache = new DatasetTensorCache();
    const before = tf.memory().numTensors;

    const first = cache.get(dataset, split);
    const second = cache.get(dataset, split);

    expect(second).toBe(first);
    expect(tf.memory().numTensors - before).toBe(cache.tensorCount);
    expect(first.train.xs.shape).toEqual([8, 28, 28, 1]);
    expect(first.test.labels.shape).toEqual([4]);
    cache.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rebuilds for another split', () => {
    const cache = new DatasetTensorCache();
    const before = tf.memory().numTensors;
    const other = splitDataset(dataset, { trainSize: 4, validationSize: 4, testSize: 4 });

    cache.get(dataset, split);
    const rebuilt = cache.get(dataset, other);

    expect(rebuilt.train.xs.shape[0]).toBe(4);
    expect(tf.memory().numTensors - before).toBe(6);
    cache.dispose();
  });

  it('keeps tensors flat over ten candidates', async () => {
    const cache = new DatasetTensorCache();
    cache.get(dataset, split);
    const baseline = tf.memory().numTensors;
    const counts: number[] = [];

    for (const [i, arch] of CANDIDATES.entries()) {
      const result = await evaluateCandidate(request(`candidate-${i}`, arch), { dataset, split, tensorCache: cache }, {
        backend: 'cpu',
        latencyRuns: 1,
      });
      expect(result.error).toBeUndefined();
      counts.push(tf.memory().numTensors);
    }

    expect(counts).toEqual(CANDIDATES.map(() => baseline));
    cache.dispose();
  });

  it('cached and uncached runs train alike', async () => {
    const cache = new DatasetTensorCache();
    const arch = CANDIDATES[0];

    const cached = await evaluateCandidate(request('cached', arch), { dataset, split, tensorCache: cache }, { backend: 'cpu', latencyRuns: 1 });
    const uncached = await evaluateCandidate(request('uncached', arch), { dataset, split }, { backend: 'cpu', latencyRuns: 1 });

    expect(cached.curve).toEqual(uncached.curve);
    expect(cached.metrics?.testAccuracy).toBe(uncached.metrics?.testAccuracy);
    cache.dispose();
  });
});
