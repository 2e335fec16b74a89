// Gradient checks of the wasm Conv2D gradient kernels against the cpu
// backend. They cover both filter-gradient paths (the convolution with
// swapped axes and the transposed patch product), strides 1 and 2, 'same',
// 'valid' and numeric padding, 1 to 8 input channels and odd sizes.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { expectSameOnBothBackends, runKernel, setUpBackends, size, values } from './backends.fixture';
import { filterGradientByConvolution, filterGradientByTransposedPatches } from './conv2d-filter-grad';
import { assembleModule } from './simd-assembler';
import { accumulateProductsKernel, simdAccumulateProducts } from './simd-filter-grad';
import type { BackendWasm } from './heap';

beforeAll(setUpBackends);

interface GradientCase {
  input: [number, number, number, number];
  kernel: number;
  outChannels: number;
  stride: number;
  pad: 'same' | 'valid' | number;
}

// Cases with four or more input channels and outChannels <= kernel *
// kernel * inChannels take the convolution path of the filter gradient, and
// the others the transposed patch product. That product runs as the SIMD
// kernel for outChannels 16 and 32 with up to 32 patch entries. Outputs 16
// or more wide copy their patch rows in blocks.
const GRADIENT_CASES: GradientCase[] = [
  { input: [1, 20, 20, 1], kernel: 3, outChannels: 4, stride: 1, pad: 'same' },
  { input: [1, 20, 20, 2], kernel: 3, outChannels: 16, stride: 1, pad: 'valid' },
  { input: [2, 9, 9, 1], kernel: 5, outChannels: 16, stride: 1, pad: 'same' },
  { input: [2, 13, 13, 2], kernel: 3, outChannels: 32, stride: 2, pad: 'valid' },
  { input: [2, 8, 8, 3], kernel: 3, outChannels: 16, stride: 2, pad: 'same' },
  { input: [2, 7, 7, 1], kernel: 3, outChannels: 4, stride: 1, pad: 'same' },
  { input: [2, 7, 7, 1], kernel: 3, outChannels: 16, stride: 1, pad: 'valid' },
  { input: [3, 13, 13, 1], kernel: 3, outChannels: 12, stride: 2, pad: 'same' },
  { input: [2, 7, 7, 1], kernel: 1, outChannels: 4, stride: 1, pad: 'valid' },
  { input: [2, 13, 13, 2], kernel: 3, outChannels: 8, stride: 2, pad: 'valid' },
  { input: [2, 13, 13, 2], kernel: 5, outChannels: 8, stride: 2, pad: 'same' },
  { input: [2, 8, 8, 3], kernel: 3, outChannels: 5, stride: 2, pad: 'valid' },
  { input: [2, 8, 8, 3], kernel: 3, outChannels: 6, stride: 2, pad: 'same' },
  { input: [2, 7, 7, 4], kernel: 5, outChannels: 8, stride: 1, pad: 'same' },
  { input: [1, 7, 7, 2], kernel: 3, outChannels: 32, stride: 1, pad: 'same' },
  { input: [2, 7, 7, 6], kernel: 1, outChannels: 16, stride: 1, pad: 'same' },
  { input: [2, 9, 9, 5], kernel: 3, outChannels: 7, stride: 1, pad: 1 },
  { input: [2, 13, 13, 6], kernel: 5, outChannels: 4, stride: 2, pad: 'same' },
  { input: [2, 8, 8, 6], kernel: 3, outChannels: 8, stride: 2, pad: 'valid' },
  { input: [2, 13, 13, 8], kernel: 3, outChannels: 16, stride: 1, pad: 'valid' },
  { input: [2, 7, 7, 8], kernel: 1, outChannels: 4, stride: 2, pad: 'valid' },
];

describe('Conv2D gradient kernels on wasm', () => {
  it.each(GRADIENT_CASES)(
    'match cpu for $input k$kernel x$outChannels s$stride $pad',
    async ({ input, kernel, outChannels, stride, pad }) => {
      const filterShape: [number, number, number, number] = [kernel, kernel, input[3], outChannels];
      const xValues = values(size(input), 21);
      const filterValues = values(size(filterShape), 22);
      await expectSameOnBothBackends(() =>
        tf.tidy(() => {
          const x = tf.tensor4d(xValues, input);
          const filter = tf.tensor4d(filterValues, filterShape);
          const output = tf.conv2d(x, filter, stride, pad);
          const dy = tf.tensor(values(output.size, 23), output.shape);
          const attrs = { strides: stride, pad, dataFormat: 'NHWC', dimRoundingMode: undefined };
          return [
            runKernel('Conv2DBackpropFilter', { x, dy }, { ...attrs, filterShape }),
            runKernel('Conv2DBackpropInput', { dy, filter }, { ...attrs, inputShape: input }),
          ];
        }),
      );
    },
  );

  it('gradients through tf.grads match cpu', async () => {
    const input: [number, number, number, number] = [2, 9, 9, 3];
    const xValues = values(size(input), 24);
    const filterValues = values(3 * 3 * 3 * 6, 25);
    const weights = values(2 * 4 * 4 * 6, 26);
    await expectSameOnBothBackends(() =>
      tf.tidy(() => {
        const x = tf.tensor4d(xValues, input);
        const filter = tf.tensor4d(filterValues, [3, 3, 3, 6]);
        const loss = (a: tf.Tensor, b: tf.Tensor): tf.Scalar =>
          tf.sum(tf.mul(tf.relu(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'valid')), tf.tensor4d(weights, [2, 4, 4, 6])));
        return tf.grads(loss)([x, filter]);
      }),
    );
  });
});

/**
 * Returns the [k, k, inChannels, outChannels] filter gradient of a
 * convolution dilated by `dilation`. The cpu kernel computes it for the
 * undilated filter of size (k - 1) * dilation + 1, and the dilated taps
 * are picked out of that.
 */
function dilatedFilterGradient(x: tf.Tensor4D, dy: tf.Tensor4D, k: number, dilation: number, pad: 'same' | 'valid'): tf.Tensor {
  const spread = (k - 1) * dilation + 1;
  const filterShape = [spread, spread, x.shape[3], dy.shape[3]];
  const gradient = runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad, dataFormat: 'NHWC', filterShape });
  const taps = tf.tensor1d(
    Array.from({ length: k }, (_, i) => i * dilation),
    'int32',
  );
  return tf.gather(tf.gather(gradient, taps, 0), taps, 1);
}

describe('SIMD filter gradient product', () => {
  it('builds on the Node wasm backend', async () => {
    await tf.setBackend('wasm');
    expect(simdAccumulateProducts(tf.backend() as BackendWasm)).not.toBeNull();
  });

  it('assembles a valid module for both memory kinds', () => {
    expect(WebAssembly.validate(assembleModule(false, accumulateProductsKernel()))).toBe(true);
    expect(WebAssembly.validate(assembleModule(true, accumulateProductsKernel()))).toBe(true);
  });
});

const FILTER_GRADIENT_PATHS = [
  { path: 'filterGradientByConvolution', gradient: filterGradientByConvolution },
  { path: 'filterGradientByTransposedPatches', gradient: filterGradientByTransposedPatches },
];

const DILATED_CASES = FILTER_GRADIENT_PATHS.flatMap((path) => [
  { ...path, input: [2, 9, 9, 3] as [number, number, number, number], pad: 'same' as const },
  { ...path, input: [2, 11, 11, 2] as [number, number, number, number], pad: 'valid' as const },
]);

describe('Conv2D filter gradient paths', () => {
  it.each(DILATED_CASES)('$path matches cpu with dilation 2 for $input $pad', async ({ gradient, input, pad }) => {
    const kernel = 3;
    const dilation = 2;
    const outChannels = 4;
    const filterShape: [number, number, number, number] = [kernel, kernel, input[3], outChannels];
    const outShape = tf.tidy(() => tf.conv2d(tf.zeros(input) as tf.Tensor4D, tf.zeros(filterShape) as tf.Tensor4D, 1, pad, 'NHWC', dilation).shape);
    const xValues = values(size(input), 27);
    const dyValues = values(size(outShape), 28);
    const onWasm = (): tf.Tensor[] => {
      const x = tf.tensor4d(xValues, input);
      const dy = tf.tensor4d(dyValues, outShape);
      const info = tf.backend_util.computeConv2DInfo(input, filterShape, 1, dilation, pad);
      const result = gradient(tf.backend() as BackendWasm, x, dy, info);
      tf.dispose([x, dy]);
      expect(result).not.toBeNull();
      return [tf.engine().makeTensorFromTensorInfo(result as tf.TensorInfo)];
    };
    const onCpu = (): tf.Tensor[] =>
      tf.tidy(() => [dilatedFilterGradient(tf.tensor4d(xValues, input), tf.tensor4d(dyValues, outShape), kernel, dilation, pad)]);
    await expectSameOnBothBackends(onWasm, onCpu);
  });
});
