// Checks of the NHWC transposes of the Conv2D filter gradient against
// tfjs's Transpose, on the SIMD path (channels and batch multiples of 4) and
// the JavaScript one, and of the filter gradient that uses them against cpu.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { expectSameOnBothBackends, runKernel, setUpBackends, size, values } from './backends.fixture';
import type { BackendWasm } from './heap';
import { moveBatchInside, swapBatchAndChannels } from './nhwc-transpose';
import { assembleModule } from './simd-assembler';
import { copyRowsKernel, simdCopyRows, simdTransposeBlocks, transposeBlocksKernel } from './simd-transpose';

beforeAll(setUpBackends);

type Shape4 = [number, number, number, number];

/** Returns the values of `transposeOnHeap(x)` and of tf.transpose(x, perm), both on wasm. */
function transposeBothWays(shape: Shape4, perm: number[], transposeOnHeap: (wasm: BackendWasm, x: tf.TensorInfo) => tf.TensorInfo): [number[], number[]] {
  const x = tf.tensor4d(values(size(shape), 50), shape);
  const result = tf.engine().makeTensorFromTensorInfo(transposeOnHeap(tf.backend() as BackendWasm, x));
  const expected = tf.transpose(x, perm);
  expect(result.shape).toEqual(expected.shape);
  const arrays: [number[], number[]] = [Array.from(result.dataSync()), Array.from(expected.dataSync())];
  tf.dispose([x, result, expected]);
  return arrays;
}

describe('NHWC transposes on wasm', () => {
  it('build the SIMD loops in Node', async () => {
    await tf.setBackend('wasm');
    expect(simdTransposeBlocks(tf.backend() as BackendWasm)).not.toBeNull();
    expect(simdCopyRows(tf.backend() as BackendWasm)).not.toBeNull();
  });

  it('assemble valid modules for both memory kinds', () => {
    for (const kernel of [transposeBlocksKernel(), copyRowsKernel()]) {
      expect(WebAssembly.validate(assembleModule(false, kernel))).toBe(true);
      expect(WebAssembly.validate(assembleModule(true, kernel))).toBe(true);
    }
  });

  // The first three shapes take the SIMD loops, and the others the JavaScript ones.
  const shapes: Shape4[] = [[8, 3, 3, 4], [4, 2, 5, 8], [4, 1, 1, 12], [3, 2, 2, 4], [4, 2, 3, 6], [1, 1, 1, 1], [2, 3, 1, 5]];

  it.each(shapes)('swapBatchAndChannels equals Transpose for %j', async (...shape) => {
    await tf.setBackend('wasm');
    const [actual, expected] = transposeBothWays(shape as Shape4, [3, 1, 2, 0], swapBatchAndChannels);
    expect(actual).toEqual(expected);
  });

  it.each(shapes)('moveBatchInside equals Transpose for %j', async (...shape) => {
    await tf.setBackend('wasm');
    const [actual, expected] = transposeBothWays(shape as Shape4, [1, 2, 0, 3], moveBatchInside);
    expect(actual).toEqual(expected);
  });
});

describe('Conv2D filter gradient with SIMD transposes', () => {
  const cases: { input: Shape4; outChannels: number; pad: 'same' | 'valid' }[] = [
    { input: [4, 7, 7, 8], outChannels: 16, pad: 'valid' },
    { input: [8, 6, 6, 4], outChannels: 8, pad: 'same' },
  ];

  it.each(cases)('matches cpu for $input x$outChannels $pad', async ({ input, outChannels, pad }) => {
    const filterShape: Shape4 = [3, 3, input[3], outChannels];
    const xValues = values(size(input), 51);
    await expectSameOnBothBackends(() =>
      tf.tidy(() => {
        const x = tf.tensor4d(xValues, input);
        const output = tf.conv2d(x, tf.zeros(filterShape) as tf.Tensor4D, 1, pad);
        const dy = tf.tensor(values(output.size, 52), output.shape);
        return [runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad, dataFormat: 'NHWC', filterShape })];
      }),
    );
  });
});
