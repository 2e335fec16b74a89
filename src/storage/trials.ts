// Repository of trials. Trials are keyed by id and listed per run in
// proposal order through the `byRun` index [runId, index].
import type { Trial } from '../core/run/types';
import { trialsOfRunRange, type StudioDb } from './db';
import { queueRequests, readInTransaction, writeInTransaction } from './transaction';

/** Inserts or replaces one trial. Throws NasError 'storage_quota' or 'storage_failed'. */
export async function saveTrial(db: StudioDb, trial: Trial): Promise<void> {
  await writeInTransaction(db, ['trials'], `save trial ${trial.id} of run ${trial.runId}`, async (transaction) => {
    await transaction.objectStore('trials').put(trial);
  });
}

/** Inserts or replaces several trials in one transaction: all are saved or none. */
export async function saveTrials(db: StudioDb, trials: readonly Trial[]): Promise<void> {
  if (trials.length === 0) return;
  await writeInTransaction(db, ['trials'], `save ${trials.length} trials`, async (transaction) => {
    const store = transaction.objectStore('trials');
    await queueRequests(trials.map((trial) => () => store.put(trial)));
  });
}

/** Returns the trial with this id, or undefined when there is none. */
export async function getTrial(db: StudioDb, id: string): Promise<Trial | undefined> {
  return readInTransaction(db, ['trials'], `read trial ${id}`, (transaction) =>
    transaction.objectStore('trials').get(id),
  );
}

/** Returns the trials of a run ordered by `index` (proposal order). */
export async function listTrials(db: StudioDb, runId: string): Promise<Trial[]> {
  return readInTransaction(db, ['trials'], `list trials of run ${runId}`, (transaction) =>
    transaction.objectStore('trials').index('byRun').getAll(trialsOfRunRange(runId)),
  );
}

/** Deletes a trial and its model in one transaction. Deleting a missing trial does nothing. */
export async function deleteTrial(db: StudioDb, id: string): Promise<void> {
  await writeInTransaction(db, ['trials', 'models'], `delete trial ${id}`, async (transaction) => {
    await queueRequests([
      () => transaction.objectStore('trials').delete(id),
      () => transaction.objectStore('models').delete(id),
    ]);
  });
}
