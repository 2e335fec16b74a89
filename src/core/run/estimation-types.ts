// Estimation settings: schedulers, curve stop, zero-cost proxies, predictor
// filter and weight inheritance, with the per-request and per-trial records
// they produce and the checkpoint a promoted trial resumes from. They are
// plain JSON like the rest of the run types, and types.ts re-exports them.
import type { CurvePoint } from './types';

/**
 * Ways to spend less training on a candidate than full training. Every field
 * is optional and absent means off; each works with any strategy.
 */
export interface EstimationConfig {
  /** Successive halving or Hyperband over epochs; promoted candidates resume from their weights. */
  scheduler?: SchedulerConfig;
  /** Learning-curve extrapolation that stops a trial predicted to end below the k-th best. */
  curveStop?: CurveStopConfig;
  /** Zero-cost proxy computed at initialisation from one minibatch, to record or to filter. */
  proxy?: ProxyConfig;
  /** Surrogate predictor, trained on the run's finished trials, that skips candidates predicted to be poor. */
  predictorFilter?: PredictorFilterConfig;
  /**
   * When true, a mutated child starts its unchanged layers from the parent's
   * trained weights, for strategies that report a child's parent
   * (Strategy.parentOf: regularized evolution).
   */
  weightInheritance?: boolean;
}

/** Successive halving (one bracket) or Hyperband (several brackets) with `training.epochs` as the top rung. */
export interface SchedulerConfig {
  kind: 'successive-halving' | 'hyperband';
  /** Epochs of the lowest rung, at least 1. */
  minEpochs: number;
  /** Reduction factor: 1/eta of a rung is promoted to eta times the epochs; at least 2. */
  eta: number;
}

/** Stop rule of Domhan et al. 2015 applied after every epoch from `minEpochs` on. */
export interface CurveStopConfig {
  /** Compare with the k-th best final validation accuracy among finished trials. */
  kthBest: number;
  /** Stop when the predicted final accuracy is below that with at least this probability, in (0, 1). */
  probability: number;
  /** Epochs observed before the first prediction, at least 2. */
  minEpochs: number;
}

export type ProxyName = 'synflow' | 'naswot' | 'snip' | 'grad_norm' | 'params' | 'flops';

/** A zero-cost proxy computed before training. */
export interface ProxyConfig {
  name: ProxyName;
  /** 'record' stores the score with the trial; 'filter' also skips candidates scoring below the kept fraction. */
  mode: 'record' | 'filter';
  /** With 'filter': fraction of candidates (by proxy rank among those scored so far) that train, in (0, 1]. */
  keepFraction: number;
}

/** The proxy setting as one evaluation receives it, with the scores to rank against. */
export interface ProxyRequest extends ProxyConfig {
  /** Scores of `name` stored with trials told before this one was proposed, in trial order. */
  reference: number[];
}

/** A surrogate model of validation accuracy used to skip candidates before training. */
export interface PredictorFilterConfig {
  model: 'gp' | 'mlp' | 'trees';
  /** Finished trials needed before the filter acts. */
  minTrials: number;
  /** Fraction of candidates (by predicted accuracy) that train, in (0, 1]. */
  keepFraction: number;
}

/** The curve-stop rule as one evaluation receives it: the run's settings and the accuracy to beat. */
export interface CurveStopRequest extends CurveStopConfig {
  /** The k-th best final validation accuracy among trials told before this one was proposed, in [0, 1]. */
  threshold: number;
}

/** Weight inheritance of a trial from the trial it was mutated from. */
export interface TrialInheritance {
  /** Id of the parent trial. */
  parentTrialId: string;
  /** Weight tensors copied from the parent's trained model, once evaluated. */
  tensors?: number;
  /** Weight tensors of the trial's model, once evaluated. */
  total?: number;
  /** Set when the parent's model was not available, so the trial started from its initial weights. */
  note?: string;
}

/**
 * Position of a trial in a successive-halving or Hyperband bracket. While
 * `state` is 'training' or 'waiting', the trial's status is 'queued' or
 * 'running', and its metrics, if any, are those of the last rung it finished.
 */
export interface TrialSchedule {
  /** Bracket number in the run, from 0. */
  bracket: number;
  /** Rung being trained or last finished, as an index into the run's rung epochs. */
  rung: number;
  /** Rung the trial entered its bracket at. */
  firstRung: number;
  /**
   * `training`: queued or running at `rung`. `waiting`: `rung` finished and
   * the other members of that rung are not finished yet. `stopped`: not
   * promoted from `rung`, so final. `top`: finished the top rung, so final.
   */
  state: 'training' | 'waiting' | 'stopped' | 'top';
  /** Validation accuracy at the end of each rung it finished, by rung index; null where it failed. */
  rungAccuracies: (number | null)[];
  /** Epochs trained in total over every rung, counting epochs trained again after a lost checkpoint. */
  epochsSpent: number;
  /** Reason a promoted trial trained from scratch, for example a checkpoint lost on reload; absent when it resumed. */
  restartReason?: string;
}

/** Named tensors in plain data: `data` contains each tensor's values in `specs` order, as tf.io.encodeWeights writes them. */
export interface TensorData {
  specs: { name: string; shape: number[]; dtype: string }[];
  data: ArrayBuffer;
}

/**
 * Everything needed to continue training where an evaluation stopped, so
 * that continuing gives the same weights as training straight through.
 */
export interface TrainingCheckpoint {
  /** Epochs trained so far. */
  epoch: number;
  /** Every model weight after the last trained epoch, in model.getWeights() order. */
  weights: TensorData;
  /** Weights of the best validation epoch, when that is not the last epoch. */
  bestWeights?: TensorData;
  /** Optimizer state in optimizer.getWeights() order: the iteration count, then the moment accumulators. */
  optimizer: TensorData;
  /** Class name of the optimizer that wrote `optimizer`, such as 'Adam' or 'Momentum'. */
  optimizerName: string;
  /** Best validation accuracy so far, in [0, 1]. */
  bestValidationAccuracy: number;
  /** Epochs since the best one, for early stopping. */
  epochsSinceBest: number;
  /** Loss of the first batch ever trained, the reference of divergence detection; null before any batch. */
  firstLoss: number | null;
  /** Learning curve of the epochs trained so far. */
  curve: CurvePoint[];
  /** Wall-clock training time so far, milliseconds. */
  trainMs: number;
}
