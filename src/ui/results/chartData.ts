// Pure data preparation for the Results charts: the cost of a trial for the
// run's objective, the best-so-far series and operation shares. No DOM here,
// so the numbers the charts and their "Show data" tables show are testable.
import type { CostObjective, Trial, TrialMetrics } from '../../core/run/types';

/** A done trial with its metrics. */
export type MeasuredTrial = Trial & { metrics: TrialMetrics };

export const COST_LABELS: Record<CostObjective, string> = {
  latency: 'Latency (ms, median)',
  params: 'Params',
  flops: 'FLOPs (multiply-accumulates)',
};

export function isMeasured(trial: Trial): trial is MeasuredTrial {
  return trial.status === 'done' && trial.metrics !== undefined;
}

/** Cost of a trial for the objective: median latency in ms, params, or multiply-accumulates. */
export function costOf(metrics: TrialMetrics, objective: CostObjective): number {
  if (objective === 'latency') return metrics.latency.medianMs;
  if (objective === 'params') return metrics.params;
  return metrics.flops;
}

export interface BestSoFarPoint {
  /** Trial index (proposal order). */
  index: number;
  /** This trial's validation accuracy in [0, 1]. */
  accuracy: number;
  /** Best validation accuracy among done trials with index <= this one. */
  best: number;
}

/** Best validation accuracy over the done trials, in trial-index order. */
export function bestSoFar(trials: readonly Trial[]): BestSoFarPoint[] {
  const measured = trials.filter(isMeasured).sort((a, b) => a.index - b.index);
  const points: BestSoFarPoint[] = [];
  let best = -Infinity;
  for (const trial of measured) {
    best = Math.max(best, trial.metrics.validationAccuracy);
    points.push({ index: trial.index, accuracy: trial.metrics.validationAccuracy, best });
  }
  return points;
}

export interface OperationShare {
  operation: string;
  /** Share of this operation among every operation choice of the top-k trials, in [0, 1]. */
  topShare: number;
  /** Share among every operation choice of all done trials, in [0, 1]. */
  allShare: number;
}

/**
 * Shares of each operation among the top-k done trials (by validation
 * accuracy) and among all done trials. `operationsOf` lists one label per
 * searched choice of an architecture. Sorted by top-k share, then name.
 */
export function operationFrequency(
  trials: readonly Trial[],
  topK: number,
  operationsOf: (trial: Trial) => string[],
): OperationShare[] {
  const measured = trials.filter(isMeasured);
  const ranked = [...measured].sort((a, b) => b.metrics.validationAccuracy - a.metrics.validationAccuracy);
  const top = ranked.slice(0, Math.max(0, topK));
  const topCounts = countOperations(top, operationsOf);
  const allCounts = countOperations(measured, operationsOf);
  const topTotal = sum(topCounts.values());
  const allTotal = sum(allCounts.values());

  const shares: OperationShare[] = [];
  for (const [operation, count] of allCounts) {
    shares.push({
      operation,
      topShare: topTotal > 0 ? (topCounts.get(operation) ?? 0) / topTotal : 0,
      allShare: allTotal > 0 ? count / allTotal : 0,
    });
  }
  return shares.sort((a, b) => b.topShare - a.topShare || a.operation.localeCompare(b.operation));
}

function countOperations(trials: readonly Trial[], operationsOf: (trial: Trial) => string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const trial of trials) {
    for (const operation of operationsOf(trial)) counts.set(operation, (counts.get(operation) ?? 0) + 1);
  }
  return counts;
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
