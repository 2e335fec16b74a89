// Checks of the Conv2D filter gradient read from x in place against cpu.
// Cases cover 1x1 to 5x3 filters, 4 to 9 input channels (an even or odd
// number of filter entries) and 16 to 48 output channels. Other shapes must
// take the other paths.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { expectSameOnBothBackends, runKernel, setUpBackends, size, values } from './backends.fixture';
import type { BackendWasm } from './heap';
import { assembleModule } from './simd-assembler';
import { accumulateValidKernel, filterGradientByValidProduct, fitsValidProduct, simdAccumulateValid } from './simd-filter-grad-valid';

beforeAll(setUpBackends);

type Shape4 = [number, number, number, number];

interface ValidCase {
  input: Shape4;
  filter: [number, number];
  outChannels: number;
}

const CASES: ValidCase[] = [
  { input: [2, 7, 7, 4], filter: [3, 3], outChannels: 16 },
  { input: [3, 6, 8, 5], filter: [3, 3], outChannels: 32 },
  { input: [2, 9, 6, 8], filter: [5, 3], outChannels: 16 },
  { input: [1, 5, 5, 7], filter: [2, 2], outChannels: 48 },
  { input: [2, 4, 4, 9], filter: [1, 1], outChannels: 16 },
];

function convInfo(input: Shape4, filter: [number, number], outChannels: number, pad: 'same' | 'valid', stride = 1, dilation = 1) {
  return tf.backend_util.computeConv2DInfo(input, [filter[0], filter[1], input[3], outChannels], stride, dilation, pad);
}

describe('filter gradient read from x in place', () => {
  it('builds and validates the SIMD kernel', async () => {
    await tf.setBackend('wasm');
    expect(simdAccumulateValid(tf.backend() as BackendWasm)).not.toBeNull();
    expect(WebAssembly.validate(assembleModule(false, accumulateValidKernel()))).toBe(true);
    expect(WebAssembly.validate(assembleModule(true, accumulateValidKernel()))).toBe(true);
  });

  it.each(CASES)('fits $input $filter x$outChannels', ({ input, filter, outChannels }) => {
    expect(fitsValidProduct(convInfo(input, filter, outChannels, 'valid'))).toBe(true);
  });

  it('rejects padded, strided, dilated, narrow convolutions', () => {
    expect(fitsValidProduct(convInfo([2, 7, 7, 4], [3, 3], 16, 'same'))).toBe(false);
    expect(fitsValidProduct(convInfo([2, 7, 7, 4], [3, 3], 16, 'valid', 2))).toBe(false);
    expect(fitsValidProduct(convInfo([2, 7, 7, 4], [3, 3], 16, 'valid', 1, 2))).toBe(false);
    expect(fitsValidProduct(convInfo([2, 7, 7, 4], [3, 3], 8, 'valid'))).toBe(false);
  });

  it.each(CASES)('matches cpu for $input $filter x$outChannels', async ({ input, filter, outChannels }) => {
    const filterShape: Shape4 = [filter[0], filter[1], input[3], outChannels];
    const outShape = tf.tidy(() => tf.conv2d(tf.zeros(input) as tf.Tensor4D, tf.zeros(filterShape) as tf.Tensor4D, 1, 'valid').shape);
    const xValues = values(size(input), 90);
    const dyValues = values(size(outShape), 91);
    const attrs = { strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape };
    await expectSameOnBothBackends(
      () =>
        tf.tidy(() => {
          const wasm = tf.backend() as BackendWasm;
          const accumulate = simdAccumulateValid(wasm);
          if (accumulate === null) throw new Error('the SIMD kernel did not build');
          const x = tf.tensor4d(xValues, input);
          const dy = tf.tensor(dyValues, outShape);
          const info = convInfo(input, filter, outChannels, 'valid');
          return [tf.engine().makeTensorFromTensorInfo(filterGradientByValidProduct(wasm, accumulate, x, dy, info))];
        }),
      () => tf.tidy(() => [runKernel('Conv2DBackpropFilter', { x: tf.tensor4d(xValues, input), dy: tf.tensor(dyValues, outShape) }, attrs)]),
    );
  });

  it('matches cpu through the Conv2DBackpropFilter kernel', async () => {
    const input: Shape4 = [3, 9, 9, 16];
    const filterShape: Shape4 = [3, 3, 16, 32];
    const xValues = values(size(input), 92);
    const dyValues = values(3 * 7 * 7 * 32, 93);
    await expectSameOnBothBackends(() =>
      tf.tidy(() => {
        const x = tf.tensor4d(xValues, input);
        const dy = tf.tensor4d(dyValues, [3, 7, 7, 32]);
        return [runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape })];
      }),
    );
  });
});
