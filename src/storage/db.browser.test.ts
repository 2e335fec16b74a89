import { deleteDB, openDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import { NasError } from '../core/errors';
import { openStudioDb, STUDIO_DB_VERSION, upgradeStudioSchema, type StudioDb, type StudioDbSchema } from './db';
import { getRun, saveRun } from './runs';
import { makeRun } from './test-fixtures';

const names: string[] = [];
const connections: { close(): void }[] = [];

function freshName(): string {
  const name = `nas-studio-db-test-${crypto.randomUUID()}`;
  names.push(name);
  return name;
}

afterEach(async () => {
  for (const connection of connections.splice(0)) connection.close();
  for (const name of names.splice(0)) await deleteDB(name);
});

describe('openStudioDb', () => {
  it('creates every store and index on an empty database', async () => {
    const db = await openStudioDb({ name: freshName() });
    connections.push(db);

    expect(db.version).toBe(STUDIO_DB_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual(['checkpoints', 'models', 'runs', 'spaces', 'trials']);
    const transaction = db.transaction(['trials', 'models', 'runs', 'spaces', 'checkpoints']);
    expect(transaction.objectStore('checkpoints').keyPath).toBe('trialId');
    expect(transaction.objectStore('trials').keyPath).toBe('id');
    expect(transaction.objectStore('trials').index('byRun').keyPath).toEqual(['runId', 'index']);
    expect(transaction.objectStore('models').keyPath).toBe('trialId');
    expect(transaction.objectStore('models').index('byRun').keyPath).toBe('runId');
    expect(transaction.objectStore('runs').keyPath).toBe('id');
    expect(transaction.objectStore('spaces').keyPath).toBe('id');
  });

  it('keeps data when reopened at the same version', async () => {
    const name = freshName();
    const first = await openStudioDb({ name });
    await saveRun(first, makeRun('r1'));
    first.close();

    const second = await openStudioDb({ name });
    connections.push(second);
    expect((await getRun(second, 'r1'))?.id).toBe('r1');
  });

  it('closes itself and calls onVersionChange when a newer tab opens', async () => {
    const name = freshName();
    let versionChanges = 0;
    const older: StudioDb = await openStudioDb({ name, onVersionChange: () => versionChanges++ });
    let blocked = 0;

    const newer = await openStudioDb({ name, version: STUDIO_DB_VERSION + 1, onBlocked: () => blocked++ });
    connections.push(newer);

    expect(versionChanges).toBe(1);
    expect(blocked).toBe(0);
    expect(newer.version).toBe(STUDIO_DB_VERSION + 1);
    const error = await getRun(older, 'r1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NasError);
    expect((error as NasError).code).toBe('storage_failed');
    expect((error as NasError).message).toContain('connection is closed');
    expect((error as NasError).message).toContain('reload the page');
  });

  it('calls onBlocked and completes once the older tab closes', async () => {
    const name = freshName();
    // An older tab that does not close on versionchange.
    const older = await openDB<StudioDbSchema>(name, STUDIO_DB_VERSION, {
      upgrade: (db, oldVersion, newVersion, transaction) =>
        upgradeStudioSchema(db, oldVersion, newVersion ?? STUDIO_DB_VERSION, transaction),
    });
    const blockedVersions: { currentVersion: number; requestedVersion: number }[] = [];
    let opened = false;

    const opening = openStudioDb({
      name,
      version: STUDIO_DB_VERSION + 1,
      onBlocked: (info) => blockedVersions.push(info),
    }).then((db) => {
      opened = true;
      connections.push(db);
      return db;
    });
    await expect.poll(() => blockedVersions.length).toBe(1);
    expect(opened).toBe(false);
    expect(blockedVersions[0]).toEqual({ currentVersion: STUDIO_DB_VERSION, requestedVersion: STUDIO_DB_VERSION + 1 });

    older.close();
    const db = await opening;
    expect(db.version).toBe(STUDIO_DB_VERSION + 1);
  });

  it('rejects an older version with storage_failed', async () => {
    const name = freshName();
    const newer = await openStudioDb({ name, version: STUDIO_DB_VERSION + 1 });
    newer.close();

    const error = await openStudioDb({ name, version: STUDIO_DB_VERSION }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NasError);
    expect((error as NasError).code).toBe('storage_failed');
    expect((error as NasError).message).toMatch(/newer build .* reload the page/);
  });
});
