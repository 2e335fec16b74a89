import { beforeEach, describe, expect, it } from 'vitest';
import type { BenchmarkResult, StrategyBenchmark } from '../../core/bench/harness';
import type { BenchRequest } from '../../workers/benchProtocol';
import type { BenchTableInfo } from '../bench/benchTable';
import { resetStudioStore, useStudioStore } from './index';

const settings: Omit<BenchRequest, 'csv'> = {
  signal: 'valid',
  report: 'test',
  strategies: ['random', 'local'],
  seeds: 2,
  firstSeed: 0,
  budget: 2,
  objectives: ['accuracy'],
};

function seedEvent(strategy: string, seed: number, runsDone: number, bestReports: number[]) {
  return { type: 'seed' as const, strategy, seed, runsDone, runsTotal: 4, bestReports };
}

beforeEach(() => resetStudioStore());

describe('bench slice', () => {
  it('collects seed curves by strategy', () => {
    const state = useStudioStore.getState();
    state.startBenchRun(settings, 't.csv', 1000);
    state.applyBenchEvents([{ type: 'started', cells: 10, optimumReport: 0.95 }, seedEvent('random', 0, 1, [0.9, 0.91])], 1500);
    state.applyBenchEvents([seedEvent('random', 1, 2, [0.8, 0.92])], 1600);

    const run = useStudioStore.getState().benchRun;
    expect(run?.optimumReport).toBe(0.95);
    expect(run?.curves).toEqual({ random: [[0.9, 0.91], [0.8, 0.92]], local: [] });
    expect(run?.runsDone).toBe(2);
    expect(run?.elapsedAtLastSeedMs).toBe(600);
  });

  it('result replaces curves and drops late events', () => {
    const state = useStudioStore.getState();
    state.startBenchRun(settings, 't.csv', 0);
    const summary = (strategy: string, curves: number[][]) => ({ strategy, seedBestReports: curves }) as StrategyBenchmark;
    const result = {
      optimumReport: 0.95,
      strategies: [summary('random', [[0.9, 0.9], [0.8, 0.9]]), summary('local', [[0.9, 0.94], [0.9, 0.93]])],
    } as BenchmarkResult;
    state.endBenchRun('completed', 2000, result);
    state.applyBenchEvents([seedEvent('random', 0, 1, [0.1, 0.1])], 2100);

    const after = useStudioStore.getState();
    expect(after.benchStatus).toBe('completed');
    expect(after.benchRun?.curves.random).toEqual([[0.9, 0.9], [0.8, 0.9]]);
    expect(after.benchRun?.runsDone).toBe(4);
    expect(after.benchRun?.endedAt).toBe(2000);
  });

  it('picked table keeps chosen columns', () => {
    useStudioStore.getState().updateBenchForm({ signal: 'x', report: 'gone' });
    useStudioStore.getState().setBenchTable(tableInfo(['v', 'x', 't']));

    const state = useStudioStore.getState();
    expect(state.benchForm.signal).toBe('x');
    expect(state.benchForm.report).toBe('t');
  });

  it('picked table preselects columns', () => {
    useStudioStore.getState().setBenchErrors({ table: 'missing', seeds: 'bad' });
    useStudioStore.getState().setBenchTable(tableInfo(['v', 't']));

    const state = useStudioStore.getState();
    expect([state.benchForm.signal, state.benchForm.report]).toEqual(['v', 't']);
    expect(state.benchErrors.table).toBeUndefined();
    expect(state.benchErrors.seeds).toBe('bad');
  });
});

/** Returns the facts of a picked table with `columns` as accuracy columns, preselecting the first and the last. */
function tableInfo(columns: string[]): BenchTableInfo {
  return {
    fileName: 't.csv',
    csv: '',
    rows: 2,
    accuracyColumns: columns,
    rejectedColumns: [],
    fractionColumns: [],
    defaultSignal: columns[0],
    defaultReport: columns[columns.length - 1],
  };
}
