import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NasError } from '../core/errors';
import type { StudioDb } from './db';
import { getRun, saveRun } from './runs';
import { makeRun, openTestDb } from './test-fixtures';
import { writeInTransaction } from './transaction';

let db: StudioDb;
let close: () => Promise<void>;

beforeEach(async () => {
  ({ db, close } = await openTestDb());
  await saveRun(db, makeRun('r1'));
});

afterEach(async () => {
  await close();
});

async function failure(promise: Promise<unknown>): Promise<NasError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(NasError);
  return error as NasError;
}

describe('writeInTransaction', () => {
  it('rolls back and maps a quota failure', async () => {
    const error = await failure(
      writeInTransaction(db, ['runs'], 'save run r1', async (transaction) => {
        await transaction.objectStore('runs').put({ ...makeRun('r1'), status: 'completed' });
        await transaction.objectStore('runs').put(makeRun('r2'));
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }),
    );

    expect(error.code).toBe('storage_quota');
    expect(error.message).toContain('refused to save run r1');
    expect((await getRun(db, 'r1'))?.status).toBe('running');
    expect(await getRun(db, 'r2')).toBeUndefined();
  });

  it('rolls back when a request fails', async () => {
    const error = await failure(
      writeInTransaction(db, ['runs'], 'add runs', async (transaction) => {
        const runs = transaction.objectStore('runs');
        await runs.put(makeRun('r2'));
        // add rejects with ConstraintError because r1 exists, which aborts the transaction.
        await runs.add(makeRun('r1'));
      }),
    );

    expect(error.code).toBe('storage_failed');
    expect(error.message).toContain('IndexedDB failed to add runs: ConstraintError');
    expect(await getRun(db, 'r2')).toBeUndefined();
    expect(await getRun(db, 'r1')).toBeDefined();
  });

  it('returns the body result after commit', async () => {
    const result = await writeInTransaction(db, ['runs'], 'save run r3', async (transaction) => {
      await transaction.objectStore('runs').put(makeRun('r3'));
      return 'saved';
    });

    expect(result).toBe('saved');
    expect(await getRun(db, 'r3')).toBeDefined();
  });
});
