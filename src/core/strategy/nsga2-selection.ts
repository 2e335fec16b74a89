// The selection parts of NSGA-II (Deb, Pratap, Agarwal and Meyarivan 2002,
// "A fast and elitist multiobjective genetic algorithm: NSGA-II") over k
// minimised objectives: constraint domination, ranking, crowding distance,
// binary tournaments and elitist survival.
import { rankByDominance } from '../pareto';
import type { Random } from '../random';

/** One member in objective space: the input of NSGA-II's selection. */
export interface Candidate {
  /**
   * Objective values, all minimised, the same length k for every candidate.
   * null is an unknown value, which counts as worse than every number.
   */
  objectives: (number | null)[];
  feasible: boolean;
  /** For an infeasible candidate: how far it exceeds its constraints (larger is worse); null when unknown, which counts as infinite. Ignored when feasible. */
  violation: number | null;
}

/** Rank (0 = first front) and crowding distance of each candidate, by index. */
export interface Ranking {
  rank: number[];
  crowding: number[];
}

function objectiveValue(value: number | null): number {
  return value === null ? Number.POSITIVE_INFINITY : value;
}

/** Returns whether objective vector `a` Pareto-dominates `b` (all minimised): no worse anywhere, better somewhere. */
export function paretoDominates(a: readonly (number | null)[], b: readonly (number | null)[]): boolean {
  let better = false;
  for (let m = 0; m < a.length; m++) {
    const x = objectiveValue(a[m]);
    const y = objectiveValue(b[m]);
    if (x > y) return false;
    if (x < y) better = true;
  }
  return better;
}

/**
 * Deb's constraint domination: a feasible candidate dominates every
 * infeasible one, an infeasible one dominates another with a larger
 * violation, and feasible candidates compare by Pareto dominance.
 */
export function constraintDominates(a: Candidate, b: Candidate): boolean {
  if (a.feasible !== b.feasible) return a.feasible;
  if (!a.feasible) return objectiveValue(a.violation) < objectiveValue(b.violation);
  return paretoDominates(a.objectives, b.objectives);
}

/**
 * Computes the crowding distance of each member of `front` (indices into
 * `candidates`): per objective, the boundary members get Infinity and the
 * others the gap between their two neighbours divided by the objective's
 * range. An objective whose range is zero or not finite adds nothing, and so
 * does a gap that is not a number.
 */
export function crowdingDistances(candidates: readonly Candidate[], front: readonly number[]): number[] {
  const distance = front.map(() => 0);
  if (front.length === 0) return distance;
  const objectives = candidates[front[0]].objectives.length;

  for (let m = 0; m < objectives; m++) {
    const value = (position: number): number => objectiveValue(candidates[front[position]].objectives[m]);
    // Positions in the front sorted by this objective; ties keep front order.
    const order = front.map((_, position) => position).sort((p, q) => value(p) - value(q) || p - q);
    const range = value(order[order.length - 1]) - value(order[0]);
    if (!(range > 0) || !Number.isFinite(range)) continue;

    distance[order[0]] = Number.POSITIVE_INFINITY;
    distance[order[order.length - 1]] = Number.POSITIVE_INFINITY;
    for (let i = 1; i < order.length - 1; i++) {
      const gap = (value(order[i + 1]) - value(order[i - 1])) / range;
      if (!Number.isNaN(gap)) distance[order[i]] += gap;
    }
  }
  return distance;
}

/**
 * Ranks candidates by constraint domination and computes the crowding
 * distance within each rank. Ranks of infeasible candidates get crowding 0,
 * because their order comes from the violation alone.
 */
export function rankCandidates(candidates: readonly Candidate[]): Ranking {
  const rank = candidates.map(() => 0);
  const crowding = candidates.map(() => 0);
  const fronts = rankByDominance(candidates.length, (i, j) => constraintDominates(candidates[i], candidates[j]));
  fronts.forEach((front, r) => {
    for (const i of front) rank[i] = r;
    if (!candidates[front[0]].feasible) return;
    crowdingDistances(candidates, front).forEach((distance, position) => {
      crowding[front[position]] = distance;
    });
  });
  return { rank, crowding };
}

/** Returns whether candidate i wins against j: lower rank, then larger crowding distance. */
export function crowdedBetter(ranking: Ranking, i: number, j: number): boolean {
  if (ranking.rank[i] !== ranking.rank[j]) return ranking.rank[i] < ranking.rank[j];
  return ranking.crowding[i] > ranking.crowding[j];
}

/**
 * Draws two distinct candidates of `count` uniformly and returns the index
 * of the winner under crowdedBetter. A tie goes to the first drawn. With a
 * single candidate it returns 0. `count` must be at least 1.
 */
export function binaryTournament(ranking: Ranking, count: number, random: Random): number {
  const first = random.int(count);
  if (count === 1) return first;
  let second = random.int(count - 1);
  if (second >= first) second++;
  return crowdedBetter(ranking, second, first) ? second : first;
}

/**
 * Elitist survival: returns the indices of the `size` candidates that NSGA-II
 * keeps, whole ranks first and the last rank by decreasing crowding distance
 * (ties to the lower index). Returns every index when there are at most
 * `size` candidates. The result is in increasing index order.
 */
export function selectSurvivors(candidates: readonly Candidate[], size: number): number[] {
  if (candidates.length <= size) return candidates.map((_, i) => i);
  const ranking = rankCandidates(candidates);
  const order = candidates
    .map((_, i) => i)
    .sort((i, j) => ranking.rank[i] - ranking.rank[j] || ranking.crowding[j] - ranking.crowding[i] || i - j);
  return order.slice(0, size).sort((i, j) => i - j);
}
