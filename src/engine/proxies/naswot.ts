// NASWOT: the activation-pattern score of Mellor et al. (2021), "Neural
// Architecture Search without Training". Inputs that a network maps to
// different ReLU on/off patterns make the kernel below well conditioned.
import * as tf from '@tensorflow/tfjs';
import { logAbsDeterminant } from './log-determinant';
import { reluLayers, snapshotWeights } from './model-parts';

/**
 * Computes log|K| for a batch xs [n, ...input]. Each example i gets a binary
 * code c_i with one bit per ReLU unit (1 when its output is positive), and
 * K[i][j] = (number of units) - Hamming(c_i, c_j), computed layer by layer as
 * c c^T + (1 - c)(1 - c)^T. Returns -Infinity when K is singular: two
 * examples with the same code (identical inputs, for one) or no ReLU unit.
 * BatchNorm runs in training mode, as in the paper's code. That updates the
 * moving statistics, which are restored before returning.
 * The paper's code reads the sign of each ReLU's input, which is the same
 * bit as a positive output. computeModelProxies passes NASWOT_BATCH_SIZE
 * (128) examples, the batch size of the authors' scoring commands.
 */
export async function naswotScore(model: tf.LayersModel, xs: tf.Tensor): Promise<number> {
  const layers = reluLayers(model);
  const n = xs.shape[0];
  if (layers.length === 0) return Number.NEGATIVE_INFINITY;

  const activations = tf.model({ inputs: model.inputs, outputs: layers.map((layer) => layer.output as tf.SymbolicTensor) });
  const restore = snapshotWeights(model);
  let kernel: tf.Tensor2D;
  try {
    kernel = tf.tidy(() => {
      const outputs = activations.apply(xs, { training: true });
      let sum = tf.zeros([n, n]) as tf.Tensor2D;
      for (const output of Array.isArray(outputs) ? outputs : [outputs]) {
        const codes = tf.cast(tf.greater(tf.reshape(output as tf.Tensor, [n, -1]), 0), 'float32') as tf.Tensor2D;
        const inverse = tf.sub(1, codes) as tf.Tensor2D;
        sum = tf.add(sum, tf.add(tf.matMul(codes, codes, false, true), tf.matMul(inverse, inverse, false, true)));
      }
      return sum;
    });
  } finally {
    restore();
  }
  const values = await kernel.data();
  kernel.dispose();
  return logAbsDeterminant(values, n);
}
