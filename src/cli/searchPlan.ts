// Turns the flags of `nas-studio search` into a plan: the output directory,
// the run record and trials to start from, and the evaluator settings. A new
// run reads and validates --config; --resume reads everything back from the
// run directory. Every bad input becomes a UsageError naming the flag.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { NasError, ValidationError } from '../core/errors';
import { BenchmarkTableError, parseBenchmarkTable, type BenchmarkTable } from '../core/evaluators/tabular';
import { checkFeasibility, validateRunConfig } from '../core/run/config';
import type { RunConfig, RunRecord, Trial } from '../core/run/types';
import { UsageError, type FlagValues } from './args';
import { CHECKPOINT_DIR } from './checkpointFiles';
import { RUN_FILE, damagedFileError, readRunDirectory } from './fileStore';
import { MODELS_DIR } from './modelFiles';
import { applySchedulerFlags, rejectSchedulerFlagsOnResume } from './schedulerFlags';
import { applyStopFilterFlags, rejectStopFilterFlagsOnResume, rejectUnreachableSettings } from './stopFilterFlags';
import { applyProxyFlags, rejectProxyFlagsOnResume } from './proxyFlags';

export const EVALUATOR_FILE = 'evaluator.json';

/** Evaluator settings of a run, saved in evaluator.json so --resume uses the same evaluator. */
export type EvaluatorSettings =
  | { kind: 'mnist' }
  | {
      kind: 'tabular';
      /** Absolute path of the benchmark CSV. */
      table: string;
      /** Column used as validation accuracy. */
      signal: string;
      /** Column used as test accuracy. */
      report: string;
    };

/** Everything the search command needs to start or continue a run. */
export interface SearchPlan {
  dir: string;
  record: RunRecord;
  /** Stored trials; empty for a new run. */
  trials: Trial[];
  evaluator: EvaluatorSettings;
  /** The parsed table, for a tabular evaluator. */
  table?: BenchmarkTable;
  resumed: boolean;
}

function stringFlag(flags: FlagValues, name: string): string | undefined {
  const value = flags[name];
  return typeof value === 'string' ? value : undefined;
}

async function readConfigFile(path: string): Promise<RunConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError('--config', `cannot read --config file ${JSON.stringify(path)} (${reason}): pass the path of a run configuration JSON file`);
  }

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError('--config', `--config file ${JSON.stringify(path)} is not valid JSON (${(error as Error).message}): fix the syntax or save the configuration again from the studio`);
  }

  let config: RunConfig;
  try {
    config = validateRunConfig(value);
  } catch (error) {
    if (error instanceof ValidationError) {
      throw new UsageError('--config', `invalid run configuration in ${JSON.stringify(path)}, field ${error.field}: ${error.message}`);
    }
    throw error;
  }
  const infeasible = checkFeasibility(config);
  if (infeasible !== undefined) throw new UsageError('--config', `run configuration ${JSON.stringify(path)} cannot be searched: ${infeasible.message}`);
  return config;
}

/** Reads the table flags; all three or none must be given. */
function tableSettings(flags: FlagValues): EvaluatorSettings | undefined {
  const table = stringFlag(flags, 'table');
  const signal = stringFlag(flags, 'signal');
  const report = stringFlag(flags, 'report');
  if (table === undefined) {
    if (signal !== undefined) throw new UsageError('--signal', '--signal is only used with --table: add --table CSV or drop --signal');
    if (report !== undefined) throw new UsageError('--report', '--report is only used with --table: add --table CSV or drop --report');
    return undefined;
  }
  if (signal === undefined) throw new UsageError('--signal', '--table needs --signal COLUMN, the column used as validation accuracy (e.g. cifar10_valid_12ep)');
  if (report === undefined) throw new UsageError('--report', '--table needs --report COLUMN, the column used as test accuracy (e.g. cifar10_test_200ep)');
  return { kind: 'tabular', table: resolve(table), signal, report };
}

/**
 * Reads and parses the benchmark table of `settings`.
 * @throws UsageError naming --table for an unreadable file, and the line and column of a malformed one.
 */
export async function loadTable(settings: Extract<EvaluatorSettings, { kind: 'tabular' }>): Promise<BenchmarkTable> {
  let text: string;
  try {
    text = await readFile(settings.table, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError('--table', `cannot read --table file ${JSON.stringify(settings.table)} (${reason}): pass the path of a benchmark CSV`);
  }
  try {
    return parseBenchmarkTable(text, { signal: settings.signal, report: settings.report });
  } catch (error) {
    if (error instanceof BenchmarkTableError) {
      // A missing --signal or --report column is the flag's fault, not the table's.
      let flag = '--table';
      if (error.line === 1 && error.column === settings.signal) flag = '--signal';
      if (error.line === 1 && error.column === settings.report) flag = '--report';
      throw new UsageError(flag, `invalid benchmark table ${JSON.stringify(settings.table)}: ${error.message}`);
    }
    throw error;
  }
}

/** Checks that a run config can be evaluated with a benchmark table. */
function checkTableConfig(config: RunConfig, flag: string): void {
  if (config.space.family !== 'cell') {
    throw new UsageError(flag, `--table looks up NAS-Bench-201 cells, but the configuration's space.family is ${JSON.stringify(config.space.family)}: use a cell space or drop --table`);
  }
  if (config.costObjective === 'latency') {
    throw new UsageError(flag, 'costObjective "latency" needs measured latencies, which a benchmark table does not contain: set costObjective to "params" or "flops", or drop --table');
  }
  if (config.estimation?.weightInheritance === true) {
    throw new UsageError(flag, 'estimation.weightInheritance copies trained weights, but --table looks results up without training: remove estimation.weightInheritance or drop --table');
  }
}

async function planNewRun(flags: FlagValues): Promise<SearchPlan> {
  const configPath = stringFlag(flags, 'config');
  const out = stringFlag(flags, 'out');
  if (configPath === undefined) throw new UsageError('--config', 'missing --config FILE: pass the run configuration saved by the studio, or --resume DIR to continue a run');
  if (out === undefined) throw new UsageError('--out', 'missing --out DIR: pass the directory for trials.jsonl, run.json, pareto.json and best/');

  const evaluator = tableSettings(flags) ?? { kind: 'mnist' };
  const tabular = evaluator.kind === 'tabular';
  const scheduled = applySchedulerFlags(await readConfigFile(configPath), flags, tabular);
  const config = applyProxyFlags(applyStopFilterFlags(scheduled, flags, tabular), flags, tabular);
  rejectUnreachableSettings(config, flags);
  let table: BenchmarkTable | undefined;
  if (evaluator.kind === 'tabular') {
    checkTableConfig(config, '--table');
    table = await loadTable(evaluator);
  }

  const dir = resolve(out);
  const existing = await readFile(join(dir, RUN_FILE)).catch(() => undefined);
  if (existing !== undefined) {
    throw new UsageError('--out', `--out directory ${JSON.stringify(dir)} already contains a run: continue it with --resume ${JSON.stringify(out)} or choose another directory`);
  }
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, EVALUATOR_FILE), `${JSON.stringify(evaluator, null, 2)}\n`);
  } catch (error) {
    throw new UsageError('--out', `cannot create --out directory ${JSON.stringify(dir)} (${(error as Error).message}): choose a writable path`);
  }

  const now = Date.now();
  const record: RunRecord = {
    id: `run-${randomUUID()}`,
    config,
    status: 'running',
    createdAt: now,
    updatedAt: now,
    state: { toldCount: 0, strategyState: null, proposedCount: 0, hypervolume: [] },
  };
  return { dir, record, trials: [], evaluator, table, resumed: false };
}

/** Checks that evaluator.json names a known kind and contains the fields that kind needs. */
function checkEvaluatorSettings(path: string, value: unknown): EvaluatorSettings {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError('--resume', damagedFileError(path, undefined, value, 'an evaluator settings object').message);
  }
  const settings = value as Record<string, unknown>;
  if (settings.kind === 'mnist') return { kind: 'mnist' };
  if (settings.kind !== 'tabular') {
    throw new UsageError('--resume', damagedFileError(path, 'kind', settings.kind, '"mnist" or "tabular"').message);
  }
  for (const field of ['table', 'signal', 'report'] as const) {
    const text = settings[field];
    if (typeof text !== 'string' || text === '') {
      throw new UsageError('--resume', damagedFileError(path, field, text, 'a non-empty string for the tabular evaluator').message);
    }
  }
  return { kind: 'tabular', table: settings.table as string, signal: settings.signal as string, report: settings.report as string };
}

/** Reads and checks evaluator.json, and checks that table flags given again match it. */
async function resumedEvaluator(dir: string, flags: FlagValues): Promise<EvaluatorSettings> {
  const path = join(dir, EVALUATOR_FILE);
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new UsageError('--resume', `cannot read ${path} (${(error as Error).message}): --resume needs a directory written by \`nas-studio search --out\``);
  }
  const saved = checkEvaluatorSettings(path, value);
  const given = tableSettings(flags);
  if (given !== undefined && JSON.stringify(given) !== JSON.stringify(saved)) {
    throw new UsageError('--table', `the run in ${JSON.stringify(dir)} was started with evaluator ${JSON.stringify(saved)}, not ${JSON.stringify(given)}: drop the table flags to resume with the saved evaluator`);
  }
  return saved;
}

/**
 * Rejects a run directory whose checkpoints/ or models/ entry exists but is
 * not a directory, because the run would otherwise train trials and fail
 * only when it first writes there.
 */
async function checkSubdirectories(dir: string): Promise<void> {
  for (const name of [CHECKPOINT_DIR, MODELS_DIR]) {
    const path = join(dir, name);
    const entry = await stat(path).catch(() => undefined);
    if (entry !== undefined && !entry.isDirectory()) {
      throw new UsageError('--resume', `${path} is not a directory: the run keeps its ${name} there, so move that file away and resume again`);
    }
  }
}

async function planResume(flags: FlagValues): Promise<SearchPlan> {
  const resumeDir = stringFlag(flags, 'resume') as string;
  rejectSchedulerFlagsOnResume(flags);
  rejectStopFilterFlagsOnResume(flags);
  rejectProxyFlagsOnResume(flags);
  if (stringFlag(flags, 'config') !== undefined) {
    throw new UsageError('--config', `--config cannot be combined with --resume: the run's configuration is read from ${join(resumeDir, RUN_FILE)}`);
  }
  const dir = resolve(resumeDir);
  const out = stringFlag(flags, 'out');
  if (out !== undefined && resolve(out) !== dir) {
    throw new UsageError('--out', `--out ${JSON.stringify(out)} differs from --resume ${JSON.stringify(resumeDir)}: a resumed run writes to its own directory, so drop --out`);
  }

  let stored;
  try {
    stored = await readRunDirectory(dir);
  } catch (error) {
    if (error instanceof NasError && (error.code === 'not_found' || error.code === 'invalid_config')) {
      throw new UsageError('--resume', `cannot resume from ${JSON.stringify(resumeDir)}: ${error.message}`);
    }
    throw error;
  }
  await checkSubdirectories(dir);
  const evaluator = await resumedEvaluator(dir, flags);
  const table = evaluator.kind === 'tabular' ? await loadTable(evaluator) : undefined;
  // Every file is checked by now, so the first write happens only for a run that can continue.
  await stored.repair();
  return { dir, record: stored.record, trials: stored.trials, evaluator, table, resumed: true };
}

/**
 * Builds the plan of a new run (--config, --out) or a resumed one (--resume).
 * A new run creates --out and writes evaluator.json into it.
 * @throws UsageError naming the flag for any bad flag, file or configuration.
 */
export async function planSearch(flags: FlagValues): Promise<SearchPlan> {
  return stringFlag(flags, 'resume') === undefined ? planNewRun(flags) : planResume(flags);
}
