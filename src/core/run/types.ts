// Run configuration, trials and the Evaluator boundary. Everything here is
// plain JSON so it can be stored in IndexedDB, posted to a worker or written
// by the CLI.
import type { PlainError } from '../errors';
import type { RandomState } from '../random';
import type { Architecture, InputSpec, SearchSpace } from '../space/types';

export type CostObjective = 'latency' | 'params' | 'flops';

export interface DatasetConfig {
  /** Built-in dataset id; only 'mnist' for now. */
  name: 'mnist';
  /** Training examples per candidate (a stratified subset of the training split). */
  trainSize: number;
  /** Validation examples: the search signal. */
  validationSize: number;
  /** Test examples: reported, never used by the search. */
  testSize: number;
}

export interface TrainingConfig {
  epochs: number;
  batchSize: number;
  optimizer: 'adam' | 'sgd';
  learningRate: number;
  /** Momentum of SGD; ignored by Adam. */
  momentum: number;
  /** Learning-rate schedule over the epochs. */
  schedule: 'constant' | 'cosine' | 'step';
  /** Epochs without a new best validation accuracy before training stops; 0 disables early stopping. */
  patience: number;
}

export interface StrategyConfig {
  name: 'random' | 'evolution' | 'local' | 'nsga2' | 'bo' | 'bananas' | 'reinforce';
  /** Strategy-specific settings, e.g. {populationSize, sampleSize, crossoverRate} for evolution. */
  options: Record<string, number | string | boolean>;
}

export interface Constraints {
  /** Maximum params (analytic, checked before training). */
  maxParams?: number;
  /** Maximum FLOPs as multiply-accumulates (analytic, checked before training). */
  maxFlops?: number;
  /** Maximum median latency in milliseconds (measured; a trial over it is done but infeasible). */
  maxLatencyMs?: number;
}

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

export interface RunConfig {
  name: string;
  dataset: DatasetConfig;
  space: SearchSpace;
  strategy: StrategyConfig;
  training: TrainingConfig;
  /** Accuracy (max) is always the first objective; this is the cost (min) plotted against it. */
  costObjective: CostObjective;
  constraints: Constraints;
  /** Number of distinct architectures to evaluate. */
  budget: number;
  seed: number;
  /** Parallel evaluations (worker pool size). */
  workers: number;
  /** Training backend; with 'auto' each worker probes the backends and trains on the fastest that passes. */
  backend: 'auto' | BackendName;
  /** Cheaper-than-full-training evaluation; absent or empty means every candidate trains fully. */
  estimation?: EstimationConfig;
}

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

export type TrialStatus = 'queued' | 'running' | 'done' | 'failed' | 'diverged' | 'pruned';

export interface LatencyStats {
  /** Median over the timed runs, milliseconds, batch 1. */
  medianMs: number;
  /** 90th percentile, milliseconds. */
  p90Ms: number;
  /** Timed runs (warm-up runs excluded). */
  runs: number;
}

export interface TrialMetrics {
  /** Fraction of validation examples classified correctly, in [0, 1]: the search signal. */
  validationAccuracy: number;
  /** Fraction of test examples classified correctly, in [0, 1]. */
  testAccuracy: number;
  params: number;
  /** Multiply-accumulates of one forward pass at batch 1. */
  flops: number;
  latency: LatencyStats;
  /** Wall-clock training time, milliseconds. */
  trainMs: number;
  epochs: number;
  backend: BackendName;
  /** Device description, e.g. the user agent or `node <version> <platform>`. */
  device: string;
  /** Peak tfjs memory during the evaluation, bytes, when the backend reports it. */
  peakMemoryBytes?: number;
  /** False when a measured constraint (max latency) is exceeded. */
  feasible: boolean;
  /** Probe that chose `backend` when the run's backend is 'auto'; absent for an explicit backend. */
  backendProbe?: BackendProbe;
  /** Set when training failed on the probe's choice and this trial was trained again on `backend`. */
  backendFallback?: BackendFallback;
}

/** Outcome of probing one backend with a few training steps of a fixed tiny network. */
export interface BackendProbeEntry {
  backend: BackendName;
  /** True when the backend initialised, trained and matched the cpu reference loss and gradients. */
  passed: boolean;
  /** Mean time of one timed training step (forward, backward, update and reading the loss), milliseconds. */
  msPerStep?: number;
  /** Training throughput of the probe network: batch size / step time, images per second. */
  imagesPerSecond?: number;
  /** Why the backend failed: not available, an error while training, or a mismatch with cpu. */
  reason?: string;
}

/** Backend choice of one worker: every backend it probed and the fastest that passed. */
export interface BackendProbe {
  chosen: BackendName;
  /** One entry per backend probed, in probing order. */
  entries: BackendProbeEntry[];
  /** Images per probe step. */
  batchSize: number;
}

/** A switch of the training backend after a failure on the backend in use. */
export interface BackendFallback {
  from: BackendName;
  to: BackendName;
  /** Error message of the failure on `from`. */
  reason: string;
}

export interface CurvePoint {
  epoch: number;
  loss: number;
  trainAccuracy: number;
  validationAccuracy: number;
}

export interface Trial {
  id: string;
  runId: string;
  /** Position in the run's proposal order, from 0. */
  index: number;
  arch: Architecture;
  /** Canonical hash of `arch`. */
  hash: string;
  /** Seed of this evaluation (weights and data order), derived from the run seed and `index`. */
  seed: number;
  epochs: number;
  status: TrialStatus;
  metrics?: TrialMetrics;
  curve: CurvePoint[];
  error?: PlainError;
  /** Set when the result was copied from an earlier trial with the same hash instead of training again. */
  reusedFrom?: string;
  /** Reason training stopped before `epochs` or never started: early stopping, divergence, curve stop or the predictor filter. */
  stopReason?: string;
  /** Final validation accuracy that the curve stop or the predictor filter predicted, in [0, 1]. */
  predictedAccuracy?: number;
  /**
   * Trials told to the strategy when this one was proposed. The curve stop
   * and the predictor filter learn only from trials 0..toldBefore-1, so
   * their decisions do not depend on timing.
   */
  toldBefore?: number;
  /** Worker that ran it, for the worker-status panel. */
  workerId?: number;
  startedAt?: number;
  finishedAt?: number;
  /** Rung bookkeeping when the run has `estimation.scheduler`; absent otherwise. */
  schedule?: TrialSchedule;
  /** Zero-cost proxy scores at initialisation, with `estimation.proxy`; a score that is not finite is left out. */
  proxies?: Partial<Record<ProxyName, number>>;
  /** With `estimation.weightInheritance`: the parent this trial was mutated from and what it took from it. */
  inheritance?: TrialInheritance;
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
  /** Set when a promoted trial had to train from scratch, saying why (for example its checkpoint was lost on reload). */
  restartReason?: string;
}

/** A request to an Evaluator: one architecture with its seed, input, data and training settings. */
export interface EvaluationRequest {
  trialId: string;
  arch: Architecture;
  space: SearchSpace;
  seed: number;
  input: InputSpec;
  dataset: DatasetConfig;
  training: TrainingConfig;
  constraints: Constraints;
  /** When set, training stops with status 'pruned' once the rule predicts the trial ends below `threshold`. */
  curveStop?: CurveStopRequest;
  /**
   * Epochs the model has trained when this evaluation ends, in [1,
   * training.epochs]; absent means training.epochs. The learning-rate
   * schedule always spans training.epochs, so a shorter evaluation is the
   * start of the full one. Set by a scheduler rung.
   */
  epochs?: number;
  /** State of an earlier evaluation of the same architecture and seed to continue from. */
  resumeFrom?: TrainingCheckpoint;
  /** When true, a done result carries `checkpoint` so a later request can continue it. */
  returnCheckpoint?: boolean;
  /** Trained model of the parent to start shared weights from; ignored with `resumeFrom`. */
  inheritFrom?: SavedModel;
  /** When set, the evaluator scores the untrained model with this proxy and, in mode 'filter', may skip training. */
  proxy?: ProxyRequest;
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

export interface EvaluationProgress {
  trialId: string;
  epoch: number;
  /** Fraction of this evaluation done, in [0, 1]. */
  fraction: number;
  curve: CurvePoint[];
  workerId?: number;
  backend?: BackendName;
}

/**
 * A trained model as tfjs Layers artifacts, in plain data: `modelTopology`
 * and `weightSpecs` as in model.json, `weightData` the concatenated float32
 * weights (the .bin file).
 */
export interface SavedModel {
  modelTopology: object;
  weightSpecs: { name: string; shape: number[]; dtype: string }[];
  weightData: ArrayBuffer;
}

/**
 * Reference predictions of a trained model on a few test images, kept with
 * the exported model so any runtime can check it loads the same function.
 */
export interface ReferencePredictions {
  /** Raw uint8 pixels of each image, row-major, [height * width * channels]. */
  pixels: number[][];
  labels: number[];
  /** Class probabilities the studio computed for each image. */
  probabilities: number[][];
}

export interface EvaluationResult {
  /** 'pruned' when the curve stop, the predictor filter or the proxy filter ended the evaluation early; `stopReason` says why. */
  status: 'done' | 'failed' | 'diverged' | 'pruned';
  /** Reason training stopped before the configured epochs, or did not start. */
  stopReason?: string;
  /** Final validation accuracy the curve stop or predictor filter predicted, in [0, 1]. */
  predictedAccuracy?: number;
  metrics?: TrialMetrics;
  curve: CurvePoint[];
  error?: PlainError;
  workerId?: number;
  /** The trained model, for status 'done'. */
  model?: SavedModel;
  /** Predictions of the trained model on the first 10 test images, for status 'done'. */
  reference?: ReferencePredictions;
  /** State to continue training from, for status 'done' when the request set `returnCheckpoint`. */
  checkpoint?: TrainingCheckpoint;
  /** Weight tensors taken from `request.inheritFrom`, when it was set. */
  inherited?: { tensors: number; total: number };
  /** Proxy scores computed for `request.proxy`, finite ones only. */
  proxies?: Partial<Record<ProxyName, number>>;
  /** Why `request.resumeFrom` could not be restored, when the evaluation trained from scratch instead. */
  restartReason?: string;
}

/**
 * Turns an architecture into metrics. Implementations: the browser worker
 * pool, in-process tfjs in Node, a tabular benchmark, and later a job queue.
 * A bad candidate must come back as status 'failed' with the error, and the
 * promise should reject only when `signal` aborts. The run loop records any
 * other rejection as a failed trial, so one candidate never stops a run.
 */
export interface Evaluator {
  evaluate(
    request: EvaluationRequest,
    signal: AbortSignal,
    onProgress?: (progress: EvaluationProgress) => void,
  ): Promise<EvaluationResult>;
  /** Parallel evaluations it can run. */
  readonly concurrency: number;
  /**
   * The input its networks take when the evaluator fixes it (a benchmark
   * table's skeleton); otherwise the run uses its dataset's input. Analytic
   * constraints and costs are computed for this input.
   */
  readonly inputSpec?: InputSpec;
  /**
   * True when it honours `request.epochs`, `resumeFrom` and
   * `returnCheckpoint`; a run with `estimation.scheduler` needs that.
   */
  readonly epochFidelity?: boolean;
}

export type RunStatus = 'running' | 'stopped' | 'completed' | 'failed' | 'interrupted';

/** The run loop's own state, saved after every tell so a run resumes exactly. */
export interface RunState {
  /** Trials told to the strategy, in proposal order. */
  toldCount: number;
  /** Serialised strategy state after `toldCount` tells. */
  strategyState: unknown;
  /** Proposals made so far (trial indices are 0..proposedCount-1). */
  proposedCount: number;
  /** Hypervolume after each finished trial, in finish order. */
  hypervolume: { trials: number; value: number }[];
  randomState?: RandomState;
  /** The run loop's queue and counters beyond the fields above; absent before the first proposal. */
  loop?: RunLoopState;
}

/**
 * A proposal that the run loop has not told back to the strategy yet.
 * Proposals are told strictly in this order.
 */
export interface PendingProposal {
  /** Position among every architecture the strategy returned in this run, from 0 (the Observation index). */
  proposal: number;
  /**
   * `trial`: trial `trialIndex` evaluates the architecture. `duplicate`: the
   * hash equals that of trial `trialIndex`, whose result it receives without
   * training. `rejected`: an analytic constraint excluded it before training.
   */
  kind: 'trial' | 'duplicate' | 'rejected';
  trialIndex?: number;
  /** The proposed architecture and its hash, for `duplicate` and `rejected` (a trial stores its own). */
  arch?: Architecture;
  hash?: string;
  /** Value of the cost objective for `rejected`, when it is analytic (params, FLOPs). */
  cost?: number;
}

/** Run-loop state that RunState does not cover, saved with it so a run resumes exactly. */
export interface RunLoopState {
  /** Proposals not told to the strategy yet, in proposal order. */
  pending: PendingProposal[];
  /** Architectures the strategy has returned so far; the next proposal's index. */
  proposals: number;
  /** Consecutive proposals that were rejected or duplicates since the last new trial. */
  wastedInARow: number;
  /** Reason the loop stopped asking the strategy before the budget was reached, if it did. */
  proposalsEndedReason?: string;
  /** Cost bound of the hypervolume reference point, fixed once set so the history is comparable. */
  referenceCost?: number;
  /** Wall-clock time of the run over all its sessions, milliseconds, as of the last save. */
  elapsedMs?: number;
}

export interface RunRecord {
  id: string;
  config: RunConfig;
  status: RunStatus;
  createdAt: number;
  updatedAt: number;
  state: RunState;
  /** Reason the run failed or stopped, when it did. */
  message?: string;
}
