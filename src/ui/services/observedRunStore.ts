// The RunStore the studio hands to the run loop: it forwards every call to
// the IndexedDB store, reports failed writes before rethrowing them, and
// notifies the page of the runs, trials and models it saved.
import { createLogger } from '../../core/log';
import type { RunStore } from '../../core/run/store';
import type { RunRecord, Trial } from '../../core/run/types';

const log = createLogger('ui');

/** Callbacks of an observed run store. */
export interface RunStoreObserver {
  /** Receives a failed store call before it is rethrown; `action` completes "Could not ...". */
  onError(error: unknown, action: string): void;
  /** Receives each run record after it is saved. */
  onRunSaved?(run: RunRecord): void;
  /** Receives each trial after it is saved; `hasModel` is true for a done trial whose model was stored. */
  onTrialSaved?(trial: Trial, hasModel: boolean): void;
}

/**
 * Wraps `inner` so the page is notified of every save. Every method of
 * RunStore is forwarded, the optional checkpoint and model methods included,
 * because without them a resumed scheduled run would find no checkpoint and retrain its
 * promoted trials from scratch. A model without reference predictions is
 * not stored, because the export's metadata needs them.
 */
export function observeRunStore(inner: RunStore, observer: RunStoreObserver): RunStore {
  const modelsGiven = new Set<string>();

  const reported = async <T>(action: string, call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      observer.onError(error, action);
      throw error;
    }
  };

  const observed: RunStore = {
    async saveRun(run) {
      await reported(`save run ${run.config.name}`, () => inner.saveRun(run));
      observer.onRunSaved?.(run);
    },

    async saveTrial(trial) {
      await reported(`save trial ${trial.index}`, () => inner.saveTrial(trial));
      observer.onTrialSaved?.(trial, modelsGiven.has(trial.id) && trial.status === 'done');
    },

    async saveModel(trialId, model, reference) {
      if (reference === undefined) {
        log.warn(`trial ${trialId} returned a model without reference predictions; it cannot be exported`);
        return;
      }
      modelsGiven.add(trialId);
      await reported(`save the model of trial ${trialId}`, () => inner.saveModel(trialId, model, reference));
    },
  };

  const { saveCheckpoint, loadCheckpoint, deleteCheckpoint, loadModel } = inner;
  if (saveCheckpoint !== undefined) {
    observed.saveCheckpoint = (trialId, checkpoint) =>
      reported(`save the checkpoint of trial ${trialId}`, () => saveCheckpoint.call(inner, trialId, checkpoint));
  }
  if (loadCheckpoint !== undefined) {
    observed.loadCheckpoint = (trialId) => reported(`read the checkpoint of trial ${trialId}`, () => loadCheckpoint.call(inner, trialId));
  }
  if (deleteCheckpoint !== undefined) {
    observed.deleteCheckpoint = (trialId) => reported(`delete the checkpoint of trial ${trialId}`, () => deleteCheckpoint.call(inner, trialId));
  }
  if (loadModel !== undefined) {
    observed.loadModel = (trialId) => reported(`read the model of trial ${trialId}`, () => loadModel.call(inner, trialId));
  }
  return observed;
}
