// Weight inheritance: a new model starts each weight that it shares with a
// trained parent (same layer name and shape) from the parent's value, and
// keeps its own initial value for the rest.
import * as tf from '@tensorflow/tfjs';
import { NasError } from '../core/errors';
import { findTensorBytesProblem } from '../core/run/tensor-bytes';
import type { SavedModel } from '../core/run/types';

/** How many weight tensors a model took from its parent. */
export interface InheritedWeights {
  /** Weight tensors copied from the parent. */
  tensors: number;
  /** Weight tensors of the model. */
  total: number;
}

/**
 * Copies into `model` every weight of `parent` whose name (layer name and
 * weight name, as model.save writes them) and shape match a weight of
 * `model`. Layer names come from the position and operation of a layer (see
 * build/), so a mutation keeps the names of layers it did not change, and a
 * changed width shows up as a shape mismatch. Disposes every tensor it creates.
 * Throws NasError('invalid_config') when the parent's weight data does not
 * match its specs or contains NaN or infinite values.
 */
export function inheritWeights(model: tf.LayersModel, parent: SavedModel): InheritedWeights {
  const problem = findTensorBytesProblem(parent.weightSpecs, parent.weightData);
  if (problem !== undefined) {
    throw new NasError('invalid_config', `the parent model's weights are damaged: ${problem}; start from the initial weights instead`);
  }
  const decoded = tf.io.decodeWeights(parent.weightData, parent.weightSpecs as tf.io.WeightsManifestEntry[]);
  try {
    let tensors = 0;
    for (const weight of model.weights) {
      const value = decoded[weight.originalName];
      if (value === undefined || value.dtype !== weight.dtype) continue;
      if (value.shape.length !== weight.shape.length || value.shape.some((dim, i) => dim !== weight.shape[i])) continue;
      weight.write(value);
      tensors++;
    }
    return { tensors, total: model.weights.length };
  } finally {
    tf.dispose(Object.values(decoded));
  }
}
