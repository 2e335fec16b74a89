// Checks of the SIMD float64 column sums behind the wasm Sum and Mean over
// leading axes: every mix of column groups, float64 accuracy over many rows,
// NaN and infinities, and the bias gradient of a conv layer.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { expectSameOnBothBackends, setUpBackends, size, values } from './backends.fixture';
import type { BackendWasm } from './heap';
import { assembleModule } from './simd-assembler';
import { simdSumColumns, SUM_WIDTHS, sumColumnsKernel } from './simd-column-sums';

beforeAll(setUpBackends);

describe('SIMD column sums', () => {
  it.each(SUM_WIDTHS)('build and validate for %i vectors', async (vectors) => {
    await tf.setBackend('wasm');
    expect(simdSumColumns(tf.backend() as BackendWasm, vectors)).not.toBeNull();
    expect(WebAssembly.validate(assembleModule(false, sumColumnsKernel(vectors)))).toBe(true);
    expect(WebAssembly.validate(assembleModule(true, sumColumnsKernel(vectors)))).toBe(true);
  });

  // 4, 8 and 16 columns use one kernel each; 12, 28 and 32 combine them.
  const shapes = [[5, 3, 4], [9, 8], [2, 7, 7, 16], [6, 12], [3, 5, 28], [1, 32], [1000, 4]];

  it.each(shapes)('Sum and Mean match cpu for %j', async (...shape) => {
    const xValues = values(size(shape), 70).map((v) => v * 100);
    const axes = shape.slice(0, -1).map((_, i) => i);
    await expectSameOnBothBackends(() =>
      tf.tidy(() => {
        const x = tf.tensor(xValues, shape);
        return [tf.sum(x, axes), tf.mean(x, axes), tf.sum(x, axes, true)];
      }),
    );
  });

  it('sums in float64 across many rows', async () => {
    // 1 + 4096 * 2^-24 is exact in float64 but a float32 running sum stays at 1.
    const rows = 4097;
    const xValues = new Float32Array(rows * 4).fill(2 ** -24);
    xValues.fill(1, 0, 4);
    await tf.setBackend('wasm');
    const sum = tf.sum(tf.tensor2d(xValues, [rows, 4]), 0);
    expect(Array.from(sum.dataSync())).toEqual(new Array(4).fill(Math.fround(1 + 4096 * 2 ** -24)));
    sum.dispose();
  });

  it('keeps NaN and infinities per column', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor2d([NaN, Infinity, -Infinity, 1, 2, 3, 4, 5, 0, 0, Infinity, -1], [3, 4]);
    const sum = tf.sum(x, 0);
    expect(Array.from(sum.dataSync())).toEqual([NaN, Infinity, NaN, 5]);
    tf.dispose([x, sum]);
  });

  it('bias gradient of a conv layer matches cpu', async () => {
    const input: [number, number, number, number] = [4, 6, 6, 3];
    const filterShape: [number, number, number, number] = [3, 3, 3, 8];
    const xValues = values(size(input), 71);
    const filterValues = values(size(filterShape), 72);
    const biasValues = values(8, 73);
    await expectSameOnBothBackends(() =>
      tf.tidy(() => {
        const x = tf.tensor4d(xValues, input);
        const filter = tf.tensor4d(filterValues, filterShape);
        const loss = (b: tf.Tensor) => tf.sum(tf.square(tf.add(tf.conv2d(x, filter, 1, 'valid'), b)));
        return [tf.grad(loss)(tf.tensor1d(biasValues))];
      }),
    );
  });
});
