// Checks of the 2x2, stride 2 MaxPoolGrad path: through the wasm kernel
// against the cpu backend (the SIMD kernel where channels come in fours,
// the JavaScript loop otherwise), and on plain arrays for the ties, NaN and
// -Infinity rules of the loop.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { expectSameOnBothBackends, setUpBackends, size, values } from './backends.fixture';
import type { BackendWasm } from './heap';
import { routeTwoByTwoPools } from './max-pool-grad-2x2';
import { assembleModule } from './simd-assembler';
import { routeWindowRowKernel, simdRouteWindowRow } from './simd-max-pool-grad';

beforeAll(setUpBackends);

const SHAPES: [number, number, number, number][] = [
  [2, 26, 26, 4],
  [2, 13, 13, 3],
  [1, 7, 7, 5],
  [2, 8, 6, 8],
  [3, 11, 11, 32],
];

/** Returns ReLU-like values: about half are exactly 0, so whole windows tie. */
function reluValues(count: number, seed: number, levels: number): Float32Array {
  return values(count, seed).map((v) => Math.max(0, Math.round(v * levels) / levels));
}

describe('MaxPoolGrad 2x2 stride 2 on wasm', () => {
  it.each(SHAPES)('matches cpu for [%i, %i, %i, %i]', async (...input) => {
    const xValues = reluValues(size(input), 31, 4);
    await expectSameOnBothBackends(() =>
      tf.tidy(() => {
        const x = tf.tensor4d(xValues, input);
        const weights = tf.tensor(values(tf.maxPool(x, 2, 2, 'valid').size, 32), tf.maxPool(x, 2, 2, 'valid').shape);
        return [tf.grad((a) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid'), weights)))(x)];
      }),
    );
  });

  it('writes zeros over reused heap memory', async () => {
    // An even size, so no window misses a row and nothing zeroes dx first.
    const input: [number, number, number, number] = [2, 12, 12, 4];
    const xValues = reluValues(size(input), 33, 2);
    await expectSameOnBothBackends(() => {
      // The allocator tends to give dx this freed block, so an element the
      // kernel does not write keeps a 7.
      tf.fill(input, 7).dispose();
      return tf.tidy(() => [tf.grad((a) => tf.sum(tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid')))(tf.tensor4d(xValues, input))]);
    });
  });
});

/**
 * Runs routeTwoByTwoPools on one [1, 2, 2, 1] window with maximum `y` and
 * dy 5, on a heap laid out as x, y, dy, dx, and returns dx.
 */
function routeOneWindow(x: number[], y: number): number[] {
  const heap = new Float32Array([...x, y, 5, 9, 9, 9, 9]);
  routeTwoByTwoPools(heap, { xStart: 0, yStart: 4, dyStart: 5, dxStart: 6, batch: 1, inHeight: 2, inWidth: 2, outHeight: 1, outWidth: 1, channels: 1 });
  return Array.from(heap.subarray(6));
}

describe('routeTwoByTwoPools', () => {
  it('passes a tie to the first tap', () => {
    expect(routeOneWindow([1, 3, 3, 3], 3)).toEqual([0, 5, 0, 0]);
    expect(routeOneWindow([0, 0, 0, 0], 0)).toEqual([5, 0, 0, 0]);
  });

  it('routes to the last tap', () => {
    expect(routeOneWindow([1, 2, 3, 4], 4)).toEqual([0, 0, 0, 5]);
  });

  it('skips NaN when y is NaN', () => {
    expect(routeOneWindow([NaN, 2, NaN, 1], NaN)).toEqual([0, 5, 0, 0]);
  });

  it('skips NaN when y ignores it', () => {
    expect(routeOneWindow([NaN, 2, 8, 1], 8)).toEqual([0, 0, 5, 0]);
  });

  it('passes nothing from a window of NaN', () => {
    expect(routeOneWindow([NaN, NaN, NaN, NaN], NaN)).toEqual([0, 0, 0, 0]);
  });

  it('passes nothing from a window of -Infinity', () => {
    expect(routeOneWindow([-Infinity, -Infinity, -Infinity, -Infinity], -Infinity)).toEqual([0, 0, 0, 0]);
  });

  it('searches again when y matches no tap', () => {
    expect(routeOneWindow([1, 6, 2, 3], 7)).toEqual([0, 5, 0, 0]);
  });

  it('leaves the uncovered last row and column', () => {
    // x [1, 3, 3, 1] has one window, and row 2 and column 2 belong to none.
    const heap = new Float32Array([1, 2, 0, 4, 3, 0, 0, 0, 0, 4, 5, ...new Array(9).fill(9)]);
    routeTwoByTwoPools(heap, { xStart: 0, yStart: 9, dyStart: 10, dxStart: 11, batch: 1, inHeight: 3, inWidth: 3, outHeight: 1, outWidth: 1, channels: 1 });
    expect(Array.from(heap.subarray(11))).toEqual([0, 0, 9, 5, 0, 9, 9, 9, 9]);
  });
});

describe('SIMD MaxPoolGrad 2x2 kernel', () => {
  it('builds on the Node wasm backend', async () => {
    await tf.setBackend('wasm');
    expect(simdRouteWindowRow(tf.backend() as BackendWasm)).not.toBeNull();
  });

  it('assembles a valid module for both memory kinds', () => {
    expect(WebAssembly.validate(assembleModule(false, routeWindowRowKernel()))).toBe(true);
    expect(WebAssembly.validate(assembleModule(true, routeWindowRowKernel()))).toBe(true);
  });

  it('matches cpu for ties, NaN and -Infinity in four channels', async () => {
    // x [1, 4, 4, 4] has four windows, and channel c of window w takes pattern (w + c) % 4.
    const patterns = [
      [3, 3, 1, 3],
      [NaN, 2, NaN, 1],
      [-Infinity, -Infinity, -Infinity, -Infinity],
      [NaN, NaN, NaN, NaN],
    ];
    const input: [number, number, number, number] = [1, 4, 4, 4];
    const xValues = new Float32Array(size(input));
    for (let wh = 0; wh < 2; wh++) {
      for (let ww = 0; ww < 2; ww++) {
        for (let c = 0; c < 4; c++) {
          const pattern = patterns[(wh * 2 + ww + c) % 4];
          for (let tap = 0; tap < 4; tap++) {
            const h = 2 * wh + (tap >> 1);
            const w = 2 * ww + (tap & 1);
            xValues[(h * 4 + w) * 4 + c] = pattern[tap];
          }
        }
      }
    }
    await expectSameOnBothBackends(() =>
      tf.tidy(() => {
        const x = tf.tensor4d(xValues, input);
        const weights = tf.tensor4d(values(16, 34), [1, 2, 2, 4]);
        return [tf.grad((a) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid'), weights)))(x)];
      }),
    );
  });
});
