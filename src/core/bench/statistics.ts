// Summary statistics over seeds for the benchmark harness: mean, population
// standard deviation and median.

/** Returns the arithmetic mean of `values`, or NaN for an empty list. */
export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

/**
 * Returns the population standard deviation (the root of the mean squared
 * deviation, dividing by n rather than n - 1), or NaN for an empty list.
 * One value gives 0.
 */
export function populationStd(values: readonly number[]): number {
  const centre = mean(values);
  if (Number.isNaN(centre)) return Number.NaN;
  let squares = 0;
  for (const value of values) squares += (value - centre) ** 2;
  return Math.sqrt(squares / values.length);
}

/**
 * Returns the median of `values`: the middle value, or the mean of the two
 * middle values for an even count. Infinity is allowed and sorts last, so
 * the median is Infinity when more than half of the values are (or, for an
 * even count, when either middle value is). NaN for an empty list.
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[middle];
  return (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Returns the linearly interpolated quantile of `values` at `level` in
 * [0, 1]: level 0 is the minimum, 1 the maximum and 0.5 the median. NaN for
 * an empty list.
 */
export function quantile(values: readonly number[], level: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = level * (sorted.length - 1);
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low] + (position - low) * (sorted[high] - sorted[low]);
}
