// The reference net's convolutional block (conv 3x3 1->16, ReLU, max pool 2,
// conv 3x3 16->32, ReLU, max pool 2, dense) as a gradient computation that
// runs on both the cpu and the wasm backend, for the Chromium checks of the
// SIMD kernels on the page and in a worker. It imports no test runner.
import * as tf from '@tensorflow/tfjs';

/** One input size of the block; the first conv's filter is firstKernel x firstKernel. */
export interface BlockCase {
  label: string;
  batch: number;
  height: number;
  width: number;
  firstKernel: number;
}

/**
 * The reference block at a tiny size, and odd sizes. These have an odd batch
 * and odd heights and widths, which leave a row and a column outside the
 * pools. The last has a 2x2 first filter, whose 4 patch entries are not a
 * multiple of the 3 rows one accumulateProducts call sums.
 */
export const BLOCK_CASES: BlockCase[] = [
  { label: 'reference 14x14', batch: 2, height: 14, width: 14, firstKernel: 3 },
  { label: 'odd 17x15', batch: 3, height: 17, width: 15, firstKernel: 3 },
  { label: 'odd 2x2 filter', batch: 1, height: 13, width: 11, firstKernel: 2 },
];

/** The gradients `blockGradients` returns, in order. */
export const GRADIENT_NAMES = ['dx', 'dFilter1', 'dFilter2', 'dWeights'];

/** Returns the gradients of the block's summed output with respect to x, both filters and the dense weights, on the active backend. */
export function blockGradients(block: BlockCase): tf.Tensor[] {
  return tf.tidy(() => {
    const { batch, height, width, firstKernel } = block;
    // Each valid 2x2 pool with stride 2 drops an odd last row or column.
    const pooledSize = (size: number): number => Math.floor((Math.floor((size - firstKernel + 1) / 2) - 2) / 2);
    const flat = pooledSize(height) * pooledSize(width) * 32;
    const x = tf.randomUniform([batch, height, width, 1], -1, 1, 'float32', 1);
    const filter1 = tf.randomUniform([firstKernel, firstKernel, 1, 16], -1, 1, 'float32', 2);
    const filter2 = tf.randomUniform([3, 3, 16, 32], -0.3, 0.3, 'float32', 3);
    const weights = tf.randomUniform([flat, 10], -0.3, 0.3, 'float32', 4);
    const target = tf.randomUniform([batch, 10], -1, 1, 'float32', 5);
    const loss = (input: tf.Tensor, f1: tf.Tensor, f2: tf.Tensor, w: tf.Tensor): tf.Scalar => {
      const conv1 = tf.relu(tf.conv2d(input as tf.Tensor4D, f1 as tf.Tensor4D, 1, 'valid'));
      const pool1 = tf.maxPool(conv1 as tf.Tensor4D, 2, 2, 'valid');
      const conv2 = tf.relu(tf.conv2d(pool1, f2 as tf.Tensor4D, 1, 'valid'));
      const pool2 = tf.maxPool(conv2 as tf.Tensor4D, 2, 2, 'valid');
      const logits = tf.matMul(tf.reshape(pool2, [batch, flat]), w as tf.Tensor2D);
      return tf.sum(tf.mul(logits, target));
    };
    return tf.grads(loss)([x, filter1, filter2, weights]);
  });
}

/** Largest absolute difference divided by the largest magnitude of `expected`. */
export function relativeError(actual: Float32Array, expected: Float32Array): number {
  let difference = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    difference = Math.max(difference, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return difference / Math.max(scale, 1e-12);
}

/** Relative error of each gradient of `block` on wasm against cpu; NaN where the lengths differ. */
export async function compareBlockOnBackends(block: BlockCase): Promise<number[]> {
  const run = async (backend: 'cpu' | 'wasm'): Promise<Float32Array[]> => {
    if (!(await tf.setBackend(backend))) throw new Error(`the ${backend} backend failed to initialise: register it before comparing`);
    const gradients = blockGradients(block);
    const arrays = gradients.map((gradient) => Float32Array.from(gradient.dataSync()));
    tf.dispose(gradients);
    return arrays;
  };
  const expected = await run('cpu');
  const actual = await run('wasm');
  return expected.map((reference, i) => (actual[i].length === reference.length ? relativeError(actual[i], reference) : Number.NaN));
}
