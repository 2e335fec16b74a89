import { describe, expect, it } from 'vitest';
import { DEFAULT_BENCH_FORM, validateBenchForm, type BenchFormValues } from './benchForm';
import { inspectBenchmarkCsv, type BenchTableInfo } from './benchTable';

const CELL_A = '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|';
const CELL_B = '|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|';
const CSV = `index,arch,cifar10_valid_12ep,cifar10_test_200ep\n0,${CELL_A},82.8,93.6\n1,${CELL_B},63.3,85.8\n`;

describe('validateBenchForm', () => {
  const table: BenchTableInfo = inspectBenchmarkCsv('t.csv', CSV);
  const form: BenchFormValues = { ...DEFAULT_BENCH_FORM, signal: table.defaultSignal, report: table.defaultReport, budget: '2', seeds: '3' };

  it('builds the worker request', () => {
    const { request, errors } = validateBenchForm({ ...form, strategies: ['local', 'random'], firstSeed: '7', hypervolume: true }, table);
    expect(errors).toBeUndefined();
    expect(request).toEqual({
      csv: CSV,
      signal: 'cifar10_valid_12ep',
      report: 'cifar10_test_200ep',
      strategies: ['random', 'local'],
      seeds: 3,
      firstSeed: 7,
      budget: 2,
      objectives: ['accuracy', 'flops'],
    });
  });

  it.each([
    ['seeds 0', { seeds: '0' }, 'seeds', 'Seeds must be a positive integer, got "0": set Seeds to 1 or more, e.g. 10'],
    ['fractional seeds', { seeds: '1.5' }, 'seeds', 'Seeds must be a positive integer, got "1.5": set Seeds to 1 or more, e.g. 10'],
    ['budget over rows', { budget: '3' }, 'budget', 'Budget must be at most the 2 rows of t.csv, got 3: set Budget to 2 or less'],
    ['empty budget', { budget: '' }, 'budget', 'Budget must be a positive integer, got "": set Budget to 1 or more, e.g. 150'],
    ['negative first seed', { firstSeed: '-1' }, 'firstSeed', 'First seed must be a non-negative integer, got "-1": set First seed to 0 or more'],
    ['last seed past 2^32', { firstSeed: '4294967295', seeds: '2' }, 'firstSeed', 'First seed + Seeds - 1 must be at most 4294967295, got 4294967296: set First seed to 4294967294 or less, or use fewer Seeds'],
    ['no strategy', { strategies: [] }, 'strategies', 'Strategies: none is ticked: tick at least one strategy'],
    ['unknown column', { signal: 'arch' }, 'signal', 'Signal column "arch" is not an accuracy column of t.csv: pick one of index, cifar10_valid_12ep, cifar10_test_200ep'],
  ])('%s is named at its field', (_case, change, field, message) => {
    const { errors } = validateBenchForm({ ...form, ...change }, table);
    expect(errors?.[field as keyof typeof errors]).toBe(message);
  });

  it('rejected column names its bad value', () => {
    const rejectedTable = { ...table, rejectedColumns: [{ name: 'cifar10_valid_12ep', line: 3, value: 'abc', reason: 'is not a number' }] };
    const { errors } = validateBenchForm({ ...form, signal: 'cifar10_valid_12ep' }, rejectedTable);
    expect(errors?.signal).toMatch(/^Signal column "cifar10_valid_12ep" is not an accuracy column in percent because line 3 contains "abc", which is not a number: fix that value or pick one of/);
  });

  it('unchosen column is named', () => {
    const { errors } = validateBenchForm({ ...form, report: '' }, table);
    expect(errors?.report).toMatch(/^Report column is not chosen: pick one of/);
  });

  it('missing table is named', () => {
    const { errors } = validateBenchForm(form, null);
    expect(errors?.table).toMatch(/^Benchmark table is missing: choose a CSV file/);
  });
});
