// Checks of the wasm bias Add and same-dtype Cast against cpu. The cases are
// the bias on either side, NaN and infinities, shapes the SIMD loop leaves to
// the backend, and the gradient of a conv + bias + ReLU layer.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { expectSameOnBothBackends, setUpBackends, size, values } from './backends.fixture';
import { simdAddBias } from './bias-add';
import type { BackendWasm } from './heap';

beforeAll(setUpBackends);

/** Values in [-1, 1) with NaN and both infinities every few elements. */
function valuesWithSpecials(length: number, seed: number): Float32Array {
  const out = values(length, seed);
  const specials = [NaN, Infinity, -Infinity];
  for (let i = 0; i < length; i += 5) out[i] = specials[(i / 5) % 3];
  return out;
}

describe('bias Add on wasm', () => {
  it('runs the SIMD loop in Node', async () => {
    await tf.setBackend('wasm');
    expect(simdAddBias(tf.backend() as BackendWasm)).not.toBeNull();
  });

  // The first four cases take the SIMD loop, and the rest go to the backend's Add.
  const cases: [number[], number[]][] = [
    [[2, 5, 7, 8], [8]],
    [[3, 5, 12], [12]],
    [[2, 3, 3, 4], [4]],
    [[7, 4], [4]],
    [[2, 3, 3, 6], [6]],
    [[2, 3, 8], [1, 8]],
    [[0, 8], [8]],
    [[8], [8]],
  ];

  // A float32 sum is rounded once on both backends, so the results must be equal, NaN included.
  it.each(cases)('equals cpu for %j + %j on both sides', async (xShape, biasShape) => {
    const xValues = valuesWithSpecials(size(xShape), 40);
    const biasValues = valuesWithSpecials(size(biasShape), 41);
    const addBothWays = async (backend: string) => {
      await tf.setBackend(backend);
      const x = tf.tensor(xValues, xShape);
      const bias = tf.tensor(biasValues, biasShape);
      const sums = [tf.add(x, bias), tf.add(bias, x)];
      const arrays = sums.map((sum) => Array.from(sum.dataSync()));
      tf.dispose([x, bias, ...sums]);
      return arrays;
    };
    const expected = await addBothWays('cpu');
    const actual = await addBothWays('wasm');
    expect(actual[0]).toEqual(expected[0]);
    expect(actual[1]).toEqual(expected[1]);
  });

  it('keeps NaN and infinite sums as cpu does', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor2d([Infinity, -Infinity, NaN, 1, 2, 3, 4, 5], [2, 4]);
    const bias = tf.tensor1d([-Infinity, -Infinity, 0, NaN]);
    const sum = tf.add(x, bias);
    expect(Array.from(sum.dataSync())).toEqual([NaN, -Infinity, NaN, NaN, -Infinity, -Infinity, 4, NaN]);
    tf.dispose([x, bias, sum]);
  });

  it('leaves int32 addition to the backend', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8], [2, 4], 'int32');
    const sum = tf.add(x, tf.tensor1d([10, 20, 30, 40], 'int32'));
    expect(sum.dtype).toBe('int32');
    expect(Array.from(sum.dataSync())).toEqual([11, 22, 33, 44, 15, 26, 37, 48]);
    tf.dispose([x, sum]);
  });
});

describe('Cast on wasm', () => {
  it('shares float32 data until both tensors are disposed', async () => {
    await tf.setBackend('wasm');
    const buffersBefore = tf.engine().backend.numDataIds();
    const x = tf.tensor1d([1.5, -2, NaN]);
    const cast = tf.cast(x, 'float32');
    x.dispose();
    expect(Array.from(cast.dataSync())).toEqual([1.5, -2, NaN]);
    cast.dispose();
    expect(tf.engine().backend.numDataIds()).toBe(buffersBefore);
  });

  // The backend's own Cast converts float32 to bool unlike cpu (-2.3 gives 254), so that case is left out.
  it('matches cpu between float32 and int32', async () => {
    const xValues = values(12, 42).map((v) => v * 5);
    await expectSameOnBothBackends(() =>
      tf.tidy(() => {
        const x = tf.tensor(xValues, [3, 4]);
        const asInt = tf.cast(x, 'int32');
        return [tf.cast(asInt, 'float32'), tf.cast(tf.cast(asInt, 'int32'), 'float32'), tf.cast(x, 'float32')];
      }),
    );
  });
});

describe('conv + bias + ReLU gradient on wasm', () => {
  it('matches cpu for the input, filter and bias', async () => {
    const input: [number, number, number, number] = [2, 7, 7, 3];
    const filterShape: [number, number, number, number] = [3, 3, 3, 8];
    const xValues = values(size(input), 43);
    const filterValues = values(size(filterShape), 44);
    const biasValues = values(8, 45);
    const weightValues = values(2 * 5 * 5 * 8, 46);
    await expectSameOnBothBackends(() =>
      tf.tidy(() => {
        const x = tf.tensor4d(xValues, input);
        const filter = tf.tensor4d(filterValues, filterShape);
        const bias = tf.tensor1d(biasValues);
        const weights = tf.tensor4d(weightValues, [2, 5, 5, 8]);
        const loss = (a: tf.Tensor, f: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.mul(tf.relu(tf.add(tf.conv2d(a as tf.Tensor4D, f as tf.Tensor4D, 1, 'valid'), b)), weights));
        return tf.grads(loss)([x, filter, bias]);
      }),
    );
  });
});
