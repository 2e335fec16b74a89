// Checks in Chromium that the wasm training kernels give the cpu backend's
// gradients for a block with the ops the preset spaces train: strided
// depthwise Conv2D, BatchNorm, ReLU6, average and max pooling.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { trySetBackend } from '../backend';
import { expectSameOnBothBackends, size, values } from './backends.fixture';

beforeAll(async () => {
  expect(await trySetBackend('wasm')).toBe(true);
  await tf.setBackend('cpu');
});

describe('wasm training kernels in the browser', () => {
  it('give cpu gradients for a depthwise, BatchNorm and pooling block', async () => {
    const input: [number, number, number, number] = [8, 13, 13, 8];
    const filterShape: [number, number, number, number] = [5, 5, 8, 1];
    await expectSameOnBothBackends(() =>
      tf.tidy(() => {
        const x = tf.tensor4d(values(size(input), 50), input);
        const filter = tf.tensor4d(values(size(filterShape), 51), filterShape);
        const gamma = tf.tensor1d(values(8, 52));
        const beta = tf.tensor1d(values(8, 53));
        const weights = tf.tensor4d(values(8 * 7 * 7 * 8, 54), [8, 7, 7, 8]);
        const loss = (a: tf.Tensor, f: tf.Tensor, g: tf.Tensor): tf.Scalar => {
          const depthwise = tf.depthwiseConv2d(a as tf.Tensor4D, f as tf.Tensor4D, 2, 'same');
          const { mean, variance } = tf.moments(depthwise, [0, 1, 2]);
          const normalised = tf.batchNorm(depthwise, mean, variance, beta, g, 1e-3);
          const relu6 = tf.clipByValue(tf.relu(tf.mul(normalised, 4)), 0, 6) as tf.Tensor4D;
          const pooled = tf.add(tf.avgPool(relu6, 3, 1, 'same'), tf.maxPool(relu6, 3, 1, 'same'));
          return tf.sum(tf.mul(pooled, weights));
        };
        return tf.grads(loss)([x, filter, gamma]);
      }),
    );
  });
});
