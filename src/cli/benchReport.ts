// Output of `nas-studio bench`: the text tables printed on stdout and the
// JSON document written by --out. Accuracies are shown in percent, the unit
// of the table's columns.
import type { BenchmarkResult, CheckpointSummary, StrategyBenchmark } from '../core/bench/harness';
import type { StrategyOptions } from '../core/strategy';

/** The flags a benchmark ran with, echoed in its output. */
export interface BenchSettings {
  /** The --table path as given on the command line. */
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
  objectives: string[];
  /** Highest signal in the table, percent. */
  bestSignal: number;
  /** Highest report accuracy in the table, percent. */
  optimumReport: number;
  /** Reference point of the hypervolume, cost in the cost objective's unit; null with one objective. */
  hypervolumeReference: Record<string, number> | null;
  strategies: Record<string, BenchJsonStrategy>;
}

const percent = (fraction: number): number => fraction * 100;

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
    objectives: [...result.objectives],
    bestSignal: percent(result.bestSignal),
    optimumReport: percent(result.optimumReport),
    hypervolumeReference: cost === undefined || result.referenceCost === undefined ? null : { accuracy: 0, [cost]: result.referenceCost },
    strategies,
  };
}

/** Formats rows as columns separated by two spaces, each padded to its widest cell. */
function formatColumns(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd()).join('\n');
}

function formatQueriesToBest(summary: StrategyBenchmark, budget: number): string {
  const reached = `reached by ${Math.round(summary.reachedFraction * 100)}% of seeds`;
  const median = Number.isFinite(summary.queriesToBest) ? String(summary.queriesToBest) : `>${budget}`;
  return `${median} (${reached})`;
}

function formatMs(value: number | undefined): string {
  return value === undefined ? '-' : value.toFixed(3);
}

/**
 * Formats the benchmark for a terminal. Each strategy gets a row with the
 * best-by-signal cell's report accuracy (mean ± population std over seeds)
 * at each checkpoint, the median queries to the best cell and the median
 * proposal time, and after timed asks the median wall-clock and CPU time of
 * a proposal with `budget` observations. A cost objective adds a
 * hypervolume table.
 */
export function formatBenchReport(result: BenchmarkResult, settings: BenchSettings): string {
  const { checkpoints, budget } = result;
  const lines = [
    `Benchmark on ${settings.table}: search signal ${settings.signal}, report ${settings.report}`,
    `${result.seeds} seeds (${result.firstSeed} to ${result.firstSeed + result.seeds - 1}), budget ${budget} distinct architectures per run.`,
    `The table's highest signal is ${percent(result.bestSignal).toFixed(2)}% and its highest report ${percent(result.optimumReport).toFixed(2)}%.`,
    '',
    'Strategy options:',
    ...result.strategies.map((summary) => `  ${summary.strategy} ${JSON.stringify(summary.options)}`),
    '',
    'Report accuracy (%) of the best cell by signal after N queries, mean ± std over seeds (population std):',
  ];
  const timed = result.strategies.some((summary) => summary.proposalMsAtBudget !== undefined);
  const header = ['strategy', ...checkpoints.map((queries) => `N=${queries}`), 'queries to best (median)', 'ms per proposal'];
  if (timed) header.push(`ms per proposal at ${budget}, wall`, 'CPU');
  const rows = result.strategies.map((summary) => {
    const row = [
      summary.strategy,
      ...summary.checkpoints.map((checkpoint) => `${percent(checkpoint.mean).toFixed(2)} ± ${percent(checkpoint.std).toFixed(2)}`),
      formatQueriesToBest(summary, budget),
      summary.proposalMs.toFixed(3),
    ];
    if (timed) row.push(formatMs(summary.proposalMsAtBudget), formatMs(summary.proposalCpuMsAtBudget));
    return row;
  });
  lines.push(formatColumns([header, ...rows]));

  const stopped = result.strategies.filter((summary) => summary.seedsStoppedEarly > 0);
  for (const summary of stopped) {
    lines.push(`${summary.strategy}: ${summary.seedsStoppedEarly} of ${result.seeds} seeds stopped proposing before the budget; their last best counts for later checkpoints.`);
  }

  const cost = result.objectives[1];
  if (cost !== undefined && result.referenceCost !== undefined) {
    lines.push(
      '',
      `Hypervolume of report accuracy against ${cost} of the evaluated cells, mean ± std over seeds`,
      `(reference point: accuracy 0, ${cost} ${result.referenceCost.toExponential(4)}; 1 is the whole box):`,
    );
    const hypervolumeRows = result.strategies.map((summary) => [
      summary.strategy,
      ...(summary.hypervolume ?? []).map((checkpoint) => `${checkpoint.mean.toFixed(4)} ± ${checkpoint.std.toFixed(4)}`),
    ]);
    lines.push(formatColumns([['strategy', ...checkpoints.map((queries) => `N=${queries}`)], ...hypervolumeRows]));
  }
  return `${lines.join('\n')}\n`;
}
