// Gradient checks of the wasm training kernels against the cpu backend:
// each kernel runs on both backends with the same inputs, and the results
// must agree to a relative error of 1e-4 in float32.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { expectSameOnBothBackends, setUpBackends, size, values } from './backends.fixture';
import { registerWasmTrainingKernels } from './index';

beforeAll(setUpBackends);

interface ConvCase {
  input: [number, number, number, number];
  kernel: number;
  outChannels: number;
  stride: number;
  pad: 'same' | 'valid';
}

const CONV_CASES: ConvCase[] = [
  { input: [2, 7, 7, 1], kernel: 3, outChannels: 4, stride: 1, pad: 'same' },
  { input: [2, 7, 7, 3], kernel: 3, outChannels: 5, stride: 1, pad: 'valid' },
  { input: [2, 13, 13, 8], kernel: 3, outChannels: 8, stride: 2, pad: 'same' },
  { input: [3, 13, 13, 4], kernel: 3, outChannels: 6, stride: 2, pad: 'valid' },
  { input: [2, 8, 8, 2], kernel: 3, outChannels: 3, stride: 2, pad: 'same' },
  { input: [2, 13, 13, 5], kernel: 5, outChannels: 8, stride: 1, pad: 'same' },
  { input: [2, 7, 7, 8], kernel: 5, outChannels: 2, stride: 2, pad: 'same' },
  { input: [2, 9, 9, 6], kernel: 5, outChannels: 4, stride: 1, pad: 'valid' },
  { input: [2, 7, 7, 8], kernel: 1, outChannels: 8, stride: 1, pad: 'same' },
  { input: [2, 13, 13, 3], kernel: 1, outChannels: 7, stride: 2, pad: 'same' },
  { input: [4, 28, 28, 1], kernel: 3, outChannels: 16, stride: 1, pad: 'valid' },
  { input: [4, 13, 13, 16], kernel: 3, outChannels: 32, stride: 1, pad: 'valid' },
];

describe('Conv2D gradients on wasm', () => {
  it.each(CONV_CASES)('match cpu for $input k$kernel s$stride $pad', async ({ input, kernel, outChannels, stride, pad }) => {
    const filterShape: [number, number, number, number] = [kernel, kernel, input[3], outChannels];
    const xValues = values(size(input), 1);
    const filterValues = values(size(filterShape), 2);
    await expectSameOnBothBackends(() =>
      tf.tidy(() => {
        const x = tf.tensor4d(xValues, input);
        const filter = tf.tensor4d(filterValues, filterShape);
        const output = tf.conv2d(x, filter, stride, pad);
        const weights = tf.tensor(values(output.size, 3), output.shape);
        const gradients = tf.grads((a, b) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad), weights)));
        return gradients([x, filter]);
      }),
    );
  });
});

interface PoolCase {
  input: [number, number, number, number];
  pool: number;
  stride: number;
  pad: 'same' | 'valid';
}

const POOL_CASES: PoolCase[] = [
  { input: [2, 26, 26, 4], pool: 2, stride: 2, pad: 'valid' },
  { input: [2, 13, 13, 3], pool: 2, stride: 2, pad: 'valid' },
  { input: [2, 7, 7, 5], pool: 3, stride: 1, pad: 'same' },
  { input: [2, 13, 13, 2], pool: 3, stride: 2, pad: 'same' },
  { input: [1, 8, 8, 8], pool: 2, stride: 2, pad: 'same' },
  { input: [2, 7, 7, 3], pool: 2, stride: 2, pad: 'same' },
  { input: [2, 11, 11, 32], pool: 2, stride: 2, pad: 'valid' },
];

describe('MaxPool gradient on wasm', () => {
  it.each(POOL_CASES)('matches cpu for $input pool $pool s$stride $pad', async ({ input, pool, stride, pad }) => {
    const xValues = values(size(input), 10);
    await expectSameOnBothBackends(() =>
      tf.tidy(() => {
        const x = tf.tensor4d(xValues, input);
        const output = tf.maxPool(x, pool, stride, pad);
        const weights = tf.tensor(values(output.size, 11), output.shape);
        return [tf.grad((a) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, pool, stride, pad), weights)))(x)];
      }),
    );
  });

  it('passes a tie to the first maximum like cpu', async () => {
    // ReLU outputs are often exactly 0, so whole windows tie.
    const input: [number, number, number, number] = [1, 5, 5, 2];
    const xValues = values(size(input), 12).map((v) => Math.max(0, Math.round(v)));
    for (const [pool, stride] of [[3, 1], [2, 2]]) {
      await expectSameOnBothBackends(() =>
        tf.tidy(() => {
          const x = tf.tensor4d(xValues, input);
          return [tf.grad((a) => tf.sum(tf.maxPool(a as tf.Tensor4D, pool, stride, 'same')))(x)];
        }),
      );
    }
  });

  it('skips NaN in a 2x2 window', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor4d([NaN, 2, 5, 1, NaN, NaN, NaN, NaN], [1, 2, 4, 1]);
    const dx = tf.grad((a) => tf.sum(tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid')))(x);
    expect(Array.from(dx.dataSync())).toEqual([0, 1, 1, 0, 0, 0, 0, 0]);
    tf.dispose([x, dx]);
  });
});

describe('BatchMatMul with transposes on wasm', () => {
  it.each([
    { a: [5, 3], b: [5, 4], transposeA: true, transposeB: false },
    { a: [3, 5], b: [4, 5], transposeA: false, transposeB: true },
    { a: [2, 5, 3], b: [2, 4, 5], transposeA: true, transposeB: true },
    { a: [64, 80], b: [64, 10], transposeA: true, transposeB: false },
  ])('matches cpu for $a x $b', async ({ a, b, transposeA, transposeB }) => {
    const aValues = values(size(a), 13);
    const bValues = values(size(b), 14);
    await expectSameOnBothBackends(() =>
      tf.tidy(() => [tf.matMul(tf.tensor(aValues, a), tf.tensor(bValues, b), transposeA, transposeB)]),
    );
  });
});

describe('Tile on wasm', () => {
  it.each([
    { shape: [1, 1, 1, 5], reps: [2, 3, 4, 1] },
    { shape: [2, 3], reps: [3, 2] },
    { shape: [3, 1, 2], reps: [1, 4, 3] },
    { shape: [4], reps: [5] },
    { shape: [2, 2], reps: [1, 1] },
  ])('matches cpu for $shape x $reps', async ({ shape, reps }) => {
    const xValues = values(size(shape), 17);
    await expectSameOnBothBackends(() => tf.tidy(() => [tf.tile(tf.tensor(xValues, shape), reps)]));
  });

  it('repeats int32 and bool tensors', async () => {
    await tf.setBackend('wasm');
    const ints = tf.tile(tf.tensor2d([1, 2, 3, 4], [2, 2], 'int32'), [2, 1]);
    const bools = tf.tile(tf.tensor1d([true, false], 'bool'), [2]);
    expect(Array.from(ints.dataSync())).toEqual([1, 2, 3, 4, 1, 2, 3, 4]);
    expect(Array.from(bools.dataSync())).toEqual([1, 0, 1, 0]);
    tf.dispose([ints, bools]);
  });
});

describe('UnsortedSegmentSum on wasm', () => {
  it('matches cpu for float rows', async () => {
    await expectSameOnBothBackends(() =>
      tf.tidy(() => [tf.unsortedSegmentSum(tf.tensor2d(values(12, 15), [4, 3]), tf.tensor1d([2, 0, 2, 1], 'int32'), 3)]),
    );
  });

  it('sums int32 values', async () => {
    await tf.setBackend('wasm');
    const sums = tf.tidy(() => tf.unsortedSegmentSum(tf.tensor1d([1, 2, 3, 4], 'int32'), tf.tensor1d([1, 1, 0, 3], 'int32'), 4));
    expect(sums.dtype).toBe('int32');
    expect(Array.from(sums.dataSync())).toEqual([3, 3, 0, 4]);
    sums.dispose();
  });

  it('is the gradient of gather', async () => {
    await expectSameOnBothBackends(() =>
      tf.tidy(() => {
        const table = tf.tensor2d(values(15, 16), [5, 3]);
        const indices = tf.tensor1d([4, 0, 4, 2], 'int32');
        return [tf.grad((t) => tf.sum(tf.square(tf.gather(t, indices))))(table)];
      }),
    );
  });
});

describe('registerWasmTrainingKernels', () => {
  it('is idempotent', () => {
    expect(() => registerWasmTrainingKernels()).not.toThrow();
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });
});
