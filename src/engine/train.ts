// Trains a built model on in-memory tensors: seeded per-epoch shuffling,
// Adam or SGD with momentum, learning-rate schedules, early stopping on
// validation accuracy, divergence detection and cancellation between batches.
import * as tf from '@tensorflow/tfjs';
import type { CurvePoint, TrainingCheckpoint, TrainingConfig } from '../core/run/types';
import { NasError, ValidationError } from '../core/errors';
import { deriveSeed, Random } from '../core/random';
import { captureCheckpoint, restoreCheckpoint } from './checkpoint';

/** Examples as tensors: images [n, height, width, channels] in [0, 1], labels as n class indices. */
export interface LabelledTensors {
  xs: tf.Tensor4D;
  labels: tf.Tensor1D;
}

export interface TrainProgress {
  /** Epoch in progress, from 0. */
  epoch: number;
  /** Batches finished in this epoch. */
  batch: number;
  batchesPerEpoch: number;
  /** Fraction of all planned batches finished, in [0, 1]. */
  fraction: number;
  /** Finished epochs so far. */
  curve: CurvePoint[];
}

export interface TrainOptions {
  config: TrainingConfig;
  numClasses: number;
  /** Seed of the per-epoch shuffle. */
  seed: number;
  signal?: AbortSignal;
  /** Called after every batch and after every epoch's validation. */
  onProgress?: (progress: TrainProgress) => void;
  /**
   * Epochs trained in total when training ends, in [1, config.epochs];
   * config.epochs when absent. The learning-rate schedule spans config.epochs either way.
   */
  stopAtEpoch?: number;
  /** Checkpoint to continue from. The model must be built from the same architecture and seed. */
  resumeFrom?: TrainingCheckpoint;
  /** When true, a done result carries a checkpoint of the last trained epoch. */
  returnCheckpoint?: boolean;
  /**
   * Rule checked after each epoch's validation with the curve so far; when
   * it returns a stop, training ends with status 'pruned' and its reason.
   */
  stopRule?: (curve: readonly CurvePoint[]) => EpochStop | undefined;
}

/** A decision of TrainOptions.stopRule to end training. */
export interface EpochStop {
  reason: string;
  /** Final validation accuracy the rule predicted, in [0, 1]. */
  predictedAccuracy?: number;
}

export interface TrainResult {
  /**
   * 'diverged' when a batch loss was NaN, infinite or over DIVERGENCE_FACTOR
   * times the first loss. 'pruned' when `stopRule` ended training.
   */
  status: 'done' | 'diverged' | 'pruned';
  /** Reason training ended before its planned epochs: early stopping, divergence or the stop rule. */
  stopReason?: string;
  /** Final validation accuracy that `stopRule` predicted, for status 'pruned'. */
  predictedAccuracy?: number;
  curve: CurvePoint[];
  /** Best validation accuracy over the finished epochs, in [0, 1]; the model keeps that epoch's weights. */
  bestValidationAccuracy: number;
  /** Epochs actually trained, counting those of `resumeFrom` (fewer than planned after early stopping or divergence). */
  epochs: number;
  /** State after the last trained epoch, when `returnCheckpoint` was set and training did not diverge. */
  checkpoint?: TrainingCheckpoint;
}

/** A batch loss above this multiple of the first batch's loss counts as divergence. */
export const DIVERGENCE_FACTOR = 1e3;

/** Probabilities are clipped to [PROBABILITY_EPSILON, 1] before the log of the cross-entropy. */
const PROBABILITY_EPSILON = 1e-7;

/**
 * Checks a TrainingConfig; throws ValidationError naming the first invalid field.
 */
export function validateTrainingConfig(config: TrainingConfig): void {
  const positiveInteger = (field: keyof TrainingConfig, value: number): void => {
    if (!Number.isInteger(value) || value < 1) {
      throw new ValidationError(`training.${field}`, value, `training.${field} must be a positive integer, got ${value}`);
    }
  };
  positiveInteger('epochs', config.epochs);
  positiveInteger('batchSize', config.batchSize);
  if (!(Number.isFinite(config.learningRate) && config.learningRate > 0)) {
    throw new ValidationError(
      'training.learningRate',
      config.learningRate,
      `training.learningRate must be a positive number, got ${config.learningRate}: try 0.001 for Adam`,
    );
  }
  if (!(config.momentum >= 0 && config.momentum < 1)) {
    throw new ValidationError('training.momentum', config.momentum, `training.momentum must be in [0, 1), got ${config.momentum}`);
  }
  if (!Number.isInteger(config.patience) || config.patience < 0) {
    throw new ValidationError(
      'training.patience',
      config.patience,
      `training.patience must be a non-negative integer (0 disables early stopping), got ${config.patience}`,
    );
  }
}

function validateStopAtEpoch(stopAtEpoch: number | undefined, epochs: number): void {
  if (stopAtEpoch === undefined) return;
  if (!Number.isInteger(stopAtEpoch) || stopAtEpoch < 1 || stopAtEpoch > epochs) {
    throw new ValidationError(
      'epochs',
      stopAtEpoch,
      `the epochs of an evaluation must be an integer in [1, training.epochs = ${epochs}], got ${stopAtEpoch}: request fewer epochs`,
    );
  }
}

/**
 * Returns the learning rate of `epoch` (from 0) under the schedule.
 * 'constant' keeps the base rate and 'cosine' decays it towards 0. 'step'
 * divides it by 10 from the middle epoch and again from the three-quarter epoch.
 */
export function scheduledLearningRate(config: TrainingConfig, epoch: number): number {
  const base = config.learningRate;
  switch (config.schedule) {
    case 'constant':
      return base;
    case 'cosine':
      return base * 0.5 * (1 + Math.cos((Math.PI * epoch) / config.epochs));
    case 'step': {
      let rate = base;
      if (epoch >= Math.ceil(config.epochs / 2)) rate *= 0.1;
      if (epoch >= Math.ceil((config.epochs * 3) / 4)) rate *= 0.1;
      return rate;
    }
  }
}

/**
 * Trains `model` in place and leaves it holding the weights of its best
 * validation epoch. With `resumeFrom` it first restores the checkpoint's
 * weights, optimizer state and counters, so that resuming after k epochs
 * gives the same weights as training straight through (exactly on the cpu
 * backend, where kernels are deterministic). Throws NasError('cancelled')
 * when `signal` aborts, checked between batches, and NasError
 * ('invalid_config') when the checkpoint does not fit the model or the
 * optimizer. Every tensor it created is disposed on every path.
 */
export async function trainModel(
  model: tf.LayersModel,
  train: LabelledTensors,
  validation: LabelledTensors,
  options: TrainOptions,
): Promise<TrainResult> {
  const { config } = options;
  validateTrainingConfig(config);
  validateStopAtEpoch(options.stopAtEpoch, config.epochs);
  const optimizer = createOptimizer(config);
  let bestWeights: tf.Tensor[] | null = null;
  const keepBest = (weights: tf.Tensor[]): void => {
    tf.dispose(bestWeights ?? []);
    bestWeights = weights;
  };
  try {
    const loop = new TrainingLoop(model, optimizer, train, validation, options);
    const start = performance.now();
    if (options.resumeFrom !== undefined) {
      keepBest(await restoreCheckpoint(model, optimizer, options.resumeFrom));
      loop.resume(options.resumeFrom);
    }
    const result = await loop.run(keepBest);
    if (options.returnCheckpoint === true && result.status === 'done') {
      const trainMs = (options.resumeFrom?.trainMs ?? 0) + performance.now() - start;
      result.checkpoint = await captureCheckpoint(model, optimizer, loop, bestWeights, trainMs);
    }
    if (bestWeights !== null) model.setWeights(bestWeights);
    return result;
  } finally {
    tf.dispose(bestWeights ?? []);
    disposeOptimizer(optimizer);
  }
}

class TrainingLoop {
  private random: Random;
  private readonly trainCount: number;
  private readonly batchesPerEpoch: number;
  curve: CurvePoint[] = [];
  firstLoss: number | null = null;
  /** Best validation accuracy so far; -1 before the first epoch. */
  best = -1;
  epochsSinceBest = 0;
  /** Epoch whose weights `best` belongs to. */
  bestEpoch = -1;

  constructor(
    private readonly model: tf.LayersModel,
    private readonly optimizer: tf.Optimizer,
    private readonly train: LabelledTensors,
    private readonly validation: LabelledTensors,
    private readonly options: TrainOptions,
  ) {
    this.random = new Random(options.seed);
    this.trainCount = train.xs.shape[0];
    if (this.trainCount === 0) {
      throw new ValidationError('dataset.trainSize', 0, 'dataset.trainSize must be at least 1 to train a model');
    }
    this.batchesPerEpoch = Math.ceil(this.trainCount / options.config.batchSize);
  }

  /** Continues from a checkpoint's counters; its weights and optimizer state are restored by the caller. */
  resume(checkpoint: TrainingCheckpoint): void {
    this.curve = checkpoint.curve.slice();
    this.firstLoss = checkpoint.firstLoss;
    this.best = checkpoint.bestValidationAccuracy;
    this.epochsSinceBest = checkpoint.epochsSinceBest;
    this.bestEpoch = checkpoint.epoch - 1 - checkpoint.epochsSinceBest;
  }

  /** Runs the epochs; `keepBest` receives a copy of the weights whenever validation accuracy improves. */
  async run(keepBest: (weights: tf.Tensor[]) => void): Promise<TrainResult> {
    const { config } = this.options;
    const stopAt = this.options.stopAtEpoch ?? config.epochs;
    // A checkpoint taken after early stopping has nothing left to train.
    const stoppedEarly = config.patience > 0 && this.epochsSinceBest >= config.patience;

    for (let epoch = this.curve.length; epoch < stopAt && !stoppedEarly; epoch++) {
      // Each epoch's order depends only on the seed and the epoch, so a resumed run shuffles the same way.
      this.random = new Random(deriveSeed(this.options.seed, 'epoch', epoch));
      setLearningRate(this.optimizer, scheduledLearningRate(config, epoch));
      const epochStats = await this.runEpoch(epoch);
      if (epochStats === null) {
        const stopReason = `diverged in epoch ${epoch + 1}: the batch loss became NaN, infinite or over ${DIVERGENCE_FACTOR} times the first loss`;
        return { status: 'diverged', curve: this.curve, bestValidationAccuracy: Math.max(this.best, 0), epochs: epoch + 1, stopReason };
      }

      const validationAccuracy = await computeAccuracy(this.model, this.validation, config.batchSize);
      this.curve.push({ epoch, ...epochStats, validationAccuracy });
      this.report(epoch, this.batchesPerEpoch);

      if (validationAccuracy > this.best) {
        this.best = validationAccuracy;
        this.bestEpoch = epoch;
        this.epochsSinceBest = 0;
        keepBest(tf.tidy(() => this.model.getWeights().map((weight) => weight.clone())));
      } else {
        this.epochsSinceBest++;
        if (config.patience > 0 && this.epochsSinceBest >= config.patience) {
          const stopReason = `early stopping after ${epoch + 1} of ${config.epochs} epochs: no better validation accuracy for ${config.patience} epochs (patience ${config.patience})`;
          return { status: 'done', curve: this.curve, bestValidationAccuracy: this.best, epochs: this.curve.length, stopReason };
        }
      }

      const stop = epoch + 1 < stopAt ? this.options.stopRule?.(this.curve) : undefined;
      if (stop !== undefined) {
        const { reason, predictedAccuracy } = stop;
        return { status: 'pruned', curve: this.curve, bestValidationAccuracy: this.best, epochs: this.curve.length, stopReason: reason, predictedAccuracy };
      }
    }
    return { status: 'done', curve: this.curve, bestValidationAccuracy: this.best, epochs: this.curve.length };
  }

  /** Trains one epoch; returns its mean loss and train accuracy, or null when the loss diverged. */
  private async runEpoch(epoch: number): Promise<{ loss: number; trainAccuracy: number } | null> {
    const { batchSize } = this.options.config;
    // The epoch's seeded order goes to the backend once; each batch slices it and gathers its examples there.
    const order = tf.tensor1d(this.random.shuffle(Array.from({ length: this.trainCount }, (_, i) => i)), 'int32');
    let lossSum = 0;
    let correct = 0;

    try {
      for (let batch = 0; batch < this.batchesPerEpoch; batch++) {
        await yieldToEventLoop();
        if (this.options.signal?.aborted) {
          throw new NasError('cancelled', 'training was cancelled', { cause: this.options.signal.reason });
        }
        const start = batch * batchSize;
        const size = Math.min(batchSize, this.trainCount - start);
        const step = await this.trainBatch(order, start, size);
        if (this.isDivergent(step.loss)) return null;
        lossSum += step.loss * size;
        correct += step.correct;
        this.report(epoch, batch + 1);
      }
    } finally {
      order.dispose();
    }
    return { loss: lossSum / this.trainCount, trainAccuracy: correct / this.trainCount };
  }

  /** Trains on the `size` examples whose indices are at `start` of the epoch's `order`. */
  private async trainBatch(order: tf.Tensor1D, start: number, size: number): Promise<{ loss: number; correct: number }> {
    let correctTensor: tf.Scalar | null = null;
    const lossTensor = tf.tidy(() => {
      const indexTensor = tf.slice(order, start, size);
      const xs = tf.gather(this.train.xs, indexTensor);
      const labels = tf.gather(this.train.labels, indexTensor);
      const oneHot = tf.oneHot(labels, this.options.numClasses);
      return this.optimizer.minimize(() => {
        const probabilities = this.model.apply(xs, { training: true }) as tf.Tensor2D;
        correctTensor = tf.keep(countCorrect(probabilities, labels));
        return crossEntropy(oneHot, probabilities);
      }, true) as tf.Scalar;
    });
    try {
      const [loss] = await lossTensor.data();
      const [correct] = correctTensor === null ? [0] : await (correctTensor as tf.Scalar).data();
      return { loss, correct };
    } finally {
      tf.dispose([lossTensor, ...(correctTensor === null ? [] : [correctTensor])]);
    }
  }

  private isDivergent(loss: number): boolean {
    if (!Number.isFinite(loss)) return true;
    if (this.firstLoss === null) this.firstLoss = loss;
    return loss > DIVERGENCE_FACTOR * Math.max(this.firstLoss, PROBABILITY_EPSILON);
  }

  private report(epoch: number, batch: number): void {
    const done = epoch * this.batchesPerEpoch + batch;
    this.options.onProgress?.({
      epoch,
      batch,
      batchesPerEpoch: this.batchesPerEpoch,
      fraction: done / ((this.options.stopAtEpoch ?? this.options.config.epochs) * this.batchesPerEpoch),
      curve: this.curve.slice(),
    });
  }
}

/** Mean categorical cross-entropy of softmax outputs [n, classes] against one-hot labels. */
export function crossEntropy(oneHot: tf.Tensor, probabilities: tf.Tensor): tf.Scalar {
  const clipped = tf.clipByValue(probabilities, PROBABILITY_EPSILON, 1);
  return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.log(clipped)), -1)));
}

/** Number of rows of `probabilities` whose arg max equals the label, as a float32 scalar. */
function countCorrect(probabilities: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return tf.sum(tf.cast(tf.equal(tf.argMax(probabilities, -1), tf.cast(labels, 'int32')), 'float32'));
}

/**
 * Fraction of `data` that `model` classifies correctly, in [0, 1], predicted
 * in batches of `batchSize` in inference mode. Returns 0 for no examples.
 */
export async function computeAccuracy(model: tf.LayersModel, data: LabelledTensors, batchSize: number): Promise<number> {
  const count = data.xs.shape[0];
  if (count === 0) return 0;
  let correct = 0;
  for (let start = 0; start < count; start += batchSize) {
    const size = Math.min(batchSize, count - start);
    const correctTensor = tf.tidy(() => {
      const xs = tf.slice(data.xs, start, size);
      const labels = tf.slice(data.labels, start, size);
      return countCorrect(model.predict(xs) as tf.Tensor, labels);
    });
    correct += (await correctTensor.data())[0];
    correctTensor.dispose();
  }
  return correct / count;
}

function createOptimizer(config: TrainingConfig): tf.Optimizer {
  return config.optimizer === 'adam'
    ? tf.train.adam(config.learningRate)
    : tf.train.momentum(config.learningRate, config.momentum);
}

/**
 * Sets the learning rate for the next steps. Adam has no setter in tfjs 4.22
 * but reads its `learningRate` field on every step, so the field is written.
 */
function setLearningRate(optimizer: tf.Optimizer, rate: number): void {
  // instanceof is no use here: tfjs optimizers define Symbol.hasInstance by duck typing.
  if (optimizer.getClassName() !== 'Adam') {
    (optimizer as tf.SGDOptimizer).setLearningRate(rate);
  } else {
    (optimizer as unknown as { learningRate: number }).learningRate = rate;
  }
}

/**
 * Disposes an optimizer's state. NOTE: MomentumOptimizer.dispose in tfjs 4.22
 * skips the learning-rate scalar of its SGDOptimizer base, so that base
 * dispose is called as well to avoid leaking one tensor per training.
 */
function disposeOptimizer(optimizer: tf.Optimizer): void {
  optimizer.dispose();
  if (optimizer.getClassName() === 'Momentum') tf.SGDOptimizer.prototype.dispose.call(optimizer);
}

/** Lets pending events (such as an abort from another thread) run between batches. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
