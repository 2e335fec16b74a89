// Output of `nas-studio bench`: the text tables printed on stdout. The JSON
// document written by --out is built in src/core/bench/report.ts, which the
// browser's Benchmarks page shares. Accuracies are shown in percent, the unit
// of the table's columns.
import type { BenchmarkResult } from '../core/bench/harness';
import { formatAccuracySummary, formatHypervolumeSummary, formatQueriesToBest, percent, type BenchSettings } from '../core/bench/report';

export { benchJson, type BenchJson, type BenchJsonStrategy, type BenchJsonSummary, type BenchSettings } from '../core/bench/report';

/** Formats rows as columns separated by two spaces, each padded to its widest cell. */
function formatColumns(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd()).join('\n');
}

function formatMs(value: number | undefined): string {
  return value === undefined ? '-' : value.toFixed(3);
}

function batchNote(batch: number): string {
  return batch === 1 ? '' : `, asked in rounds of ${batch} told together (as ${batch} workers)`;
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
    `${result.seeds} seeds (${result.firstSeed} to ${result.firstSeed + result.seeds - 1}), budget ${budget} distinct architectures per run${batchNote(result.batch)}.`,
    `The table's highest signal is ${percent(result.bestSignal).toFixed(2)}% and its highest report ${percent(result.optimumReport).toFixed(2)}%.`,
    '',
    'Strategy options:',
    ...result.strategies.map((summary) => `  ${summary.strategy} ${JSON.stringify(summary.options)}`),
    '',
    'Report accuracy (%) of the best cell by signal after N queries, mean ± std over seeds (population std):',
  ];
  const timed = result.strategies.some((summary) => summary.proposalMsAtBudget !== undefined);
  const header = ['strategy', ...checkpoints.map((queries) => `N=${queries}`), 'queries to best (median)', result.batch === 1 ? 'ms per proposal' : 'ms per ask'];
  if (timed) header.push(`ms per proposal at ${budget}, wall`, 'CPU');
  const rows = result.strategies.map((summary) => {
    const row = [
      summary.strategy,
      ...summary.checkpoints.map(formatAccuracySummary),
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
      ...(summary.hypervolume ?? []).map(formatHypervolumeSummary),
    ]);
    lines.push(formatColumns([['strategy', ...checkpoints.map((queries) => `N=${queries}`)], ...hypervolumeRows]));
  }
  return `${lines.join('\n')}\n`;
}
