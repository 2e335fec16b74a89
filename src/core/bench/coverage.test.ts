import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors';
import { parseBenchmarkTable } from '../evaluators/tabular';
import { checkTableCoversSpace, measureTableCoverage, NB201_CELL_COUNT } from './coverage';

const csv = readFileSync(new URL('../../../../shared/data/nb201/nb201-cifar.csv', import.meta.url), 'utf8');
const COLUMNS = { signal: 'cifar10_valid_12ep', report: 'cifar10_test_200ep' };
const partialCsv = csv.split('\n').slice(0, 301).join('\n');

describe('measureTableCoverage', () => {
  it('finds no missing cell in the full table', () => {
    const coverage = measureTableCoverage(parseBenchmarkTable(csv, COLUMNS));
    expect(coverage.total).toBe(15625);
    expect(coverage.missing).toBe(0);
    expect(coverage.example).toBeUndefined();
  });

  it('counts the cells a partial table lacks', () => {
    const table = parseBenchmarkTable(partialCsv, COLUMNS);
    const coverage = measureTableCoverage(table);
    expect(coverage.missing).toBe(NB201_CELL_COUNT - 300);
    expect(coverage.example).toBeDefined();
    expect(table.lookup(coverage.example!)).toBeUndefined();
  });
});

describe('checkTableCoversSpace', () => {
  it('rejects a partial table', () => {
    const table = parseBenchmarkTable(partialCsv, COLUMNS);
    expect(() => checkTableCoversSpace(table)).toThrow(ValidationError);
    expect(() => checkTableCoversSpace(table)).toThrow(/missing 15325 of the 15625 cells of the NAS-Bench-201 space, e\.g\. \|/);
  });
});
