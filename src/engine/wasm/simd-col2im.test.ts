// Checks of the Conv2D input gradient through the SIMD col2im against cpu:
// 'same', 'valid' and numeric padding, even filters with uneven padding,
// filters wider than the input, and the tf.grads path of a training step.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { expectSameOnBothBackends, runKernel, setUpBackends, size, values } from './backends.fixture';
import type { BackendWasm } from './heap';
import { assembleModule } from './simd-assembler';
import { addRunsKernel, fitsSimdCol2im, simdAddRuns } from './simd-col2im';
import { convGeometry } from './patches';

beforeAll(setUpBackends);

type Shape4 = [number, number, number, number];

interface InputGradientCase {
  input: Shape4;
  kernel: number;
  outChannels: number;
  pad: 'same' | 'valid' | number;
}

// Every case has filterWidth * inChannels a multiple of 4, so it takes the SIMD col2im.
const CASES: InputGradientCase[] = [
  { input: [2, 6, 6, 4], kernel: 3, outChannels: 8, pad: 'same' },
  { input: [2, 5, 7, 4], kernel: 3, outChannels: 5, pad: 'valid' },
  { input: [1, 3, 3, 4], kernel: 5, outChannels: 4, pad: 'same' },
  { input: [2, 7, 5, 8], kernel: 3, outChannels: 16, pad: 2 },
  { input: [2, 6, 6, 2], kernel: 2, outChannels: 3, pad: 'same' },
  { input: [1, 4, 4, 4], kernel: 1, outChannels: 4, pad: 1 },
  { input: [3, 13, 13, 16], kernel: 3, outChannels: 32, pad: 'valid' },
];

describe('SIMD col2im', () => {
  it('builds on the Node wasm backend', async () => {
    await tf.setBackend('wasm');
    expect(simdAddRuns(tf.backend() as BackendWasm)).not.toBeNull();
  });

  it('assembles a valid module for both memory kinds', () => {
    expect(WebAssembly.validate(assembleModule(false, addRunsKernel()))).toBe(true);
    expect(WebAssembly.validate(assembleModule(true, addRunsKernel()))).toBe(true);
  });

  it.each(CASES)('fits $input k$kernel $pad', ({ input, kernel, outChannels, pad }) => {
    const info = tf.backend_util.computeConv2DInfo(input, [kernel, kernel, input[3], outChannels], 1, 1, pad);
    expect(fitsSimdCol2im(convGeometry(info))).toBe(true);
  });

  it.each(CASES)('input gradient matches cpu for $input k$kernel x$outChannels $pad', async ({ input, kernel, outChannels, pad }) => {
    const filterShape: Shape4 = [kernel, kernel, input[3], outChannels];
    const filterValues = values(size(filterShape), 60);
    const outShape = tf.tidy(() => tf.conv2d(tf.zeros(input) as tf.Tensor4D, tf.zeros(filterShape) as tf.Tensor4D, 1, pad).shape);
    const dyValues = values(size(outShape), 61);
    await expectSameOnBothBackends(() =>
      tf.tidy(() => {
        const dy = tf.tensor(dyValues, outShape);
        const filter = tf.tensor4d(filterValues, filterShape);
        return [runKernel('Conv2DBackpropInput', { dy, filter }, { strides: 1, pad, dataFormat: 'NHWC', inputShape: input })];
      }),
    );
  });

  it('gradients through tf.grads match cpu', async () => {
    const input: Shape4 = [2, 8, 8, 4];
    const filterShape: Shape4 = [3, 3, 4, 8];
    const xValues = values(size(input), 62);
    const filterValues = values(size(filterShape), 63);
    await expectSameOnBothBackends(() =>
      tf.tidy(() => {
        const x = tf.tensor4d(xValues, input);
        const filter = tf.tensor4d(filterValues, filterShape);
        const loss = (a: tf.Tensor, f: tf.Tensor) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, f as tf.Tensor4D, 1, 'same')));
        return tf.grads(loss)([x, filter]);
      }),
    );
  });
});
