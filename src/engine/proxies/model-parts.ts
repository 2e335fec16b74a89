// Views of a built tfjs model that the zero-cost proxies need: the kernels of
// its weighted layers, its features before the softmax head, the outputs of
// its ReLU units, and a snapshot of every weight to restore afterwards.
import * as tf from '@tensorflow/tfjs';
import { NasError } from '../../core/errors';

/** Layer classes whose kernel counts as a weight for synflow, snip and grad_norm. */
const WEIGHTED_LAYERS = new Set(['Conv2D', 'DepthwiseConv2D', 'Dense']);

/**
 * Returns the kernel variables of every Conv2D, DepthwiseConv2D and Dense
 * layer, in layer order. Biases and BatchNorm parameters are left out, as
 * Abdelfattah et al. (2021) sum their proxies over conv and linear weights only.
 */
export function kernelVariables(model: tf.LayersModel): tf.Variable[] {
  const kernels: tf.Variable[] = [];
  for (const layer of model.layers) {
    if (!WEIGHTED_LAYERS.has(layer.getClassName())) continue;
    for (const weight of layer.trainableWeights) {
      if (weight.originalName.endsWith('kernel')) kernels.push(weight.read() as tf.Variable);
    }
  }
  return kernels;
}

/** A model split before its softmax Dense output layer. */
export interface SoftmaxHead {
  /** Maps the model input to the input of the output layer, [batch, features]. */
  features: tf.LayersModel;
  /** Kernel of the output layer, [features, classes]. */
  kernel: tf.Variable;
  /** Bias of the output layer, [classes], when it has one. */
  bias?: tf.Variable;
}

/**
 * Splits `model` before its output layer, which must be a Dense layer with
 * a softmax activation, so callers can compute the logits. The features
 * model shares the layers and weights of `model`, so it must not be disposed.
 * Throws NasError('internal') for any other output layer.
 */
export function splitSoftmaxHead(model: tf.LayersModel): SoftmaxHead {
  const output = model.layers[model.layers.length - 1];
  const activation = output.getConfig().activation;
  if (output.getClassName() !== 'Dense' || activation !== 'softmax') {
    throw new NasError(
      'internal',
      `the model's output layer must be Dense with softmax to compute logits, got ${output.getClassName()} with activation ${String(activation)}`,
    );
  }
  const features = tf.model({ inputs: model.inputs, outputs: output.input as tf.SymbolicTensor });
  const [kernel, bias] = output.trainableWeights.map((weight) => weight.read() as tf.Variable);
  return { features, kernel, bias };
}

/**
 * Returns the layers whose output is a ReLU (or ReLU6) of their input: ReLU
 * layers and Conv2D, DepthwiseConv2D or Dense layers with a 'relu' activation.
 * A unit of such a layer is active exactly when its output is positive.
 */
export function reluLayers(model: tf.LayersModel): tf.layers.Layer[] {
  return model.layers.filter((layer) => {
    const className = layer.getClassName();
    if (className === 'ReLU') return true;
    return WEIGHTED_LAYERS.has(className) && layer.getConfig().activation === 'relu';
  });
}

/**
 * Copies every weight of `model`, trainable or not (BatchNorm moving
 * statistics included), and returns a function that writes them back and
 * disposes the copies. Call it exactly once, e.g. in a finally block.
 */
export function snapshotWeights(model: tf.LayersModel): () => void {
  const copies = tf.tidy(() => model.getWeights().map((weight) => weight.clone()));
  return () => {
    model.setWeights(copies);
    tf.dispose(copies);
  };
}
