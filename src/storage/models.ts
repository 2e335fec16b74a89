// Repository of trained models, keyed by trial id. saveTrialWithModel writes
// a done trial and its model in one transaction, so a failed write cannot
// leave one of them without the other.
import type { ReferencePredictions, SavedModel, Trial } from '../core/run/types';
import type { ModelRecord, StudioDb } from './db';
import { queueRequests, readInTransaction, writeInTransaction } from './transaction';

/**
 * Inserts or replaces the model of a trial; `savedAt` is set to now. The
 * weight buffer is copied by IndexedDB when the put is queued, so the caller
 * may transfer or reuse it afterwards.
 */
export async function saveModel(
  db: StudioDb,
  trialId: string,
  runId: string,
  model: SavedModel,
  reference?: ReferencePredictions,
): Promise<void> {
  const record: ModelRecord = { trialId, runId, model, reference, savedAt: Date.now() };
  await writeInTransaction(db, ['models'], `save the model of trial ${trialId}`, async (transaction) => {
    await transaction.objectStore('models').put(record);
  });
}

/**
 * Saves a trial and its trained model in one transaction: both are stored or
 * neither is. Throws NasError 'storage_quota' or 'storage_failed'.
 */
export async function saveTrialWithModel(
  db: StudioDb,
  trial: Trial,
  model: SavedModel,
  reference?: ReferencePredictions,
): Promise<void> {
  const record: ModelRecord = { trialId: trial.id, runId: trial.runId, model, reference, savedAt: Date.now() };
  await writeInTransaction(
    db,
    ['trials', 'models'],
    `save trial ${trial.id} of run ${trial.runId} with its model`,
    async (transaction) => {
      await queueRequests([
        () => transaction.objectStore('trials').put(trial),
        () => transaction.objectStore('models').put(record),
      ]);
    },
  );
}

/** Returns the model of a trial, or undefined when none was saved. */
export async function getModel(db: StudioDb, trialId: string): Promise<ModelRecord | undefined> {
  return readInTransaction(db, ['models'], `read the model of trial ${trialId}`, (transaction) =>
    transaction.objectStore('models').get(trialId),
  );
}

/** Returns the models saved for a run, in trial-id order. */
export async function listModels(db: StudioDb, runId: string): Promise<ModelRecord[]> {
  return readInTransaction(db, ['models'], `list the models of run ${runId}`, (transaction) =>
    transaction.objectStore('models').index('byRun').getAll(runId),
  );
}

/** Deletes the model of a trial; the trial stays. Deleting a missing model does nothing. */
export async function deleteModel(db: StudioDb, trialId: string): Promise<void> {
  await writeInTransaction(db, ['models'], `delete the model of trial ${trialId}`, async (transaction) => {
    await transaction.objectStore('models').delete(trialId);
  });
}
