// Checks of the wasm comparisons, LogicalAnd and Identity against cpu, of
// NaN and odd lengths, and of the clipByValue gradient that uses them.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { expectSameOnBothBackends, setUpBackends, size, values } from './backends.fixture';

beforeAll(setUpBackends);

type CompareOp = (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;

const COMPARISONS: [string, CompareOp][] = [
  ['greaterEqual', tf.greaterEqual],
  ['lessEqual', tf.lessEqual],
  ['greater', tf.greater],
  ['less', tf.less],
];

/** Values in [-2, 2) rounded to halves, so many elements equal the scalar, with NaN and infinities mixed in. */
function comparableValues(length: number, seed: number): Float32Array {
  const out = values(length, seed).map((v) => Math.round(v * 4) / 2);
  const specials = [NaN, Infinity, -Infinity];
  for (let i = 0; i < length; i += 7) out[i] = specials[(i / 7) % 3];
  return out;
}

describe('comparisons on wasm', () => {
  // Lengths 1, 3, 5 and 6 leave a tail after the last 4-byte word.
  const shapes = [[2, 7, 7, 3], [5], [1], [3], [2, 3], [4, 4]];

  it.each(COMPARISONS)('%s matches cpu with a scalar on either side', async (_name, compare) => {
    for (const shape of shapes) {
      const xValues = comparableValues(size(shape), 30);
      await expectSameOnBothBackends(() =>
        tf.tidy(() => {
          const x = tf.tensor(xValues, shape);
          const scalar = tf.scalar(0.5);
          return [tf.cast(compare(x, scalar), 'float32'), tf.cast(compare(scalar, x), 'float32')];
        }),
      );
    }
  });

  it.each(COMPARISONS)('%s matches cpu elementwise and broadcast', async (_name, compare) => {
    const aValues = comparableValues(2 * 5 * 3, 31);
    const bValues = comparableValues(2 * 5 * 3, 32);
    await expectSameOnBothBackends(() =>
      tf.tidy(() => {
        const a = tf.tensor(aValues, [2, 5, 3]);
        const b = tf.tensor(bValues, [2, 5, 3]);
        const row = tf.tensor(bValues.slice(0, 3), [3]);
        return [tf.cast(compare(a, b), 'float32'), tf.cast(compare(a, row), 'float32')];
      }),
    );
  });

  it('compares int32 tensors with an int32 scalar', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor1d([-2, 0, 1, 5, 7], 'int32');
    const result = tf.greaterEqual(x, tf.scalar(1, 'int32'));
    expect(result.dtype).toBe('bool');
    expect(Array.from(result.dataSync())).toEqual([0, 0, 1, 1, 1]);
    tf.dispose([x, result]);
  });
});

describe('LogicalAnd on wasm', () => {
  it.each([[2, 7, 7, 3], [6], [1], [4, 5]])('matches cpu for %j', async (...shape) => {
    const aValues = values(size(shape), 33);
    const bValues = values(size(shape), 34);
    await expectSameOnBothBackends(() =>
      tf.tidy(() => {
        const a = tf.greater(tf.tensor(aValues, shape), 0);
        const b = tf.greater(tf.tensor(bValues, shape), 0);
        return [tf.cast(tf.logicalAnd(a, b), 'float32'), tf.cast(tf.logicalAnd(a, tf.scalar(true, 'bool')), 'float32')];
      }),
    );
  });
});

describe('Identity on wasm', () => {
  it('shares data until both tensors are disposed', async () => {
    await tf.setBackend('wasm');
    const buffersBefore = tf.engine().backend.numDataIds();
    const x = tf.tensor1d([1, 2, 3]);
    const copy = tf.clone(x);
    x.dispose();
    expect(Array.from(copy.dataSync())).toEqual([1, 2, 3]);
    copy.dispose();
    expect(tf.engine().backend.numDataIds()).toBe(buffersBefore);
  });
});

describe('clipByValue gradient on wasm', () => {
  it('matches cpu through a ReLU6 layer', async () => {
    const input: [number, number, number, number] = [4, 7, 7, 6];
    const xValues = values(size(input), 35).map((v) => v * 8 - 1);
    await expectSameOnBothBackends(() =>
      tf.tidy(() => {
        const layer = tf.layers.reLU({ maxValue: 6 });
        const x = tf.tensor4d(xValues, input);
        const weights = tf.tensor4d(values(size(input), 36), input);
        return [tf.grad((a) => tf.sum(tf.mul(layer.apply(a) as tf.Tensor, weights)))(x)];
      }),
    );
  });
});
