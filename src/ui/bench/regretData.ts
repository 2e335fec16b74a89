// Data of the Benchmarks page's regret chart: per strategy, the mean regret
// over the seeds finished so far after each query, and the rows of the
// chart's data table. Regret is the table's highest report accuracy minus the
// report accuracy of the best cell by signal found so far, as a fraction.
import { ticks } from 'd3';
import { DEFAULT_CHECKPOINTS } from '../../core/bench/harness';
import { mean } from '../../core/bench/statistics';

/**
 * Regret below this (0.01 percentage points, including exactly 0) is drawn
 * at this value, because a log scale has no place for 0. The data table shows
 * the true value.
 */
export const REGRET_FLOOR = 1e-4;

/** Mean regret (fraction) after `queries` distinct architectures. */
export interface RegretPoint {
  queries: number;
  regret: number;
}

/** One strategy's line. */
export interface RegretSeries {
  strategy: string;
  /** Seeds whose curves the mean covers. */
  seeds: number;
  /** One point per query from 1 to the budget, left out where no seed has found a cell with a signal yet. */
  points: RegretPoint[];
}

/**
 * Returns optimumReport minus the mean over seeds of the best-by-signal
 * report after queries 1..n, computed as the harness computes
 * StrategyBenchmark.meanRegret, so the last update equals the final result.
 * `seedCurves` are the seeds' curves of equal length n (fractions, NaN where
 * a seed has no cell with a signal yet, which makes that mean NaN too).
 */
export function meanRegretCurve(seedCurves: readonly (readonly number[])[], optimumReport: number): number[] {
  const length = seedCurves[0]?.length ?? 0;
  return Array.from({ length }, (_, q) => optimumReport - mean(seedCurves.map((curve) => curve[q])));
}

/** Builds one series per strategy in `strategies` that has at least one finished seed. */
export function regretSeries(
  strategies: readonly string[],
  curvesByStrategy: Readonly<Record<string, readonly (readonly number[])[]>>,
  optimumReport: number,
): RegretSeries[] {
  const series: RegretSeries[] = [];
  for (const strategy of strategies) {
    const curves = curvesByStrategy[strategy] ?? [];
    if (curves.length === 0) continue;
    const points = meanRegretCurve(curves, optimumReport)
      .map((regret, index) => ({ queries: index + 1, regret }))
      .filter((point) => Number.isFinite(point.regret));
    series.push({ strategy, seeds: curves.length, points });
  }
  return series;
}

/** Returns the value a log-scale axis draws for `regret`: at least REGRET_FLOOR. */
export function drawnRegret(regret: number): number {
  return Math.max(regret, REGRET_FLOOR);
}

/**
 * Returns the query counts listed in the data table: 1, about ten round
 * counts, the results table's checkpoints (50, 100, 150, 300) and the
 * budget, ascending and at most the budget.
 */
export function regretTableQueries(budget: number): number[] {
  const round = ticks(1, budget, 10).filter((count) => Number.isInteger(count) && count >= 1);
  const counts = new Set([1, ...round, ...DEFAULT_CHECKPOINTS, budget].filter((count) => count <= budget));
  return [...counts].sort((a, b) => a - b);
}

/** One row of the data table: the mean regret of each series after `queries`, undefined where a series has no point. */
export interface RegretTableRow {
  queries: number;
  regrets: (number | undefined)[];
}

/** Returns the data table's rows for `series`, one per count of regretTableQueries(budget). */
export function regretTableRows(series: readonly RegretSeries[], budget: number): RegretTableRow[] {
  return regretTableQueries(budget).map((queries) => ({
    queries,
    regrets: series.map((line) => line.points.find((point) => point.queries === queries)?.regret),
  }));
}
