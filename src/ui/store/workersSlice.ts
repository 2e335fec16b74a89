// Store slice for the worker pool's status panel: one entry per worker with
// its backend, the probe that chose it, and the trial it is evaluating.
import type { StateCreator } from 'zustand';
import type { BackendFallback, BackendName, BackendProbe } from '../../core/run/types';
import type { WorkerTrialProgress } from '../../workers/pool';
import type { StudioState } from './index';

export interface WorkerView {
  id: number;
  state: string;
  backend?: BackendName;
  /** Index of the trial the worker is evaluating, if any. */
  trialIndex?: number;
  trialId?: string;
  /** Message of the worker's last failure (crash, failed initialisation). */
  error?: string;
  /** Backend probe of the worker, when the run's backend is 'auto'. */
  probe?: BackendProbe;
  /** The worker's switch to another backend after a training failure. */
  fallback?: BackendFallback;
  /** Epoch progress of the trial being evaluated. */
  progress?: WorkerTrialProgress;
}

export interface WorkersSlice {
  workers: WorkerView[];
  setWorkers(workers: WorkerView[]): void;
}

export const initialWorkersState = { workers: [] as WorkerView[] };

export const createWorkersSlice: StateCreator<StudioState, [], [], WorkersSlice> = (set) => ({
  ...initialWorkersState,
  setWorkers(workers) {
    set({ workers });
  },
});
