// Training checkpoints as plain data: model weights, optimizer state and
// early-stopping counters, so training can stop after a scheduler rung and
// later continue (in another worker or after a reload) as if it never stopped.
import * as tf from '@tensorflow/tfjs';
import { NasError } from '../core/errors';
import { findTensorBytesProblem } from '../core/run/tensor-bytes';
import type { CurvePoint, TensorData, TrainingCheckpoint } from '../core/run/types';

/** Prefix of the Adam bias-correction powers appended after the optimizer's own weights. */
const ADAM_POWER_PREFIX = 'adam/';

/**
 * Copies `tensors` to one ArrayBuffer, in order, with a spec per tensor.
 * Supports float32 and int32 tensors, the only dtypes of model and
 * optimizer weights here. Throws NasError('internal') for another dtype.
 */
export async function encodeTensors(tensors: { name: string; tensor: tf.Tensor }[]): Promise<TensorData> {
  const specs: TensorData['specs'] = [];
  const parts: Uint8Array[] = [];
  for (const { name, tensor } of tensors) {
    if (tensor.dtype !== 'float32' && tensor.dtype !== 'int32') {
      throw new NasError('internal', `cannot checkpoint tensor ${name} of dtype ${tensor.dtype}: only float32 and int32 are supported`);
    }
    const values = await tensor.data();
    parts.push(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    specs.push({ name, shape: tensor.shape.slice(), dtype: tensor.dtype });
  }
  const data = new Uint8Array(parts.reduce((total, part) => total + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    data.set(part, offset);
    offset += part.byteLength;
  }
  return { specs, data: data.buffer };
}

/**
 * Rebuilds the tensors of `encoded`, in order; the caller owns them. Throws
 * NasError('invalid_config') before creating any tensor when the specs do
 * not match the bytes or a float32 value is NaN or infinite.
 */
export function decodeTensors(encoded: TensorData): { name: string; tensor: tf.Tensor }[] {
  const problem = findTensorBytesProblem(encoded.specs, encoded.data);
  if (problem !== undefined) {
    throw new NasError('invalid_config', `the checkpoint data is damaged: ${problem}; train from scratch`);
  }
  const tensors: { name: string; tensor: tf.Tensor }[] = [];
  let offset = 0;
  for (const spec of encoded.specs) {
    const size = spec.shape.reduce((product, dim) => product * dim, 1);
    const bytes = encoded.data.slice(offset, offset + size * 4);
    const values = spec.dtype === 'int32' ? new Int32Array(bytes) : new Float32Array(bytes);
    tensors.push({ name: spec.name, tensor: tf.tensor(values, spec.shape, spec.dtype as 'float32' | 'int32') });
    offset += size * 4;
  }
  return tensors;
}

/** Adam's private bias-correction state: beta1^t and beta2^t after t steps, as tfjs 4.22 keeps it. */
interface AdamPowers {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
}

/**
 * Encodes the optimizer's state: optimizer.getWeights() (the iteration
 * count, then the moment accumulators), and for Adam also beta1^t and
 * beta2^t. Adam's setWeights recomputes those two with pow(), whose float32
 * result may differ in the last bit from the product that training
 * accumulated, so they are stored to make a resumed run exact.
 */
export async function encodeOptimizer(optimizer: tf.Optimizer): Promise<TensorData> {
  const weights = await optimizer.getWeights();
  // getWeights creates a new scalar for the iteration count; the other tensors are the optimizer's variables.
  const iterations = weights[0]?.tensor;
  try {
    const named = weights.map(({ name, tensor }) => ({ name, tensor }));
    if (optimizer.getClassName() === 'Adam') {
      const powers = optimizer as unknown as AdamPowers;
      named.push({ name: `${ADAM_POWER_PREFIX}accBeta1`, tensor: powers.accBeta1 });
      named.push({ name: `${ADAM_POWER_PREFIX}accBeta2`, tensor: powers.accBeta2 });
    }
    return await encodeTensors(named);
  } finally {
    iterations?.dispose();
  }
}

/**
 * Restores optimizer state written by encodeOptimizer for an optimizer of
 * the same class. The accumulators are matched to variables by position,
 * which is the order the model registered its trainable variables, so the
 * model must be built from the same architecture.
 */
export async function restoreOptimizer(optimizer: tf.Optimizer, encoded: TensorData): Promise<void> {
  const decoded = decodeTensors(encoded);
  const powers = decoded.filter((entry) => entry.name.startsWith(ADAM_POWER_PREFIX));
  const weights = decoded.filter((entry) => !entry.name.startsWith(ADAM_POWER_PREFIX));
  try {
    // setWeights copies each tensor into a new variable, so the decoded tensors are disposed below.
    await optimizer.setWeights(weights);
    if (optimizer.getClassName() === 'Adam' && powers.length === 2) {
      const adam = optimizer as unknown as AdamPowers;
      adam.accBeta1.assign(powers[0].tensor as tf.Scalar);
      adam.accBeta2.assign(powers[1].tensor as tf.Scalar);
    }
  } finally {
    tf.dispose(decoded.map((entry) => entry.tensor));
  }
}

/** Training counters saved in a checkpoint beside the tensors. */
export interface TrainingCounters {
  curve: CurvePoint[];
  firstLoss: number | null;
  /** Best validation accuracy so far. */
  best: number;
  epochsSinceBest: number;
  /** Epoch of `best`, from 0. */
  bestEpoch: number;
}

/**
 * Captures a checkpoint after the last trained epoch. `bestWeights` (the
 * weights of the best epoch) is stored only when the best epoch is not the
 * last one, because otherwise it equals the current weights.
 */
export async function captureCheckpoint(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  counters: TrainingCounters,
  bestWeights: tf.Tensor[] | null,
  trainMs: number,
): Promise<TrainingCheckpoint> {
  const epoch = counters.curve.length;
  const current = model.getWeights();
  const checkpoint: TrainingCheckpoint = {
    epoch,
    weights: await encodeTensors(current.map((tensor, i) => ({ name: String(i), tensor }))),
    optimizer: await encodeOptimizer(optimizer),
    optimizerName: optimizer.getClassName(),
    bestValidationAccuracy: counters.best,
    epochsSinceBest: counters.epochsSinceBest,
    firstLoss: counters.firstLoss,
    curve: counters.curve.slice(),
    trainMs,
  };
  if (bestWeights !== null && counters.bestEpoch !== epoch - 1) {
    checkpoint.bestWeights = await encodeTensors(bestWeights.map((tensor, i) => ({ name: String(i), tensor })));
  }
  return checkpoint;
}

/**
 * Restores a checkpoint's weights into `model` and its optimizer state into
 * `optimizer`, and returns a copy of the best epoch's weights (owned by the
 * caller). Throws NasError('invalid_config') when the checkpoint was written
 * by another optimizer or for a model with other weight shapes.
 */
export async function restoreCheckpoint(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  checkpoint: TrainingCheckpoint,
): Promise<tf.Tensor[]> {
  if (checkpoint.optimizerName !== optimizer.getClassName()) {
    throw new NasError(
      'invalid_config',
      `the checkpoint was written by the ${checkpoint.optimizerName} optimizer, but training uses ${optimizer.getClassName()}: train from scratch`,
    );
  }
  const weights = decodeTensors(checkpoint.weights).map((entry) => entry.tensor);
  try {
    checkWeightShapes(model, weights);
    model.setWeights(weights);
    await restoreOptimizer(optimizer, checkpoint.optimizer);
    if (checkpoint.bestWeights === undefined) return weights.map((tensor) => tensor.clone());
    const best = decodeTensors(checkpoint.bestWeights).map((entry) => entry.tensor);
    try {
      checkWeightShapes(model, best);
    } catch (error) {
      tf.dispose(best);
      throw error;
    }
    return best;
  } finally {
    tf.dispose(weights);
  }
}

function checkWeightShapes(model: tf.LayersModel, tensors: tf.Tensor[]): void {
  const expected = model.weights.map((weight) => weight.shape);
  const matches =
    expected.length === tensors.length &&
    expected.every((shape, i) => shape.length === tensors[i].shape.length && shape.every((dim, j) => dim === tensors[i].shape[j]));
  if (!matches) {
    throw new NasError(
      'invalid_config',
      `the checkpoint has ${tensors.length} weight tensors that do not match the model's ${expected.length}: it belongs to another architecture, so train from scratch`,
    );
  }
}

/**
 * Returns why `checkpoint` cannot be restored into `model` with an
 * optimizer of class `optimizerName` (tfjs class names such as 'Adam'),
 * or undefined when it can. Checks the tensor bytes against their specs,
 * that the weights and best weights have the model's shapes in order, and
 * that each optimizer accumulator has the shape of a trainable weight.
 * NOTE: accumulators are not matched to weights by position, so state
 * swapped between two weights of the same shape still passes.
 */
export function findCheckpointProblem(model: tf.LayersModel, optimizerName: string, checkpoint: TrainingCheckpoint): string | undefined {
  if (checkpoint.optimizerName !== optimizerName) {
    return `it was written by the ${checkpoint.optimizerName} optimizer, but training uses ${optimizerName}`;
  }
  const parts: [string, TensorData | undefined][] = [
    ['weights', checkpoint.weights],
    ['optimizer state', checkpoint.optimizer],
    ['best weights', checkpoint.bestWeights],
  ];
  for (const [part, data] of parts) {
    if (data === undefined) continue;
    const problem = findTensorBytesProblem(data.specs, data.data);
    if (problem !== undefined) return `${part}: ${problem}`;
  }

  const modelShapes = model.weights.map((weight) => JSON.stringify(weight.shape));
  for (const [part, data] of parts.filter(([part]) => part !== 'optimizer state')) {
    if (data === undefined) continue;
    const shapes = data.specs.map((spec) => JSON.stringify(spec.shape));
    const mismatch = shapes.findIndex((shape, i) => shape !== modelShapes[i]);
    if (shapes.length !== modelShapes.length || mismatch >= 0) {
      return `its ${part} have ${shapes.length} tensors that do not match the model's ${modelShapes.length} weight shapes (first difference at tensor ${mismatch >= 0 ? mismatch : Math.min(shapes.length, modelShapes.length)}), so it belongs to another architecture`;
    }
  }

  const trainableShapes = new Set(model.trainableWeights.map((weight) => JSON.stringify(weight.shape)));
  // The first optimizer tensor is the iteration count and Adam appends two scalar powers; the rest are accumulators.
  const accumulators = checkpoint.optimizer.specs.slice(1).filter((spec) => !spec.name.startsWith(ADAM_POWER_PREFIX));
  const stray = accumulators.find((spec) => !trainableShapes.has(JSON.stringify(spec.shape)));
  if (stray !== undefined) {
    return `optimizer state ${stray.name} has the shape ${JSON.stringify(stray.shape)}, which no trainable weight of the model has`;
  }
  return undefined;
}

