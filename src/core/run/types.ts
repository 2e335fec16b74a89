// Run configuration, trials and the Evaluator boundary. Everything here is
// plain JSON so it can be stored in IndexedDB, posted to a worker or written
// by the CLI.
import type { PlainError } from '../errors';
import type { RandomState } from '../random';
import type { Architecture, InputSpec, SearchSpace } from '../space/types';
import type { BackendFallback, BackendName, BackendProbe } from './backend-types';
import type {
  CurveStopRequest,
  EstimationConfig,
  ProxyName,
  ProxyRequest,
  TrainingCheckpoint,
  TrialInheritance,
  TrialSchedule,
} from './estimation-types';

// The estimation and backend types live in their own modules and are
// re-exported so every importer keeps using this path.
export type * from './backend-types';
export type * from './estimation-types';

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
  /** 'pruned' when the curve stop, the predictor filter or the proxy filter ended the evaluation early; `stopReason` gives the reason. */
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
  /** Reason `request.resumeFrom` could not be restored, when the evaluation trained from scratch instead. */
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
