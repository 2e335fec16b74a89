// Helpers shared by the families' neighbour, mutation and crossover code.
import type { Random } from '../random';

/**
 * Keeps the first candidate of each hash and drops every candidate whose hash
 * is `ownHash`, so the result has no duplicates and never the original.
 */
export function distinctByHash<A>(candidates: A[], ownHash: string, hashOf: (arch: A) => string): A[] {
  const seen = new Set<string>([ownHash]);
  const result: A[] = [];
  for (const candidate of candidates) {
    const hash = hashOf(candidate);
    if (seen.has(hash)) continue;
    seen.add(hash);
    result.push(candidate);
  }
  return result;
}

/**
 * Picks one of the neighbours uniformly, or returns `arch` when it has none
 * (a space with a single architecture).
 */
export function pickNeighbour<A>(neighbours: A[], arch: A, random: Random): A {
  return neighbours.length === 0 ? arch : random.choice(neighbours);
}

/**
 * Mixes two variable-length lists for crossover: the child's length is taken
 * from a random parent, a position both parents have takes `mix(a, b)`, and a
 * position only one parent has copies that parent's item.
 */
export function mixLists<T>(a: T[], b: T[], random: Random, mix: (x: T, y: T) => T): T[] {
  const length = random.int(2) === 0 ? a.length : b.length;
  const child: T[] = [];
  for (let i = 0; i < length; i++) {
    if (i < a.length && i < b.length) child.push(mix(a[i], b[i]));
    else child.push(i < a.length ? a[i] : b[i]);
  }
  return child;
}

/** Picks `x` or `y` with equal probability. */
export function either<T>(x: T, y: T, random: Random): T {
  return random.int(2) === 0 ? x : y;
}

/**
 * Draws an index of `weights` with probability proportional to its weight;
 * the weights are exact BigInt counts and at least one must be positive.
 */
export function weightedIndex(weights: bigint[], random: Random): number {
  const total = weights.reduce((sum, weight) => sum + weight, 0n);
  let draw = random.bigint(total);
  for (let i = 0; i < weights.length; i++) {
    if (draw < weights[i]) return i;
    draw -= weights[i];
  }
  throw new RangeError('weightedIndex: draw beyond the total weight');
}
