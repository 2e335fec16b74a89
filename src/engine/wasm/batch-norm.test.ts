// Checks of the wasm FusedBatchNorm against cpu for per-channel and single
// parameters, missing offset and scale, and shapes left to the backend.
import { beforeAll, describe, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { expectSameOnBothBackends, setUpBackends, size, values } from './backends.fixture';

beforeAll(setUpBackends);

interface BatchNormCase {
  name: string;
  x: number[];
  parameter: number[];
  withOffset: boolean;
  withScale: boolean;
}

const CASES: BatchNormCase[] = [
  { name: 'per channel', x: [4, 7, 7, 5], parameter: [5], withOffset: true, withScale: true },
  { name: 'per channel, rank 4', x: [3, 13, 13, 8], parameter: [1, 1, 1, 8], withOffset: true, withScale: true },
  { name: 'single values', x: [2, 5, 3], parameter: [1], withOffset: true, withScale: true },
  { name: 'no offset', x: [4, 7, 7, 5], parameter: [5], withOffset: false, withScale: true },
  { name: 'no scale', x: [4, 7, 7, 5], parameter: [5], withOffset: true, withScale: false },
  { name: 'neither', x: [9, 6], parameter: [6], withOffset: false, withScale: false },
  // Parameters along another axis go to the backend's kernel.
  { name: 'middle axis', x: [2, 7, 5], parameter: [7, 1], withOffset: true, withScale: true },
];

describe('FusedBatchNorm on wasm', () => {
  it.each(CASES)('matches cpu for $name', async ({ x, parameter, withOffset, withScale }) => {
    const xValues = values(size(x), 40).map((v) => 3 * v + 2);
    const parameterSize = size(parameter);
    await expectSameOnBothBackends(() =>
      tf.tidy(() => {
        const input = tf.tensor(xValues, x);
        const mean = tf.tensor(values(parameterSize, 41).map((v) => v + 2), parameter);
        const variance = tf.tensor(values(parameterSize, 42).map((v) => v * v + 0.5), parameter);
        const offset = withOffset ? tf.tensor(values(parameterSize, 43), parameter) : undefined;
        const scale = withScale ? tf.tensor(values(parameterSize, 44), parameter) : undefined;
        return [tf.batchNorm(input, mean, variance, offset, scale, 1e-3)];
      }),
    );
  });
});
