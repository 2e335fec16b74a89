import { deleteDB } from 'idb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TrainingCheckpoint } from '../core/run/types';
import { deleteCheckpoint, getCheckpoint } from './checkpoints';
import { openStudioDb, type StudioDb } from './db';
import { createIdbRunStore } from './run-store';
import { deleteRun, getRun, saveRun } from './runs';
import { makeRun, makeTrial, openTestDb } from './test-fixtures';

let db: StudioDb;
let close: () => Promise<void>;

beforeEach(async () => {
  ({ db, close } = await openTestDb());
});

afterEach(async () => {
  await close();
});

function makeCheckpoint(epoch: number): TrainingCheckpoint {
  const tensor = (values: number[]) => ({ specs: [{ name: '0', shape: [values.length], dtype: 'float32' }], data: new Float32Array(values).buffer });
  return {
    epoch,
    weights: tensor([1, 2, 3]),
    optimizer: tensor([epoch]),
    optimizerName: 'Adam',
    bestValidationAccuracy: 0.5,
    epochsSinceBest: 0,
    firstLoss: 2.3,
    curve: [{ epoch: 0, loss: 2, trainAccuracy: 0.4, validationAccuracy: 0.5 }],
    trainMs: 12,
  };
}

describe('checkpoint store', () => {
  it('round-trips a checkpoint through the run store', async () => {
    const store = createIdbRunStore(db);
    await store.saveCheckpoint?.('r1-trial-0', makeCheckpoint(1));
    const loaded = await store.loadCheckpoint?.('r1-trial-0');
    expect(loaded?.epoch).toBe(1);
    expect(Array.from(new Float32Array(loaded?.weights.data as ArrayBuffer))).toEqual([1, 2, 3]);
    expect(loaded?.curve).toEqual(makeCheckpoint(1).curve);
  });

  it('replaces and deletes a checkpoint', async () => {
    const store = createIdbRunStore(db);
    await store.saveCheckpoint?.('r1-trial-0', makeCheckpoint(1));
    await store.saveCheckpoint?.('r1-trial-0', makeCheckpoint(3));
    expect((await getCheckpoint(db, 'r1-trial-0'))?.epoch).toBe(3);
    await deleteCheckpoint(db, 'r1-trial-0');
    expect(await getCheckpoint(db, 'r1-trial-0')).toBeUndefined();
    await expect(store.loadCheckpoint?.('missing')).resolves.toBeUndefined();
  });

  it('goes with its run on delete', async () => {
    const store = createIdbRunStore(db);
    await saveRun(db, makeRun('r1'));
    await store.saveTrial(makeTrial('r1', 0, 'queued'));
    await store.saveCheckpoint?.('r1-trial-0', makeCheckpoint(1));
    await deleteRun(db, 'r1');
    expect(await getRun(db, 'r1')).toBeUndefined();
    expect(await getCheckpoint(db, 'r1-trial-0')).toBeUndefined();
  });

  it('is added by the upgrade from version 1', async () => {
    const name = `nas-studio-test-${crypto.randomUUID()}`;
    const older = await openStudioDb({ name, version: 1 });
    await saveRun(older, makeRun('kept'));
    older.close();

    const upgraded = await openStudioDb({ name });
    try {
      expect(upgraded.objectStoreNames.contains('checkpoints')).toBe(true);
      expect((await getRun(upgraded, 'kept'))?.id).toBe('kept');
      await createIdbRunStore(upgraded).saveCheckpoint?.('kept-trial-0', makeCheckpoint(2));
      expect((await getCheckpoint(upgraded, 'kept-trial-0'))?.epoch).toBe(2);
    } finally {
      upgraded.close();
      await deleteDB(name);
    }
  });
});
