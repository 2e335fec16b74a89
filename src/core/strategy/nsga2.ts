// NSGA-II of Deb, Pratap, Agarwal and Meyarivan (2002, "A fast and elitist
// multiobjective genetic algorithm: NSGA-II") as an ask/tell strategy:
// validation accuracy up and the run's cost down, with constraint
// domination for infeasible architectures.
import { describeValue, ValidationError } from '../errors';
import { deriveSeed, Random } from '../random';
import type { Architecture, SearchSpace } from '../space/types';
import { readNsga2State, type Nsga2Member, type Nsga2State } from './nsga2-state';
import { binaryTournament, rankCandidates, selectSurvivors, type Ranking } from './nsga2-selection';
import { ProposalHistory, proposeBatch, sampleUnproposed, type HashedArchitecture } from './sampling';
import { SPACE_OPERATIONS_WITH_NEIGHBOURS } from './space-operations';
import { saveRandomState } from './state';
import type { Observation, SpaceOperations, Strategy, StrategyDefinition } from './types';

export interface Nsga2Options {
  /** Members kept after each survival step (N in the paper); each generation also has this many children. */
  populationSize: number;
  /** Probability in [0, 1] that a child is the crossover of two parents instead of a copy of the first. */
  crossoverRate: number;
  /** Probability in [0, 1] that a child is mutated in one choice; a child that repeats a proposed architecture is always mutated. */
  mutationRate: number;
}

/**
 * Maps an observation to its objective values, all minimised, the same
 * number k for every observation; null marks an unknown value. Only called
 * for scored observations (status done with an accuracy).
 */
export type ObjectiveFunction = (observation: Observation) => (number | null)[];

/** Accuracy (maximised, so negated) and the run's cost objective. */
export const ACCURACY_AND_COST: ObjectiveFunction = (observation) => [
  -(observation.validationAccuracy as number),
  observation.cost ?? null,
];

/** Attempts at a child with a new hash before a random sample takes its place. */
const MAX_CHILD_ATTEMPTS = 20;

/**
 * NSGA-II with batched asks.
 *
 * The first populationSize proposals are uniform samples. After that each
 * child comes from two binary tournaments on (rank, crowding distance) over
 * the current population, then crossover and mutation. Once populationSize
 * children are told, parents and children together (mu + lambda) go
 * through non-dominated sorting with constraint domination, and the best
 * populationSize survive, the last rank cut by crowding distance.
 *
 * Constraint domination follows Deb's rule: feasible beats infeasible, and
 * between infeasible members the smaller violation wins. The violation is
 * the observation's `violation`, or its `cost` when that is missing (a
 * larger cost then counts as a larger violation, which is exact when the
 * violated limit is on the cost objective itself). Failed and diverged
 * architectures count as infeasible with an infinite violation.
 *
 * Departures from the paper:
 * - The paper breeds a whole generation at once. Here a child is bred when
 *   it is asked, from the population as it is then, and a child told after
 *   a survival step joins the children of the next one.
 * - No architecture is proposed twice: a child whose hash was proposed is
 *   mutated again, up to MAX_CHILD_ATTEMPTS times, then a uniform sample
 *   replaces it.
 * - Crossover and mutation are the space's own operators (uniform crossover
 *   of choices, a one-choice mutation), not SBX and polynomial mutation.
 * - The objectives come from an ObjectiveFunction: accuracy and cost by
 *   default, any number k when the constructor receives another one.
 *   NSGA2_DEFINITION uses the default, because an Observation carries only
 *   one cost.
 */
export class Nsga2 implements Strategy {
  private readonly space: SearchSpace;
  private readonly operations: SpaceOperations;
  private readonly options: Nsga2Options;
  private readonly objectives: ObjectiveFunction;
  private readonly total: bigint;
  private readonly random: Random;
  private readonly proposed: ProposalHistory;
  private readonly pendingRandom: Set<number>;
  private population: Nsga2Member[];
  private children: Nsga2Member[];
  private generations: number;
  /** Ranking of `population`, recomputed after it changes. */
  private ranking: Ranking | null = null;

  constructor(
    space: SearchSpace,
    seed: number,
    operations: SpaceOperations,
    options: Nsga2Options,
    state?: unknown,
    objectives: ObjectiveFunction = ACCURACY_AND_COST,
  ) {
    validateOptions(options);
    this.space = space;
    this.operations = operations;
    this.options = options;
    this.objectives = objectives;
    this.total = operations.countArchitectures(space);

    const saved: Nsga2State = state === undefined ? initialState(deriveSeed(seed, 'strategy')) : readNsga2State(state);
    this.random = new Random(saved.random);
    this.proposed = new ProposalHistory(saved.proposed);
    this.pendingRandom = new Set(saved.pendingRandom);
    this.population = saved.population.map(copyMember);
    this.children = saved.children.map(copyMember);
    this.generations = saved.generations;
  }

  async ask(count: number): Promise<Architecture[]> {
    return proposeBatch(count, this.total, this.proposed, (index) => {
      const filling = this.population.length + this.pendingRandom.size < this.options.populationSize;
      const child = filling || this.population.length === 0 ? undefined : this.breedChild();
      if (child !== undefined) return child;
      const sample = sampleUnproposed(this.space, this.operations, this.random, this.proposed);
      if (sample !== undefined) this.pendingRandom.add(index);
      return sample;
    });
  }

  async tell(observations: Observation[]): Promise<void> {
    for (const observation of observations) {
      const member = this.memberOf(observation);
      if (this.pendingRandom.delete(observation.index)) {
        this.population.push(member);
        this.ranking = null;
      } else {
        this.children.push(member);
      }
    }
    if (this.children.length >= this.options.populationSize || this.population.length > this.options.populationSize) {
      this.survive();
    }
  }

  getState(): Nsga2State {
    return {
      kind: 'nsga2',
      random: saveRandomState(this.random),
      proposed: [...this.proposed.order],
      pendingRandom: [...this.pendingRandom],
      population: this.population.map(copyMember),
      children: this.children.map(copyMember),
      generations: this.generations,
    };
  }

  /** Merges parents and told children and keeps the best populationSize (elitist mu + lambda survival). */
  private survive(): void {
    const merged = [...this.population, ...this.children];
    this.population = selectSurvivors(merged, this.options.populationSize).map((i) => merged[i]);
    this.children = [];
    this.generations++;
    this.ranking = null;
  }

  /** Returns a child with a new hash, or undefined after MAX_CHILD_ATTEMPTS repeats. */
  private breedChild(): HashedArchitecture | undefined {
    this.ranking ??= rankCandidates(this.population);
    for (let attempt = 0; attempt < MAX_CHILD_ATTEMPTS; attempt++) {
      const first = this.population[binaryTournament(this.ranking, this.population.length, this.random)];
      const second = this.population[binaryTournament(this.ranking, this.population.length, this.random)];
      let arch = first.arch;
      if (this.random.next() < this.options.crossoverRate) {
        arch = this.operations.crossoverArchitectures(this.space, first.arch, second.arch, this.random);
      }
      const mutate = this.random.next() < this.options.mutationRate;
      let hash = mutate ? '' : this.operations.hashArchitecture(this.space, arch);
      if (mutate || this.proposed.has(hash)) {
        arch = this.operations.mutateArchitecture(this.space, arch, this.random);
        hash = this.operations.hashArchitecture(this.space, arch);
      }
      if (!this.proposed.has(hash)) return { arch, hash };
    }
    return undefined;
  }

  private memberOf(observation: Observation): Nsga2Member {
    const base = { arch: observation.arch, hash: observation.hash };
    const scored = observation.status === 'done' && observation.validationAccuracy !== undefined;
    let objectives: (number | null)[] = [];
    if (scored) objectives = this.objectives(observation).map((value) => (Number.isFinite(value) ? value : null));
    if (scored && observation.feasible) return { ...base, objectives, feasible: true, violation: 0 };

    // Failed and diverged trials carry no measurement, so their violation is unknown (infinite).
    // NOTE: the run loop does not set `violation` yet, so rejected proposals are compared by cost.
    const measured = scored || observation.status === 'rejected';
    const violation = measured ? (observation.violation ?? observation.cost) : undefined;
    return { ...base, objectives, feasible: false, violation: violation !== undefined && Number.isFinite(violation) ? violation : null };
  }
}

function validateOptions(options: Nsga2Options): void {
  if (!Number.isInteger(options.populationSize) || options.populationSize < 2) {
    throw new ValidationError(
      'strategy.options.populationSize',
      options.populationSize,
      `strategy.options.populationSize must be an integer of 2 or more, got ${describeValue(options.populationSize)}: set it to 2 or more`,
    );
  }
  for (const name of ['crossoverRate', 'mutationRate'] as const) {
    const value = options[name];
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
      throw new ValidationError(
        `strategy.options.${name}`,
        value,
        `strategy.options.${name} must be a probability in [0, 1], got ${describeValue(value)}: set it between 0 and 1`,
      );
    }
  }
}

function copyMember(member: Nsga2Member): Nsga2Member {
  return { ...member, objectives: [...member.objectives] };
}

function initialState(seed: number): Nsga2State {
  return {
    kind: 'nsga2',
    random: saveRandomState(new Random(seed)),
    proposed: [],
    pendingRandom: [],
    population: [],
    children: [],
    generations: 0,
  };
}

/** Registry entry of NSGA-II (name `nsga2`). */
export const NSGA2_DEFINITION: StrategyDefinition = {
  label: 'NSGA-II',
  summary: 'Multi-objective evolution (Deb et al. 2002): accuracy up, cost down, Pareto ranks and crowding distance.',
  options: [
    {
      name: 'populationSize',
      label: 'Population size',
      type: 'integer',
      default: 20,
      min: 2,
      max: 1000,
      help: 'Architectures kept after each generation, and children bred per generation. The first population is this many random samples.',
    },
    {
      name: 'crossoverRate',
      label: 'Crossover rate',
      type: 'number',
      default: 0.5,
      min: 0,
      max: 1,
      help: 'Probability from 0 to 1 that a child mixes the choices of two parents instead of copying one.',
    },
    {
      name: 'mutationRate',
      label: 'Mutation rate',
      type: 'number',
      default: 1,
      min: 0,
      max: 1,
      help: 'Probability from 0 to 1 that a child changes one choice; a child equal to an evaluated architecture is always mutated.',
    },
  ],
  create(context, options, state) {
    const nsga2Options: Nsga2Options = {
      populationSize: Number(options.populationSize),
      crossoverRate: Number(options.crossoverRate),
      mutationRate: Number(options.mutationRate),
    };
    const operations = context.spaceOperations ?? SPACE_OPERATIONS_WITH_NEIGHBOURS;
    return new Nsga2(context.space, context.seed, operations, nsga2Options, state);
  },
};
