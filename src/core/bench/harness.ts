// The benchmark harness runs registered strategies for many seeds against a
// benchmark table. Per strategy it summarises the report accuracy of the
// best-by-signal cell at query checkpoints, the queries needed to find the
// table's best cell, the time per proposal and, with a cost objective, the
// hypervolume. Pure TypeScript, for the CLI and a browser page.
import { describeValue, ValidationError } from '../errors';
import type { BenchmarkTable } from '../evaluators/tabular';
import { NB201_SKELETON } from '../evaluators/tabular';
import { hypervolume, type ParetoPoint } from '../pareto';
import { STRATEGIES, validateStrategyOptions, type StrategyName } from '../strategy';
import { replaySeed, tableCost, type SeedTrace } from './replay';
import { mean, median, populationStd } from './statistics';

/** Query counts at which the harness summarises a run, unless the caller passes others. */
export const DEFAULT_CHECKPOINTS: readonly number[] = [50, 100, 150, 300];

/**
 * The reference point's cost is this factor times the largest cost in the
 * table, so that the costliest cell still adds area (the run loop sizes its
 * reference the same way from samples).
 */
export const REFERENCE_COST_FACTOR = 1.25;

/** Objectives of a benchmark: accuracy alone, or accuracy against a cost. */
export type BenchmarkObjectives = readonly ['accuracy'] | readonly ['accuracy', 'flops' | 'params'];

/** Progress after each finished (strategy, seed) run. */
export interface BenchmarkProgress {
  strategy: string;
  seed: number;
  /** Runs finished so far, over every strategy. */
  runsDone: number;
  /** Strategies times seeds. */
  runsTotal: number;
}

export interface BenchmarkOptions {
  table: BenchmarkTable;
  /** Names in the STRATEGIES registry; each runs with its default options. */
  strategies: readonly string[];
  /** Runs per strategy, with seeds 0..seeds-1. */
  seeds: number;
  /** Distinct architectures each run may evaluate. */
  budget: number;
  /** Default ['accuracy']. */
  objectives?: BenchmarkObjectives;
  /** Query counts to summarise at; default DEFAULT_CHECKPOINTS. Those above the budget are dropped and the budget is added. */
  checkpoints?: readonly number[];
  onProgress?: (progress: BenchmarkProgress) => void;
  /** Clock in milliseconds for the proposal times; performance.now by default. */
  now?: () => number;
}

/** Mean and population standard deviation over seeds at one checkpoint. */
export interface CheckpointSummary {
  /** Distinct architectures evaluated. */
  queries: number;
  mean: number;
  std: number;
}

/** The summary of one strategy over every seed. */
export interface StrategyBenchmark {
  strategy: string;
  /** Report accuracy (fraction) of the best-by-signal cell found so far. */
  checkpoints: CheckpointSummary[];
  /**
   * Median over all seeds of the queries until a cell with the table's
   * highest signal is evaluated. A seed that does not get there within the
   * budget counts as Infinity, so the median is Infinity when half of the
   * seeds or more miss it.
   */
  queriesToBest: number;
  /** Fraction of seeds that evaluated a cell with the table's highest signal within the budget. */
  reachedFraction: number;
  /** Median milliseconds of one `ask(1)` call, over every call of every seed. */
  proposalMs: number;
  /**
   * Hypervolume in [0, 1] of the report accuracy against the cost of every
   * cell evaluated so far, against BenchmarkResult.referenceCost; present
   * only with a cost objective.
   */
  hypervolume?: CheckpointSummary[];
  /** Mean over seeds of the best-by-signal cell's report accuracy after queries 1..budget. */
  meanBestReport: number[];
  /** optimumReport minus meanBestReport, after queries 1..budget. */
  meanRegret: number[];
  /** Each seed's best-by-signal report accuracy after queries 1..budget, seed 0 first. */
  seedBestReports: number[][];
  /** Seeds whose strategy stopped proposing before the budget; their last best counts for later queries. */
  seedsStoppedEarly: number;
}

export interface BenchmarkResult {
  seeds: number;
  budget: number;
  objectives: BenchmarkObjectives;
  /** Checkpoints used, ascending. */
  checkpoints: number[];
  /** Highest signal (fraction) in the table: finding a cell with it counts for queriesToBest. */
  bestSignal: number;
  /** Highest report accuracy in the table, the optimum of the regret curves. */
  optimumReport: number;
  /** Cost of the hypervolume's reference point (its accuracy is 0); present only with a cost objective. */
  referenceCost?: number;
  strategies: StrategyBenchmark[];
}

function checkPositiveInteger(field: string, value: unknown, example: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ValidationError(field, value, `${field} must be a positive integer, got ${describeValue(value)}: set it to 1 or more, e.g. ${example}`);
  }
  return value;
}

function checkObjectives(objectives: unknown): BenchmarkObjectives {
  const valid =
    Array.isArray(objectives) &&
    objectives[0] === 'accuracy' &&
    (objectives.length === 1 || (objectives.length === 2 && (objectives[1] === 'flops' || objectives[1] === 'params')));
  if (!valid) {
    throw new ValidationError(
      'objectives',
      objectives,
      `objectives must be ['accuracy'], ['accuracy', 'flops'] or ['accuracy', 'params'], got ${describeValue(objectives)}: pick one of them`,
    );
  }
  return objectives as unknown as BenchmarkObjectives;
}

function checkStrategies(strategies: unknown): StrategyName[] {
  const known = Object.keys(STRATEGIES).join(', ');
  if (!Array.isArray(strategies) || strategies.length === 0) {
    throw new ValidationError('strategies', strategies, `strategies must be a non-empty list of strategy names, got ${describeValue(strategies)}: pick from ${known}`);
  }
  strategies.forEach((name, i) => {
    if (typeof name !== 'string' || !Object.hasOwn(STRATEGIES, name)) {
      throw new ValidationError(`strategies[${i}]`, name, `strategies[${i}] must be a registered strategy, got ${describeValue(name)}: pick from ${known}`);
    }
    if (strategies.indexOf(name) !== i) {
      throw new ValidationError(`strategies[${i}]`, name, `strategies[${i}] repeats ${describeValue(name)}: list each strategy once`);
    }
  });
  return strategies as StrategyName[];
}

/** Returns the sorted distinct checkpoints up to the budget, with the budget itself added. */
function checkCheckpoints(checkpoints: unknown, budget: number): number[] {
  if (!Array.isArray(checkpoints)) {
    throw new ValidationError('checkpoints', checkpoints, `checkpoints must be a list of query counts, got ${describeValue(checkpoints)}: pass e.g. [50, 100, 150, 300]`);
  }
  checkpoints.forEach((value, i) => checkPositiveInteger(`checkpoints[${i}]`, value, '50'));
  const withinBudget = new Set((checkpoints as number[]).filter((value) => value <= budget));
  withinBudget.add(budget);
  return [...withinBudget].sort((a, b) => a - b);
}

function summarise(queries: number, values: readonly number[]): CheckpointSummary {
  return { queries, mean: mean(values), std: populationStd(values) };
}

/** Returns the 1-based query at which the trace first evaluated a cell with signal `bestSignal`, or Infinity. */
function queriesToReach(trace: SeedTrace, bestSignal: number): number {
  const index = trace.queried.findIndex((cell) => cell.entry !== undefined && cell.entry.signal === bestSignal);
  return index < 0 ? Infinity : index + 1;
}

/** Returns the hypervolume of report accuracy against cost of the first `queries` evaluated cells. */
function traceHypervolume(trace: SeedTrace, queries: number, referenceCost: number): number {
  const points: ParetoPoint[] = [];
  for (const cell of trace.queried.slice(0, queries)) {
    if (cell.entry !== undefined) points.push({ id: cell.hash, accuracy: cell.entry.report, cost: cell.cost });
  }
  return hypervolume(points, referenceCost);
}

/** Returns the best report after each of the `budget` queries, carrying the last value past an early stop. */
function fullCurve(trace: SeedTrace, budget: number): number[] {
  const curve = trace.bestReports.slice(0, budget);
  const last = curve.length > 0 ? curve[curve.length - 1] : Number.NaN;
  while (curve.length < budget) curve.push(last);
  return curve;
}

function summariseStrategy(
  strategy: string,
  traces: readonly SeedTrace[],
  result: Omit<BenchmarkResult, 'strategies'>,
): StrategyBenchmark {
  const { budget, checkpoints, bestSignal, optimumReport, referenceCost } = result;
  const seedBestReports = traces.map((trace) => fullCurve(trace, budget));
  const meanBestReport = Array.from({ length: budget }, (_, q) => mean(seedBestReports.map((curve) => curve[q])));
  const reached = traces.map((trace) => queriesToReach(trace, bestSignal));

  const summary: StrategyBenchmark = {
    strategy,
    checkpoints: checkpoints.map((queries) => summarise(queries, seedBestReports.map((curve) => curve[queries - 1]))),
    queriesToBest: median(reached),
    reachedFraction: reached.filter(Number.isFinite).length / traces.length,
    proposalMs: median(traces.flatMap((trace) => trace.askMs)),
    meanBestReport,
    meanRegret: meanBestReport.map((value) => optimumReport - value),
    seedBestReports,
    seedsStoppedEarly: traces.filter((trace) => trace.stoppedEarly !== undefined).length,
  };
  if (referenceCost !== undefined) {
    summary.hypervolume = checkpoints.map((queries) =>
      summarise(queries, traces.map((trace) => traceHypervolume(trace, queries, referenceCost))),
    );
  }
  return summary;
}

/**
 * Runs every strategy of `options.strategies` with its default options for
 * seeds 0..seeds-1 against the table, each run evaluating up to `budget`
 * distinct architectures in the order runSearch would with one worker and
 * TabularEvaluator (see replaySeed), and summarises the runs per strategy.
 *
 * The search optimises the table's signal column. The reported quantities
 * use the report column: the report accuracy of the best cell by signal,
 * and the hypervolume of report accuracy against cost. With objectives
 * ['accuracy'] the strategies still receive FLOPs as the cost of each
 * observation, as every run of the product has a cost objective.
 *
 * @throws ValidationError naming the option for an unknown or repeated
 *   strategy, a seeds, budget or checkpoint value that is not a positive
 *   integer, or invalid objectives.
 */
export async function runBenchmark(options: BenchmarkOptions): Promise<BenchmarkResult> {
  const seeds = checkPositiveInteger('seeds', options.seeds, '200');
  const budget = checkPositiveInteger('budget', options.budget, '300');
  const strategies = checkStrategies(options.strategies);
  const objectives = checkObjectives(options.objectives ?? ['accuracy']);
  const checkpoints = checkCheckpoints(options.checkpoints ?? DEFAULT_CHECKPOINTS, budget);
  const costObjective = objectives[1] ?? 'flops';
  const now = options.now ?? (() => performance.now());

  const { entries } = options.table;
  const base: Omit<BenchmarkResult, 'strategies'> = {
    seeds,
    budget,
    objectives,
    checkpoints,
    bestSignal: Math.max(...entries.map((entry) => entry.signal)),
    optimumReport: Math.max(...entries.map((entry) => entry.report)),
  };
  if (objectives[1] !== undefined) {
    const largest = Math.max(...entries.map((entry) => tableCost(entry.arch, costObjective, entry)));
    base.referenceCost = REFERENCE_COST_FACTOR * largest;
  }

  const summaries: StrategyBenchmark[] = [];
  let runsDone = 0;
  for (const name of strategies) {
    const strategyOptions = validateStrategyOptions(name, {});
    const traces: SeedTrace[] = [];
    for (let seed = 0; seed < seeds; seed++) {
      const context = { space: NB201_SKELETON, seed, costObjective };
      const strategy = STRATEGIES[name].create(context, strategyOptions);
      traces.push(await replaySeed(strategy, options.table, budget, costObjective, now));
      runsDone++;
      options.onProgress?.({ strategy: name, seed, runsDone, runsTotal: strategies.length * seeds });
    }
    summaries.push(summariseStrategy(name, traces, base));
  }
  return { ...base, strategies: summaries };
}
