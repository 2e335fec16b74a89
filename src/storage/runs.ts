// Repository of run records. Deleting a run also deletes its trials,
// models and training checkpoints, in the same transaction.
import type { RunRecord } from '../core/run/types';
import { trialsOfRunRange, type StudioDb } from './db';
import { queueRequests, readInTransaction, writeInTransaction } from './transaction';

/** Inserts or replaces a run record. Throws NasError 'storage_quota' or 'storage_failed'. */
export async function saveRun(db: StudioDb, run: RunRecord): Promise<void> {
  await writeInTransaction(db, ['runs'], `save run ${run.id}`, async (transaction) => {
    await transaction.objectStore('runs').put(run);
  });
}

/** Returns the run with this id, or undefined when there is none. */
export async function getRun(db: StudioDb, id: string): Promise<RunRecord | undefined> {
  return readInTransaction(db, ['runs'], `read run ${id}`, (transaction) => transaction.objectStore('runs').get(id));
}

/** Returns every stored run, newest first (by createdAt). */
export async function listRuns(db: StudioDb): Promise<RunRecord[]> {
  const runs = await readInTransaction(db, ['runs'], 'list runs', (transaction) =>
    transaction.objectStore('runs').getAll(),
  );
  return runs.sort((a, b) => b.createdAt - a.createdAt);
}

/**
 * Deletes a run with all its trials, models and checkpoints in one transaction, so a
 * failure leaves all of them in place. Deleting a missing run does nothing.
 */
export async function deleteRun(db: StudioDb, id: string): Promise<void> {
  await writeInTransaction(db, ['runs', 'trials', 'models', 'checkpoints'], `delete run ${id}`, async (transaction) => {
    const trials = transaction.objectStore('trials');
    const models = transaction.objectStore('models');
    const checkpoints = transaction.objectStore('checkpoints');
    const trialIds = await trials.index('byRun').getAllKeys(trialsOfRunRange(id));
    const modelIds = await models.index('byRun').getAllKeys(id);
    await queueRequests([
      () => transaction.objectStore('runs').delete(id),
      ...trialIds.map((trialId) => () => trials.delete(trialId)),
      ...modelIds.map((trialId) => () => models.delete(trialId)),
      ...trialIds.map((trialId) => () => checkpoints.delete(trialId)),
    ]);
  });
}
