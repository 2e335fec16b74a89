import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../random';
import {
  adamStep,
  drawCategorical,
  ensureBackend,
  initialAdamState,
  initialWeights,
  LstmController,
  parameterShapes,
  type ControllerShape,
} from './reinforce-controller';

const shape: ControllerShape = { cardinalities: [3, 1, 4, 2], hiddenSize: 5 };

function controller(seed: number): LstmController {
  return new LstmController(shape, initialWeights(shape, new Random(seed)));
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('LstmController', () => {
  it('matches finite differences of the loss', async () => {
    const policy = controller(3);
    // Larger weights than the initial ones, so every gate is away from its linear regime.
    policy.weights.forEach((parameter) => parameter.forEach((_, i) => (parameter[i] *= 8)));
    const choices = [
      [0, 0, 3, 1],
      [2, 0, 1, 0],
      [1, 0, 0, 1],
    ];
    const advantages = [0.5, -0.3, 0.8];
    const gradients = await policy.gradients(choices, advantages, 0.2, 1.5);

    const random = new Random(5);
    const direction = policy.weights.map((parameter) => parameter.map(() => random.next() - 0.5));
    const analytic = gradients.reduce(
      (sum, gradient, p) => sum + Array.from(gradient).reduce((inner, g, i) => inner + g * direction[p][i], 0),
      0,
    );

    const epsilon = 1e-2;
    const shifted = async (sign: number): Promise<number> => {
      const moved = new LstmController(
        shape,
        policy.weights.map((parameter, p) => parameter.map((w, i) => w + sign * epsilon * direction[p][i])),
      );
      return moved.loss(choices, advantages, 0.2, 1.5);
    };
    const numeric = ((await shifted(1)) - (await shifted(-1))) / (2 * epsilon);
    expect(Math.abs(analytic)).toBeGreaterThan(1e-3);
    // Central differences in float32 agree to about 1e-5 here; a wrong term of the backward pass is off by 1e-3 or more.
    expect(Math.abs(numeric - analytic)).toBeLessThan(1e-4);
  });

  it('returns one gradient per parameter', async () => {
    const gradients = await controller(1).gradients([[0, 0, 0, 0]], [1], 0, 1);
    const sizes = parameterShapes(shape).map((dimensions) => dimensions.reduce((a, b) => a * b, 1));
    expect(gradients.map((gradient) => gradient.length)).toEqual(sizes);
  });

  it('samples valid choices reproducibly', async () => {
    const first = await controller(2).sample(6, new Random(9), 1);
    const second = await controller(2).sample(6, new Random(9), 1);
    expect(second).toEqual(first);
    for (const row of first) {
      expect(row).toHaveLength(shape.cardinalities.length);
      row.forEach((choice, t) => expect(choice).toBeLessThan(shape.cardinalities[t]));
    }
  });

  it('leaves no tensors behind', async () => {
    const policy = controller(4);
    const before = tf.memory().numTensors;
    await policy.sample(3, new Random(1), 1);
    expect(tf.memory().numTensors).toBe(before);
    await policy.gradients([[1, 0, 2, 1]], [0.4], 0.01, 1);
    expect(tf.memory().numTensors).toBe(before);
    await policy.loss([[1, 0, 2, 1]], [0.4], 0.01, 1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('learns to prefer a rewarded choice', async () => {
    const single: ControllerShape = { cardinalities: [4], hiddenSize: 4 };
    const policy = new LstmController(single, initialWeights(single, new Random(1)));
    const adam = initialAdamState(single);
    for (let step = 0; step < 30; step++) {
      // Choice 2 is rewarded above the baseline, choice 0 below it.
      const gradients = await policy.gradients([[2], [0]], [1, -1], 0, 1);
      adamStep(policy.weights, gradients, adam, 0.05);
    }
    const random = new Random(3);
    const samples = (await policy.sample(200, random, 1)).map((row) => row[0]);
    expect(samples.filter((choice) => choice === 2).length).toBeGreaterThan(150);
  });
});

describe('drawCategorical', () => {
  it('never draws a zero-weight option', () => {
    const random = new Random(1);
    for (let i = 0; i < 200; i++) expect(drawCategorical([0, 0.3, 0, 0.7, 0], random)).not.toBe(0);
  });

  it('draws options in proportion to weight', () => {
    const random = new Random(2);
    const counts = [0, 0];
    for (let i = 0; i < 2000; i++) counts[drawCategorical([0.25, 0.75], random)]++;
    expect(counts[1] / 2000).toBeGreaterThan(0.7);
    expect(counts[1] / 2000).toBeLessThan(0.8);
  });
});

describe('ensureBackend', () => {
  it('names the import when no backend is registered', async () => {
    const factory = tf.findBackendFactory('cpu');
    tf.removeBackend('cpu');
    try {
      await expect(ensureBackend()).rejects.toThrow(/import "@tensorflow\/tfjs-backend-cpu"/);
    } finally {
      tf.registerBackend('cpu', factory);
      await tf.setBackend('cpu');
    }
  });
});
