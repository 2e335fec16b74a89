// Repository of training checkpoints, keyed by trial id: the state a
// scheduler needs to continue a promoted trial after the page reloads.
import type { TrainingCheckpoint } from '../core/run/types';
import type { StudioDb } from './db';
import { readInTransaction, writeInTransaction } from './transaction';

/**
 * Inserts or replaces the checkpoint of a trial. IndexedDB copies the
 * buffers when the put is queued. Throws NasError 'storage_quota' or 'storage_failed'.
 */
export async function saveCheckpoint(db: StudioDb, trialId: string, checkpoint: TrainingCheckpoint): Promise<void> {
  await writeInTransaction(db, ['checkpoints'], `save the checkpoint of trial ${trialId}`, async (transaction) => {
    await transaction.objectStore('checkpoints').put({ trialId, checkpoint, savedAt: Date.now() });
  });
}

/** Returns the checkpoint of a trial, or undefined when none is stored. */
export async function getCheckpoint(db: StudioDb, trialId: string): Promise<TrainingCheckpoint | undefined> {
  const record = await readInTransaction(db, ['checkpoints'], `read the checkpoint of trial ${trialId}`, (transaction) =>
    transaction.objectStore('checkpoints').get(trialId),
  );
  return record?.checkpoint;
}

/** Deletes the checkpoint of a trial; deleting a missing one does nothing. */
export async function deleteCheckpoint(db: StudioDb, trialId: string): Promise<void> {
  await writeInTransaction(db, ['checkpoints'], `delete the checkpoint of trial ${trialId}`, async (transaction) => {
    await transaction.objectStore('checkpoints').delete(trialId);
  });
}
