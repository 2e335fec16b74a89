import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DatasetConfig, EvaluationRequest, TrainingConfig } from '../run/types';
import { CELL_OPS, type CellArch, type CellOp } from '../space/types';
import { BenchmarkTableError, NB201_SKELETON, TabularEvaluator, parseBenchmarkTable } from './tabular';

const CSV_PATH = new URL('../../../../shared/data/nb201/nb201-cifar.csv', import.meta.url);
const COLUMNS = { signal: 'cifar10_valid_12ep', report: 'cifar10_test_200ep' };

const HEADER = 'index,arch,cifar10_valid_12ep,cifar10_test_200ep';
const CELL_A = '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|';
const CELL_B = '|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|';

function allCells(): CellArch[] {
  const cells: CellArch[] = [];
  for (let code = 0; code < CELL_OPS.length ** 6; code++) {
    const edges: CellOp[] = [];
    let rest = code;
    for (let edge = 0; edge < 6; edge++) {
      edges.push(CELL_OPS[rest % CELL_OPS.length]);
      rest = Math.floor(rest / CELL_OPS.length);
    }
    cells.push({ family: 'cell', edges: edges as CellArch['edges'] });
  }
  return cells;
}

function request(arch: EvaluationRequest['arch']): EvaluationRequest {
  const dataset: DatasetConfig = { name: 'mnist', trainSize: 1, validationSize: 1, testSize: 1 };
  const training: TrainingConfig = {
    epochs: 1, batchSize: 1, optimizer: 'adam', learningRate: 0.001, momentum: 0, schedule: 'constant', patience: 0,
  };
  return {
    trialId: 't0', arch, space: NB201_SKELETON, seed: 1,
    input: { inputShape: [32, 32, 3], numClasses: 10 }, dataset, training, constraints: {},
  };
}

describe('parseBenchmarkTable on the NAS-Bench-201 CSV', () => {
  const table = parseBenchmarkTable(readFileSync(CSV_PATH, 'utf8'), COLUMNS);

  it('finds every one of the 15,625 cells', () => {
    const cells = allCells();
    expect(cells).toHaveLength(15_625);
    expect(table.entries).toHaveLength(15_625);
    const missing = cells.filter((cell) => table.lookup(cell) === undefined);
    expect(missing).toEqual([]);
  });

  it('stores percentages as fractions', () => {
    for (const entry of table.entries) {
      expect(entry.signal).toBeGreaterThanOrEqual(0);
      expect(entry.signal).toBeLessThanOrEqual(1);
      expect(entry.report).toBeGreaterThanOrEqual(0);
      expect(entry.report).toBeLessThanOrEqual(1);
    }
  });

  it('best cell by signal reports 94.37% test accuracy', () => {
    const best = table.entries.reduce((a, b) => (b.signal > a.signal ? b : a));
    expect(best.report).toBeCloseTo(0.943733, 6);
  });

  it('best test accuracy is on the row of index 6111', () => {
    const best = table.entries.reduce((a, b) => (b.report > a.report ? b : a));
    expect(best.report).toBeCloseTo(0.943733, 6);
    // Line 1 is the header and the rows are in index order, so index 6111 is line 6113.
    expect(best.line).toBe(6113);
  });
});

describe('parseBenchmarkTable rejects malformed tables', () => {
  it('lists every header column when one is missing', () => {
    const names = ['index', 'arch', ...Array.from({ length: 10 }, (_, i) => `cifar100_valid_epoch_${i}`), 'cifar10_test_200ep'];
    const csv = `${names.join(',')}\n0,${CELL_A},${names.slice(2).map(() => '50').join(',')}`;

    expect(() => parseBenchmarkTable(csv, COLUMNS)).toThrow(BenchmarkTableError);
    let message = '';
    try {
      parseBenchmarkTable(csv, COLUMNS);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('(13 columns:');
    for (const name of names) expect(message).toContain(`"${name}"`);
  });

  it.each([
    ['empty file', '', 1, 'arch', /empty/],
    ['missing arch column', `index,cifar10_valid_12ep,cifar10_test_200ep\n0,50,60`, 1, 'arch', /missing/],
    ['missing signal column', `index,arch,cifar10_test_200ep\n0,${CELL_A},60`, 1, 'cifar10_valid_12ep', /missing/],
    ['repeated column', `index,arch,cifar10_valid_12ep,cifar10_valid_12ep,cifar10_test_200ep\n0,${CELL_A},50,50,60`, 1, 'cifar10_valid_12ep', /names this column twice/],
    ['header without rows', `${HEADER}\n`, 2, 'arch', /no rows/],
    ['short row', `${HEADER}\n0,${CELL_A},50`, 2, 'cifar10_test_200ep', /fields/],
    ['unknown op', `${HEADER}\n0,${CELL_A},50,60\n1,${CELL_B.replace('avg_pool_3x3', 'max_pool_3x3')},50,60`, 3, 'arch', /max_pool_3x3/],
    ['malformed cell string', `${HEADER}\n0,|nor_conv_3x3~0|+|skip_connect~0|,50,60`, 2, 'arch', /./],
    ['duplicate cell', `${HEADER}\n0,${CELL_A},50,60\n1,${CELL_B},50,60\n2,${CELL_A},51,61`, 4, 'arch', /line 2/],
    ['non-numeric signal', `${HEADER}\n0,${CELL_A},abc,60`, 2, 'cifar10_valid_12ep', /number/],
    ['empty report', `${HEADER}\n0,${CELL_A},50,`, 2, 'cifar10_test_200ep', /number/],
    ['fraction above 100', `${HEADER}\n0,${CELL_A},150,60`, 2, 'cifar10_valid_12ep', /percentage/],
    ['unclosed quote', `${HEADER}\n0,"${CELL_A},50,60`, 2, '#2', /quote/],
  ])('%s gives line and column', (_case, csv, line, column, message) => {
    let caught: unknown;
    try {
      parseBenchmarkTable(csv, COLUMNS);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(BenchmarkTableError);
    const error = caught as BenchmarkTableError;
    expect(error.line).toBe(line);
    expect(error.column).toBe(column);
    expect(error.message).toContain(`line ${line}, column "${column}"`);
    expect(error.message).toMatch(message);
  });

  it('accepts quoted fields and CRLF line ends', () => {
    const table = parseBenchmarkTable(`${HEADER}\r\n0,"${CELL_A}",50,60\r\n`, COLUMNS);
    expect(table.entries).toHaveLength(1);
    expect(table.entries[0].signal).toBeCloseTo(0.5, 9);
  });
});

describe('TabularEvaluator', () => {
  const table = parseBenchmarkTable(`${HEADER}\n0,${CELL_A},82.834,93.66\n1,${CELL_B},63.364,85.8633`, COLUMNS);
  const evaluator = new TabularEvaluator(table, { concurrency: 4 });
  const cellA = table.entries[0].arch;

  it('returns the row as metrics without a model', async () => {
    const result = await evaluator.evaluate(request(cellA), new AbortController().signal);
    expect(result.status).toBe('done');
    expect(result.model).toBeUndefined();
    expect(result.metrics?.validationAccuracy).toBeCloseTo(0.82834, 9);
    expect(result.metrics?.testAccuracy).toBeCloseTo(0.9366, 9);
    expect(result.metrics?.params).toBeGreaterThan(0);
    expect(result.metrics?.flops).toBeGreaterThan(0);
    expect(result.metrics?.latency).toEqual({ medianMs: 0, p90Ms: 0, runs: 0 });
    expect(result.metrics?.backend).toBe('cpu');
    expect(result.metrics?.device).toBe('tabular');
    expect(evaluator.concurrency).toBe(4);
  });

  it('fails a cell missing from the table', async () => {
    const missing: CellArch = { family: 'cell', edges: ['none', 'none', 'none', 'none', 'none', 'none'] };
    const result = await evaluator.evaluate(request(missing), new AbortController().signal);
    expect(result.status).toBe('failed');
    expect(result.error?.code).toBe('not_found');
  });

  it('fails a non-cell architecture', async () => {
    const result = await evaluator.evaluate(request({ family: 'sequential', layers: [] }), new AbortController().signal);
    expect(result.status).toBe('failed');
    expect(result.error?.code).toBe('invalid_config');
  });

  it('rejects when the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(evaluator.evaluate(request(cellA), controller.signal)).rejects.toThrow();
  });

  it('rejects concurrency 0', () => {
    expect(() => new TabularEvaluator(table, { concurrency: 0 })).toThrow(/concurrency must be a positive integer, got 0/);
  });
});
