// Regularized (aging) evolution of Real, Aggarwal, Huang and Le (2019,
// "Regularized Evolution for Image Classifier Architecture Search", AAAI):
// a FIFO population, tournament selection of a parent, and a mutated child
// that replaces the oldest member.
import { describeValue, ValidationError } from '../errors';
import { deriveSeed, Random } from '../random';
import type { Architecture, SearchSpace } from '../space/types';
import { readArray, readRandomState, readStateObject, saveRandomState } from './state';
import type { Observation, SpaceOperations, Strategy } from './types';

export interface EvolutionOptions {
  /** Members kept in the aging population (P in the paper). */
  populationSize: number;
  /** Members drawn for each tournament (S in the paper), at most populationSize. */
  sampleSize: number;
  /** Probability in [0, 1] that a child is the crossover of two tournament winners before mutation. */
  crossoverRate: number;
}

interface Member {
  arch: Architecture;
  hash: string;
  /** Validation accuracy, or null for failed, diverged or infeasible members, which lose every tournament. */
  fitness: number | null;
}

interface EvolutionState {
  kind: 'evolution';
  random: [number, number, number, number];
  /** Told members, oldest first. */
  population: Member[];
  /** Proposal indices of random initial samples that are not told yet. */
  pendingRandom: number[];
  /** Architectures returned by ask so far. */
  proposals: number;
}

/**
 * Regularized evolution with batched asks.
 *
 * Departures from the paper, which evaluates one child at a time:
 * - While told members plus untold random samples number fewer than
 *   populationSize, `ask` returns uniform samples (the initial population).
 *   A random sample that is rejected by a constraint does not join, so a
 *   replacement sample is drawn on a later ask.
 * - Afterwards each child comes from a tournament over the members told so
 *   far. Children that are asked but not told yet (pending children) are not
 *   members, so several children asked in one batch compete over the same
 *   population. When no member has been told yet, `ask` returns samples.
 * - A told child joins the population and the oldest member leaves once the
 *   population exceeds populationSize. Proposals rejected before training do
 *   not join, because they would only push out trained members.
 * - Failed, diverged and infeasible members join but lose every tournament
 *   against members with an accuracy. Ties go to the member drawn first.
 * - Optional crossover (crossoverRate): the child is the crossover of two
 *   tournament winners, then mutated. The paper uses mutation only.
 */
export class RegularizedEvolution implements Strategy {
  private readonly space: SearchSpace;
  private readonly operations: SpaceOperations;
  private readonly options: EvolutionOptions;
  private readonly random: Random;
  private population: Member[];
  private pendingRandom: Set<number>;
  private proposals: number;
  /** Parent hash of each mutated child of the latest ask, by child hash; not part of the state. */
  private readonly parents = new Map<string, string>();

  constructor(
    space: SearchSpace,
    seed: number,
    operations: SpaceOperations,
    options: EvolutionOptions,
    state?: unknown,
  ) {
    if (options.sampleSize > options.populationSize) {
      throw new ValidationError(
        'strategy.options.sampleSize',
        options.sampleSize,
        `strategy.options.sampleSize must be at most populationSize (${options.populationSize}), got ${options.sampleSize}: lower sampleSize or raise populationSize`,
      );
    }
    this.space = space;
    this.operations = operations;
    this.options = options;
    if (state === undefined) {
      this.random = new Random(deriveSeed(seed, 'strategy'));
      this.population = [];
      this.pendingRandom = new Set();
      this.proposals = 0;
      return;
    }
    const saved = readStateObject(state, 'evolution');
    this.random = new Random(readRandomState(saved.random, 'strategyState.random'));
    this.population = readArray(saved.population, 'strategyState.population').map(readMember);
    this.pendingRandom = new Set(readArray(saved.pendingRandom, 'strategyState.pendingRandom').map(Number));
    this.proposals = Number(saved.proposals);
    if (!Number.isInteger(this.proposals) || this.proposals < 0) {
      throw new ValidationError(
        'strategyState.proposals',
        saved.proposals,
        `strategyState.proposals must be a non-negative integer, got ${describeValue(saved.proposals)}: restore the state saved by this strategy`,
      );
    }
  }

  async ask(count: number): Promise<Architecture[]> {
    const batch: Architecture[] = [];
    this.parents.clear();
    for (let i = 0; i < count; i++) {
      const index = this.proposals++;
      const filling = this.population.length + this.pendingRandom.size < this.options.populationSize;
      if (filling || this.population.length === 0) {
        this.pendingRandom.add(index);
        batch.push(this.operations.sampleArchitecture(this.space, this.random));
      } else {
        batch.push(this.makeChild());
      }
    }
    return batch;
  }

  async tell(observations: Observation[]): Promise<void> {
    for (const observation of observations) {
      this.pendingRandom.delete(observation.index);
      if (observation.status === 'rejected') continue;

      const scored = observation.status === 'done' && observation.feasible;
      const fitness = scored && observation.validationAccuracy !== undefined ? observation.validationAccuracy : null;
      this.population.push({ arch: observation.arch, hash: observation.hash, fitness });
      if (this.population.length > this.options.populationSize) this.population.shift();
    }
  }

  getState(): EvolutionState {
    return {
      kind: 'evolution',
      random: saveRandomState(this.random),
      population: this.population.map((member) => ({ ...member })),
      pendingRandom: [...this.pendingRandom],
      proposals: this.proposals,
    };
  }

  parentOf(hash: string): string | undefined {
    return this.parents.get(hash);
  }

  private makeChild(): Architecture {
    const parent = this.tournament();
    const crossover =
      this.options.crossoverRate > 0 && this.population.length >= 2 && this.random.next() < this.options.crossoverRate;
    if (!crossover) {
      const child = this.operations.mutateArchitecture(this.space, parent.arch, this.random);
      this.parents.set(this.operations.hashArchitecture(this.space, child), parent.hash);
      return child;
    }

    const other = this.tournament();
    const mixed = this.operations.crossoverArchitectures(this.space, parent.arch, other.arch, this.random);
    return this.operations.mutateArchitecture(this.space, mixed, this.random);
  }

  /** Draws min(sampleSize, population) distinct members and returns the fittest. */
  private tournament(): Member {
    const size = Math.min(this.options.sampleSize, this.population.length);
    const order = this.population.map((_, i) => i);
    let best: Member | undefined;
    for (let i = 0; i < size; i++) {
      // Partial Fisher-Yates: position i receives a uniform pick of the rest.
      const j = i + this.random.int(order.length - i);
      [order[i], order[j]] = [order[j], order[i]];
      const candidate = this.population[order[i]];
      if (best === undefined || fitter(candidate, best)) best = candidate;
    }
    return best as Member;
  }
}

function fitter(a: Member, b: Member): boolean {
  if (a.fitness === null) return false;
  return b.fitness === null || a.fitness > b.fitness;
}

function readMember(value: unknown, i: number): Member {
  const member = value as Partial<Member> | null;
  const valid =
    typeof member === 'object' &&
    member !== null &&
    typeof member.hash === 'string' &&
    typeof member.arch === 'object' &&
    (member.fitness === null || typeof member.fitness === 'number');
  if (!valid) {
    throw new ValidationError(
      `strategyState.population[${i}]`,
      value,
      `strategyState.population[${i}] must be {arch, hash, fitness}, got ${describeValue(value)}: restore the state saved by this strategy`,
    );
  }
  return { arch: member.arch as Architecture, hash: member.hash as string, fitness: member.fitness as number | null };
}
