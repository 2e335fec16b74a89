// Checks of the wasm Sum and Mean over leading axes against cpu, of the
// cases that go to the backend's own kernels, and of a BatchNorm gradient.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { expectSameOnBothBackends, setUpBackends, size, values } from './backends.fixture';

beforeAll(setUpBackends);

interface ReduceCase {
  shape: number[];
  axis: number | number[] | null;
  keepDims: boolean;
}

const CASES: ReduceCase[] = [
  { shape: [4, 7, 7, 5], axis: [0, 1, 2], keepDims: false },
  { shape: [4, 7, 7, 5], axis: [2, 0, 1], keepDims: true },
  { shape: [3, 13, 13, 8], axis: [0, 1, 2], keepDims: false },
  { shape: [9, 6], axis: 0, keepDims: false },
  { shape: [9, 6], axis: -2, keepDims: true },
  { shape: [2, 5, 3], axis: [0, 1], keepDims: false },
  { shape: [3, 4, 5], axis: null, keepDims: false },
  { shape: [3, 4, 5], axis: [0, 1, 2], keepDims: true },
  { shape: [7], axis: 0, keepDims: false },
  { shape: [1001, 3], axis: 0, keepDims: false },
  // Axes that are not leading go to the backend's kernels.
  { shape: [4, 7, 7, 5], axis: [1, 2], keepDims: false },
  { shape: [4, 7, 7, 5], axis: -1, keepDims: true },
  { shape: [2, 5, 3], axis: [0, 2], keepDims: false },
];

describe('Sum and Mean on wasm', () => {
  it.each(CASES)('match cpu for $shape over $axis keepDims $keepDims', async ({ shape, axis, keepDims }) => {
    const xValues = values(size(shape), 20);
    await expectSameOnBothBackends(() =>
      tf.tidy(() => {
        const x = tf.tensor(xValues, shape);
        const sum = axis === null ? tf.sum(x, undefined, keepDims) : tf.sum(x, axis, keepDims);
        const mean = axis === null ? tf.mean(x, undefined, keepDims) : tf.mean(x, axis, keepDims);
        return [sum, mean];
      }),
    );
  });

  it('keep the shape of the backend kernels', async () => {
    await tf.setBackend('wasm');
    const x = tf.ones([2, 3, 4]);
    const keptDims = tf.sum(x, [0, 1], true);
    const dropped = tf.mean(x, [1, 0]);
    expect(keptDims.shape).toEqual([1, 1, 4]);
    expect(Array.from(keptDims.dataSync())).toEqual([6, 6, 6, 6]);
    expect(dropped.shape).toEqual([4]);
    expect(Array.from(dropped.dataSync())).toEqual([1, 1, 1, 1]);
    tf.dispose([x, keptDims, dropped]);
  });

  it('sum int32 tensors in the backend kernel', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2], 'int32');
    const sum = tf.sum(x, 0);
    expect(sum.dtype).toBe('int32');
    expect(Array.from(sum.dataSync())).toEqual([9, 12]);
    tf.dispose([x, sum]);
  });

  it('give BatchNorm gradients like cpu', async () => {
    // The training path of tf.layers.batchNormalization: moments over the batch, then batchNorm.
    const input: [number, number, number, number] = [16, 9, 9, 6];
    await expectSameOnBothBackends(() =>
      tf.tidy(() => {
        const x = tf.tensor4d(values(size(input), 21), input);
        const gamma = tf.tensor1d(values(6, 22));
        const beta = tf.tensor1d(values(6, 23));
        const weights = tf.tensor4d(values(size(input), 24), input);
        const loss = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Scalar => {
          const { mean, variance } = tf.moments(a, [0, 1, 2]);
          return tf.sum(tf.mul(tf.batchNorm(a, mean, variance, b, g, 1e-3), weights));
        };
        return tf.grads(loss)([x, gamma, beta]);
      }),
    );
  });
});
