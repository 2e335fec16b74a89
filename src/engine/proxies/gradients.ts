// Gradient-based zero-cost proxies from one labelled minibatch: snip (Lee et
// al. 2019, "SNIP: Single-shot Network Pruning based on Connection
// Sensitivity") and grad_norm, both as summed over layers by Abdelfattah et
// al. (2021), "Zero-Cost Proxies for Lightweight NAS".
import * as tf from '@tensorflow/tfjs';
import type { LabelledTensors } from '../train';
import { kernelVariables, snapshotWeights } from './model-parts';

/** Scores computed from the gradients of the training loss at initialisation. */
export interface GradientScores {
  /** Sum over kernel weights of |w * dL/dw|. */
  snip: number;
  /** Sum over weighted layers of the L2 norm of dL/dkernel. */
  gradNorm: number;
}

/**
 * Computes snip and grad_norm from the mean categorical cross-entropy L of
 * the model's softmax outputs on `batch`, over the kernels of the Conv2D,
 * DepthwiseConv2D and Dense layers (no biases, no BatchNorm parameters).
 * BatchNorm runs in training mode, so it normalises with the batch's own
 * statistics as in the papers. That also updates its moving statistics,
 * which are restored before returning.
 *
 * grad_norm follows Abdelfattah et al.: the per-layer Euclidean norms are
 * summed, rather than taking one norm over all gradients.
 */
export async function gradientScores(
  model: tf.LayersModel,
  batch: LabelledTensors,
  numClasses: number,
): Promise<GradientScores> {
  const kernels = kernelVariables(model);
  const restore = snapshotWeights(model);
  try {
    const perKernel = tf.tidy(() => {
      const oneHot = tf.oneHot(batch.labels, numClasses);
      const { value, grads } = tf.variableGrads(() => {
        const probabilities = model.apply(batch.xs, { training: true }) as tf.Tensor2D;
        return tf.mean(tf.metrics.categoricalCrossentropy(oneHot, probabilities)) as tf.Scalar;
      }, kernels);
      value.dispose();
      const snip = kernels.map((kernel) => tf.sum(tf.abs(tf.mul(kernel, grads[kernel.name]))));
      const norms = kernels.map((kernel) => tf.norm(grads[kernel.name]));
      return tf.stack([tf.stack(snip), tf.stack(norms)]);
    });
    const values = (await perKernel.array()) as number[][];
    perKernel.dispose();
    const sum = (list: number[]): number => list.reduce((total, value) => total + value, 0);
    return { snip: sum(values[0]), gradNorm: sum(values[1]) };
  } finally {
    restore();
  }
}
