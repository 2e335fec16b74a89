import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StudioDb } from './db';
import { getModel } from './models';
import { createIdbRunStore } from './run-store';
import { getRun } from './runs';
import { makeModel, makeRun, makeTrial, openTestDb } from './test-fixtures';
import { getTrial, saveTrial } from './trials';

let db: StudioDb;
let close: () => Promise<void>;

beforeEach(async () => {
  ({ db, close } = await openTestDb());
});

afterEach(async () => {
  await close();
});

describe('createIdbRunStore', () => {
  it('saves the run record and trials', async () => {
    const store = createIdbRunStore(db);
    await store.saveRun(makeRun('r1'));
    await store.saveTrial(makeTrial('r1', 0, 'running'));

    expect((await getRun(db, 'r1'))?.id).toBe('r1');
    expect((await getTrial(db, 'r1-trial-0'))?.status).toBe('running');
  });

  it('writes a model with its done trial', async () => {
    const store = createIdbRunStore(db);
    const { model, reference } = makeModel([7]);
    await store.saveTrial(makeTrial('r1', 3, 'running'));
    await store.saveModel('r1-trial-3', model, reference);
    expect(await getModel(db, 'r1-trial-3')).toBeUndefined();

    // The caller may reuse the buffer: the store kept its own copy.
    new Float32Array(model.weightData)[0] = 0;
    await store.saveTrial(makeTrial('r1', 3, 'done'));

    const record = await getModel(db, 'r1-trial-3');
    expect(record?.runId).toBe('r1');
    expect(record?.reference).toEqual(reference);
    expect(Array.from(new Float32Array(record!.model.weightData))).toEqual([7]);
    expect((await getTrial(db, 'r1-trial-3'))?.status).toBe('done');
  });

  it('keeps the model when its trial write fails', async () => {
    const store = createIdbRunStore(db);
    const { model } = makeModel([1]);
    await saveTrial(db, makeTrial('r1', 0, 'running'));
    await store.saveModel('r1-trial-0', model);

    // A function cannot be cloned, so the trial put throws DataCloneError.
    const broken = { ...makeTrial('r1', 0, 'done'), arch: { family: 'sequential', layers: [], build: () => 1 } } as never;
    await expect(store.saveTrial(broken)).rejects.toMatchObject({ code: 'storage_failed' });
    expect(await getModel(db, 'r1-trial-0')).toBeUndefined();
    expect((await getTrial(db, 'r1-trial-0'))?.status).toBe('running');

    // The retry still has the model to write.
    await store.saveTrial(makeTrial('r1', 0, 'done'));
    expect((await getModel(db, 'r1-trial-0'))?.reference).toBeUndefined();
    expect((await getModel(db, 'r1-trial-0'))?.trialId).toBe('r1-trial-0');
  });
});
