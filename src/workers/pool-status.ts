// Worker-status bookkeeping of the worker pool: the status a slot publishes
// for the worker panel, the pool's internal job, worker and slot records,
// and the snapshot of one slot built from them.
import type * as Comlink from 'comlink';
import type { NasError, PlainError } from '../core/errors';
import type {
  BackendFallback,
  BackendName,
  BackendProbe,
  EvaluationProgress,
  EvaluationRequest,
  EvaluationResult,
} from '../core/run/types';
import type { TrainerApi, TrainerInfo } from './protocol';

export type WorkerState = 'stopped' | 'initialising' | 'idle' | 'busy';

/** Status of one worker slot of the pool. */
export interface WorkerStatus {
  /** Worker id from 1 to the pool size; a replacement keeps its slot's id. */
  workerId: number;
  /** 'stopped' means no worker is running in the slot: not started yet, or discarded after a failure. */
  state: WorkerState;
  /** Trial being initialised for or evaluated, while 'initialising' or 'busy' with a request. */
  trialId?: string;
  backend?: BackendName;
  device?: string;
  /** Last failure of this slot (crash, failed init), kept until the next one. */
  lastError?: PlainError;
  /** Timings of every backend the worker probed, when the pool's backend is 'auto'. */
  probe?: BackendProbe;
  /** The worker's switch to another backend after a training failure, once one happened. */
  fallback?: BackendFallback;
  /** Training progress of the trial being evaluated, from its latest progress update. */
  progress?: WorkerTrialProgress;
}

/** Training progress of the trial a worker evaluates. */
export interface WorkerTrialProgress {
  /** Epoch in progress, from 1. */
  epoch: number;
  /** Epochs of the request's training config. */
  epochs: number;
  /** Fraction of the evaluation done, in [0, 1]. */
  fraction: number;
  /** Validation accuracy of the last finished epoch, in [0, 1]; absent before the first epoch ends. */
  validationAccuracy?: number;
}

export interface PoolStatus {
  workers: WorkerStatus[];
  /** Requests waiting for a free worker. */
  queued: number;
}

export interface Job {
  request: EvaluationRequest;
  onProgress?: (progress: EvaluationProgress) => void;
  resolve: (result: EvaluationResult) => void;
  reject: (error: unknown) => void;
  /** Rejects with NasError('cancelled') when the caller's signal aborts or the pool is disposed. */
  cancelled: Promise<never>;
  cancel: (error: NasError) => void;
  /** Removes the abort listener from the caller's signal. */
  detach: () => void;
  settled: boolean;
}

export interface WorkerHandle {
  worker: Worker;
  remote: Comlink.Remote<TrainerApi>;
  /** Rejects with a PlainError when the worker reports an uncaught error or an unreadable message. */
  crashed: Promise<never>;
  /** Resolves once init completed; rejects when it failed, timed out or the worker crashed first. */
  ready: Promise<TrainerInfo>;
  info?: TrainerInfo;
}

export interface Slot {
  id: number;
  handle: WorkerHandle | null;
  job: Job | null;
  lastError?: PlainError;
  progress?: WorkerTrialProgress;
  fallback?: BackendFallback;
}

export function slotStatus(slot: Slot): WorkerStatus {
  const handle = slot.handle;
  const status: WorkerStatus = { workerId: slot.id, state: 'stopped' };
  if (handle !== null) {
    if (handle.info === undefined) {
      status.state = 'initialising';
    } else if (slot.job !== null) {
      status.state = 'busy';
    } else {
      status.state = 'idle';
    }
    status.backend = handle.info?.backend;
    status.device = handle.info?.device;
    if (handle.info?.probe !== undefined) status.probe = handle.info.probe;
  }
  if (slot.job !== null) status.trialId = slot.job.request.trialId;
  if (slot.job !== null && slot.progress !== undefined) status.progress = slot.progress;
  if (slot.fallback !== undefined) status.fallback = slot.fallback;
  if (slot.lastError !== undefined) status.lastError = slot.lastError;
  return status;
}
