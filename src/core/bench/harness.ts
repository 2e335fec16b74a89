// The benchmark harness runs registered strategies for many seeds against a
// benchmark table. Per strategy it summarises the report accuracy of the
// best-by-signal cell at query checkpoints, the queries needed to find the
// table's best cell, the time per proposal and, with a cost objective, the
// hypervolume. Pure TypeScript, for the CLI and a browser page.
import { describeValue, ValidationError } from '../errors';
import type { BenchmarkTable } from '../evaluators/tabular';
import { NB201_SKELETON } from '../evaluators/tabular';
import { hypervolume, type ParetoPoint } from '../pareto';
import { checkTableCoversSpace } from './coverage';
import { STRATEGIES, validateStrategyOptions, type StrategyName, type StrategyOptions } from '../strategy';
import { replaySeed, tableCost, timeAsks, type AskTimes, type SeedTrace } from './replay';
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
  /** The seed of the run that finished, from firstSeed to firstSeed + seeds - 1. */
  seed: number;
  /** Runs finished so far, over every strategy. */
  runsDone: number;
  /** Strategies times seeds. */
  runsTotal: number;
  /**
   * The finished run's report accuracy (fraction) of the best-by-signal cell
   * after queries 1..budget, as in StrategyBenchmark.seedBestReports, so that
   * a caller can draw curves before the strategy's summary exists.
   */
  bestReports: number[];
}

export interface BenchmarkOptions {
  table: BenchmarkTable;
  /** Names in the STRATEGIES registry. */
  strategies: readonly string[];
  /**
   * Options per strategy name, e.g. `{ evolution: { populationSize: 20 } }`.
   * Options left out, and strategies left out, take the registry defaults.
   */
  strategyOptions?: Readonly<Record<string, unknown>>;
  /** Runs per strategy, with seeds firstSeed..firstSeed+seeds-1. */
  seeds: number;
  /** Seed of the first run of each strategy; default 0. */
  firstSeed?: number;
  /** Distinct architectures each run may evaluate. */
  budget: number;
  /**
   * New architectures per round of asks, told together after the round, a
   * model of this many workers whose trials finish together (see
   * replaySeed); default 1.
   */
  batch?: number;
  /** Default ['accuracy']. */
  objectives?: BenchmarkObjectives;
  /** Query counts to summarise at; default DEFAULT_CHECKPOINTS. Those above the budget are dropped and the budget is added. */
  checkpoints?: readonly number[];
  onProgress?: (progress: BenchmarkProgress) => void;
  /** Clock in milliseconds for the proposal times; performance.now by default. */
  now?: () => number;
  /**
   * Proposals timed after each run that reaches the budget: `ask(1)` calls
   * without a `tell`, so each sees exactly `budget` observations. Default 0.
   */
  timedAsks?: number;
  /** Process CPU time in milliseconds, for the timed asks; without it only wall-clock time is measured. */
  cpuNow?: () => number;
}

/**
 * Largest seed a benchmark run may use. Strategies reduce seeds to 32 bits,
 * so a larger seed would repeat the run of a smaller one.
 */
export const MAX_BENCHMARK_SEED = 0xffffffff;

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
  /** The options the strategy ran with, defaults filled in. */
  options: StrategyOptions;
  /** Median milliseconds of one `ask` call (up to `batch` proposals), over every call of every seed. */
  proposalMs: number;
  /**
   * Median wall-clock milliseconds of the timed asks with `budget`
   * observations, over every seed that reached the budget; present only
   * when timedAsks > 0 and at least one seed reached the budget.
   */
  proposalMsAtBudget?: number;
  /** Median process CPU milliseconds of the same asks; present only when cpuNow is also given. */
  proposalCpuMsAtBudget?: number;
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
  firstSeed: number;
  budget: number;
  /** New architectures per round of asks (1: one worker). */
  batch: number;
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

function checkNonNegativeInteger(field: string, value: unknown, example: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new ValidationError(field, value, `${field} must be a non-negative integer, got ${describeValue(value)}: set it to 0 or more, e.g. ${example}`);
  }
  return value;
}

/**
 * Validates options per strategy for a benchmark of `strategies` and
 * returns every strategy's options with the defaults filled in.
 * @throws ValidationError when `strategyOptions` is not an object, names a
 *   strategy that is not in `strategies`, or holds an invalid option
 *   (field `strategyOptions.<name>`, with the registry's reason).
 */
export function validateBenchmarkStrategyOptions(strategies: readonly StrategyName[], strategyOptions: unknown): Map<StrategyName, StrategyOptions> {
  const given = strategyOptions ?? {};
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    throw new ValidationError('strategyOptions', strategyOptions, `strategyOptions must be an object keyed by strategy name, got ${describeValue(strategyOptions)}: pass e.g. {"evolution": {"populationSize": 20}}`);
  }
  const byName = given as Record<string, unknown>;
  for (const name of Object.keys(byName)) {
    if (!strategies.includes(name as StrategyName)) {
      throw new ValidationError(`strategyOptions.${name}`, byName[name], `strategyOptions names ${JSON.stringify(name)}, which is not among the benchmarked strategies (${strategies.join(', ')}): remove it or benchmark that strategy too`);
    }
  }

  const result = new Map<StrategyName, StrategyOptions>();
  for (const name of strategies) {
    try {
      result.set(name, validateStrategyOptions(name, byName[name] ?? {}));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      throw new ValidationError(`strategyOptions.${name}`, byName[name], `invalid options for ${name}: ${error.message}`);
    }
  }
  return result;
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
  options: StrategyOptions,
  traces: readonly SeedTrace[],
  askTimes: readonly AskTimes[],
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
    options,
    proposalMs: median(traces.flatMap((trace) => trace.askMs)),
    meanBestReport,
    meanRegret: meanBestReport.map((value) => optimumReport - value),
    seedBestReports,
    seedsStoppedEarly: traces.filter((trace) => trace.stoppedEarly !== undefined).length,
  };
  const wallMs = askTimes.flatMap((times) => times.wallMs);
  if (wallMs.length > 0) summary.proposalMsAtBudget = median(wallMs);
  const cpuMs = askTimes.flatMap((times) => times.cpuMs ?? []);
  if (cpuMs.length > 0) summary.proposalCpuMsAtBudget = median(cpuMs);
  if (referenceCost !== undefined) {
    summary.hypervolume = checkpoints.map((queries) =>
      summarise(queries, traces.map((trace) => traceHypervolume(trace, queries, referenceCost))),
    );
  }
  return summary;
}

/**
 * Runs every strategy of `options.strategies` with its options from
 * `options.strategyOptions` (registry defaults otherwise) for seeds
 * firstSeed..firstSeed+seeds-1 against the table, each run evaluating up to `budget`
 * distinct architectures in rounds of `batch`, and summarises the runs per
 * strategy. With batch 1 the calls come in the order runSearch makes them
 * with one worker and TabularEvaluator (see replaySeed).
 * With `timedAsks`, each run that reaches the budget then times that many
 * more proposals.
 *
 * The search optimises the table's signal column. The reported quantities
 * use the report column: the report accuracy of the best cell by signal,
 * and the hypervolume of report accuracy against cost. With objectives
 * ['accuracy'] the strategies still receive FLOPs as the cost of each
 * observation, as every run of the product has a cost objective.
 *
 * @throws ValidationError naming the option for an unknown or repeated
 *   strategy, invalid strategy options, a seeds, budget, batch or checkpoint value
 *   that is not a positive integer, a firstSeed or timedAsks value that is
 *   not a non-negative integer, a last seed above MAX_BENCHMARK_SEED, or invalid objectives, and with field
 *   'table' for a table that lacks cells of the NAS-Bench-201 space.
 */
export async function runBenchmark(options: BenchmarkOptions): Promise<BenchmarkResult> {
  const seeds = checkPositiveInteger('seeds', options.seeds, '200');
  const budget = checkPositiveInteger('budget', options.budget, '300');
  const batch = checkPositiveInteger('batch', options.batch ?? 1, '4');
  const firstSeed = checkNonNegativeInteger('firstSeed', options.firstSeed ?? 0, '1');
  if (firstSeed + seeds - 1 > MAX_BENCHMARK_SEED) {
    const fix = `set firstSeed to at most ${Math.max(0, MAX_BENCHMARK_SEED - seeds + 1)} or use fewer seeds`;
    throw new ValidationError('firstSeed', firstSeed, `firstSeed + seeds - 1 must be at most ${MAX_BENCHMARK_SEED}, got ${firstSeed + seeds - 1}: ${fix}`);
  }
  const timedAsks = checkNonNegativeInteger('timedAsks', options.timedAsks ?? 0, '21');
  const strategies = checkStrategies(options.strategies);
  const optionsByName = validateBenchmarkStrategyOptions(strategies, options.strategyOptions);
  const objectives = checkObjectives(options.objectives ?? ['accuracy']);
  const checkpoints = checkCheckpoints(options.checkpoints ?? DEFAULT_CHECKPOINTS, budget);
  checkTableCoversSpace(options.table);
  const costObjective = objectives[1] ?? 'flops';
  const now = options.now ?? (() => performance.now());

  const { entries } = options.table;
  const base: Omit<BenchmarkResult, 'strategies'> = {
    seeds,
    firstSeed,
    budget,
    batch,
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
    const strategyOptions = optionsByName.get(name) as StrategyOptions;
    const traces: SeedTrace[] = [];
    const askTimes: AskTimes[] = [];
    for (let seed = firstSeed; seed < firstSeed + seeds; seed++) {
      const context = { space: NB201_SKELETON, seed, costObjective };
      const strategy = STRATEGIES[name].create(context, strategyOptions);
      const trace = await replaySeed(strategy, options.table, budget, costObjective, now, batch);
      traces.push(trace);
      if (timedAsks > 0 && trace.queried.length === budget) askTimes.push(await timeAsks(strategy, timedAsks, now, options.cpuNow));
      runsDone++;
      options.onProgress?.({ strategy: name, seed, runsDone, runsTotal: strategies.length * seeds, bestReports: fullCurve(trace, budget) });
    }
    summaries.push(summariseStrategy(name, strategyOptions, traces, askTimes, base));
  }
  return { ...base, strategies: summaries };
}
