// The ask/tell contract between the run loop and a search strategy, the
// observations a strategy learns from, and the description of a strategy's
// options that the UI renders as a form.
import type { Random } from '../random';
import type { CostObjective } from '../run/types';
import type { Architecture, SearchSpace } from '../space/types';

/**
 * Outcome of a proposal. `done`, `failed`, `diverged` and `pruned` are trial
 * statuses (also for a proposal that repeated an evaluated architecture and
 * received its stored result). `pruned` means the curve stop or the
 * predictor filter ended training early, so there is no accuracy to learn
 * from. `rejected` means an analytic constraint (max params or max FLOPs)
 * excluded the architecture before any training.
 */
export type ObservationStatus = 'done' | 'failed' | 'diverged' | 'pruned' | 'rejected';

/** The result of one proposal, fed back to the strategy by `tell`. */
export interface Observation {
  /** Position of the proposal among every architecture that `ask` returned in this run, from 0. */
  index: number;
  arch: Architecture;
  /** Canonical hash of `arch`. */
  hash: string;
  status: ObservationStatus;
  /** Fraction of validation examples classified correctly, in [0, 1]; present only for status `done`. */
  validationAccuracy?: number;
  /** Value of the run's cost objective (params, multiply-accumulates or milliseconds), when known. */
  cost?: number;
  /** False when the architecture breaks a constraint (rejected before training, or measured latency over the limit). */
  feasible: boolean;
  /**
   * How far an infeasible architecture exceeds its constraints, 0 or more
   * (larger is worse), when the caller computes it. NSGA-II compares
   * infeasible members by it and falls back to `cost` when it is missing.
   */
  violation?: number;
}

/**
 * A search strategy with the ask/tell interface.
 *
 * Order of calls: the run loop calls `ask(count)` for up to `count` new
 * architectures and later calls `tell` exactly once for each of them, in the
 * order `ask` returned them (several asks may happen before the first tell,
 * so that parallel workers stay busy). `ask` never throws because the space
 * is exhausted: it returns fewer architectures, or none.
 *
 * `getState()` returns plain JSON (random generator state included) that
 * the strategy's `create(context, options, state)` restores. After a restore,
 * the next asks and tells behave exactly as they would have in the
 * uninterrupted strategy. All randomness comes from a Random seeded with
 * deriveSeed(context.seed, 'strategy').
 *
 * Both calls return Promises because a strategy may need asynchronous work
 * (a tfjs controller). The caller awaits each call before the next one.
 */
export interface Strategy {
  /** Proposes up to `count` architectures; returns [] when it has nothing left to propose. */
  ask(count: number): Promise<Architecture[]>;
  /** Feeds back the results of earlier proposals, in proposal order. */
  tell(observations: Observation[]): Promise<void>;
  /** Serialisable state that restores this strategy exactly. */
  getState(): unknown;
  /**
   * Returns the hash of the architecture that a proposal of the latest ask,
   * given by its hash, was mutated from, or undefined when it was sampled,
   * crossed over or is unknown. Optional: weight inheritance uses it, and
   * strategies without it give children no parent.
   */
  parentOf?(hash: string): string | undefined;
}

/**
 * The space functions a strategy uses. The run loop passes the real ones from
 * src/core/space; tests may pass a synthetic space.
 */
export interface SpaceOperations {
  countArchitectures(space: SearchSpace): bigint;
  sampleArchitecture(space: SearchSpace, random: Random): Architecture;
  mutateArchitecture(space: SearchSpace, arch: Architecture, random: Random): Architecture;
  crossoverArchitectures(
    space: SearchSpace,
    a: Architecture,
    b: Architecture,
    random: Random,
  ): Architecture;
  hashArchitecture(space: SearchSpace, arch: Architecture): string;
  /**
   * Lists every architecture one choice away from `arch`, distinct by hash
   * and without `arch`'s own hash. Local search uses neighbourArchitectures
   * of src/core/space when this is missing.
   */
  neighbourArchitectures?(space: SearchSpace, arch: Architecture): Architecture[];
}

/** Inputs of a strategy's create function. */
export interface StrategyContext {
  space: SearchSpace;
  /** The run seed; strategies draw from deriveSeed(seed, 'strategy'). */
  seed: number;
  costObjective: CostObjective;
  /** Space functions; the registry fills in the real ones when this is missing. */
  spaceOperations?: SpaceOperations;
}

/** Option values after validation, with every default filled in. */
export type StrategyOptions = Record<string, number | string | boolean>;

/** One option of a strategy, as the UI renders it and validateStrategyOptions checks it. */
export interface StrategyOptionSpec {
  name: string;
  label: string;
  type: 'integer' | 'number' | 'boolean';
  default: number | boolean;
  /** Inclusive lower bound for numeric options. */
  min?: number;
  /** Inclusive upper bound for numeric options. */
  max?: number;
  /** One sentence for the form: what the option sets and in what unit. */
  help: string;
}

/** A strategy's entry in the STRATEGIES registry. */
export interface StrategyDefinition {
  label: string;
  /** One line for the UI. */
  summary: string;
  options: StrategyOptionSpec[];
  /**
   * True when the strategy computes with tfjs-core, which registers no
   * backend: the caller must load one (e.g. '@tensorflow/tfjs-backend-cpu')
   * before `create`.
   */
  needsTensorBackend?: boolean;
  /**
   * Creates the strategy. With `state` (from getState) it continues where
   * that strategy stopped. `options` must come from validateStrategyOptions.
   * Throws ValidationError when `state` does not belong to this strategy.
   */
  create(context: StrategyContext, options: StrategyOptions, state?: unknown): Strategy;
}
