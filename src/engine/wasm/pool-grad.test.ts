// Gradient checks of AvgPoolGrad and of the general MaxPoolGrad path on wasm
// against cpu: the pools of the preset spaces (3x3 stride 1 'same', 2x2
// stride 2, ratio pools) and odd sizes, strides and paddings around them.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { expectSameOnBothBackends, setUpBackends, size, values } from './backends.fixture';

beforeAll(setUpBackends);

interface PoolCase {
  input: [number, number, number, number];
  pool: number;
  stride: number;
  pad: 'same' | 'valid' | number;
}

function gridCases(): PoolCase[] {
  const cases: PoolCase[] = [];
  for (const [pool, stride] of [
    [3, 1],
    [3, 2],
    [2, 2],
  ]) {
    for (const pad of ['same', 'valid'] as const) {
      for (const channels of [1, 3, 8]) {
        for (const side of [7, 13]) cases.push({ input: [2, side, side, channels], pool, stride, pad });
      }
    }
  }
  return cases;
}

const OTHER_CASES: PoolCase[] = [
  { input: [2, 28, 28, 4], pool: 4, stride: 4, pad: 'valid' },
  { input: [2, 14, 14, 5], pool: 2, stride: 1, pad: 'same' },
  { input: [2, 9, 12, 6], pool: 5, stride: 1, pad: 'same' },
  { input: [2, 9, 9, 2], pool: 3, stride: 1, pad: 1 },
  { input: [2, 11, 11, 3], pool: 3, stride: 2, pad: 1 },
];

type Pool = (x: tf.Tensor4D, pool: number, stride: number, pad: PoolCase['pad']) => tf.Tensor4D;

/** Returns the gradient of sum(pool(x) * weights) for one case. */
function poolGradient(pool: Pool, testCase: PoolCase): tf.Tensor[] {
  return tf.tidy(() => {
    const x = tf.tensor4d(values(size(testCase.input), 10), testCase.input);
    const output = pool(x, testCase.pool, testCase.stride, testCase.pad);
    const weights = tf.tensor(values(output.size, 11), output.shape);
    const loss = (a: tf.Tensor): tf.Scalar => tf.sum(tf.mul(pool(a as tf.Tensor4D, testCase.pool, testCase.stride, testCase.pad), weights));
    return [tf.grad(loss)(x)];
  });
}

const avgPool: Pool = (x, pool, stride, pad) => tf.avgPool(x, pool, stride, pad);
const maxPool: Pool = (x, pool, stride, pad) => tf.maxPool(x, pool, stride, pad);

describe('AvgPool gradient on wasm', () => {
  it.each([...gridCases(), ...OTHER_CASES])('matches cpu for $input pool $pool s$stride $pad', async (testCase) => {
    await expectSameOnBothBackends(() => poolGradient(avgPool, testCase));
  });

  it('matches cpu through a Layers model with a batch of 64', async () => {
    const input: [number, number, number, number] = [64, 14, 14, 8];
    await expectSameOnBothBackends(() =>
      tf.tidy(() => {
        const layer = tf.layers.averagePooling2d({ poolSize: 3, strides: 1, padding: 'same' });
        const x = tf.tensor4d(values(size(input), 12), input);
        const weights = tf.tensor(values(size(input), 13), input);
        return [tf.grad((a) => tf.sum(tf.mul(layer.apply(a) as tf.Tensor, weights)))(x)];
      }),
    );
  });
});

describe('MaxPool gradient general path on wasm', () => {
  it.each([...gridCases(), ...OTHER_CASES])('matches cpu for $input pool $pool s$stride $pad', async (testCase) => {
    await expectSameOnBothBackends(() => poolGradient(maxPool, testCase));
  });

  it('passes ties to the first maximum like cpu', async () => {
    // ReLU outputs are often exactly 0, so whole windows tie.
    const input: [number, number, number, number] = [2, 9, 9, 3];
    const xValues = values(size(input), 14).map((v) => Math.max(0, Math.round(v)));
    for (const [pool, stride] of [
      [3, 1],
      [3, 2],
    ]) {
      await expectSameOnBothBackends(() =>
        tf.tidy(() => {
          const x = tf.tensor4d(xValues, input);
          return [tf.grad((a) => tf.sum(tf.maxPool(a as tf.Tensor4D, pool, stride, 'same')))(x)];
        }),
      );
    }
  });

  it('skips NaN and -Infinity in a 3x3 window', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor4d([NaN, 1, NaN, NaN, -Infinity, 2, NaN, NaN, NaN], [1, 3, 3, 1]);
    const dx = tf.grad((a) => tf.sum(tf.maxPool(a as tf.Tensor4D, 3, 1, 'valid')))(x);
    expect(Array.from(dx.dataSync())).toEqual([0, 0, 0, 0, 0, 1, 0, 0, 0]);
    const allNaN = tf.fill([1, 3, 3, 1], NaN) as tf.Tensor4D;
    const none = tf.grad((a) => tf.sum(tf.maxPool(a as tf.Tensor4D, 3, 1, 'valid')))(allNaN);
    expect(Array.from(none.dataSync())).toEqual(new Array(9).fill(0));
    tf.dispose([x, dx, allNaN, none]);
  });
});
