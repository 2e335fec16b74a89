// Helpers shared by strategies that never propose an architecture twice:
// the history of proposed hashes, filling a batch, drawing a uniform sample
// whose hash is new, and reading an observation's fitness.
import type { Random } from '../random';
import type { Architecture, SearchSpace } from '../space/types';
import { MAX_RESAMPLES } from './random-search';
import type { Observation, SpaceOperations } from './types';

/** An architecture with its canonical hash. */
export interface HashedArchitecture {
  arch: Architecture;
  hash: string;
}

/**
 * Hashes of every proposed architecture in proposal order, so the position
 * of a hash is its proposal index (each hash is proposed once).
 */
export class ProposalHistory {
  readonly order: string[];
  private readonly hashes: Set<string>;

  constructor(order: readonly string[] = []) {
    this.order = [...order];
    this.hashes = new Set(order);
  }

  get size(): number {
    return this.order.length;
  }

  has(hash: string): boolean {
    return this.hashes.has(hash);
  }

  add(hash: string): void {
    this.order.push(hash);
    this.hashes.add(hash);
  }
}

/**
 * Fills a batch of up to `count` architectures from `next`, which receives
 * the proposal index and returns an architecture whose hash is new, or
 * undefined when it has none. Stops early when `next` has none or when
 * `total` architectures (the size of the space) have been proposed.
 */
export function proposeBatch(
  count: number,
  total: bigint,
  history: ProposalHistory,
  next: (index: number) => HashedArchitecture | undefined,
): Architecture[] {
  const batch: Architecture[] = [];
  while (batch.length < count && BigInt(history.size) < total) {
    const proposal = next(history.size);
    if (proposal === undefined) break;
    history.add(proposal.hash);
    batch.push(proposal.arch);
  }
  return batch;
}

/**
 * Draws up to MAX_RESAMPLES uniform samples and returns the first whose hash
 * is not in `proposed`, or undefined when every draw was proposed already
 * (the space is exhausted or nearly so). Does not add the hash to `proposed`.
 */
export function sampleUnproposed(
  space: SearchSpace,
  operations: SpaceOperations,
  random: Random,
  proposed: { has(hash: string): boolean },
): HashedArchitecture | undefined {
  for (let attempt = 0; attempt < MAX_RESAMPLES; attempt++) {
    const arch = operations.sampleArchitecture(space, random);
    const hash = operations.hashArchitecture(space, arch);
    if (!proposed.has(hash)) return { arch, hash };
  }
  return undefined;
}

/**
 * Returns the validation accuracy of a done, feasible observation, or null
 * for a failed, diverged, rejected or infeasible one (or one without an
 * accuracy), which ranks below every accuracy.
 */
export function observedFitness(observation: Observation): number | null {
  const scored = observation.status === 'done' && observation.feasible;
  return scored && observation.validationAccuracy !== undefined ? observation.validationAccuracy : null;
}

/** Returns whether fitness `a` is strictly better than `b`; null is worse than every number. */
export function fitterThan(a: number | null, b: number | null): boolean {
  if (a === null) return false;
  return b === null || a > b;
}
