import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import type { EvaluationRequest, TensorData, TrainingCheckpoint, TrainingConfig } from '../core/run/types';
import type { SequentialArch } from '../core/space/types';
import { NasError } from '../core/errors';
import { initBackend } from './backend';
import { buildModel } from './build';
import { decodeTensors } from './checkpoint';
import { loadMnistNode } from './data/mnistNode';
import { splitDataset, type ImageDataset } from './data/mnist';
import { toTensors } from './data/tensors';
import { evaluateCandidate } from './evaluate';
import { MNIST_INPUT, TWO_CONV_ARCH, TWO_LAYER_SPACE } from './tinySequential.fixture';
import { trainModel, type LabelledTensors, type TrainOptions } from './train';

const OTHER_ARCH: SequentialArch = {
  family: 'sequential',
  layers: [
    { op: 'conv3x3', width: 4, skipFrom: null },
    { op: 'maxpool3x3', width: null, skipFrom: null },
  ],
};
const ADAM: TrainingConfig = {
  epochs: 3,
  batchSize: 8,
  optimizer: 'adam',
  learningRate: 0.01,
  momentum: 0.9,
  schedule: 'cosine',
  patience: 0,
};
const SGD: TrainingConfig = { ...ADAM, optimizer: 'sgd', learningRate: 0.05, schedule: 'step' };

let mnist: ImageDataset;
let train: LabelledTensors;
let validation: LabelledTensors;

beforeAll(async () => {
  await initBackend('cpu');
  mnist = await loadMnistNode();
  const split = splitDataset(mnist, { trainSize: 20, validationSize: 8, testSize: 0 });
  train = toTensors(mnist, split.train);
  validation = toTensors(mnist, split.validation);
});

afterAll(() => {
  tf.dispose([train.xs, train.labels, validation.xs, validation.labels]);
});

/** Trains a fresh model of `arch` with seed 3 and returns the result with the model's final weights as arrays. */
async function trainFresh(options: Omit<TrainOptions, 'numClasses' | 'seed'>, arch = TWO_CONV_ARCH) {
  const model = buildModel(TWO_LAYER_SPACE, arch, MNIST_INPUT, 3);
  try {
    const result = await trainModel(model, train, validation, { ...options, numClasses: 10, seed: 5 });
    const finalWeights = await Promise.all(model.getWeights().map((weight) => weight.array()));
    return { result, finalWeights };
  } finally {
    model.dispose();
  }
}

function bytes(data: TensorData | undefined): number[] {
  return Array.from(new Uint8Array(data?.data ?? new ArrayBuffer(0)));
}

describe('trainModel resume', () => {
  it.each([
    ['adam', ADAM, 1],
    ['sgd', SGD, 2],
  ])('resumes %s to the straight weights', async (_name, config, split) => {
    const straight = await trainFresh({ config, returnCheckpoint: true });
    const first = await trainFresh({ config, stopAtEpoch: split, returnCheckpoint: true });
    expect(first.result.checkpoint?.epoch).toBe(split);
    const resumed = await trainFresh({ config, resumeFrom: first.result.checkpoint, returnCheckpoint: true });

    expect(resumed.result.curve).toEqual(straight.result.curve);
    expect(resumed.result.epochs).toBe(3);
    expect(bytes(resumed.result.checkpoint?.weights)).toEqual(bytes(straight.result.checkpoint?.weights));
    expect(bytes(resumed.result.checkpoint?.optimizer)).toEqual(bytes(straight.result.checkpoint?.optimizer));
    expect(resumed.finalWeights).toEqual(straight.finalWeights);
    expect(resumed.result.bestValidationAccuracy).toBe(straight.result.bestValidationAccuracy);
  });

  it('trains nothing after an early stop', async () => {
    const config = { ...ADAM, patience: 1 };
    const { result } = await trainFresh({ config, stopAtEpoch: 1, returnCheckpoint: true });
    const stopped = { ...(result.checkpoint as NonNullable<typeof result.checkpoint>), epochsSinceBest: 1 };
    const resumed = await trainFresh({ config, resumeFrom: stopped, stopAtEpoch: 3 });
    expect(resumed.result.epochs).toBe(1);
    expect(resumed.result.curve).toEqual(result.curve);
    expect(resumed.result.bestValidationAccuracy).toBe(result.bestValidationAccuracy);
  });

  it('stops at the requested epoch', async () => {
    const { result } = await trainFresh({ config: ADAM, stopAtEpoch: 2 });
    expect(result.epochs).toBe(2);
    expect(result.curve.map((point) => point.epoch)).toEqual([0, 1]);
    expect(result.checkpoint).toBeUndefined();
  });

  it('rejects a checkpoint of another architecture', async () => {
    const { result } = await trainFresh({ config: ADAM, stopAtEpoch: 1, returnCheckpoint: true });
    const attempt = trainFresh({ config: ADAM, resumeFrom: result.checkpoint }, OTHER_ARCH);
    await expect(attempt).rejects.toThrow(NasError);
    await expect(attempt).rejects.toThrow(/do not match the model/);
  });

  it('rejects a checkpoint of another optimizer', async () => {
    const { result } = await trainFresh({ config: ADAM, stopAtEpoch: 1, returnCheckpoint: true });
    await expect(trainFresh({ config: SGD, resumeFrom: result.checkpoint })).rejects.toThrow(/written by the Adam optimizer/);
  });

  it('leaks no tensors when resuming', async () => {
    const { result } = await trainFresh({ config: ADAM, stopAtEpoch: 1, returnCheckpoint: true });
    const before = tf.memory().numTensors;
    await trainFresh({ config: ADAM, resumeFrom: result.checkpoint, stopAtEpoch: 2, returnCheckpoint: true });
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('evaluateCandidate resume', () => {
  it('continues a rung to the full metrics', async () => {
    const request: EvaluationRequest = {
      trialId: 'trial-1',
      arch: TWO_CONV_ARCH,
      space: TWO_LAYER_SPACE,
      seed: 42,
      input: MNIST_INPUT,
      dataset: { name: 'mnist', trainSize: 16, validationSize: 8, testSize: 8 },
      training: { ...ADAM, epochs: 2 },
      constraints: {},
    };
    const data = { dataset: mnist, split: splitDataset(mnist, request.dataset) };
    const options = { backend: 'cpu' as const, latencyRuns: 1 };

    const straight = await evaluateCandidate(request, data, options);
    const rung = await evaluateCandidate({ ...request, epochs: 1, returnCheckpoint: true }, data, options);
    expect(rung.status).toBe('done');
    expect(rung.metrics?.epochs).toBe(1);
    expect(rung.checkpoint?.epoch).toBe(1);
    const resumed = await evaluateCandidate({ ...request, resumeFrom: rung.checkpoint }, data, options);

    expect(resumed.status).toBe('done');
    expect(resumed.metrics?.epochs).toBe(2);
    expect(resumed.metrics?.validationAccuracy).toBe(straight.metrics?.validationAccuracy);
    expect(resumed.metrics?.testAccuracy).toBe(straight.metrics?.testAccuracy);
    expect(resumed.curve).toEqual(straight.curve);
    expect(bytes({ specs: [], data: resumed.model?.weightData as ArrayBuffer })).toEqual(
      bytes({ specs: [], data: straight.model?.weightData as ArrayBuffer }),
    );
    expect(resumed.checkpoint).toBeUndefined();
  });
});

describe('evaluateCandidate damaged checkpoint', () => {
  const request: EvaluationRequest = {
    trialId: 'trial-2',
    arch: TWO_CONV_ARCH,
    space: TWO_LAYER_SPACE,
    seed: 42,
    input: MNIST_INPUT,
    dataset: { name: 'mnist', trainSize: 16, validationSize: 8, testSize: 8 },
    training: { ...ADAM, epochs: 2 },
    constraints: {},
  };
  const options = { backend: 'cpu' as const, latencyRuns: 1 };

  it('trains from scratch and says why', { timeout: 120_000 }, async () => {
    const data = { dataset: mnist, split: splitDataset(mnist, request.dataset) };
    const straight = await evaluateCandidate(request, data, options);
    const rung = await evaluateCandidate({ ...request, epochs: 1, returnCheckpoint: true }, data, options);
    const checkpoint = rung.checkpoint as TrainingCheckpoint;

    // The same bytes with the first kernel's shape reordered, as an edit of the checkpoint JSON would leave them.
    const specs = checkpoint.weights.specs.map((spec, i) => (i === 0 ? { ...spec, shape: spec.shape.slice().reverse() } : spec));
    const reshaped = { ...checkpoint, weights: { ...checkpoint.weights, specs } };
    const nanData = new Float32Array(checkpoint.weights.data.byteLength / 4).fill(Number.NaN).buffer;
    const nan = { ...checkpoint, weights: { ...checkpoint.weights, data: nanData } };

    const cases: [TrainingCheckpoint, RegExp][] = [
      [reshaped, /its weights have \d+ tensors that do not match the model's \d+ weight shapes \(first difference at tensor 0\)/],
      [nan, /weights: tensor 0 contains NaN at element 0/],
    ];
    for (const [damaged, reason] of cases) {
      const result = await evaluateCandidate({ ...request, resumeFrom: damaged }, data, options);
      expect(result.status).toBe('done');
      expect(result.restartReason).toMatch(reason);
      expect(result.restartReason).toMatch(/so the trial trained from scratch$/);
      expect(result.curve).toEqual(straight.curve);
      expect(result.metrics?.validationAccuracy).toBe(straight.metrics?.validationAccuracy);
    }
  });
});

describe('decodeTensors', () => {
  it('rejects NaN before creating tensors', () => {
    const before = tf.memory().numTensors;
    const encoded: TensorData = { specs: [{ name: 'k', shape: [2], dtype: 'float32' }], data: new Float32Array([1, Number.NaN]).buffer };
    expect(() => decodeTensors(encoded)).toThrow(/the checkpoint data is damaged: tensor k contains NaN at element 1; train from scratch/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects specs longer than the data', () => {
    const encoded: TensorData = { specs: [{ name: 'k', shape: [3], dtype: 'float32' }], data: new Float32Array([1, 2]).buffer };
    expect(() => decodeTensors(encoded)).toThrow(/ends before tensor k \(the specs need at least 12 bytes, the data has 8\)/);
  });
});
