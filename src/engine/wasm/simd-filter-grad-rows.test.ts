// Checks of the single-channel Conv2D filter gradient summed from image rows
// against cpu: 'valid', 'same' and numeric padding, filters 1 to 5 rows
// tall, 16 and 32 output channels, and the shapes that take other paths.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { expectSameOnBothBackends, runKernel, setUpBackends, size, values } from './backends.fixture';
import type { BackendWasm } from './heap';
import { assembleModule } from './simd-assembler';
import { accumulateImageKernel, fitsImageRows, simdAccumulateImage } from './simd-filter-grad-rows';

beforeAll(setUpBackends);

type Shape4 = [number, number, number, number];

interface RowsCase {
  input: Shape4;
  filter: [number, number];
  outChannels: number;
  pad: 'same' | 'valid' | number;
}

const CASES: RowsCase[] = [
  { input: [2, 7, 7, 1], filter: [3, 3], outChannels: 16, pad: 'valid' },
  { input: [2, 7, 7, 1], filter: [3, 3], outChannels: 16, pad: 'same' },
  { input: [3, 6, 9, 1], filter: [3, 3], outChannels: 32, pad: 'valid' },
  { input: [2, 5, 5, 1], filter: [2, 3], outChannels: 16, pad: 'same' },
  { input: [1, 4, 4, 1], filter: [3, 3], outChannels: 16, pad: 2 },
  { input: [2, 7, 6, 1], filter: [5, 3], outChannels: 16, pad: 'valid' },
  { input: [2, 3, 3, 1], filter: [1, 3], outChannels: 48, pad: 'same' },
];

function convInfo(input: Shape4, filter: [number, number], outChannels: number, pad: 'same' | 'valid' | number, stride = 1) {
  return tf.backend_util.computeConv2DInfo(input, [filter[0], filter[1], input[3], outChannels], stride, 1, pad);
}

describe('filter gradient from image rows', () => {
  it('builds and validates the SIMD kernel', async () => {
    await tf.setBackend('wasm');
    expect(simdAccumulateImage(tf.backend() as BackendWasm)).not.toBeNull();
    expect(WebAssembly.validate(assembleModule(false, accumulateImageKernel()))).toBe(true);
    expect(WebAssembly.validate(assembleModule(true, accumulateImageKernel()))).toBe(true);
  });

  it.each(CASES)('fits $input $filter x$outChannels $pad', ({ input, filter, outChannels, pad }) => {
    expect(fitsImageRows(convInfo(input, filter, outChannels, pad))).toBe(true);
  });

  it('leaves other shapes to the other paths', () => {
    expect(fitsImageRows(convInfo([2, 7, 7, 2], [3, 3], 16, 'same'))).toBe(false);
    expect(fitsImageRows(convInfo([2, 7, 7, 1], [3, 3], 8, 'same'))).toBe(false);
    expect(fitsImageRows(convInfo([2, 7, 7, 1], [5, 5], 16, 'same'))).toBe(false);
    expect(fitsImageRows(convInfo([2, 7, 7, 1], [3, 3], 16, 'same', 2))).toBe(false);
  });

  it.each(CASES)('matches cpu for $input $filter x$outChannels $pad', async ({ input, filter, outChannels, pad }) => {
    const filterShape: Shape4 = [filter[0], filter[1], 1, outChannels];
    const outShape = tf.tidy(() => tf.conv2d(tf.zeros(input) as tf.Tensor4D, tf.zeros(filterShape) as tf.Tensor4D, 1, pad).shape);
    const xValues = values(size(input), 80);
    const dyValues = values(size(outShape), 81);
    await expectSameOnBothBackends(() =>
      tf.tidy(() => {
        const x = tf.tensor4d(xValues, input);
        const dy = tf.tensor(dyValues, outShape);
        return [runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad, dataFormat: 'NHWC', filterShape })];
      }),
    );
  });
});
