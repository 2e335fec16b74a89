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
 * BatchNorm is made an exact identity for the score (gamma 1, beta 0,
 * moving mean 0, moving variance 1 - epsilon, inference mode). That matches
 * Abdelfattah et al. (2021), who score synflow on a copy of the network
 * without BatchNorm. Without this, trained BatchNorm weights or moving
 * statistics (a model that inherited weights, say) would rescale the flow.
 *
 * Departure from the papers: tfjs computes in float32, while Abdelfattah et
 * al. use float64. The score is a product of weight magnitudes along paths,
 * so a deep or wide network can overflow to Infinity, which still ranks
 * above every finite score.
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
    neutraliseBatchNorm(model);

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

/**
 * Sets every BatchNormalization layer of `model` to the identity in
 * inference mode: (x - 0) / sqrt((1 - epsilon) + epsilon) * 1 + 0 = x.
 * The caller restores the weights afterwards.
 */
function neutraliseBatchNorm(model: tf.LayersModel): void {
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'BatchNormalization') continue;
    const epsilon = layer.getConfig().epsilon as number;
    const identity = tf.tidy(() =>
      layer.weights.map((weight) => {
        const name = weight.originalName;
        if (name.endsWith('gamma')) return tf.onesLike(weight.read());
        if (name.endsWith('moving_variance')) return tf.fill(weight.shape as number[], 1 - epsilon);
        return tf.zerosLike(weight.read());
      }),
    );
    layer.setWeights(identity);
    tf.dispose(identity);
  }
}
