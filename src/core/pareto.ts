// Pareto dominance, non-dominated sorting and the 2-D hypervolume of the
// search's two objectives. Validation accuracy is maximised, and one cost
// (params, FLOPs or latency) is minimised.
import { ValidationError } from './errors';

/** One evaluated candidate in objective space. */
export interface ParetoPoint {
  id: string;
  /** Maximised, usually validation accuracy in [0, 1]. */
  accuracy: number;
  /** Minimised, in the unit of the cost objective (params, multiply-accumulates or milliseconds). */
  cost: number;
}

/**
 * Returns whether `a` dominates `b`: at least as good in both objectives and
 * strictly better in one. Equal points do not dominate each other.
 */
export function dominates(a: ParetoPoint, b: ParetoPoint): boolean {
  const noWorse = a.accuracy >= b.accuracy && a.cost <= b.cost;
  const better = a.accuracy > b.accuracy || a.cost < b.cost;
  return noWorse && better;
}

function validatePoints(points: readonly ParetoPoint[]): void {
  points.forEach((point, i) => {
    for (const key of ['accuracy', 'cost'] as const) {
      if (!Number.isFinite(point[key])) {
        throw new ValidationError(
          `points[${i}].${key}`,
          point[key],
          `points[${i}].${key} must be a finite number, got ${point[key]}: leave point "${point.id}" out of the front`,
        );
      }
    }
  });
}

/**
 * Sorts points into Pareto ranks with the fast non-dominated sort of Deb,
 * Pratap, Agarwal and Meyarivan (2002, "A fast and elitist multiobjective
 * genetic algorithm: NSGA-II"). Rank 0 is the front. Within a rank, points
 * keep their input order. O(n^2) comparisons.
 * Throws ValidationError when a point has a non-finite accuracy or cost.
 */
export function nonDominatedSort(points: readonly ParetoPoint[]): ParetoPoint[][] {
  validatePoints(points);
  return rankByDominance(points.length, (i, j) => dominates(points[i], points[j])).map((rank) =>
    rank.map((i) => points[i]),
  );
}

/**
 * Splits the items 0..count-1 into ranks with the fast non-dominated sort
 * (Deb et al. 2002) under any dominance relation, for example one over k
 * objectives or with constraints. `dominates(i, j)` must be a strict partial
 * order. Returns item indices per rank, rank 0 first and each rank in
 * increasing index order. O(count^2) calls of `dominates`.
 */
export function rankByDominance(count: number, dominates: (i: number, j: number) => boolean): number[][] {
  const dominatedBy = new Array<number>(count).fill(0);
  const dominatedSets: number[][] = Array.from({ length: count }, () => []);

  for (let i = 0; i < count; i++) {
    for (let j = i + 1; j < count; j++) {
      if (dominates(i, j)) {
        dominatedSets[i].push(j);
        dominatedBy[j]++;
      } else if (dominates(j, i)) {
        dominatedSets[j].push(i);
        dominatedBy[i]++;
      }
    }
  }

  const ranks: number[][] = [];
  let current = dominatedBy.flatMap((value, i) => (value === 0 ? [i] : []));
  while (current.length > 0) {
    ranks.push(current);
    const next: number[] = [];
    for (const i of current) {
      for (const j of dominatedSets[i]) {
        dominatedBy[j]--;
        if (dominatedBy[j] === 0) next.push(j);
      }
    }
    current = next.sort((a, b) => a - b);
  }
  return ranks;
}

/**
 * Returns the non-dominated points, in input order. Tied points (equal
 * accuracy and cost) all stay on the front.
 */
export function paretoFront(points: readonly ParetoPoint[]): ParetoPoint[] {
  return nonDominatedSort(points)[0] ?? [];
}

/**
 * Computes the area dominated by `points` inside the box between the
 * reference point (accuracy 0, cost `referenceCost`) and (accuracy 1, cost 0),
 * divided by `referenceCost`. With accuracies in [0, 1] the result lies in
 * [0, 1]. Points with cost >= `referenceCost` or accuracy <= 0 add nothing.
 * Adding a point never decreases the value as long as `referenceCost` stays
 * fixed, so a run must keep one reference for its whole history.
 * Throws ValidationError when `referenceCost` is not a positive finite number
 * or a point has a non-finite accuracy or cost.
 */
export function hypervolume(points: readonly ParetoPoint[], referenceCost: number): number {
  if (!Number.isFinite(referenceCost) || referenceCost <= 0) {
    throw new ValidationError(
      'referenceCost',
      referenceCost,
      `referenceCost must be a positive finite number, got ${referenceCost}: pass a cost bound above every cost of interest`,
    );
  }
  validatePoints(points);

  // Sweep by increasing cost: each point adds the strip of accuracy it gains
  // over every cheaper point, spanning from its cost to the reference cost.
  const inside = points
    .filter((point) => point.cost < referenceCost && point.accuracy > 0)
    .sort((a, b) => a.cost - b.cost || b.accuracy - a.accuracy);
  let area = 0;
  let bestAccuracy = 0;
  for (const point of inside) {
    if (point.accuracy <= bestAccuracy) continue;
    area += (point.accuracy - bestAccuracy) * (referenceCost - point.cost);
    bestAccuracy = point.accuracy;
  }
  return area / referenceCost;
}
