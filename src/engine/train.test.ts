import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import type { TrainingConfig } from '../core/run/types';
import type { SequentialArch } from '../core/space/types';
import { NasError } from '../core/errors';
import { buildModel } from './build';
import { loadMnistNode } from './data/mnistNode';
import { splitDataset } from './data/mnist';
import { toTensors } from './data/tensors';
import { MNIST_INPUT, TWO_CONV_ARCH, TWO_LAYER_SPACE } from './tinySequential.fixture';
import { scheduledLearningRate, trainModel, validateTrainingConfig, type LabelledTensors } from './train';

/** No BatchNorm, so a negligible learning rate leaves predictions unchanged. */
const POOL_ARCH: SequentialArch = {
  family: 'sequential',
  layers: [
    { op: 'maxpool3x3', width: null, skipFrom: null },
    { op: 'maxpool3x3', width: null, skipFrom: null },
  ],
};
const CONFIG: TrainingConfig = {
  epochs: 2,
  batchSize: 8,
  optimizer: 'adam',
  learningRate: 0.01,
  momentum: 0.9,
  schedule: 'constant',
  patience: 0,
};

let train: LabelledTensors;
let validation: LabelledTensors;

beforeAll(async () => {
  await tf.setBackend('cpu');
  const mnist = await loadMnistNode();
  const split = splitDataset(mnist, { trainSize: 24, validationSize: 10, testSize: 0 });
  train = toTensors(mnist, split.train);
  validation = toTensors(mnist, split.validation);
});

afterAll(() => {
  tf.dispose([train.xs, train.labels, validation.xs, validation.labels]);
});

async function trainOnce(arch: SequentialArch, config: TrainingConfig, signal?: AbortSignal) {
  const model = buildModel(TWO_LAYER_SPACE, arch, MNIST_INPUT, 3);
  try {
    return await trainModel(model, train, validation, { config, numClasses: 10, seed: 5, signal });
  } finally {
    model.dispose();
  }
}

describe('trainModel', () => {
  it('records one curve point per epoch', async () => {
    const result = await trainOnce(TWO_CONV_ARCH, CONFIG);
    expect(result.status).toBe('done');
    expect(result.curve.map((point) => point.epoch)).toEqual([0, 1]);
    expect(result.bestValidationAccuracy).toBe(Math.max(...result.curve.map((point) => point.validationAccuracy)));
    expect(result.curve[0].loss).toBeGreaterThan(0);
  });

  it('repeats exactly with the same seed', async () => {
    const first = await trainOnce(TWO_CONV_ARCH, CONFIG);
    const second = await trainOnce(TWO_CONV_ARCH, CONFIG);
    expect(second.curve).toEqual(first.curve);
  });

  it('trains with SGD and a step schedule', async () => {
    const result = await trainOnce(TWO_CONV_ARCH, { ...CONFIG, optimizer: 'sgd', schedule: 'step' });
    expect(result.status).toBe('done');
    expect(Number.isFinite(result.curve[1].loss)).toBe(true);
  });

  it('reports divergence for a huge learning rate', async () => {
    const result = await trainOnce(TWO_CONV_ARCH, { ...CONFIG, optimizer: 'sgd', learningRate: 1e30, momentum: 0.9 });
    expect(result.status).toBe('diverged');
  });

  it('stops early without improvement', async () => {
    const result = await trainOnce(POOL_ARCH, { ...CONFIG, epochs: 5, learningRate: 1e-12, patience: 1 });
    expect(result.epochs).toBe(2);
  });

  it('rejects with cancelled when aborted', async () => {
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const model = buildModel(TWO_LAYER_SPACE, TWO_CONV_ARCH, MNIST_INPUT, 3);
    const training = trainModel(model, train, validation, {
      config: CONFIG,
      numClasses: 10,
      seed: 5,
      signal: controller.signal,
      onProgress: (progress) => {
        if (progress.batch === 1) controller.abort();
      },
    });
    await expect(training).rejects.toMatchObject({ code: 'cancelled' });
    await expect(training).rejects.toBeInstanceOf(NasError);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    await trainOnce(TWO_CONV_ARCH, { ...CONFIG, optimizer: 'sgd' });
    await trainOnce(TWO_CONV_ARCH, CONFIG);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('scheduledLearningRate', () => {
  it('decays cosine from the base rate', () => {
    const config = { ...CONFIG, epochs: 4, schedule: 'cosine' as const };
    expect(scheduledLearningRate(config, 0)).toBeCloseTo(0.01, 10);
    expect(scheduledLearningRate(config, 2)).toBeCloseTo(0.005, 10);
  });

  it('steps by ten at half and three quarters', () => {
    const config = { ...CONFIG, epochs: 4, schedule: 'step' as const };
    expect([0, 1, 2, 3].map((epoch) => scheduledLearningRate(config, epoch))).toEqual([0.01, 0.01, 0.001, 0.0001]);
  });
});

describe('validateTrainingConfig', () => {
  it('rejects zero epochs', () => {
    expect(() => validateTrainingConfig({ ...CONFIG, epochs: 0 })).toThrow('training.epochs must be a positive integer, got 0');
  });

  it('rejects a negative learning rate', () => {
    expect(() => validateTrainingConfig({ ...CONFIG, learningRate: -1 })).toThrow(/training.learningRate must be a positive number/);
  });
});
