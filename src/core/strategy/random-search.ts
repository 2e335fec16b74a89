// Random search: uniform samples of the space, without repeating an
// architecture while unproposed ones remain. It is the baseline that the
// other strategies are compared against.
import { deriveSeed, Random } from '../random';
import type { Architecture, SearchSpace } from '../space/types';
import { readArray, readRandomState, readStateObject, saveRandomState } from './state';
import type { Observation, SpaceOperations, Strategy } from './types';

/**
 * Samples drawn per requested architecture before random search gives up
 * and returns fewer architectures than requested. The bound keeps `ask`
 * cheap when almost every architecture of a small space has been proposed.
 */
export const MAX_RESAMPLES = 100;

interface RandomSearchState {
  kind: 'random';
  random: [number, number, number, number];
  /** Hashes of every architecture proposed so far, in proposal order. */
  proposed: string[];
}

/**
 * Uniform random search over a space. Results told back are ignored.
 *
 * NOTE: when nearly every architecture has been proposed, MAX_RESAMPLES
 * uniform draws may all hit proposed hashes, so `ask` can return [] before
 * the space is truly exhausted.
 */
export class RandomSearch implements Strategy {
  private readonly space: SearchSpace;
  private readonly operations: SpaceOperations;
  private readonly random: Random;
  private readonly proposed: Set<string>;
  private readonly proposedOrder: string[];
  private readonly total: bigint;

  constructor(space: SearchSpace, seed: number, operations: SpaceOperations, state?: unknown) {
    this.space = space;
    this.operations = operations;
    this.total = operations.countArchitectures(space);
    if (state === undefined) {
      this.random = new Random(deriveSeed(seed, 'strategy'));
      this.proposedOrder = [];
    } else {
      const saved = readStateObject(state, 'random');
      this.random = new Random(readRandomState(saved.random, 'strategyState.random'));
      this.proposedOrder = readArray(saved.proposed, 'strategyState.proposed').map(String);
    }
    this.proposed = new Set(this.proposedOrder);
  }

  async ask(count: number): Promise<Architecture[]> {
    const batch: Architecture[] = [];
    while (batch.length < count && BigInt(this.proposed.size) < this.total) {
      const arch = this.sampleUnproposed();
      if (arch === undefined) break;
      batch.push(arch);
    }
    return batch;
  }

  async tell(_observations: Observation[]): Promise<void> {
    // Random search does not learn from results.
  }

  getState(): RandomSearchState {
    return { kind: 'random', random: saveRandomState(this.random), proposed: [...this.proposedOrder] };
  }

  private sampleUnproposed(): Architecture | undefined {
    for (let attempt = 0; attempt < MAX_RESAMPLES; attempt++) {
      const arch = this.operations.sampleArchitecture(this.space, this.random);
      const hash = this.operations.hashArchitecture(this.space, arch);
      if (!this.proposed.has(hash)) {
        this.proposed.add(hash);
        this.proposedOrder.push(hash);
        return arch;
      }
    }
    return undefined;
  }
}
