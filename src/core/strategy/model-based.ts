// Shared machinery of the model-based strategies (Bayesian optimisation and
// BANANAS): bookkeeping of proposals, pending proposals and observations,
// the initial random phase, the candidate pool built around the best
// architectures, architecture encodings and model targets, and the state.
import { describeValue, ValidationError } from '../errors';
import { deriveSeed, Random } from '../random';
import { cellPathEncoding, neighbourArchitectures, oneHotEncoding } from '../space';
import type { Architecture, CellArch, SearchSpace } from '../space/types';
import { readArray, readRandomState, readStateObject, saveRandomState } from './state';
import type { Observation, SpaceOperations, Strategy, StrategyOptions, StrategyOptionSpec } from './types';

/** Options shared by the model-based strategies. */
export interface ModelBasedOptions {
  /** Uniform random proposals before the model is used, counting observed and pending ones. */
  initialSamples: number;
  /** Best observed architectures whose neighbourhoods feed the candidate pool. */
  parents: number;
  /** Two-step mutations drawn per parent for the candidate pool. */
  mutationsPerParent: number;
  /** Uniform samples added to the candidate pool. */
  randomCandidates: number;
  /** For cell spaces: encode with the BANANAS path encoding plus the one-hot edges (true) or one-hot edges only (false). */
  pathEncoding: boolean;
}

/** An observed proposal that was not rejected. `value` is null for failed, diverged or infeasible ones. */
export interface ModelObservation {
  arch: Architecture;
  hash: string;
  value: number | null;
}

/** A proposal returned by ask whose observation has not arrived yet. */
export interface PendingProposal {
  index: number;
  arch: Architecture;
  hash: string;
}

/** A candidate architecture of the acquisition step. */
export interface Candidate {
  arch: Architecture;
  hash: string;
}

/** Most neighbours taken from one parent; a random subset is kept beyond it. */
const MAX_NEIGHBOURS_PER_PARENT = 120;
/** Draws per requested random architecture before giving up on finding an unproposed one. */
const MAX_RESAMPLES = 100;

/** Serialised state common to the model-based strategies; subclasses add `model`. */
export interface ModelBasedState {
  kind: string;
  random: [number, number, number, number];
  proposals: number;
  /** Hashes of every proposal, in proposal order. */
  proposed: string[];
  observations: ModelObservation[];
  pending: PendingProposal[];
}

/**
 * Base class of the model-based strategies. It owns everything except the
 * model: subclasses implement `proposeWithModel`, which picks up to `count`
 * candidates, and may extend the state.
 *
 * Rules: no hash is proposed twice. While told plus pending proposals number
 * fewer than initialSamples, or nothing has been scored yet, proposals are
 * uniform samples. Rejected proposals (excluded by a constraint before
 * training) do not enter the model. Failed, diverged and infeasible ones
 * enter it with the lowest scored value, so the model learns to avoid them.
 */
export abstract class ModelBasedStrategy implements Strategy {
  protected readonly space: SearchSpace;
  protected readonly operations: SpaceOperations;
  protected readonly options: ModelBasedOptions;
  protected readonly random: Random;
  protected readonly observations: ModelObservation[];
  protected readonly pending: PendingProposal[];
  private readonly proposedOrder: string[];
  private readonly proposed: Set<string>;
  private readonly total: bigint;
  private proposals: number;
  private readonly encodings = new Map<string, number[]>();

  protected constructor(space: SearchSpace, seed: number, operations: SpaceOperations, options: ModelBasedOptions, kind: string, state?: unknown) {
    this.space = space;
    this.operations = operations;
    this.options = options;
    this.total = operations.countArchitectures(space);
    if (state === undefined) {
      this.random = new Random(deriveSeed(seed, 'strategy'));
      this.observations = [];
      this.pending = [];
      this.proposedOrder = [];
      this.proposals = 0;
    } else {
      const saved = readStateObject(state, kind);
      this.random = new Random(readRandomState(saved.random, 'strategyState.random'));
      this.observations = readArray(saved.observations, 'strategyState.observations').map(readObservation);
      this.pending = readArray(saved.pending, 'strategyState.pending').map(readPending);
      this.proposedOrder = readArray(saved.proposed, 'strategyState.proposed').map(String);
      this.proposals = Number(saved.proposals);
      if (!Number.isInteger(this.proposals) || this.proposals < 0) {
        throw new ValidationError(
          'strategyState.proposals',
          saved.proposals,
          `strategyState.proposals must be a non-negative integer, got ${describeValue(saved.proposals)}: restore the state saved by this strategy`,
        );
      }
    }
    this.proposed = new Set(this.proposedOrder);
  }

  /** Picks up to `count` distinct candidates of `pool` (all unproposed) with the model. */
  protected abstract proposeWithModel(count: number, pool: Candidate[]): Candidate[];

  async ask(count: number): Promise<Architecture[]> {
    const batch: Architecture[] = [];
    while (batch.length < count && this.inInitialPhase()) {
      const sample = this.sampleUnproposed();
      if (sample === undefined) return batch;
      batch.push(this.register(sample));
    }
    const remaining = count - batch.length;
    if (remaining > 0) {
      const pool = this.candidatePool();
      const chosen = pool.length > 0 ? this.proposeWithModel(Math.min(remaining, pool.length), pool) : [];
      for (const candidate of chosen) batch.push(this.register(candidate));
    }
    // The pool can run short in a small or nearly exhausted space: top up with samples.
    while (batch.length < count) {
      const sample = this.sampleUnproposed();
      if (sample === undefined) break;
      batch.push(this.register(sample));
    }
    return batch;
  }

  async tell(observations: Observation[]): Promise<void> {
    for (const observation of observations) {
      const position = this.pending.findIndex((item) => item.index === observation.index);
      if (position >= 0) this.pending.splice(position, 1);
      if (observation.status === 'rejected') continue;
      const scored = observation.status === 'done' && observation.feasible && observation.validationAccuracy !== undefined;
      this.observations.push({
        arch: observation.arch,
        hash: observation.hash,
        value: scored ? (observation.validationAccuracy as number) : null,
      });
    }
  }

  /** Common state; subclasses spread it and add their own fields. */
  protected baseState(kind: string): ModelBasedState {
    return {
      kind,
      random: saveRandomState(this.random),
      proposals: this.proposals,
      proposed: [...this.proposedOrder],
      observations: this.observations.map((item) => ({ ...item })),
      pending: this.pending.map((item) => ({ ...item })),
    };
  }

  abstract getState(): unknown;

  private inInitialPhase(): boolean {
    const scored = this.observations.some((item) => item.value !== null);
    return !scored || this.observations.length + this.pending.length < this.options.initialSamples;
  }

  private register(candidate: Candidate): Architecture {
    const index = this.proposals++;
    this.proposed.add(candidate.hash);
    this.proposedOrder.push(candidate.hash);
    this.pending.push({ index, arch: candidate.arch, hash: candidate.hash });
    return candidate.arch;
  }

  private sampleUnproposed(): Candidate | undefined {
    if (BigInt(this.proposed.size) >= this.total) return undefined;
    for (let attempt = 0; attempt < MAX_RESAMPLES; attempt++) {
      const arch = this.operations.sampleArchitecture(this.space, this.random);
      const hash = this.operations.hashArchitecture(this.space, arch);
      if (!this.proposed.has(hash)) return { arch, hash };
    }
    return undefined;
  }

  /** Best scored observations, highest value first, ties in observation order. */
  protected topObservations(count: number): ModelObservation[] {
    return this.observations
      .map((item, order) => ({ item, order }))
      .filter(({ item }) => item.value !== null)
      .sort((a, b) => (b.item.value as number) - (a.item.value as number) || a.order - b.order)
      .slice(0, count)
      .map(({ item }) => item);
  }

  /**
   * Builds the acquisition candidates: the neighbours of the best `parents`
   * observations (a random subset beyond MAX_NEIGHBOURS_PER_PARENT), two-step
   * mutations of each parent and uniform samples, without repeats and
   * without proposed hashes.
   */
  protected candidatePool(): Candidate[] {
    const pool: Candidate[] = [];
    const seen = new Set<string>();
    const add = (arch: Architecture): void => {
      const hash = this.operations.hashArchitecture(this.space, arch);
      if (this.proposed.has(hash) || seen.has(hash)) return;
      seen.add(hash);
      pool.push({ arch, hash });
    };
    for (const parent of this.topObservations(this.options.parents)) {
      let neighbours = this.neighboursOf(parent.arch);
      if (neighbours.length > MAX_NEIGHBOURS_PER_PARENT) {
        this.random.shuffle(neighbours);
        neighbours = neighbours.slice(0, MAX_NEIGHBOURS_PER_PARENT);
      }
      neighbours.forEach(add);
      for (let i = 0; i < this.options.mutationsPerParent; i++) {
        const once = this.operations.mutateArchitecture(this.space, parent.arch, this.random);
        add(this.operations.mutateArchitecture(this.space, once, this.random));
      }
    }
    for (let i = 0; i < this.options.randomCandidates; i++) add(this.operations.sampleArchitecture(this.space, this.random));
    return pool;
  }

  private neighboursOf(arch: Architecture): Architecture[] {
    if (this.operations.neighbourArchitectures !== undefined) return this.operations.neighbourArchitectures(this.space, arch);
    return neighbourArchitectures(this.space, arch);
  }

  /** Encodes an architecture for the model, cached by hash: see ModelBasedOptions.pathEncoding. */
  protected encode(arch: Architecture, hash: string): number[] {
    const cached = this.encodings.get(hash);
    if (cached !== undefined) return cached;
    const oneHot = oneHotEncoding(this.space, arch);
    const encoding = this.space.family === 'cell' && this.options.pathEncoding ? [...cellPathEncoding(arch as CellArch), ...oneHot] : oneHot;
    this.encodings.set(hash, encoding);
    return encoding;
  }

  /**
   * Returns the encodings and standardised targets of the observations.
   * Targets are -log(1 - accuracy + 0.001), because that spreads the
   * accuracies near the top that the search must tell apart. A null value
   * gets the lowest scored target.
   */
  protected trainingData(): { inputs: number[][]; targets: Float64Array; bestTarget: number } {
    const raw = this.observations.map((item) => (item.value === null ? null : -Math.log(1 - item.value + 1e-3)));
    const scored = raw.filter((value): value is number => value !== null);
    const lowest = Math.min(...scored);
    const filled = raw.map((value) => value ?? lowest);
    const mean = filled.reduce((sum, value) => sum + value, 0) / filled.length;
    const variance = filled.reduce((sum, value) => sum + (value - mean) ** 2, 0) / filled.length;
    const deviation = variance > 1e-12 ? Math.sqrt(variance) : 1;
    const targets = Float64Array.from(filled, (value) => (value - mean) / deviation);
    const bestTarget = (Math.max(...scored) - mean) / deviation;
    return { inputs: this.observations.map((item) => this.encode(item.arch, item.hash)), targets, bestTarget };
  }
}

function readObservation(value: unknown, i: number): ModelObservation {
  const item = value as Partial<ModelObservation> | null;
  const valid =
    typeof item === 'object' &&
    item !== null &&
    typeof item.hash === 'string' &&
    typeof item.arch === 'object' &&
    item.arch !== null &&
    (item.value === null || typeof item.value === 'number');
  if (!valid) {
    throw new ValidationError(
      `strategyState.observations[${i}]`,
      value,
      `strategyState.observations[${i}] must be {arch, hash, value}, got ${describeValue(value)}: restore the state saved by this strategy`,
    );
  }
  return { arch: item.arch as Architecture, hash: item.hash as string, value: item.value as number | null };
}

function readPending(value: unknown, i: number): PendingProposal {
  const item = value as Partial<PendingProposal> | null;
  const valid =
    typeof item === 'object' &&
    item !== null &&
    Number.isInteger(item.index) &&
    typeof item.hash === 'string' &&
    typeof item.arch === 'object' &&
    item.arch !== null;
  if (!valid) {
    throw new ValidationError(
      `strategyState.pending[${i}]`,
      value,
      `strategyState.pending[${i}] must be {index, arch, hash}, got ${describeValue(value)}: restore the state saved by this strategy`,
    );
  }
  return { index: item.index as number, arch: item.arch as Architecture, hash: item.hash as string };
}

/** Option specs shared by the model-based strategies; `model` names the model in help texts, e.g. "the Gaussian process". */
export function modelBasedOptionSpecs(model: string): StrategyOptionSpec[] {
  return [
    {
      name: 'initialSamples',
      label: 'Initial random samples',
      type: 'integer',
      default: 10,
      min: 1,
      max: 1000,
      help: `Uniform random architectures proposed before ${model} is used.`,
    },
    {
      name: 'parents',
      label: 'Parents',
      type: 'integer',
      default: 10,
      min: 1,
      max: 100,
      help: `Best architectures so far whose neighbours and mutations are the candidates that ${model} scores.`,
    },
    {
      name: 'mutationsPerParent',
      label: 'Mutations per parent',
      type: 'integer',
      default: 20,
      min: 0,
      max: 1000,
      help: 'Two-step mutations of each parent added to the candidates.',
    },
    {
      name: 'randomCandidates',
      label: 'Random candidates',
      type: 'integer',
      default: 100,
      min: 0,
      max: 10000,
      help: 'Uniform random architectures added to the candidates.',
    },
    {
      name: 'pathEncoding',
      label: 'Path encoding (cells)',
      type: 'boolean',
      default: true,
      help: 'For cell spaces, add the BANANAS path encoding (one bit per input-to-output path and its ops) to the one-hot edges.',
    },
  ];
}

/** Reads the options of modelBasedOptionSpecs from validated strategy options. */
export function readModelBasedOptions(options: StrategyOptions): ModelBasedOptions {
  return {
    initialSamples: Number(options.initialSamples),
    parents: Number(options.parents),
    mutationsPerParent: Number(options.mutationsPerParent),
    randomCandidates: Number(options.randomCandidates),
    pathEncoding: options.pathEncoding !== false,
  };
}
