// Local search as studied by White, Nolen and Savani (2021, "Exploring the
// Loss Landscape in Neural Architecture Search", arXiv:2005.02960): hill
// climbing over the one-choice neighbourhood of the current architecture,
// restarted from new random architectures at each local optimum.
import { describeValue, ValidationError } from '../errors';
import { deriveSeed, Random } from '../random';
import { neighbourArchitectures } from '../space';
import type { Architecture, SearchSpace } from '../space/types';
import { readLocalSearchState, type LocalSearchState, type ScoredPoint } from './local-search-state';
import {
  fitterThan,
  observedFitness,
  ProposalHistory,
  proposeBatch,
  sampleUnproposed,
  type HashedArchitecture,
} from './sampling';
import { SPACE_OPERATIONS_WITH_NEIGHBOURS } from './space-operations';
import { saveRandomState } from './state';
import type { Observation, SpaceOperations, Strategy, StrategyDefinition } from './types';

export interface LocalSearchOptions {
  /** Random architectures evaluated before the first climb; the best of them starts it. */
  initialSamples: number;
  /** Random architectures evaluated before each later climb; the best of them starts it. */
  restartSamples: number;
  /**
   * True: evaluate the whole neighbourhood, then move to its best member
   * (best improvement). False: move to the first neighbour that beats the
   * current architecture (first improvement).
   */
  fullNeighbourhood: boolean;
}

/**
 * Hill climbing with random restarts and batched asks.
 *
 * A climb starts from the best of `initialSamples` (later `restartSamples`)
 * random architectures. Its neighbours (neighbourArchitectures) are proposed
 * in an order shuffled with the strategy's generator. The climb moves to an
 * improving neighbour (the first one told, or with fullNeighbourhood the
 * best once all are told) and reaches a local optimum when every neighbour
 * is told and none is better. Then it restarts.
 *
 * Departures from the paper, which evaluates one architecture at a time:
 * - A neighbour whose hash was proposed before (in this climb or an earlier
 *   one) is not proposed again. Its told result counts as evaluated, so a
 *   known better neighbour moves the climb at no cost.
 * - `ask(n)` proposes up to n unproposed neighbours of the current point.
 *   When none is left while some are still untold, or while no climb runs,
 *   it proposes random samples. Every told random sample joins the pool
 *   from which the next climb starts, so these samples are not wasted.
 * - Results of neighbours of an earlier point arrive after the climb moved
 *   on. They are recorded but move the climb only if they are neighbours of
 *   the current point.
 * - Failed, diverged, rejected and infeasible architectures have no
 *   fitness: they never become the current point unless every start sample
 *   lacks a fitness, and then any scored neighbour improves on them.
 */
export class LocalSearch implements Strategy {
  private readonly space: SearchSpace;
  private readonly operations: SpaceOperations;
  private readonly options: LocalSearchOptions;
  private readonly total: bigint;
  private readonly random: Random;
  private readonly proposed: ProposalHistory;
  /** Fitness of every told hash. */
  private readonly told: Map<string, number | null>;
  private readonly pendingSamples: Set<number>;
  private samples: ScoredPoint[];
  private current: ScoredPoint | null;
  private neighbours: HashedArchitecture[];
  private nextNeighbour: number;
  private restarts: number;

  constructor(
    space: SearchSpace,
    seed: number,
    operations: SpaceOperations,
    options: LocalSearchOptions,
    state?: unknown,
  ) {
    for (const name of ['initialSamples', 'restartSamples'] as const) {
      const value = options[name];
      if (!Number.isInteger(value) || value < 1) {
        throw new ValidationError(
          `strategy.options.${name}`,
          value,
          `strategy.options.${name} must be an integer of 1 or more, got ${describeValue(value)}: set it to 1 or more`,
        );
      }
    }
    this.space = space;
    this.operations = operations;
    this.options = options;
    this.total = operations.countArchitectures(space);

    const saved: LocalSearchState =
      state === undefined ? initialState(deriveSeed(seed, 'strategy')) : readLocalSearchState(state);
    this.random = new Random(saved.random);
    this.proposed = new ProposalHistory(saved.proposed);
    this.told = new Map(saved.told);
    this.pendingSamples = new Set(saved.pendingSamples);
    this.samples = saved.samples.map((point) => ({ ...point }));
    this.current = saved.current === null ? null : { ...saved.current };
    this.neighbours = saved.neighbours.map((neighbour) => ({ ...neighbour }));
    this.nextNeighbour = saved.nextNeighbour;
    this.restarts = saved.restarts;
  }

  async ask(count: number): Promise<Architecture[]> {
    return proposeBatch(count, this.total, this.proposed, (index) => {
      const neighbour = this.takeNeighbour();
      if (neighbour !== undefined) return neighbour;
      const sample = sampleUnproposed(this.space, this.operations, this.random, this.proposed);
      if (sample !== undefined) this.pendingSamples.add(index);
      return sample;
    });
  }

  async tell(observations: Observation[]): Promise<void> {
    for (const observation of observations) {
      const fitness = observedFitness(observation);
      this.told.set(observation.hash, fitness);
      if (this.pendingSamples.delete(observation.index)) {
        this.samples.push({ arch: observation.arch, hash: observation.hash, fitness });
      }
      this.advance();
    }
  }

  getState(): LocalSearchState {
    return {
      kind: 'local',
      random: saveRandomState(this.random),
      proposed: [...this.proposed.order],
      told: [...this.told],
      pendingSamples: [...this.pendingSamples],
      samples: this.samples.map((point) => ({ ...point })),
      current: this.current === null ? null : { ...this.current },
      neighbours: this.neighbours.map((neighbour) => ({ ...neighbour })),
      nextNeighbour: this.nextNeighbour,
      restarts: this.restarts,
    };
  }

  /** Returns the next unproposed neighbour of the current point, or undefined when none is left. */
  private takeNeighbour(): HashedArchitecture | undefined {
    if (this.current === null) return undefined;
    while (this.nextNeighbour < this.neighbours.length) {
      const neighbour = this.neighbours[this.nextNeighbour++];
      if (!this.proposed.has(neighbour.hash)) return neighbour;
    }
    return undefined;
  }

  /** Starts, moves or restarts the climb as far as the told results allow. */
  private advance(): void {
    for (;;) {
      if (this.current === null) {
        const needed = this.restarts === 0 ? this.options.initialSamples : this.options.restartSamples;
        if (this.samples.length < needed) return;
        const start = this.samples.reduce((best, point) => (fitterThan(point.fitness, best.fitness) ? point : best));
        this.samples = [];
        this.moveTo(start);
        continue;
      }

      const { best, complete } = this.inspectNeighbourhood(this.current);
      const improving = best !== undefined && fitterThan(best.fitness, this.current.fitness);
      if (improving && (complete || !this.options.fullNeighbourhood)) {
        this.moveTo(best);
      } else if (complete) {
        this.current = null;
        this.neighbours = [];
        this.nextNeighbour = 0;
        this.restarts++;
      } else {
        return;
      }
    }
  }

  private moveTo(point: ScoredPoint): void {
    const neighbours = (this.operations.neighbourArchitectures ?? neighbourArchitectures)(this.space, point.arch);
    this.current = { ...point };
    this.neighbours = this.random.shuffle(
      neighbours.map((arch) => ({ arch, hash: this.operations.hashArchitecture(this.space, arch) })),
    );
    this.nextNeighbour = 0;
  }

  /**
   * Returns the best told neighbour of `point` (first in shuffled order among
   * equals) and whether the neighbourhood is complete: every neighbour
   * proposed and told.
   */
  private inspectNeighbourhood(point: ScoredPoint): { best: ScoredPoint | undefined; complete: boolean } {
    let best: ScoredPoint | undefined;
    let complete = true;
    for (const neighbour of this.neighbours) {
      if (neighbour.hash === point.hash) continue;
      if (!this.told.has(neighbour.hash)) {
        complete = false;
        continue;
      }
      const fitness = this.told.get(neighbour.hash) as number | null;
      if (best === undefined || fitterThan(fitness, best.fitness)) best = { ...neighbour, fitness };
    }
    return { best, complete };
  }
}

function initialState(seed: number): LocalSearchState {
  return {
    kind: 'local',
    random: saveRandomState(new Random(seed)),
    proposed: [],
    told: [],
    pendingSamples: [],
    samples: [],
    current: null,
    neighbours: [],
    nextNeighbour: 0,
    restarts: 0,
  };
}

/** Registry entry of local search (name `local`). */
export const LOCAL_SEARCH_DEFINITION: StrategyDefinition = {
  label: 'Local search',
  summary: 'Hill climbing over one-choice neighbours with random restarts (White, Nolen and Savani 2021).',
  options: [
    {
      name: 'initialSamples',
      label: 'Initial samples',
      type: 'integer',
      default: 10,
      min: 1,
      max: 1000,
      help: 'Random architectures evaluated before the first climb, which starts from the best of them.',
    },
    {
      name: 'restartSamples',
      label: 'Restart samples',
      type: 'integer',
      default: 5,
      min: 1,
      max: 1000,
      help: 'Random architectures evaluated at each local optimum; the next climb starts from the best of them.',
    },
    {
      name: 'fullNeighbourhood',
      label: 'Evaluate whole neighbourhood',
      type: 'boolean',
      default: false,
      help: 'When on, every neighbour is evaluated before moving to the best one; when off, the climb moves to the first better neighbour.',
    },
  ],
  create(context, options, state) {
    const localOptions: LocalSearchOptions = {
      initialSamples: Number(options.initialSamples),
      restartSamples: Number(options.restartSamples),
      fullNeighbourhood: Boolean(options.fullNeighbourhood),
    };
    const operations = context.spaceOperations ?? SPACE_OPERATIONS_WITH_NEIGHBOURS;
    return new LocalSearch(context.space, context.seed, operations, localOptions, state);
  },
};
