// Rank correlation between two paired samples: Spearman's rho and Kendall's
// tau-b, both with ties handled, for judging how well a cheap score (a
// zero-cost proxy, a predictor) ranks architectures by trained accuracy.
import { ValidationError } from '../errors';

/**
 * Returns the rank of each value, from 1, in the input order. Tied values
 * share the mean of the ranks they span, so [10, 20, 20] gives [1, 2.5, 2.5].
 * Throws ValidationError for a NaN value.
 */
export function averageRanks(values: readonly number[]): number[] {
  rejectNaN(values, 'values');
  const order = values.map((_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Array<number>(values.length);
  let start = 0;
  while (start < order.length) {
    let end = start + 1;
    while (end < order.length && values[order[end]] === values[order[start]]) end++;
    // Positions start..end-1 contain equal values: ranks start+1..end, mean (start+1+end)/2.
    const shared = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) ranks[order[k]] = shared;
    start = end;
  }
  return ranks;
}

/**
 * Returns Spearman's rank correlation of the pairs (x[i], y[i]), in [-1, 1]:
 * the Pearson correlation of their average ranks, which is the tie-corrected
 * form. NaN when there are fewer than 2 pairs or either side is constant.
 * Throws ValidationError when the lengths differ or a value is NaN.
 */
export function spearman(x: readonly number[], y: readonly number[]): number {
  checkPaired(x, y);
  if (x.length < 2) return Number.NaN;
  return pearson(averageRanks(x), averageRanks(y));
}

/**
 * Returns Kendall's tau-b of the pairs (x[i], y[i]), in [-1, 1]:
 * (concordant - discordant) / sqrt((n0 - tiesX) * (n0 - tiesY)). Here n0 is
 * the number of pairs of pairs, and tiesX, tiesY count those tied in x or y.
 * Without ties it equals tau-a. NaN when there are fewer than 2 pairs or
 * either side is constant. It takes O(n^2) time.
 * Throws ValidationError when the lengths differ or a value is NaN.
 */
export function kendall(x: readonly number[], y: readonly number[]): number {
  checkPaired(x, y);
  const n = x.length;
  if (n < 2) return Number.NaN;
  let concordant = 0;
  let discordant = 0;
  let tiedX = 0;
  let tiedY = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = Math.sign(x[i] - x[j]);
      const dy = Math.sign(y[i] - y[j]);
      if (dx === 0) tiedX++;
      if (dy === 0) tiedY++;
      if (dx * dy > 0) concordant++;
      if (dx * dy < 0) discordant++;
    }
  }
  const total = (n * (n - 1)) / 2;
  const denominator = Math.sqrt((total - tiedX) * (total - tiedY));
  if (denominator === 0) return Number.NaN;
  return (concordant - discordant) / denominator;
}

function checkPaired(x: readonly number[], y: readonly number[]): void {
  if (x.length !== y.length) {
    throw new ValidationError('y', y.length, `x and y must have the same length, got ${x.length} and ${y.length}: pass one y per x`);
  }
  rejectNaN(x, 'x');
  rejectNaN(y, 'y');
}

function rejectNaN(values: readonly number[], name: string): void {
  values.forEach((value, i) => {
    if (Number.isNaN(value)) {
      throw new ValidationError(`${name}[${i}]`, value, `${name}[${i}] is NaN: drop the pair or replace the value before ranking`);
    }
  });
}

/** Pearson correlation; NaN when either side has zero variance. */
function pearson(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  const meanX = x.reduce((sum, value) => sum + value, 0) / n;
  const meanY = y.reduce((sum, value) => sum + value, 0) / n;
  let covariance = 0;
  let varianceX = 0;
  let varianceY = 0;
  for (let i = 0; i < n; i++) {
    covariance += (x[i] - meanX) * (y[i] - meanY);
    varianceX += (x[i] - meanX) ** 2;
    varianceY += (y[i] - meanY) ** 2;
  }
  if (varianceX === 0 || varianceY === 0) return Number.NaN;
  return covariance / Math.sqrt(varianceX * varianceY);
}
