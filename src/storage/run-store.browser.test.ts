import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StudioDb } from './db';
import { getModel } from './models';
import { createIdbRunStore } from './run-store';
import { getRun } from './runs';
import { makeModel, makeRun, makeTrial, openTestDb } from './test-fixtures';
import { getTrial } from './trials';

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

  it('saves a model after its trial with the trial run id', async () => {
    const store = createIdbRunStore(db);
    const { model, reference } = makeModel([2, 4]);
    await store.saveTrial(makeTrial('r1', 0));
    await store.saveModel('r1-trial-0', model, reference);

    const record = await getModel(db, 'r1-trial-0');
    expect(record?.runId).toBe('r1');
    expect(Array.from(new Float32Array(record!.model.weightData))).toEqual([2, 4]);
  });

  it('holds a model until its trial is saved', async () => {
    const store = createIdbRunStore(db);
    const { model, reference } = makeModel([7]);
    await store.saveModel('r1-trial-3', model, reference);
    expect(await getModel(db, 'r1-trial-3')).toBeUndefined();

    // The caller may reuse the buffer: the store kept its own copy.
    new Float32Array(model.weightData)[0] = 0;
    await store.saveTrial(makeTrial('r1', 3));

    const record = await getModel(db, 'r1-trial-3');
    expect(record?.runId).toBe('r1');
    expect(Array.from(new Float32Array(record!.model.weightData))).toEqual([7]);
  });
});
