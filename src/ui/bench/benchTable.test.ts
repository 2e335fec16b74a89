import { describe, expect, it } from 'vitest';
import { inspectBenchmarkCsv } from './benchTable';

const CELL_A = '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|';
const CELL_B = '|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|';
const CSV = `index,arch,cifar10_valid_12ep,cifar10_test_200ep\n0,${CELL_A},82.8,93.6\n1,${CELL_B},63.3,85.8\n`;

describe('inspectBenchmarkCsv', () => {
  it('lists accuracy columns and preselects them', () => {
    const info = inspectBenchmarkCsv('t.csv', CSV);
    expect(info.rows).toBe(2);
    expect(info.accuracyColumns).toEqual(['index', 'cifar10_valid_12ep', 'cifar10_test_200ep']);
    expect(info.defaultSignal).toBe('cifar10_valid_12ep');
    expect(info.defaultReport).toBe('cifar10_test_200ep');
  });

  it('drops an index column past 100', () => {
    const rows = Array.from({ length: 102 }, (_, i) => `${i},${CELL_A},80,90`);
    const info = inspectBenchmarkCsv('t.csv', ['index,arch,valid,test', ...rows].join('\n'));
    expect(info.accuracyColumns).toEqual(['valid', 'test']);
  });

  it('names a column with one bad value', () => {
    const csv = `index,arch,cifar10_valid_12ep,cifar100_valid_12ep,cifar10_test_200ep\n0,${CELL_A},82.8,50,93.6\n1,${CELL_B},abc,51,85.8\n2,${CELL_B.replace('avg_pool_3x3~0', 'none~0')},60,52,80\n`;
    const info = inspectBenchmarkCsv('t.csv', csv);
    expect(info.accuracyColumns).toEqual(['index', 'cifar100_valid_12ep', 'cifar10_test_200ep']);
    expect(info.rejectedColumns).toEqual([{ name: 'cifar10_valid_12ep', line: 3, value: 'abc', reason: 'is not a number' }]);
    expect(info.defaultSignal).toBe('');
    expect(info.defaultReport).toBe('cifar10_test_200ep');
  });

  it.each([
    ['empty', '', 'is empty'],
    ['over 100', '100.5', 'is outside [0, 100]'],
    ['negative', '-1', 'is outside [0, 100]'],
  ])('rejects a column with a %s value', (_case, value, reason) => {
    const info = inspectBenchmarkCsv('t.csv', `arch,valid,test\n${CELL_A},${value},90\n`);
    expect(info.rejectedColumns).toEqual([{ name: 'valid', line: 2, value, reason }]);
  });

  it('lists columns of fractions', () => {
    const info = inspectBenchmarkCsv('t.csv', `arch,valid,test\n${CELL_A},0.8,90\n${CELL_B},0.7,91\n`);
    expect(info.fractionColumns).toEqual(['valid']);
  });

  it.each([
    ['repeated column', `arch,valid,valid\n${CELL_A},80,90\n`, /names the column "valid" twice in its header/],
    ['empty file', '', /t.csv is empty/],
    ['no arch column', 'index,cell,valid\n0,x,1\n', /has no "arch" column in its header \(index, cell, valid\)/],
    ['no rows', 'index,arch,valid\n\n', /has a header but no rows/],
    ['no accuracy column', `arch,name\n${CELL_A},first\n`, /has no column of accuracies in percent/],
    ['unclosed quote', `arch,valid\n"${CELL_A},80\n`, /is malformed at line 2, column "#1": a quoted field has no closing quote/],
  ])('%s is rejected for the table field', (_case, csv, message) => {
    let caught: unknown;
    try {
      inspectBenchmarkCsv('t.csv', csv);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ field: 'table' });
    expect((caught as Error).message).toMatch(message);
  });
});
