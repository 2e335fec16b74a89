// Gradient checks of the depthwise Conv2D kernels on wasm against cpu over a
// grid of kernel sizes, strides, paddings, channel counts and odd image
// sizes, plus the paths for dilation, multipliers and explicit pads.
import { beforeAll, describe, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { expectSameOnBothBackends, runKernel, setUpBackends, size, values } from './backends.fixture';

beforeAll(setUpBackends);

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

interface DepthwiseCase {
  input: [number, number, number, number];
  kernel: number;
  multiplier: number;
  stride: number;
  dilation: number;
  pad: Pad;
}

function gridCases(): DepthwiseCase[] {
  const cases: DepthwiseCase[] = [];
  for (const kernel of [3, 5]) {
    for (const stride of [1, 2]) {
      for (const pad of ['same', 'valid'] as const) {
        for (const channels of [1, 3, 8]) {
          for (const side of [7, 13]) {
            cases.push({ input: [2, side, side, channels], kernel, multiplier: 1, stride, dilation: 1, pad });
          }
        }
      }
    }
  }
  return cases;
}

const OTHER_CASES: DepthwiseCase[] = [
  { input: [2, 7, 7, 1], kernel: 3, multiplier: 1, stride: 1, dilation: 1, pad: 'same' },
  { input: [2, 13, 13, 8], kernel: 3, multiplier: 1, stride: 2, dilation: 1, pad: 'same' },
  { input: [2, 13, 13, 4], kernel: 5, multiplier: 1, stride: 1, dilation: 1, pad: 'same' },
  { input: [2, 14, 14, 6], kernel: 5, multiplier: 1, stride: 2, dilation: 1, pad: 'same' },
  { input: [2, 9, 9, 3], kernel: 3, multiplier: 1, stride: 1, dilation: 1, pad: 'valid' },
  { input: [2, 7, 7, 3], kernel: 3, multiplier: 2, stride: 1, dilation: 1, pad: 'same' },
  { input: [2, 11, 11, 2], kernel: 5, multiplier: 3, stride: 2, dilation: 1, pad: 'valid' },
  { input: [2, 13, 13, 4], kernel: 3, multiplier: 1, stride: 1, dilation: 2, pad: 'same' },
  { input: [2, 13, 13, 2], kernel: 3, multiplier: 2, stride: 1, dilation: 2, pad: 'valid' },
  { input: [2, 13, 13, 5], kernel: 5, multiplier: 1, stride: 1, dilation: 2, pad: 'valid' },
  { input: [2, 13, 13, 2], kernel: 5, multiplier: 3, stride: 2, dilation: 1, pad: 'valid' },
  { input: [2, 8, 12, 6], kernel: 3, multiplier: 1, stride: 2, dilation: 1, pad: 'same' },
  // Strides with phases that have no filter taps, or taps that XNNPACK pads to a fast shape.
  { input: [2, 9, 9, 3], kernel: 1, multiplier: 1, stride: 2, dilation: 1, pad: 'same' },
  { input: [2, 13, 13, 3], kernel: 3, multiplier: 1, stride: 3, dilation: 1, pad: 'valid' },
  { input: [2, 14, 14, 2], kernel: 7, multiplier: 1, stride: 2, dilation: 1, pad: 'same' },
  { input: [2, 12, 12, 4], kernel: 2, multiplier: 1, stride: 2, dilation: 1, pad: 'valid' },
  // A top padding of 3 exceeds the filter span of 2, so the input gradient takes the loop.
  { input: [2, 9, 9, 4], kernel: 3, multiplier: 1, stride: 1, dilation: 1, pad: [[0, 0], [3, 1], [0, 2], [0, 0]] },
  { input: [2, 9, 9, 4], kernel: 3, multiplier: 1, stride: 2, dilation: 1, pad: [[0, 0], [1, 0], [2, 1], [0, 0]] },
];

/**
 * Returns the [k, k, channels, multiplier] filter spread to the undilated
 * filter of size (k - 1) * dilation + 1 with zeros between taps.
 */
function dilateFilter(filter: tf.Tensor4D, dilation: number): tf.Tensor4D {
  const [k, , channels, multiplier] = filter.shape;
  const spread = (k - 1) * dilation + 1;
  const data = filter.arraySync();
  const out = tf.buffer([spread, spread, channels, multiplier]);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      for (let c = 0; c < channels; c++) {
        for (let q = 0; q < multiplier; q++) out.set(data[i][j][c][q], i * dilation, j * dilation, c, q);
      }
    }
  }
  return out.toTensor() as tf.Tensor4D;
}

/** Keeps the taps of an undilated filter gradient that a dilated filter of size k uses. */
function takeDilatedTaps(gradient: tf.Tensor, k: number, dilation: number): tf.Tensor {
  const indices = tf.tensor1d(
    Array.from({ length: k }, (_, i) => i * dilation),
    'int32',
  );
  return tf.gather(tf.gather(gradient, indices, 0), indices, 1);
}

/**
 * Returns the filter and input gradients of one case from the two kernels.
 * With `undilate`, it runs the equivalent undilated filter instead, because
 * the cpu kernels of tfjs 4.22 ignore dilations.
 */
function depthwiseGradients(testCase: DepthwiseCase, undilate: boolean): tf.Tensor[] {
  const { input, kernel, multiplier, stride, dilation, pad } = testCase;
  const filterShape: [number, number, number, number] = [kernel, kernel, input[3], multiplier];
  return tf.tidy(() => {
    const x = tf.tensor4d(values(size(input), 4), input);
    const filter = tf.tensor4d(values(size(filterShape), 5), filterShape);
    const output = tf.depthwiseConv2d(x, filter, stride, pad, 'NHWC', dilation);
    const dy = tf.tensor(values(output.size, 6), output.shape);
    if (!undilate) {
      const attrs = { strides: stride, pad, dilations: dilation };
      return [
        runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, { ...attrs, filterShape }),
        runKernel('DepthwiseConv2dNativeBackpropInput', { dy, filter }, { ...attrs, inputShape: input }),
      ];
    }
    const spread = dilateFilter(filter, dilation);
    const attrs = { strides: stride, pad, dilations: 1 };
    const filterGradient = runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, { ...attrs, filterShape: spread.shape });
    return [
      takeDilatedTaps(filterGradient, kernel, dilation),
      runKernel('DepthwiseConv2dNativeBackpropInput', { dy, filter: spread }, { ...attrs, inputShape: input }),
    ];
  });
}

describe('depthwise gradients on wasm', () => {
  it.each([...gridCases(), ...OTHER_CASES])(
    'match cpu for $input k$kernel x$multiplier s$stride d$dilation $pad',
    async (testCase) => {
      await expectSameOnBothBackends(
        () => depthwiseGradients(testCase, false),
        () => depthwiseGradients(testCase, testCase.dilation > 1),
      );
    },
  );

  it('match cpu through tf.grads', async () => {
    const input: [number, number, number, number] = [2, 9, 9, 5];
    const filterShape: [number, number, number, number] = [3, 3, 5, 1];
    await expectSameOnBothBackends(() =>
      tf.tidy(() => {
        const x = tf.tensor4d(values(size(input), 7), input);
        const filter = tf.tensor4d(values(size(filterShape), 8), filterShape);
        const weights = tf.tensor(values(2 * 5 * 5 * 5, 9), [2, 5, 5, 5]);
        const gradients = tf.grads((a, b) => tf.sum(tf.mul(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same'), weights)));
        return gradients([x, filter]);
      }),
    );
  });
  it('match cpu through tf.grads with a batch of 64', async () => {
    const input: [number, number, number, number] = [64, 14, 14, 8];
    const filterShape: [number, number, number, number] = [5, 5, 8, 1];
    await expectSameOnBothBackends(() =>
      tf.tidy(() => {
        const x = tf.tensor4d(values(size(input), 7), input);
        const filter = tf.tensor4d(values(size(filterShape), 8), filterShape);
        const weights = tf.tensor(values(64 * 7 * 7 * 8, 9), [64, 7, 7, 8]);
        const loss = (a: tf.Tensor, b: tf.Tensor): tf.Scalar =>
          tf.sum(tf.mul(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same'), weights));
        return tf.grads(loss)([x, filter]);
      }),
    );
  });
});
