import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchJson } from './benchReport';
import { main, type CliIo } from './main';

const TABLE = fileURLToPath(new URL('../../../shared/data/nb201/nb201-cifar.csv', import.meta.url));
const TABLE_FLAGS = ['--table', TABLE, '--signal', 'cifar10_valid_12ep', '--report', 'cifar10_test_200ep'];
const GOOD_FLAGS = [...TABLE_FLAGS, '--strategies', 'random,evolution', '--seeds', '3', '--budget', '60'];

const root = mkdtempSync(join(tmpdir(), 'nas-studio-bench-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

async function runCli(argv: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    onInterrupt: () => () => {},
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** Replaces the flag's value in GOOD_FLAGS, or appends the flag. */
function withFlag(name: string, value: string): string[] {
  const flags = [...GOOD_FLAGS];
  const position = flags.indexOf(name);
  if (position < 0) return [...flags, name, value];
  flags[position + 1] = value;
  return flags;
}

function withoutFlag(name: string): string[] {
  const flags = [...GOOD_FLAGS];
  flags.splice(flags.indexOf(name), 2);
  return flags;
}

/** Returns the path of a table with the header and the first 300 rows of TABLE. */
function partialTable(): string {
  const path = join(root, 'partial.csv');
  writeFileSync(path, readFileSync(TABLE, 'utf8').split('\n').slice(0, 301).join('\n'));
  return path;
}

/** Returns the path of a copy of TABLE whose header or rows `change` rewrote. */
function changedTable(name: string, change: (lines: string[]) => string[]): string {
  const path = join(root, name);
  writeFileSync(path, change(readFileSync(TABLE, 'utf8').split('\n')).join('\n'));
  return path;
}

describe('nas-studio bench', () => {
  it('writes the JSON document', async () => {
    const out = join(root, 'two-objectives.json');
    const result = await runCli(['bench', ...GOOD_FLAGS, '--objectives', 'accuracy,flops', '--out', out]);
    expect(result.stderr).not.toMatch(/nas-studio:/);
    expect(result.code).toBe(0);

    const json = JSON.parse(readFileSync(out, 'utf8')) as BenchJson;
    expect(Object.keys(json)).toEqual(['table', 'signal', 'report', 'seeds', 'firstSeed', 'budget', 'batch', 'objectives', 'bestSignal', 'optimumReport', 'hypervolumeReference', 'strategies']);
    expect(json.table).toBe(TABLE);
    expect([json.signal, json.report, json.seeds, json.firstSeed, json.budget, json.batch]).toEqual(['cifar10_valid_12ep', 'cifar10_test_200ep', 3, 0, 60, 1]);
    expect(json.objectives).toEqual(['accuracy', 'flops']);
    expect(json.bestSignal).toBeCloseTo(84.892, 6);
    expect(json.hypervolumeReference?.accuracy).toBe(0);
    expect(json.hypervolumeReference?.flops).toBeGreaterThan(0);
    expect(Object.keys(json.strategies)).toEqual(['random', 'evolution']);

    for (const summary of Object.values(json.strategies)) {
      expect(Object.keys(summary)).toEqual([
        'options',
        'budgets',
        'queriesToBest',
        'proposalMs',
        'proposalMsAtBudget',
        'proposalCpuMsAtBudget',
        'hypervolume',
        'reachedFraction',
        'seedsStoppedEarly',
        'meanBestReport',
      ]);
      expect(summary.proposalMsAtBudget).toBeNull();
      expect(summary.proposalCpuMsAtBudget).toBeNull();
      expect(Object.keys(summary.budgets)).toEqual(['50', '60']);
      expect(Object.keys(summary.budgets[50])).toEqual(['mean', 'std']);
      // Accuracies are in percent, like the table's columns.
      expect(summary.budgets[60].mean).toBeGreaterThan(80);
      expect(summary.budgets[60].mean).toBeLessThanOrEqual(json.optimumReport);
      expect(summary.queriesToBest === null || summary.queriesToBest <= 60).toBe(true);
      expect(summary.proposalMs).toBeGreaterThanOrEqual(0);
      expect(Object.keys(summary.hypervolume ?? {})).toEqual(['50', '60']);
      expect(summary.hypervolume?.[60].mean).toBeGreaterThan(0);
      expect(summary.hypervolume?.[60].mean).toBeLessThan(1);
      expect(summary.meanBestReport).toHaveLength(60);
      expect(summary.meanBestReport[59]).toBeCloseTo(summary.budgets[60].mean, 9);
    }
  });

  it('prints a table per strategy', async () => {
    const result = await runCli(['bench', ...GOOD_FLAGS, '--objectives', 'accuracy,params']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/strategy\s+N=50\s+N=60\s+queries to best \(median\)\s+ms per proposal/);
    expect(result.stdout).toMatch(/^random\s+\d+\.\d\d ± \d+\.\d\d\s+\d+\.\d\d ± \d+\.\d\d/m);
    expect(result.stdout).toMatch(/^evolution\s+\d+\.\d\d ± /m);
    expect(result.stdout).toContain('reference point: accuracy 0, params ');
    expect(result.stderr).toContain('bench: random finished 3 seeds');
    expect(result.stderr).toContain('bench: evolution finished 3 seeds');
  });

  it('options, first seed and timed asks reach the output', async () => {
    const out = join(root, 'options.json');
    const options = '{"evolution": {"populationSize": 20, "sampleSize": 5}}';
    const argv = [...withFlag('--options', options), '--first-seed', '7', '--timed-asks', '3', '--out', out];
    const result = await runCli(['bench', ...argv]);
    expect(result.stderr).not.toMatch(/nas-studio:/);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('3 seeds (7 to 9)');
    expect(result.stdout).toContain('evolution {"populationSize":20,"sampleSize":5,"crossoverRate":0}');
    expect(result.stdout).toMatch(/ms per proposal\s+ms per proposal at 60, wall\s+CPU/);
    expect(result.stderr).toContain('bench: evolution finished 3 seeds');

    const json = JSON.parse(readFileSync(out, 'utf8')) as BenchJson;
    expect(json.firstSeed).toBe(7);
    expect(json.strategies.evolution.options).toEqual({ populationSize: 20, sampleSize: 5, crossoverRate: 0 });
    expect(json.strategies.random.options).toEqual({});
    for (const summary of Object.values(json.strategies)) {
      expect(summary.proposalMsAtBudget).toBeGreaterThanOrEqual(0);
      expect(summary.proposalCpuMsAtBudget).toBeGreaterThanOrEqual(0);
    }
  });

  it('batch reaches the output', async () => {
    const out = join(root, 'batch.json');
    const result = await runCli(['bench', ...withFlag('--batch', '4'), '--out', out]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('budget 60, batch 4,');
    expect(result.stdout).toContain('budget 60 distinct architectures per run, asked in rounds of 4 told together');
    expect(result.stdout).toMatch(/queries to best \(median\)\s+ms per ask/);

    const json = JSON.parse(readFileSync(out, 'utf8')) as BenchJson;
    expect(json.batch).toBe(4);
  });

  it('accuracy alone has no hypervolume', async () => {
    const out = join(root, 'one-objective.json');
    const result = await runCli(['bench', ...withFlag('--strategies', 'random'), '--out', out]);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('Hypervolume');

    const json = JSON.parse(readFileSync(out, 'utf8')) as BenchJson;
    expect(json.objectives).toEqual(['accuracy']);
    expect(json.hypervolumeReference).toBeNull();
    expect(json.strategies.random.hypervolume).toBeNull();
  });

  it('--help lists the flags', async () => {
    const result = await runCli(['bench', '--help']);
    expect(result.code).toBe(0);
    const flags = ['--table', '--signal', '--report', '--strategies', '--options', '--seeds', '--first-seed', '--budget', '--batch', '--timed-asks', '--objectives', '--out'];
    for (const flag of flags) {
      expect(result.stdout).toContain(flag);
    }
    expect((await runCli(['help', 'bench'])).stdout).toBe(result.stdout);
  });

  it('warns about a column of fractions', async () => {
    // Signal values divided by 100: 82.834 becomes 0.82834.
    const fractions = changedTable('fractions.csv', ([header, ...rows]) => [
      header,
      ...rows.map((row) => {
        const fields = row.split(',');
        if (fields.length > 2) fields[fields.length - 4] = String(Number(fields[fields.length - 4]) / 100);
        return fields.join(',');
      }),
    ]);
    const result = await runCli(['bench', '--table', fractions, '--signal', 'cifar10_valid_12ep', '--report', 'cifar10_test_200ep', '--seeds', '1', '--budget', '5', '--strategies', 'random']);
    expect(result.stderr).not.toMatch(/nas-studio:/);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('bench: warning: every value of column "cifar10_valid_12ep" is at most 1');
    expect(result.stderr).not.toContain('column "cifar10_test_200ep"');
  });

  it.each([
    ['missing table', withoutFlag('--table'), '--table', 'missing --table'],
    ['missing seeds', withoutFlag('--seeds'), '--seeds', 'missing --seeds'],
    ['seeds not a number', withFlag('--seeds', 'many'), '--seeds', '--seeds must be a positive integer, got "many"'],
    ['zero budget', withFlag('--budget', '0'), '--budget', '--budget must be a positive integer, got "0"'],
    ['fractional budget', withFlag('--budget', '2.5'), '--budget', 'got "2.5"'],
    ['unknown strategy', withFlag('--strategies', 'random,annealing'), '--strategies', 'unknown strategy "annealing"'],
    ['repeated strategy', withFlag('--strategies', 'random,random'), '--strategies', 'lists "random" twice'],
    ['cost without accuracy', withFlag('--objectives', 'flops'), '--objectives', 'invalid --objectives "flops"'],
    ['missing signal column', withFlag('--signal', 'cifar10_valid_200ep'), '--signal', 'column "cifar10_valid_200ep"'],
    ['unreadable table', withFlag('--table', join(root, 'absent.csv')), '--table', 'cannot read --table file'],
    ['partial table', withFlag('--table', partialTable()), '--table', 'missing 15325 of the 15625 cells'],
    ['repeated column', withFlag('--table', changedTable('repeated.csv', ([header, ...rows]) => [header.replace('cifar100_test_200ep', 'cifar10_test_200ep'), ...rows])), '--report', 'the header names this column twice'],
    ['out in a missing directory', withFlag('--out', join(root, 'absent', 'b.json')), '--out', 'is not writable'],
    ['unknown flag', withFlag('--workers', '4'), '--workers', 'unknown flag --workers for `bench`'],
    ['zero batch', withFlag('--batch', '0'), '--batch', '--batch must be a positive integer, got "0"'],
    ['options not JSON', withFlag('--options', '{evolution: 1}'), '--options', '--options is not valid JSON'],
    ['options not an object', withFlag('--options', '[1]'), '--options', '--options must be an object keyed by strategy name'],
    ['options for an absent strategy', withFlag('--options', '{"bo": {}}'), '--options', 'names "bo", which is not among the benchmarked strategies'],
    ['unknown option', withFlag('--options', '{"evolution": {"size": 3}}'), '--options', 'strategy.options.size is not an option of the evolution strategy'],
    ['invalid option value', withFlag('--options', '{"evolution": {"populationSize": 0}}'), '--options', 'invalid --options for evolution: strategy.options.populationSize'],
    ['negative first seed', withFlag('--first-seed', '-1'), '--first-seed', '--first-seed must be a non-negative integer, got "-1"'],
    ['first seed past 2^32', withFlag('--first-seed', '4294967296'), '--first-seed', 'would use seeds up to 4294967298, above the largest seed 4294967295: pass --first-seed 4294967293 or less'],
    ['timed asks not a number', withFlag('--timed-asks', 'some'), '--timed-asks', '--timed-asks must be a non-negative integer, got "some"'],
  ])('%s exits 2 naming the flag', async (_case, argv, flag, message) => {
    const result = await runCli(['bench', ...argv]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain(flag);
    expect(result.stdout).toBe('');
  });
});
