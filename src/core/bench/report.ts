// The JSON document of a benchmark (`nas-studio bench --out` and the
// Benchmarks page's "Download JSON") and the number formats that the CLI's
// tables and the page share. Accuracies are in percent, the unit of the
// table's columns.
import type { BenchmarkResult, CheckpointSummary, StrategyBenchmark } from './harness';
import type { StrategyOptions } from '../strategy';

/** The table and columns a benchmark ran with, echoed in its output. */
export interface BenchSettings {
  /** The table as the user named it: the --table path, or the file name on the Benchmarks page. */
  table: string;
  signal: string;
  report: string;
}

/** Mean and population standard deviation at one checkpoint, accuracies in percent. */
export interface BenchJsonSummary {
  mean: number;
  std: number;
}

/** One strategy's entry in the --out JSON. */
export interface BenchJsonStrategy {
  /** The options the strategy ran with, defaults filled in. */
  options: StrategyOptions;
  /** Best-by-signal cell's report accuracy in percent, keyed by query count. */
  budgets: Record<string, BenchJsonSummary>;
  /** Median queries to the table's best cell by signal; null when half of the seeds or more miss it. */
  queriesToBest: number | null;
  /** Median milliseconds per proposal (one ask call). */
  proposalMs: number;
  /** Median wall-clock milliseconds of a proposal with `budget` observations; null without --timed-asks. */
  proposalMsAtBudget: number | null;
  /** Median process CPU milliseconds of the same proposals; null without --timed-asks. */
  proposalCpuMsAtBudget: number | null;
  /** Hypervolume in [0, 1] keyed by query count; null with the single objective accuracy. */
  hypervolume: Record<string, BenchJsonSummary> | null;
  /** Fraction of seeds that reached the table's best cell by signal within the budget. */
  reachedFraction: number;
  /** Seeds whose strategy stopped proposing before the budget. */
  seedsStoppedEarly: number;
  /** Mean over seeds of the best-by-signal report accuracy in percent after queries 1..budget. */
  meanBestReport: number[];
}

/** The --out JSON document. */
export interface BenchJson {
  table: string;
  signal: string;
  report: string;
  seeds: number;
  firstSeed: number;
  budget: number;
  /** New architectures per round of asks, told together (1: one worker). */
  batch: number;
  objectives: string[];
  /** Highest signal in the table, percent. */
  bestSignal: number;
  /** Highest report accuracy in the table, percent. */
  optimumReport: number;
  /** Reference point of the hypervolume, cost in the cost objective's unit; null with one objective. */
  hypervolumeReference: Record<string, number> | null;
  strategies: Record<string, BenchJsonStrategy>;
}

/** Converts a fraction to percent. */
export const percent = (fraction: number): number => fraction * 100;

function keyed(summaries: readonly CheckpointSummary[], scale: (value: number) => number): Record<string, BenchJsonSummary> {
  return Object.fromEntries(summaries.map((summary) => [String(summary.queries), { mean: scale(summary.mean), std: scale(summary.std) }]));
}

/** Converts a benchmark result into the --out JSON document (accuracies in percent). */
export function benchJson(result: BenchmarkResult, settings: BenchSettings): BenchJson {
  const cost = result.objectives[1];
  const strategies: Record<string, BenchJsonStrategy> = {};
  for (const summary of result.strategies) {
    strategies[summary.strategy] = {
      options: summary.options,
      budgets: keyed(summary.checkpoints, percent),
      queriesToBest: Number.isFinite(summary.queriesToBest) ? summary.queriesToBest : null,
      proposalMs: summary.proposalMs,
      proposalMsAtBudget: summary.proposalMsAtBudget ?? null,
      proposalCpuMsAtBudget: summary.proposalCpuMsAtBudget ?? null,
      hypervolume: summary.hypervolume === undefined ? null : keyed(summary.hypervolume, (value) => value),
      reachedFraction: summary.reachedFraction,
      seedsStoppedEarly: summary.seedsStoppedEarly,
      meanBestReport: summary.meanBestReport.map(percent),
    };
  }
  return {
    table: settings.table,
    signal: settings.signal,
    report: settings.report,
    seeds: result.seeds,
    firstSeed: result.firstSeed,
    budget: result.budget,
    batch: result.batch,
    objectives: [...result.objectives],
    bestSignal: percent(result.bestSignal),
    optimumReport: percent(result.optimumReport),
    hypervolumeReference: cost === undefined || result.referenceCost === undefined ? null : { accuracy: 0, [cost]: result.referenceCost },
    strategies,
  };
}

/**
 * Formats the median queries to the table's best cell by signal with the
 * fraction of seeds that reached it, e.g. "68 (reached by 90% of seeds)",
 * or ">300 (...)" when the median seed missed it within `budget` queries.
 */
export function formatQueriesToBest(summary: StrategyBenchmark, budget: number): string {
  const reached = `reached by ${Math.round(summary.reachedFraction * 100)}% of seeds`;
  const median = Number.isFinite(summary.queriesToBest) ? String(summary.queriesToBest) : `>${budget}`;
  return `${median} (${reached})`;
}

/** Formats an accuracy checkpoint (fractions) as "mean ± std" in percent with two decimals, e.g. "93.71 ± 0.31". */
export function formatAccuracySummary(summary: CheckpointSummary): string {
  return `${percent(summary.mean).toFixed(2)} ± ${percent(summary.std).toFixed(2)}`;
}

/** Formats a hypervolume checkpoint as "mean ± std" with four decimals, e.g. "0.6123 ± 0.0040". */
export function formatHypervolumeSummary(summary: CheckpointSummary): string {
  return `${summary.mean.toFixed(4)} ± ${summary.std.toFixed(4)}`;
}
