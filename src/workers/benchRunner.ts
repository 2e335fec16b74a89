// The body of the benchmark worker, kept free of worker globals so that Node
// tests can run it: parse the table, check the budget against it, load a
// tfjs backend when a strategy needs one, and run the core harness.
import { checkTableCoversSpace } from '../core/bench/coverage';
import { runBenchmark, type BenchmarkResult } from '../core/bench/harness';
import { ValidationError } from '../core/errors';
import { BenchmarkTableError, parseBenchmarkTable, type BenchmarkTable } from '../core/evaluators/tabular';
import { STRATEGIES, type StrategyName } from '../core/strategy';
import type { BenchEvent, BenchRequest } from './benchProtocol';

function parseTable(request: BenchRequest): BenchmarkTable {
  try {
    return parseBenchmarkTable(request.csv, { signal: request.signal, report: request.report });
  } catch (error) {
    if (!(error instanceof BenchmarkTableError)) throw error;
    throw new ValidationError('table', error.value, `the benchmark table is malformed at ${error.message}`);
  }
}

/**
 * Runs the benchmark of `request` with the harness, exactly as `nas-studio
 * bench` does for the same table, columns, strategies, seeds and budget
 * (without timed asks), and reports a 'started' event and one 'seed' event
 * per finished run.
 * @throws ValidationError with field 'table' for a malformed table (the
 *   message names the line and column) or one that lacks cells of the
 *   NAS-Bench-201 space, 'budget' for a budget over the
 *   table's row count, or the harness's field for other invalid settings.
 */
export async function runBenchRequest(request: BenchRequest, onEvent: (event: BenchEvent) => void, now?: () => number): Promise<BenchmarkResult> {
  const table = parseTable(request);
  checkTableCoversSpace(table);
  const cells = table.entries.length;
  if (typeof request.budget === 'number' && request.budget > cells) {
    throw new ValidationError('budget', request.budget, `budget must be at most the table's ${cells} rows, got ${request.budget}: set budget to ${cells} or less`);
  }

  // REINFORCE computes with tfjs-core, which has no backend of its own. The
  // cpu backend repeats the CLI's numbers for a seed, whatever GPU the page has.
  const needsBackend = request.strategies.some((name) => STRATEGIES[name as StrategyName]?.needsTensorBackend === true);
  if (needsBackend) {
    const { prepareStrategyBackend } = await import('../engine/strategyBackend');
    await prepareStrategyBackend();
  }

  onEvent({ type: 'started', cells, optimumReport: Math.max(...table.entries.map((entry) => entry.report)) });
  return runBenchmark({
    table,
    strategies: request.strategies,
    seeds: request.seeds,
    firstSeed: request.firstSeed,
    budget: request.budget,
    objectives: request.objectives,
    onProgress: (progress) => onEvent({ type: 'seed', ...progress }),
    now,
  });
}
