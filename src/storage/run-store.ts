// The IndexedDB implementation of the run loop's RunStore: where a running
// search saves its run record, trials and trained models.
import type { ReferencePredictions, RunRecord, SavedModel, Trial } from '../core/run/types';
import type { ModelRecord, StudioDb } from './db';
import { saveRun } from './runs';
import { queueRequests, writeInTransaction } from './transaction';

/** RunStore backed by the studio database. */
export interface IdbRunStore {
  saveRun(record: RunRecord): Promise<void>;
  saveTrial(trial: Trial): Promise<void>;
  saveModel(trialId: string, model: SavedModel, reference: ReferencePredictions): Promise<void>;
}

/**
 * Creates a RunStore that writes to `db`.
 *
 * A model whose trial is not stored yet is held in memory until `saveTrial`
 * delivers that trial, and then both are written in one transaction. A model
 * for a stored trial is written on its own, tagged with the trial's run.
 * Every method throws NasError 'storage_quota' or 'storage_failed'.
 */
export function createIdbRunStore(db: StudioDb): IdbRunStore {
  const pendingModels = new Map<string, Omit<ModelRecord, 'runId' | 'savedAt'>>();

  return {
    saveRun: (record) => saveRun(db, record),

    async saveTrial(trial) {
      const pending = pendingModels.get(trial.id);
      const action = pending ? `save trial ${trial.id} of run ${trial.runId} with its model` : `save trial ${trial.id} of run ${trial.runId}`;
      await writeInTransaction(db, ['trials', 'models'], action, async (transaction) => {
        const writes = [() => transaction.objectStore('trials').put(trial)];
        if (pending) {
          const record: ModelRecord = { ...pending, runId: trial.runId, savedAt: Date.now() };
          writes.push(() => transaction.objectStore('models').put(record));
        }
        await queueRequests(writes);
      });
      pendingModels.delete(trial.id);
    },

    async saveModel(trialId, model, reference) {
      const savedAt = Date.now();
      const stored = await writeInTransaction(db, ['trials', 'models'], `save the model of trial ${trialId}`, async (transaction) => {
        const trial = await transaction.objectStore('trials').get(trialId);
        if (trial === undefined) return false;
        await transaction.objectStore('models').put({ trialId, runId: trial.runId, model, reference, savedAt });
        return true;
      });
      if (!stored) {
        // NOTE: a model whose trial never arrives stays in memory until the
        // store is dropped; the run loop saves every finished trial.
        // The caller may transfer or reuse the weight buffer after this call.
        pendingModels.set(trialId, { trialId, model: { ...model, weightData: model.weightData.slice(0) }, reference });
      }
    },
  };
}
