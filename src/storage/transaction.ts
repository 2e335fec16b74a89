// Transaction helpers shared by the repositories. A write runs in one
// transaction that either commits completely or leaves the stores as they
// were. Every failure reaches the caller as a NasError from toStorageError.
import type { IDBPTransaction } from 'idb';
import type { StudioDb, StudioDbSchema, StudioStoreName } from './db';
import { toStorageError } from './errors';

export type WriteTransaction<Names extends StudioStoreName[]> = IDBPTransaction<StudioDbSchema, Names, 'readwrite'>;
export type ReadTransaction<Names extends StudioStoreName[]> = IDBPTransaction<StudioDbSchema, Names, 'readonly'>;

/**
 * Runs `body` in one readwrite transaction over `stores` and resolves once
 * the transaction has committed.
 *
 * `body` may await requests of `transaction` but nothing else, because a
 * transaction commits as soon as it has no pending request: build and copy
 * the records before calling. If `body` throws (a DataCloneError from put is
 * thrown synchronously) or a request fails, the transaction is aborted, so
 * none of its writes land, and the error is rethrown through toStorageError.
 */
export async function writeInTransaction<Names extends StudioStoreName[], Result>(
  db: StudioDb,
  stores: Names,
  action: string,
  body: (transaction: WriteTransaction<Names>) => Promise<Result>,
): Promise<Result> {
  let transaction: WriteTransaction<Names>;
  try {
    transaction = db.transaction(stores, 'readwrite');
  } catch (error) {
    throw toStorageError(error, action);
  }

  // The commit promise rejects when the body fails; it is awaited only on
  // success, so keep its rejection from surfacing as unhandled.
  const committed = transaction.done;
  committed.catch(() => undefined);

  try {
    const result = await body(transaction);
    await committed;
    return result;
  } catch (error) {
    abortQuietly(transaction);
    throw toStorageError(error, action, transaction);
  }
}

/** Runs `body` in one readonly transaction over `stores`; failures become NasError 'storage_failed'. */
export async function readInTransaction<Names extends StudioStoreName[], Result>(
  db: StudioDb,
  stores: Names,
  action: string,
  body: (transaction: ReadTransaction<Names>) => Promise<Result>,
): Promise<Result> {
  try {
    const transaction = db.transaction(stores, 'readonly');
    return await body(transaction);
  } catch (error) {
    throw toStorageError(error, action);
  }
}

function abortQuietly(transaction: { abort(): void }): void {
  try {
    transaction.abort();
  } catch {
    // InvalidStateError: the transaction already finished or aborted itself.
  }
}

/**
 * Queues requests in the given order and waits for all of them. Queuing a put
 * throws DataCloneError synchronously for a value that cannot be cloned. The
 * requests queued before it then fail with AbortError when the transaction
 * aborts, and this helper handles those so only the first error reaches the caller.
 */
export async function queueRequests(requests: readonly (() => Promise<unknown>)[]): Promise<void> {
  const pending: Promise<unknown>[] = [];
  for (const queue of requests) {
    const request = queue();
    request.catch(() => undefined);
    pending.push(request);
  }
  await Promise.all(pending);
}
