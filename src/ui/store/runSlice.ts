// Store slice for the Run page: the run form's raw values, the errors found
// when the user starts a search, and the list of runs stored in IndexedDB.
import type { StateCreator } from 'zustand';
import type { RunRecord } from '../../core/run/types';
import type { StudioState } from './index';
import type { SchedulerFormValues } from '../run/schedulerForm';
import type { StopFilterFormValues } from '../run/stopFilterForm';
import type { ProxyFormValues } from '../run/proxyForm';

/**
 * The run form as typed: every numeric field is kept as text so an invalid
 * entry ("0", "-1", "") reaches validateRunConfig unchanged and its error
 * shows at that field.
 */
export interface RunFormValues {
  name: string;
  dataset: 'mnist';
  /** Saved-space id, or '' for the space on the Space page. */
  spaceId: string;
  strategy: string;
  /** Strategy options as text, keyed by option name. */
  strategyOptions: Record<string, string>;
  budget: string;
  epochs: string;
  workers: string;
  seed: string;
  trainSize: string;
  validationSize: string;
  testSize: string;
  batchSize: string;
  optimizer: 'adam' | 'sgd';
  learningRate: string;
  costObjective: 'latency' | 'params' | 'flops';
  maxParams: string;
  maxFlops: string;
  maxLatencyMs: string;
  backend: 'auto' | 'webgpu' | 'webgl' | 'wasm' | 'cpu';
  /** Successive-halving / Hyperband scheduler fields. */
  scheduler: SchedulerFormValues;
  /** Curve stop and predictor filter fields. */
  stopFilter: StopFilterFormValues;
  proxy: ProxyFormValues;
}

/** A stored run as listed on the Run page. */
export interface RunSummary {
  record: RunRecord;
  /** Trials with a final status (done, failed, diverged, pruned). */
  trialsDone: number;
}

export interface RunSlice {
  runForm: RunFormValues | null;
  /** Field errors of the run form, keyed by the RunConfig field path (`budget`, `dataset.trainSize`). */
  runErrors: Record<string, string>;
  /** Message about the whole form, e.g. constraints that no architecture meets. */
  runFormMessage: string | null;
  runs: RunSummary[];
  /** Run executing in this page, if any. */
  activeRunId: string | null;
  setRunForm(form: RunFormValues): void;
  updateRunForm(patch: Partial<RunFormValues>): void;
  setRunErrors(errors: Record<string, string>, message?: string | null): void;
  setRuns(runs: RunSummary[]): void;
  /** Replaces the listed record and count of one run; a run not listed yet is added first. */
  updateRunSummary(summary: RunSummary): void;
  setActiveRunId(runId: string | null): void;
}

export const initialRunState = {
  runForm: null as RunFormValues | null,
  runErrors: {} as Record<string, string>,
  runFormMessage: null as string | null,
  runs: [] as RunSummary[],
  activeRunId: null as string | null,
};

export const createRunSlice: StateCreator<StudioState, [], [], RunSlice> = (set) => ({
  ...initialRunState,
  setRunForm(runForm) {
    set({ runForm });
  },
  updateRunForm(patch) {
    set((state) => (state.runForm ? { runForm: { ...state.runForm, ...patch } } : state));
  },
  setRunErrors(runErrors, runFormMessage = null) {
    set({ runErrors, runFormMessage });
  },
  setRuns(runs) {
    set({ runs });
  },
  updateRunSummary(summary) {
    set((state) => {
      const listed = state.runs.some((existing) => existing.record.id === summary.record.id);
      if (!listed) return { runs: [summary, ...state.runs] };
      return { runs: state.runs.map((existing) => (existing.record.id === summary.record.id ? summary : existing)) };
    });
  },
  setActiveRunId(activeRunId) {
    set({ activeRunId });
  },
});
