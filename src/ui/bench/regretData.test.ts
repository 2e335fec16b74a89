import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runBenchmark } from '../../core/bench/harness';
import { parseBenchmarkTable } from '../../core/evaluators/tabular';
import { drawnRegret, meanRegretCurve, REGRET_FLOOR, regretSeries, regretTableQueries, regretTableRows } from './regretData';

describe('meanRegretCurve', () => {
  it('averages seeds then subtracts from the optimum', () => {
    const curve = meanRegretCurve(
      [
        [0.9, 0.92, 0.94],
        [0.8, 0.94, 0.94],
      ],
      0.95,
    );
    expect(curve).toHaveLength(3);
    expect(curve[0]).toBeCloseTo(0.1, 12);
    expect(curve[1]).toBeCloseTo(0.02, 12);
    expect(curve[2]).toBeCloseTo(0.01, 12);
  });

  it('is NaN where a seed has no best yet', () => {
    const curve = meanRegretCurve([[Number.NaN, 0.9], [0.8, 0.9]], 1);
    expect(curve[0]).toBeNaN();
    expect(curve[1]).toBeCloseTo(0.1, 12);
  });

  it('equals the harness mean regret', async () => {
    const csv = readFileSync(new URL('../../../../shared/data/nb201/nb201-cifar.csv', import.meta.url), 'utf8');
    const table = parseBenchmarkTable(csv, { signal: 'cifar100_valid_12ep', report: 'cifar100_test_200ep' });
    const curves: number[][] = [];
    const result = await runBenchmark({ table, strategies: ['evolution'], seeds: 3, budget: 40, onProgress: (progress) => curves.push(progress.bestReports) });

    expect(meanRegretCurve(curves, result.optimumReport)).toEqual(result.strategies[0].meanRegret);
  });
});

describe('regretSeries', () => {
  it('skips strategies without seeds', () => {
    const series = regretSeries(['random', 'local'], { local: [[0.5, 0.7]] }, 0.8);
    expect(series.map((line) => line.strategy)).toEqual(['local']);
    expect(series[0].seeds).toBe(1);
  });

  it('numbers queries from 1 and drops NaN', () => {
    const series = regretSeries(['random'], { random: [[Number.NaN, 0.5, 0.75]] }, 0.75);
    expect(series[0].points.map((point) => point.queries)).toEqual([2, 3]);
    expect(series[0].points[0].regret).toBeCloseTo(0.25, 12);
    expect(series[0].points[1].regret).toBe(0);
  });
});

describe('regret table', () => {
  it('drawn regret has a floor for log scale', () => {
    expect(drawnRegret(0)).toBe(REGRET_FLOOR);
    expect(drawnRegret(0.02)).toBe(0.02);
  });

  it('table queries start at 1 and end at the budget', () => {
    const queries = regretTableQueries(150);
    expect(queries[0]).toBe(1);
    expect(queries.at(-1)).toBe(150);
    expect(queries).toContain(50);
    expect(queries).toContain(100);
    expect(new Set(queries).size).toBe(queries.length);
  });

  it('table queries for a budget of 1', () => {
    expect(regretTableQueries(1)).toEqual([1]);
  });

  it('table rows leave missing points undefined', () => {
    const series = regretSeries(['random', 'local'], { random: [[Number.NaN, 0.5]], local: [[0.25, 0.5]] }, 0.75);
    const rows = regretTableRows(series, 2);
    expect(rows.map((row) => row.queries)).toEqual([1, 2]);
    expect(rows[0].regrets).toEqual([undefined, 0.5]);
    expect(rows[1].regrets).toEqual([0.25, 0.25]);
  });
});
