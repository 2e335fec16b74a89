// Training on the wasm backend with the kernels of this folder: every op of
// every preset space trains one step without a missing kernel, and a small
// candidate follows the learning curve it follows on the cpu backend.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { CurvePoint, TrainingConfig } from '../../core/run/types';
import type { Architecture, SearchSpace, SequentialArch, SequentialSpace } from '../../core/space/types';
import { Random } from '../../core/random';
import { MNIST_INPUT, PRESET_SPACES, architectureOperations, sampleArchitecture } from '../../core/space';
import { buildModel } from '../build';
import { loadMnistNode } from '../data/mnistNode';
import { splitDataset } from '../data/mnist';
import { toTensors } from '../data/tensors';
import { trainModel, type LabelledTensors } from '../train';
import { registerWasmTrainingKernels } from './index';

const ONE_STEP: TrainingConfig = {
  epochs: 1,
  batchSize: 4,
  optimizer: 'adam',
  learningRate: 0.001,
  momentum: 0.9,
  schedule: 'constant',
  patience: 0,
};

beforeAll(async () => {
  registerWasmTrainingKernels();
  expect(await tf.setBackend('wasm')).toBe(true);
});

/** Operation labels a space can produce, as architectureOperations names them. */
function expectedOperations(space: SearchSpace): string[] {
  if (space.family === 'stages') {
    return space.kernelSizes.flatMap((kernel) => space.expansionRatios.map((expansion) => `k${kernel}e${expansion}`));
  }
  return [...space.ops];
}

/** Samples architectures of `space` until their operations cover every label; returns the ones that added a label. */
function architecturesCoveringOperations(space: SearchSpace, seed: number): { architectures: Architecture[]; missing: string[] } {
  const missing = new Set(expectedOperations(space));
  const random = new Random(seed);
  const architectures: Architecture[] = [];
  for (let draw = 0; draw < 500 && missing.size > 0; draw++) {
    const arch = sampleArchitecture(space, random);
    const added = architectureOperations(arch).filter((label) => missing.has(label));
    if (added.length === 0) continue;
    for (const label of added) missing.delete(label);
    architectures.push(arch);
  }
  return { architectures, missing: [...missing] };
}

function randomBatch(count: number, seed: number): LabelledTensors {
  return tf.tidy(() => ({
    xs: tf.randomUniform([count, ...MNIST_INPUT.inputShape], 0, 1, 'float32', seed) as tf.Tensor4D,
    labels: tf.tensor1d(Array.from({ length: count }, (_, i) => (i * 3 + seed) % MNIST_INPUT.numClasses), 'int32'),
  }));
}

describe('training on wasm', () => {
  it.each(PRESET_SPACES.map((preset) => [preset.id, preset.space] as const))('trains every op of %s', async (_id, space) => {
    const { architectures, missing } = architecturesCoveringOperations(space, 7);
    expect(missing, 'operations no sampled architecture uses').toEqual([]);

    const data = randomBatch(4, 1);
    const tensorsBefore = tf.memory().numTensors;
    for (const arch of architectures) {
      const model = buildModel(space, arch, MNIST_INPUT, 11);
      try {
        const result = await trainModel(model, data, data, { config: ONE_STEP, numClasses: MNIST_INPUT.numClasses, seed: 3 });
        expect(result.epochs, architectureOperations(arch).join(' ')).toBe(1);
      } finally {
        model.dispose();
      }
    }
    expect(tf.memory().numTensors, 'tensors left after training').toBe(tensorsBefore);
    tf.dispose([data.xs, data.labels]);
  });
});

const SMALL_SPACE: SequentialSpace = {
  family: 'sequential',
  name: 'small',
  depths: [2],
  ops: ['conv3x3', 'sepconv3x3'],
  widths: [8],
  connectivity: 'sequential',
  stemChannels: 4,
  downsampleAfter: [0],
};
const SMALL_ARCH: SequentialArch = {
  family: 'sequential',
  layers: [
    { op: 'conv3x3', width: 8, skipFrom: null },
    { op: 'sepconv3x3', width: 8, skipFrom: null },
  ],
};

describe('wasm and cpu training', () => {
  let train: LabelledTensors;
  let validation: LabelledTensors;

  beforeAll(async () => {
    const mnist = await loadMnistNode();
    const split = splitDataset(mnist, { trainSize: 128, validationSize: 64, testSize: 0 });
    train = toTensors(mnist, split.train);
    validation = toTensors(mnist, split.validation);
  });

  afterAll(() => {
    tf.dispose([train.xs, train.labels, validation.xs, validation.labels]);
  });

  async function trainOn(backend: 'cpu' | 'wasm'): Promise<CurvePoint[]> {
    await tf.setBackend(backend);
    const config: TrainingConfig = { ...ONE_STEP, epochs: 2, batchSize: 16, learningRate: 0.01 };
    const model = buildModel(SMALL_SPACE, SMALL_ARCH, MNIST_INPUT, 5);
    try {
      const result = await trainModel(model, train, validation, { config, numClasses: MNIST_INPUT.numClasses, seed: 9 });
      return result.curve;
    } finally {
      model.dispose();
    }
  }

  // The same seed gives the same initial weights and batch order on both
  // backends, so only float rounding separates the two learning curves.
  it('follow the same learning curve', async () => {
    const cpuCurve = await trainOn('cpu');
    const wasmCurve = await trainOn('wasm');

    expect(wasmCurve.length).toBe(cpuCurve.length);
    expect(cpuCurve[1].loss, 'cpu loss falls').toBeLessThan(cpuCurve[0].loss);
    expect(wasmCurve[1].loss, 'wasm loss falls').toBeLessThan(wasmCurve[0].loss);
    for (let epoch = 0; epoch < cpuCurve.length; epoch++) {
      const cpu = cpuCurve[epoch];
      const wasm = wasmCurve[epoch];
      expect(Math.abs(wasm.loss - cpu.loss) / cpu.loss, `relative loss difference in epoch ${epoch}`).toBeLessThanOrEqual(0.01);
      expect(Math.abs(wasm.trainAccuracy - cpu.trainAccuracy), `train accuracy difference in epoch ${epoch}`).toBeLessThanOrEqual(0.03);
      expect(Math.abs(wasm.validationAccuracy - cpu.validationAccuracy), `validation accuracy difference in epoch ${epoch}`).toBeLessThanOrEqual(0.03);
    }
  });
});
