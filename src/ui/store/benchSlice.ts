// Store slice of the Benchmarks page: the form, the picked table, the running
// benchmark's progress and seed curves, and the harness's final result.
import type { StateCreator } from 'zustand';
import type { BenchmarkResult } from '../../core/bench/harness';
import type { BenchEvent, BenchRequest } from '../../workers/benchProtocol';
import { DEFAULT_BENCH_FORM, type BenchFormErrors, type BenchFormValues } from '../bench/benchForm';
import type { BenchTableInfo } from '../bench/benchTable';
import type { StudioState } from './index';

export type BenchStatus = 'idle' | 'running' | 'completed' | 'stopped' | 'failed';

/** The benchmark started last, with what it has reported so far. */
export interface BenchRunView {
  /** The request without its CSV text. */
  settings: Omit<BenchRequest, 'csv'>;
  /** File name of the table, for the report and the JSON document. */
  tableName: string;
  /** Date.now() when the benchmark started. */
  startedAt: number;
  /** Date.now() when it ended; undefined while it runs. */
  endedAt?: number;
  /** Milliseconds from the start to the last finished seed; 0 before any. */
  elapsedAtLastSeedMs: number;
  /** Highest report accuracy (fraction) in the table; undefined until the worker has parsed it. */
  optimumReport?: number;
  runsDone: number;
  runsTotal: number;
  /** Finished seeds' best-by-signal report curves (fractions), keyed by strategy, in seed order. */
  curves: Record<string, number[][]>;
}

export interface BenchSlice {
  benchForm: BenchFormValues;
  benchTable: BenchTableInfo | null;
  benchErrors: BenchFormErrors;
  /** A failure that belongs to no field, e.g. a crashed worker. */
  benchMessage: string | null;
  benchStatus: BenchStatus;
  benchRun: BenchRunView | null;
  benchResult: BenchmarkResult | null;
  updateBenchForm(values: Partial<BenchFormValues>): void;
  /**
   * Stores a picked table and selects its signal and report columns: the
   * chosen ones when the table offers them, else its preselected ones. Null clears it.
   */
  setBenchTable(table: BenchTableInfo | null): void;
  setBenchErrors(errors: BenchFormErrors, message?: string | null): void;
  startBenchRun(settings: Omit<BenchRequest, 'csv'>, tableName: string, now: number): void;
  /** Applies worker events in arrival order; `now` is Date.now() when they are applied. */
  applyBenchEvents(events: readonly BenchEvent[], now: number): void;
  /**
   * Ends the running benchmark with `status`; `result` only for 'completed',
   * which then replaces the curves and counts with the result's. Events that
   * arrive later are ignored.
   */
  endBenchRun(status: Exclude<BenchStatus, 'idle' | 'running'>, now: number, result?: BenchmarkResult): void;
}

/** Returns the chosen column when `table` offers it, so a new table never replaces the user's choice, else `preselected`. */
function keptColumn(chosen: string, table: BenchTableInfo, preselected: string): string {
  return chosen !== '' && table.accuracyColumns.includes(chosen) ? chosen : preselected;
}

export const initialBenchState = {
  benchForm: DEFAULT_BENCH_FORM,
  benchTable: null as BenchTableInfo | null,
  benchErrors: {} as BenchFormErrors,
  benchMessage: null as string | null,
  benchStatus: 'idle' as BenchStatus,
  benchRun: null as BenchRunView | null,
  benchResult: null as BenchmarkResult | null,
};

export const createBenchSlice: StateCreator<StudioState, [], [], BenchSlice> = (set) => ({
  ...initialBenchState,
  updateBenchForm(values) {
    set((state) => ({ benchForm: { ...state.benchForm, ...values } }));
  },
  setBenchTable(table) {
    set((state) => ({
      benchTable: table,
      benchForm: table === null ? state.benchForm : { ...state.benchForm, signal: keptColumn(state.benchForm.signal, table, table.defaultSignal), report: keptColumn(state.benchForm.report, table, table.defaultReport) },
      benchErrors: { ...state.benchErrors, table: undefined, signal: undefined, report: undefined, budget: undefined },
    }));
  },
  setBenchErrors(errors, message = null) {
    set({ benchErrors: errors, benchMessage: message });
  },
  startBenchRun(settings, tableName, now) {
    set({
      benchStatus: 'running',
      benchErrors: {},
      benchMessage: null,
      benchResult: null,
      benchRun: {
        settings,
        tableName,
        startedAt: now,
        elapsedAtLastSeedMs: 0,
        runsDone: 0,
        runsTotal: settings.strategies.length * settings.seeds,
        curves: Object.fromEntries(settings.strategies.map((name) => [name, []])),
      },
    });
  },
  applyBenchEvents(events, now) {
    set((state) => {
      const run = state.benchRun;
      if (run === null || state.benchStatus !== 'running' || events.length === 0) return state;

      const next: BenchRunView = { ...run, curves: Object.fromEntries(Object.entries(run.curves).map(([name, curves]) => [name, [...curves]])) };
      for (const event of events) {
        if (event.type === 'started') {
          next.optimumReport = event.optimumReport;
          continue;
        }
        (next.curves[event.strategy] ??= []).push(event.bestReports);
        next.runsDone = event.runsDone;
        next.runsTotal = event.runsTotal;
        next.elapsedAtLastSeedMs = now - run.startedAt;
      }
      return { benchRun: next };
    });
  },
  endBenchRun(status, now, result) {
    set((state) => {
      const run = state.benchRun;
      if (run === null) return { benchStatus: status, benchResult: result ?? null };
      if (result === undefined) return { benchStatus: status, benchResult: null, benchRun: { ...run, endedAt: now } };

      // Seed events travel on their own message channel and may arrive after
      // the result, so the finished run takes its curves from the result.
      const curves = Object.fromEntries(result.strategies.map((summary) => [summary.strategy, summary.seedBestReports]));
      return {
        benchStatus: status,
        benchResult: result,
        benchRun: { ...run, endedAt: now, curves, runsDone: run.runsTotal, optimumReport: result.optimumReport },
      };
    });
  },
});
