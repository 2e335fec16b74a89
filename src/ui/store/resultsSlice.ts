// Store slice for the Results page: the run shown, its trials, the Pareto
// front, hypervolume history, progress timing and the selected trial.
import type { StateCreator } from 'zustand';
import type { RunRecord, Trial } from '../../core/run/types';
import type { StudioState } from './index';

/** The run loop's latest progress event, with the wall-clock time it arrived. */
export interface RunProgress {
  done: number;
  budget: number;
  /** Milliseconds since this session of the run started. */
  elapsedMs: number;
  /** Estimated milliseconds left, at this session's rate; null before a trial finishes in this session. */
  etaMs: number | null;
  /** Epoch milliseconds when the event arrived. */
  at: number;
}

export interface ResultsSlice {
  shownRun: RunRecord | null;
  /** Trials of the shown run, sorted by index. */
  trials: Trial[];
  /** Ids of the trials on the Pareto front (accuracy vs the run's cost objective). */
  frontIds: string[];
  /** Ids of trials whose trained model is stored and can be exported. */
  modelTrialIds: string[];
  selectedTrialId: string | null;
  /** Latest progress of the search running the shown run; null when none runs. */
  progress: RunProgress | null;
  showRun(run: RunRecord, trials: Trial[], frontIds: string[], modelTrialIds: string[]): void;
  updateRun(run: RunRecord): void;
  /** Inserts or replaces a trial by id, keeping index order. */
  upsertTrial(trial: Trial): void;
  setFront(frontIds: string[]): void;
  addModelTrialId(trialId: string): void;
  selectTrial(trialId: string | null): void;
  setProgress(progress: RunProgress | null): void;
  clearResults(): void;
}

export const initialResultsState = {
  shownRun: null as RunRecord | null,
  trials: [] as Trial[],
  frontIds: [] as string[],
  modelTrialIds: [] as string[],
  selectedTrialId: null as string | null,
  progress: null as RunProgress | null,
};

export const createResultsSlice: StateCreator<StudioState, [], [], ResultsSlice> = (set) => ({
  ...initialResultsState,
  showRun(shownRun, trials, frontIds, modelTrialIds) {
    const sorted = [...trials].sort((a, b) => a.index - b.index);
    set({ shownRun, trials: sorted, frontIds, modelTrialIds, selectedTrialId: null });
  },
  updateRun(run) {
    set((state) => (state.shownRun?.id === run.id ? { shownRun: run } : state));
  },
  upsertTrial(trial) {
    set((state) => {
      if (state.shownRun?.id !== trial.runId) return state;
      const trials = state.trials.filter((existing) => existing.id !== trial.id);
      trials.push(trial);
      trials.sort((a, b) => a.index - b.index);
      return { trials };
    });
  },
  setFront(frontIds) {
    set({ frontIds });
  },
  addModelTrialId(trialId) {
    set((state) => (state.modelTrialIds.includes(trialId) ? state : { modelTrialIds: [...state.modelTrialIds, trialId] }));
  },
  selectTrial(selectedTrialId) {
    set({ selectedTrialId });
  },
  setProgress(progress) {
    set({ progress });
  },
  clearResults() {
    set({ ...initialResultsState });
  },
});
