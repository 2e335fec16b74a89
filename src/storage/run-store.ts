// The IndexedDB implementation of the run loop's RunStore: where a running
// search saves its run record, trials and trained models.
import type { RunStore } from '../core/run/store';
import type { ReferencePredictions, SavedModel } from '../core/run/types';
import { deleteCheckpoint, getCheckpoint, saveCheckpoint } from './checkpoints';
import type { StudioDb } from './db';
import { getModel, saveTrialWithModel } from './models';
import { saveRun } from './runs';
import { saveTrial } from './trials';

interface PendingModel {
  model: SavedModel;
  reference?: ReferencePredictions;
}

/**
 * Creates a RunStore that writes to `db`.
 *
 * The run loop calls saveModel just before it saves the trial as done. The
 * model is kept in memory until that saveTrial call, which then writes the
 * trial and its model in one transaction, so a failed write never leaves a
 * done trial without its model. Checkpoints of a scheduler go to the
 * checkpoints store, so a reloaded run continues its promoted trials.
 * Every method throws NasError 'storage_quota' or 'storage_failed'.
 */
export function createIdbRunStore(db: StudioDb): RunStore {
  const pendingModels = new Map<string, PendingModel>();

  return {
    saveRun: (record) => saveRun(db, record),

    async saveTrial(trial) {
      const pending = pendingModels.get(trial.id);
      if (pending === undefined) {
        await saveTrial(db, trial);
        return;
      }
      await saveTrialWithModel(db, trial, pending.model, pending.reference);
      pendingModels.delete(trial.id);
    },

    async saveModel(trialId, model, reference) {
      // Copy the weights, because the caller may transfer or reuse the buffer
      // before the trial arrives. A later saveModel for the same trial wins.
      pendingModels.set(trialId, { model: { ...model, weightData: model.weightData.slice(0) }, reference });
    },

    saveCheckpoint: (trialId, checkpoint) => saveCheckpoint(db, trialId, checkpoint),
    loadCheckpoint: (trialId) => getCheckpoint(db, trialId),
    deleteCheckpoint: (trialId) => deleteCheckpoint(db, trialId),
    loadModel: async (trialId) => (await getModel(db, trialId))?.model,
  };
}
