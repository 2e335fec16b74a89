// `nas-studio bench`: runs search strategies for many seeds against a
// NAS-Bench-201 benchmark table, prints a summary table per strategy and
// optionally writes the numbers as JSON. Progress goes to stderr.
import { access, constants, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { checkTableCoversSpace, findFractionColumns } from '../core/bench/coverage';
import { MAX_BENCHMARK_SEED, runBenchmark, validateBenchmarkStrategyOptions, type BenchmarkObjectives, type BenchmarkProgress } from '../core/bench/harness';
import { NasError, ValidationError } from '../core/errors';
import type { BenchmarkTable } from '../core/evaluators/tabular';
import { STRATEGIES, type StrategyName } from '../core/strategy';
import { formatFlags, parseFlags, UsageError, type FlagSpecs, type FlagValues } from './args';
import { benchJson, formatBenchReport, type BenchSettings } from './benchReport';
import type { CliIo } from './main';
import type { TextStream } from './progress';
import { loadTable } from './searchPlan';
import { prepareStrategyBackend } from './strategyBackend';

const BENCH_FLAGS: FlagSpecs = {
  table: { type: 'string', help: ['CSV', 'NAS-Bench-201 benchmark table: an arch column of cell strings and accuracy columns in percent'] },
  signal: { type: 'string', help: ['COLUMN', 'column the search optimises (its validation accuracy), e.g. cifar10_valid_12ep'] },
  report: { type: 'string', help: ['COLUMN', 'column reported for the best cell by signal, e.g. cifar10_test_200ep'] },
  strategies: { type: 'string', help: ['LIST', 'comma-separated strategy names'] },
  options: { type: 'string', help: ['JSON', 'strategy options keyed by strategy name, e.g. \'{"evolution":{"populationSize":20}}\'. Options left out keep their defaults'] },
  seeds: { type: 'string', help: ['N', 'runs per strategy, with seeds S to S+N-1 (S from --first-seed)'] },
  'first-seed': { type: 'string', help: ['S', 'seed of the first run of each strategy (default 0)'] },
  budget: { type: 'string', help: ['N', 'distinct architectures each run evaluates'] },
  batch: { type: 'string', help: ['N', 'new architectures per round of asks, told together after the round, a model of N workers (default 1)'] },
  'timed-asks': { type: 'string', help: ['N', 'after each run that reaches the budget, time N more proposals, each with exactly budget observations (default 0)'] },
  objectives: { type: 'string', help: ['LIST', 'accuracy (default), accuracy,flops or accuracy,params. A cost adds the hypervolume'] },
  out: { type: 'string', help: ['FILE', 'also write the results as JSON to FILE'] },
  help: { type: 'boolean', short: 'h', help: ['', 'show this help'] },
};

export const BENCH_HELP = `Usage: nas-studio bench --table CSV --signal COLUMN --report COLUMN
         --strategies LIST --seeds N --budget N [--options JSON] [--first-seed S]
         [--batch N] [--timed-asks N] [--objectives LIST] [--out FILE]

Benchmarks search strategies on a NAS-Bench-201 table. Each strategy runs
once per seed and evaluates up to --budget distinct cells by looking them
up; a proposal of an already evaluated cell costs no query. The search sees
only the --signal column. For each strategy the command prints the --report
accuracy of the best cell by signal after 50, 100, 150 and 300 queries (those
up to the budget, and the budget itself) as mean ± std over seeds, the
median number of queries until the table's best cell by signal is found,
and the median time of one proposal. With --batch N each round asks for N
new cells and tells their results only after all N are proposed, a model of
N workers whose trials finish together. With --timed-asks it also prints the
median wall-clock and process CPU milliseconds of a proposal with exactly
--budget observations. With a cost objective it also prints the hypervolume
of report accuracy against the cost and its reference point.

Flags:
${formatFlags(BENCH_FLAGS)}

Strategies: ${Object.keys(STRATEGIES).join(', ')}.
Exit codes: 0 success, 1 failure, 2 bad input.
`;

function requiredFlag(flags: FlagValues, name: string, example: string): string {
  const value = flags[name];
  if (typeof value !== 'string') throw new UsageError(`--${name}`, `missing --${name}: pass e.g. --${name} ${example}`);
  return value;
}

function positiveIntegerFlag(flags: FlagValues, name: string, example: string): number {
  const text = requiredFlag(flags, name, example);
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < 1) {
    throw new UsageError(`--${name}`, `--${name} must be a positive integer, got ${JSON.stringify(text)}: pass e.g. --${name} ${example}`);
  }
  return value;
}

function nonNegativeIntegerFlag(flags: FlagValues, name: string, example: string): number {
  const text = flags[name];
  if (typeof text !== 'string') return 0;
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value)) {
    throw new UsageError(`--${name}`, `--${name} must be a non-negative integer, got ${JSON.stringify(text)}: pass e.g. --${name} ${example}`);
  }
  return value;
}

/**
 * Parses --options, a JSON object of strategy options keyed by strategy
 * name, and checks it against the registry before any run starts.
 */
function optionsFlag(flags: FlagValues, strategies: readonly StrategyName[]): Record<string, unknown> | undefined {
  const text = flags.options;
  if (typeof text !== 'string') return undefined;
  const example = `--options '{"evolution":{"populationSize":20}}'`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError('--options', `--options is not valid JSON (${(error as Error).message}): pass e.g. ${example}`);
  }
  try {
    validateBenchmarkStrategyOptions(strategies, parsed);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const message = error.message.replace(/^strategyOptions/, '--options').replace(/^invalid options for/, 'invalid --options for');
    throw new UsageError('--options', message);
  }
  return parsed as Record<string, unknown>;
}

/** Process CPU time (user plus system) in milliseconds. */
function processCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

function strategiesFlag(flags: FlagValues): StrategyName[] {
  const text = requiredFlag(flags, 'strategies', 'random,evolution');
  const known = Object.keys(STRATEGIES);
  const names = text.split(',').map((name) => name.trim());
  for (const name of names) {
    if (!known.includes(name)) {
      throw new UsageError('--strategies', `unknown strategy ${JSON.stringify(name)} in --strategies ${JSON.stringify(text)}: use names from ${known.join(', ')}, separated by commas`);
    }
    if (names.indexOf(name) !== names.lastIndexOf(name)) {
      throw new UsageError('--strategies', `--strategies ${JSON.stringify(text)} lists ${JSON.stringify(name)} twice: list each strategy once`);
    }
  }
  return names as StrategyName[];
}

function objectivesFlag(flags: FlagValues): BenchmarkObjectives {
  const text = flags.objectives;
  if (typeof text !== 'string') return ['accuracy'];
  const choices: Record<string, BenchmarkObjectives> = {
    accuracy: ['accuracy'],
    'accuracy,flops': ['accuracy', 'flops'],
    'accuracy,params': ['accuracy', 'params'],
  };
  const objectives = choices[text.replace(/\s/g, '')];
  if (objectives === undefined) {
    throw new UsageError('--objectives', `invalid --objectives ${JSON.stringify(text)}: pass accuracy, accuracy,flops or accuracy,params`);
  }
  return objectives;
}

/** Checks that --out can be written before spending minutes on the benchmark. */
async function checkOutPath(out: string): Promise<void> {
  const directory = dirname(resolve(out));
  try {
    await access(directory, constants.W_OK);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError('--out', `cannot write --out ${JSON.stringify(out)}: directory ${JSON.stringify(directory)} is not writable (${reason}): create it or choose another path`);
  }
}

/** Reads the table. The error for a missing column starts with the flag that named the column. */
async function readTable(settings: BenchSettings): Promise<BenchmarkTable> {
  try {
    return await loadTable({ kind: 'tabular', table: resolve(settings.table), signal: settings.signal, report: settings.report });
  } catch (error) {
    if (error instanceof UsageError && (error.flag === '--signal' || error.flag === '--report')) {
      throw new UsageError(error.flag, `${error.flag}: ${error.message}`);
    }
    throw error;
  }
}

/**
 * Returns a progress listener: on a terminal one line redrawn per finished
 * run, and on any stream one line per finished strategy.
 */
function followProgress(stream: TextStream, seeds: number, firstSeed: number, now: () => number): (progress: BenchmarkProgress) => void {
  const startedAt = now();
  return (progress) => {
    const seconds = ((now() - startedAt) / 1000).toFixed(1);
    const runOfStrategy = progress.seed - firstSeed + 1;
    if (stream.isTTY) {
      stream.write(`\r\x1b[2Kbench: ${progress.strategy} seed ${progress.seed} (${runOfStrategy}/${seeds}, run ${progress.runsDone}/${progress.runsTotal}, ${seconds} s elapsed)`);
    }
    if (runOfStrategy !== seeds) return;

    const line = `bench: ${progress.strategy} finished ${seeds} seeds (${seconds} s elapsed)`;
    stream.write(stream.isTTY ? `\r\x1b[2K${line}\n` : `${line}\n`);
  };
}

/**
 * Runs `nas-studio bench` with the flags in `argv`: prints the report on
 * stdout and writes --out when given.
 * @throws UsageError naming the flag for a missing or invalid flag, an
 *   unreadable or malformed table, or an --out path that cannot be written.
 */
export async function runBenchCommand(argv: string[], io: CliIo, now: () => number = () => performance.now()): Promise<void> {
  const flags = parseFlags('bench', argv, BENCH_FLAGS);
  if (flags.help === true) {
    io.stdout.write(BENCH_HELP);
    return;
  }

  const settings: BenchSettings = {
    table: requiredFlag(flags, 'table', '../shared/data/nb201/nb201-cifar.csv'),
    signal: requiredFlag(flags, 'signal', 'cifar10_valid_12ep'),
    report: requiredFlag(flags, 'report', 'cifar10_test_200ep'),
  };
  const strategies = strategiesFlag(flags);
  const strategyOptions = optionsFlag(flags, strategies);
  const seeds = positiveIntegerFlag(flags, 'seeds', '200');
  const firstSeed = nonNegativeIntegerFlag(flags, 'first-seed', '1');
  if (firstSeed + seeds - 1 > MAX_BENCHMARK_SEED) {
    const largest = Math.max(0, MAX_BENCHMARK_SEED - seeds + 1);
    throw new UsageError('--first-seed', `--first-seed ${firstSeed} with --seeds ${seeds} would use seeds up to ${firstSeed + seeds - 1}, above the largest seed ${MAX_BENCHMARK_SEED}: pass --first-seed ${largest} or less`);
  }
  const budget = positiveIntegerFlag(flags, 'budget', '300');
  const batch = typeof flags.batch === 'string' ? positiveIntegerFlag(flags, 'batch', '4') : 1;
  const timedAsks = nonNegativeIntegerFlag(flags, 'timed-asks', '21');
  const objectives = objectivesFlag(flags);
  const out = typeof flags.out === 'string' ? flags.out : undefined;
  if (out !== undefined) await checkOutPath(out);
  const table = await readTable(settings);
  try {
    checkTableCoversSpace(table);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw new UsageError('--table', `--table ${JSON.stringify(settings.table)}: ${error.message}`);
  }

  for (const column of findFractionColumns(table)) {
    io.stderr.write(`bench: warning: every value of column ${JSON.stringify(column)} is at most 1, so it looks like fractions, but the table must hold percentages (93.6, not 0.936)\n`);
  }
  io.stderr.write(`bench: ${strategies.join(', ')} for ${seeds} seeds from seed ${firstSeed}, budget ${budget}${batch === 1 ? '' : `, batch ${batch}`}, ${table.entries.length} cells in the table\n`);
  await prepareStrategyBackend(strategies);
  const result = await runBenchmark({
    table,
    strategies,
    strategyOptions,
    seeds,
    firstSeed,
    budget,
    batch,
    objectives,
    timedAsks,
    cpuNow: processCpuMs,
    onProgress: followProgress(io.stderr, seeds, firstSeed, now),
    now,
  });
  io.stdout.write(formatBenchReport(result, settings));

  if (out !== undefined) {
    try {
      await writeFile(out, `${JSON.stringify(benchJson(result, settings), null, 2)}\n`);
    } catch (error) {
      throw new NasError('internal', `cannot write --out ${JSON.stringify(out)}: ${(error as Error).message}`, { cause: error });
    }
    io.stderr.write(`bench: wrote ${out}\n`);
  }
}
