// SynFlow: the synaptic-flow score of Tanaka et al. (2020), "Pruning neural
// networks without any data by iteratively conserving synaptic flow", as
// used for NAS by Abdelfattah et al. (2021), "Zero-Cost Proxies for
// Lightweight NAS".
import * as tf from '@tensorflow/tfjs';
import { kernelVariables, snapshotWeights, splitSoftmaxHead } from './model-parts';

/**
 * Computes synflow = sum over kernel weights w of |w| * dR/d|w|, where
 * R = sum of the logits for one all-ones input when every weight is replaced
 * by its absolute value. Every weight is restored before returning.
 *
 * Departures from the papers:
 * - BatchNorm runs in inference mode with the model's current moving
 *   statistics. For a freshly built model that scales by 1/sqrt(1 + epsilon),
 *   epsilon = 0.001, so it is nearly the identity. Abdelfattah et al. remove
 *   BatchNorm for this proxy instead.
 * - tfjs computes in float32, not float64. The score is a product of weight
 *   magnitudes along paths, so a deep or wide network can overflow to
 *   Infinity, which still ranks above every finite score.
 *
 * The model must end in a softmax Dense layer (see splitSoftmaxHead).
 */
export async function synflowScore(model: tf.LayersModel): Promise<number> {
  const head = splitSoftmaxHead(model);
  const kernels = kernelVariables(model);
  const restore = snapshotWeights(model);
  try {
    const absolute = tf.tidy(() => model.getWeights().map((weight) => tf.abs(weight)));
    model.setWeights(absolute);
    tf.dispose(absolute);

    const perKernel = tf.tidy(() => {
      const ones = tf.ones([1, ...(model.inputs[0].shape.slice(1) as number[])]);
      const { value, grads } = tf.variableGrads(() => {
        const features = head.features.apply(ones, { training: false }) as tf.Tensor2D;
        const logits = tf.matMul(features, head.kernel);
        const withBias = head.bias === undefined ? logits : tf.add(logits, head.bias);
        return tf.sum(withBias) as tf.Scalar;
      }, kernels);
      value.dispose();
      return tf.stack(kernels.map((kernel) => tf.sum(tf.mul(kernel, grads[kernel.name]))));
    });
    const values = await perKernel.data();
    perKernel.dispose();
    return Array.from(values as Float32Array).reduce((sum, value) => sum + value, 0);
  } finally {
    restore();
  }
}
