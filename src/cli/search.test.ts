import { appendFileSync, cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultRunConfig } from '../core/run/config';
import type { RunConfig, RunRecord, Trial } from '../core/run/types';
import { PRESET_SPACES } from '../core/space';
import { STRATEGIES } from '../core/strategy';
import { createTempRoot, runCli, TABLE, TABLE_FLAGS } from './searchCli.fixture';
import { tinyMnistConfig } from './tinyMnist.fixture';

const NB201_SPACE = PRESET_SPACES.find((preset) => preset.id === 'cell-nb201')?.space;

const { root, freshDir, writeConfig, writeConfigText } = createTempRoot('nas-studio-cli-');

function tabularConfig(strategy: RunConfig['strategy'], workers = 1): RunConfig {
  const config = defaultRunConfig(structuredClone(NB201_SPACE), workers);
  return { ...config, name: `nb201 ${strategy.name}`, strategy, budget: 20, seed: 11 };
}

function readTrials(dir: string): Trial[] {
  const lines = readFileSync(join(dir, 'trials.jsonl'), 'utf8').split('\n').filter((line) => line !== '');
  return lines.map((line) => JSON.parse(line) as Trial);
}

/** Trials in index order without the fields that differ between runs: run ids and timestamps. */
function comparable(trials: Trial[]): unknown[] {
  return [...trials]
    .sort((a, b) => a.index - b.index)
    .map(({ id: _id, runId: _runId, startedAt: _started, finishedAt: _finished, ...rest }) => rest);
}

function readRecord(dir: string): RunRecord {
  return JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunRecord;
}

const STRATEGY_CASES: [string, RunConfig['strategy']][] = [
  ['random', { name: 'random', options: {} }],
  ['evolution', { name: 'evolution', options: { populationSize: 6, sampleSize: 3, crossoverRate: 0.5 } }],
];

describe('nas-studio search with a benchmark table', () => {
  it('warns about a column of fractions', async () => {
    const fractions = join(root, 'fractions.csv');
    const [header, ...rows] = readFileSync(TABLE, 'utf8').split('\n');
    // The report column (the fourth field) divided by 100: 93.66 becomes 0.9366.
    const changed = rows.map((row) => {
      const fields = row.split(',');
      if (fields.length > 3) fields[3] = String(Number(fields[3]) / 100);
      return fields.join(',');
    });
    writeFileSync(fractions, [header, ...changed].join('\n'));
    const config = writeConfig({ ...tabularConfig({ name: 'random', options: {} }), budget: 3 });
    const flags = ['--table', fractions, '--signal', 'cifar10_valid_12ep', '--report', 'cifar10_test_200ep'];

    const result = await runCli(['search', '--config', config, '--out', freshDir(), ...flags]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('warning: every value of column "cifar10_test_200ep" in --table is at most 1');
    expect(result.stderr).not.toContain('column "cifar10_valid_12ep"');
  });

  it('exits 1 when every trial fails', async () => {
    const partial = join(root, 'partial.csv');
    writeFileSync(partial, readFileSync(TABLE, 'utf8').split('\n').slice(0, 11).join('\n'));
    const config = writeConfig({ ...tabularConfig({ name: 'random', options: {} }), budget: 3 });
    const flags = ['--table', partial, '--signal', 'cifar10_valid_12ep', '--report', 'cifar10_test_200ep'];

    const result = await runCli(['search', '--config', config, '--out', freshDir(), ...flags]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/every one of the run's 3 trials failed, so the search found no architecture/);
    expect(result.stderr).toContain('is not in the benchmark table');
  });

  it.each(STRATEGY_CASES)('%s writes the run files', async (_name, strategy) => {
    const dir = freshDir();
    const result = await runCli(['search', '--config', writeConfig(tabularConfig(strategy)), '--out', dir, ...TABLE_FLAGS]);
    expect(result.stderr).not.toMatch(/nas-studio:/);
    expect(result.code).toBe(0);

    const trials = readTrials(dir);
    expect(trials).toHaveLength(20);
    expect(new Set(trials.map((trial) => trial.hash)).size).toBe(20);
    expect(trials.every((trial) => trial.status === 'done')).toBe(true);
    expect(readRecord(dir).status).toBe('completed');

    const pareto = JSON.parse(readFileSync(join(dir, 'pareto.json'), 'utf8'));
    expect(pareto.costObjective).toBe('params');
    expect(pareto.points.length).toBeGreaterThan(0);
    expect(pareto.points[0].metrics.device).toBe('tabular');
    expect(existsSync(join(dir, 'best'))).toBe(false);
    expect(result.stderr).toContain('trials 20/20');
  });

  it.each(STRATEGY_CASES)('%s with the same seed repeats its trials', async (_name, strategy) => {
    const config = writeConfig(tabularConfig(strategy));
    const first = freshDir();
    const second = freshDir();
    expect((await runCli(['search', '--config', config, '--out', first, ...TABLE_FLAGS])).code).toBe(0);
    expect((await runCli(['search', '--config', config, '--out', second, ...TABLE_FLAGS])).code).toBe(0);

    expect(comparable(readTrials(second))).toEqual(comparable(readTrials(first)));
  });

  it.each(STRATEGY_CASES)('%s resumed after an interrupt matches an uninterrupted run', async (_name, strategy) => {
    const config = writeConfig(tabularConfig(strategy, 2));
    const whole = freshDir();
    const resumed = freshDir();
    expect((await runCli(['search', '--config', config, '--out', whole, ...TABLE_FLAGS])).code).toBe(0);

    const stopped = await runCli(['search', '--config', config, '--out', resumed, ...TABLE_FLAGS], 7);
    expect(stopped.code).toBe(130);
    expect(readRecord(resumed).status).toBe('stopped');
    const trialsAtStop = readTrials(resumed).length;
    expect(trialsAtStop).toBeGreaterThanOrEqual(7);
    expect(trialsAtStop).toBeLessThan(20);

    const continued = await runCli(['search', '--resume', resumed]);
    expect(continued.stderr).not.toMatch(/nas-studio:/);
    expect(continued.code).toBe(0);
    expect(readRecord(resumed).status).toBe('completed');
    expect(comparable(readTrials(resumed))).toEqual(comparable(readTrials(whole)));
  });

  it('resume of a completed run changes nothing', async () => {
    const dir = freshDir();
    const config = writeConfig(tabularConfig({ name: 'random', options: {} }));
    expect((await runCli(['search', '--config', config, '--out', dir, ...TABLE_FLAGS])).code).toBe(0);
    const before = readFileSync(join(dir, 'trials.jsonl'), 'utf8');

    const again = await runCli(['search', '--resume', dir]);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('already completed');
    expect(readFileSync(join(dir, 'trials.jsonl'), 'utf8')).toBe(before);
  });
});

describe('nas-studio bad input', () => {
  const good = (): string => writeConfig(tabularConfig({ name: 'random', options: {} }));
  const sequential = (): string => writeConfig(defaultRunConfig());

  it.each<[string, () => string[], RegExp]>([
    ['unknown flag', () => ['search', '--confg', 'x.json'], /unknown flag --confg/],
    ['unknown command', () => ['serch'], /unknown command "serch"/],
    ['missing --config', () => ['search', '--out', freshDir()], /missing --config/],
    ['missing --out', () => ['search', '--config', good()], /missing --out/],
    ['flag without value', () => ['search', '--config'], /--config needs a value/],
    ['unreadable config', () => ['search', '--config', join(root, 'none.json'), '--out', freshDir()], /cannot read --config file .*ENOENT/],
    ['config not JSON', () => ['search', '--config', writeConfigText('{"name": '), '--out', freshDir()], /--config file .* is not valid JSON/],
    ['config not an object', () => ['search', '--config', writeConfig([1]), '--out', freshDir()], /invalid run configuration .*field config/],
    ['invalid budget', () => ['search', '--config', writeConfig({ ...tabularConfig({ name: 'random', options: {} }), budget: 0 }), '--out', freshDir()], /field budget: budget/],
    ['unknown strategy', () => ['search', '--config', writeConfig({ ...tabularConfig({ name: 'random', options: {} }), strategy: { name: 'bayes', options: {} } }), '--out', freshDir()], /strategy\.name/],
    ['table with a sequential space', () => ['search', '--config', sequential(), '--out', freshDir(), ...TABLE_FLAGS], /space\.family is "sequential"/],
    ['table without --signal', () => ['search', '--config', good(), '--out', freshDir(), '--table', TABLE, '--report', 'cifar10_test_200ep'], /--table needs --signal/],
    ['--signal without --table', () => ['search', '--config', good(), '--out', freshDir(), '--signal', 'a'], /--signal is only used with --table/],
    ['unknown signal column', () => ['search', '--config', good(), '--out', freshDir(), '--table', TABLE, '--signal', 'accuracy', '--report', 'cifar10_test_200ep'], /column "accuracy": column is missing/],
    ['resume without a run', () => ['search', '--resume', join(root, 'nothing-here')], /cannot resume from .*run\.json does not exist/],
    ['config with resume', () => ['search', '--resume', freshDir(), '--config', good()], /--config cannot be combined with --resume/],
  ])('%s exits 2 naming the problem', async (_case, argv, message) => {
    const result = await runCli(argv());
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('--out with a run exits 2', async () => {
    const dir = freshDir();
    expect((await runCli(['search', '--config', good(), '--out', dir, ...TABLE_FLAGS])).code).toBe(0);
    const again = await runCli(['search', '--config', good(), '--out', dir, ...TABLE_FLAGS]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/--out directory .* already contains a run: continue it with --resume/);
  });

  it.each([[['--help']], [['help', 'search']], [['search', '--help']], [['search', '-h']]])('%j prints help and exits 0', async (argv) => {
    const result = await runCli(argv);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: nas-studio/);
  });

  it('search help lists only registered strategies', async () => {
    const result = await runCli(['search', '--help']);
    const line = result.stdout.split('\n').find((text) => text.startsWith('Strategies'));
    expect(line).toBe(`Strategies (strategy.name in the configuration): ${Object.keys(STRATEGIES).join(', ')}.`);
    expect(line).toContain('random');
  });
});

describe('nas-studio search --resume of a damaged run', () => {
  const RUN_FILES = ['run.json', 'trials.jsonl', 'queue.json', 'evaluator.json'];
  let stoppedRun = '';

  beforeAll(async () => {
    stoppedRun = freshDir();
    const config = writeConfig(tabularConfig({ name: 'random', options: {} }));
    const stopped = await runCli(['search', '--config', config, '--out', stoppedRun, ...TABLE_FLAGS], 5);
    expect(stopped.code).toBe(130);
  });

  /** Returns run.json with `change` applied to its parsed record. */
  const changedRecord = (change: (record: Record<string, unknown>) => unknown) => (dir: string): string => {
    const record = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as Record<string, unknown>;
    return JSON.stringify(change(record));
  };
  const withState = (state: unknown) => changedRecord((record) => ({ ...record, state }));
  const withConfig = (fields: Partial<RunConfig>) => changedRecord((record) => ({ ...record, config: { ...(record.config as RunConfig), ...fields } }));
  const firstLine = (change: (trial: Trial) => unknown) => (dir: string): string => {
    const [first, ...rest] = readTrials(dir);
    return [change(first), ...rest].map((trial) => `${JSON.stringify(trial)}\n`).join('');
  };
  const fixed = (text: string) => (): string => text;

  it.each<[string, string, (dir: string) => string, RegExp]>([
    ['run.json {}', 'run.json', fixed('{}'), /run\.json field id must be a non-empty string, got undefined/],
    ['run.json []', 'run.json', fixed('[]'), /run\.json must be a run record object, got \[\]/],
    ['run.json null', 'run.json', fixed('null'), /run\.json must be a run record object, got null/],
    ['state null', 'run.json', withState(null), /run\.json field state must be an object, got null/],
    ['state without counts', 'run.json', withState({ hypervolume: [] }), /run\.json field state\.toldCount must be a non-negative integer, got undefined/],
    ['state without hypervolume', 'run.json', withState({ toldCount: 0, proposedCount: 0 }), /run\.json field state\.hypervolume must be an array of .*, got undefined/],
    ['state loop garbage', 'run.json', changedRecord((record) => ({ ...record, state: { ...(record.state as object), loop: 'garbage' } })), /run\.json field state\.loop must be an object, got "garbage"/],
    ['trials.jsonl stopReason object', 'trials.jsonl', firstLine((trial) => ({ ...trial, stopReason: { x: [1, 2] } })), /trials\.jsonl line 1 field stopReason must be a string, got \{/],
    ['trials.jsonl toldBefore -5', 'trials.jsonl', firstLine((trial) => ({ ...trial, toldBefore: -5 })), /trials\.jsonl line 1 field toldBefore must be a non-negative integer, got -5/],
    ['config workers 0', 'run.json', withConfig({ workers: 0 }), /run\.json field config\.workers: workers must be .*, got 0/],
    ['config budget -1', 'run.json', withConfig({ budget: -1 }), /run\.json field config\.budget: budget must be .*, got -1/],
    ['queue.json {}', 'queue.json', fixed('{}'), /queue\.json must be an array of trials, got \{\}/],
    ['queue.json null', 'queue.json', fixed('null'), /queue\.json must be an array of trials, got null/],
    ['queue.json [42]', 'queue.json', fixed('[42]'), /queue\.json entry 0 must be a trial object, got 42/],
    ['trials.jsonl null line', 'trials.jsonl', firstLine(() => null), /trials\.jsonl line 1 must be a trial object, got null/],
    ['trials.jsonl id missing', 'trials.jsonl', firstLine(({ id: _id, ...trial }) => trial), /trials\.jsonl line 1 field id must be a non-empty string, got undefined/],
    ['trials.jsonl unknown status', 'trials.jsonl', firstLine((trial) => ({ ...trial, status: 'weird' })), /trials\.jsonl line 1 field status must be one of .*, got "weird"/],
    ['evaluator.json null', 'evaluator.json', fixed('null'), /evaluator\.json must be an evaluator settings object, got null/],
    ['evaluator.json {}', 'evaluator.json', fixed('{}'), /evaluator\.json field kind must be "mnist" or "tabular", got undefined/],
    ['evaluator kind weird', 'evaluator.json', fixed('{"kind":"weird"}'), /evaluator\.json field kind must be "mnist" or "tabular", got "weird"/],
    ['tabular without table', 'evaluator.json', fixed('{"kind":"tabular"}'), /evaluator\.json field table must be a non-empty string for the tabular evaluator, got undefined/],
  ])('%s exits 2 and writes nothing', async (_case, file, corrupt, message) => {
    const dir = freshDir();
    cpSync(stoppedRun, dir, { recursive: true });
    writeFileSync(join(dir, file), corrupt(dir));
    const before = RUN_FILES.map((name) => readFileSync(join(dir, name), 'utf8'));

    const result = await runCli(['search', '--resume', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain('the run directory is damaged: restore the file or start a new run with --config');
    expect(result.stderr).not.toMatch(/TypeError|Cannot read properties/);
    RUN_FILES.forEach((name, i) => expect(readFileSync(join(dir, name), 'utf8'), name).toBe(before[i]));
  });

  it('cut-off line stays until all files pass', async () => {
    const dir = freshDir();
    cpSync(stoppedRun, dir, { recursive: true });
    appendFileSync(join(dir, 'trials.jsonl'), '{"id":"cut');
    writeFileSync(join(dir, 'evaluator.json'), '{"kind":"tabular"}');
    const trialsBefore = readFileSync(join(dir, 'trials.jsonl'), 'utf8');

    const result = await runCli(['search', '--resume', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/evaluator\.json field table/);
    expect(readFileSync(join(dir, 'trials.jsonl'), 'utf8')).toBe(trialsBefore);
  });

  it.each(['checkpoints', 'models'])('%s as a plain file exits 2 before training', async (name) => {
    const dir = freshDir();
    cpSync(stoppedRun, dir, { recursive: true });
    writeFileSync(join(dir, name), 'not a directory');
    const trialsBefore = readFileSync(join(dir, 'trials.jsonl'), 'utf8');

    const result = await runCli(['search', '--resume', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`${name} is not a directory: the run keeps its ${name} there, so move that file away`));
    expect(readFileSync(join(dir, 'trials.jsonl'), 'utf8')).toBe(trialsBefore);
  });

  it('undamaged copy resumes to completion', async () => {
    const dir = freshDir();
    cpSync(stoppedRun, dir, { recursive: true });
    const result = await runCli(['search', '--resume', dir]);
    expect(result.stderr).not.toMatch(/nas-studio:/);
    expect(result.code).toBe(0);
    expect(readRecord(dir).status).toBe('completed');
  });
});

describe('nas-studio search on MNIST', () => {
  it('tiny search writes a loadable best model', { timeout: 300_000 }, async () => {
    const config: RunConfig = {
      ...tinyMnistConfig(),
      budget: 2,
    };
    const dir = freshDir();
    const result = await runCli(['search', '--config', writeConfig(config), '--out', dir]);
    expect(result.stderr).not.toMatch(/nas-studio:/);
    expect(result.code).toBe(0);

    const trials = readTrials(dir);
    expect(trials).toHaveLength(2);
    expect(trials.map((trial) => trial.status)).toEqual(['done', 'done']);
    expect(trials[0].metrics?.device).toMatch(/^node /);

    const best = join(dir, 'best');
    const modelJson = JSON.parse(readFileSync(join(best, 'model.json'), 'utf8'));
    const metadata = JSON.parse(readFileSync(join(best, 'metadata.json'), 'utf8'));
    const bestTrial = trials.reduce((a, b) => ((b.metrics?.validationAccuracy ?? 0) > (a.metrics?.validationAccuracy ?? 0) ? b : a));
    expect(metadata.trialId).toBe(bestTrial.id);

    // Load through an IOHandler that follows the manifest's relative paths, as a file server would.
    const handler: tf.io.IOHandler = {
      load: async () => {
        const groups = modelJson.weightsManifest as { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
        const buffers = groups.flatMap((group) => group.paths.map((path) => readFileSync(join(best, path))));
        const joined = Buffer.concat(buffers);
        return {
          modelTopology: modelJson.modelTopology,
          weightSpecs: groups.flatMap((group) => group.weights),
          weightData: joined.buffer.slice(joined.byteOffset, joined.byteOffset + joined.byteLength),
        };
      },
    };
    const model = await tf.loadLayersModel(handler);
    const pixels = tf.tensor4d(metadata.reference.pixels.flat(), [metadata.reference.pixels.length, 28, 28, 1]).div(255);
    const probabilities = model.predict(pixels) as tf.Tensor2D;
    const predicted = (await probabilities.array()) as number[][];
    expect(predicted.length).toBe(metadata.reference.probabilities.length);
    predicted.forEach((row, i) => {
      row.forEach((value, j) => expect(value).toBeCloseTo(metadata.reference.probabilities[i][j], 4));
    });
    tf.dispose([pixels, probabilities]);
    model.dispose();
  });
});
