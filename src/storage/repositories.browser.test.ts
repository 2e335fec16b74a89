import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NasError } from '../core/errors';
import type { StudioDb } from './db';
import { deleteModel, getModel, listModels, saveModel, saveTrialWithModel } from './models';
import { deleteRun, getRun, listRuns, saveRun } from './runs';
import { deleteSpace, getSpace, listSpaces, saveSpace } from './spaces';
import { makeModel, makeRun, makeTrial, openTestDb } from './test-fixtures';
import { deleteTrial, getTrial, listTrials, saveTrial, saveTrials } from './trials';

let db: StudioDb;
let close: () => Promise<void>;

beforeEach(async () => {
  ({ db, close } = await openTestDb());
});

afterEach(async () => {
  await close();
});

describe('runs repository', () => {
  it('round-trips a run record', async () => {
    const run = makeRun('r1');
    await saveRun(db, run);
    expect(await getRun(db, 'r1')).toEqual(run);
    expect(await getRun(db, 'missing')).toBeUndefined();
  });

  it('lists runs newest first', async () => {
    await saveRun(db, makeRun('old', 1_000));
    await saveRun(db, makeRun('new', 3_000));
    await saveRun(db, makeRun('middle', 2_000));
    expect((await listRuns(db)).map((run) => run.id)).toEqual(['new', 'middle', 'old']);
  });

  it('deleteRun removes its trials and models only', async () => {
    await saveRun(db, makeRun('r1'));
    await saveRun(db, makeRun('r2'));
    const { model, reference } = makeModel([1, 2]);
    await saveTrialWithModel(db, makeTrial('r1', 0), model, reference);
    await saveTrialWithModel(db, makeTrial('r1', 1), model, reference);
    await saveTrialWithModel(db, makeTrial('r2', 0), model, reference);

    await deleteRun(db, 'r1');

    expect(await getRun(db, 'r1')).toBeUndefined();
    expect(await listTrials(db, 'r1')).toEqual([]);
    expect(await listModels(db, 'r1')).toEqual([]);
    expect(await getRun(db, 'r2')).toBeDefined();
    expect((await listTrials(db, 'r2')).map((trial) => trial.id)).toEqual(['r2-trial-0']);
    expect((await listModels(db, 'r2')).map((record) => record.trialId)).toEqual(['r2-trial-0']);
  });

  it('deleteRun of a missing run does nothing', async () => {
    await saveRun(db, makeRun('r1'));
    await deleteRun(db, 'missing');
    expect(await getRun(db, 'r1')).toBeDefined();
  });
});

describe('trials repository', () => {
  it('lists trials of a run in index order', async () => {
    // Saved out of order, with ids whose string order differs from the index order.
    const indices = [10, 2, 0, 7, 1];
    for (const index of indices) await saveTrial(db, makeTrial('r1', index));
    await saveTrial(db, makeTrial('r0', 5));
    await saveTrial(db, makeTrial('r10', 3));

    expect((await listTrials(db, 'r1')).map((trial) => trial.index)).toEqual([0, 1, 2, 7, 10]);
  });

  it('saveTrial replaces the trial with the same id', async () => {
    await saveTrial(db, makeTrial('r1', 0, 'running'));
    await saveTrial(db, makeTrial('r1', 0, 'done'));
    expect((await getTrial(db, 'r1-trial-0'))?.status).toBe('done');
    expect(await listTrials(db, 'r1')).toHaveLength(1);
  });

  it('saveTrials stores a batch', async () => {
    await saveTrials(db, [makeTrial('r1', 1), makeTrial('r1', 0)]);
    expect((await listTrials(db, 'r1')).map((trial) => trial.id)).toEqual(['r1-trial-0', 'r1-trial-1']);
  });

  it('deleteTrial removes the trial and its model', async () => {
    const { model, reference } = makeModel([1]);
    await saveTrialWithModel(db, makeTrial('r1', 0), model, reference);
    await deleteTrial(db, 'r1-trial-0');
    expect(await getTrial(db, 'r1-trial-0')).toBeUndefined();
    expect(await getModel(db, 'r1-trial-0')).toBeUndefined();
  });
});

describe('models repository', () => {
  it('round-trips weights and reference predictions', async () => {
    const { model, reference } = makeModel([0.5, -1.25, 3]);
    await saveModel(db, 'r1-trial-0', 'r1', model, reference);

    const record = await getModel(db, 'r1-trial-0');
    expect(record?.runId).toBe('r1');
    expect(record?.reference).toEqual(reference);
    expect(record?.model.weightSpecs).toEqual(model.weightSpecs);
    expect(Array.from(new Float32Array(record!.model.weightData))).toEqual([0.5, -1.25, 3]);
    expect(record?.savedAt).toBeGreaterThan(0);
  });

  it('saveTrialWithModel stores both', async () => {
    const { model, reference } = makeModel([1]);
    await saveTrialWithModel(db, makeTrial('r1', 4), model, reference);
    expect((await getTrial(db, 'r1-trial-4'))?.index).toBe(4);
    expect((await getModel(db, 'r1-trial-4'))?.runId).toBe('r1');
  });

  it('failed saveTrialWithModel keeps the earlier trial', async () => {
    await saveTrial(db, makeTrial('r1', 0, 'running'));
    const { model, reference } = makeModel([1]);
    // A function cannot be cloned, so the model put throws DataCloneError
    // after the trial put was already queued in the same transaction.
    const broken = { ...model, modelTopology: { build: () => 1 } };

    const error = await saveTrialWithModel(db, makeTrial('r1', 0, 'done'), broken, reference).catch(
      (caught: unknown) => caught,
    );

    expect(error).toBeInstanceOf(NasError);
    expect((error as NasError).code).toBe('storage_failed');
    expect((error as NasError).message).toContain('save trial r1-trial-0 of run r1 with its model');
    expect((error as NasError).message).toContain('DataCloneError');
    expect((await getTrial(db, 'r1-trial-0'))?.status).toBe('running');
    expect(await getModel(db, 'r1-trial-0')).toBeUndefined();
  });

  it('deleteModel keeps the trial', async () => {
    const { model, reference } = makeModel([1]);
    await saveTrialWithModel(db, makeTrial('r1', 0), model, reference);
    await deleteModel(db, 'r1-trial-0');
    expect(await getModel(db, 'r1-trial-0')).toBeUndefined();
    expect(await getTrial(db, 'r1-trial-0')).toBeDefined();
  });
});

describe('spaces repository', () => {
  it('round-trips, lists newest first and deletes', async () => {
    const space = makeRun('r1').config.space;
    const first = await saveSpace(db, 's1', space);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await saveSpace(db, 's2', { ...space, name: 'second' });

    expect(await getSpace(db, 's1')).toEqual(first);
    expect((await listSpaces(db)).map((record) => record.id)).toEqual(['s2', 's1']);

    await deleteSpace(db, 's1');
    expect(await getSpace(db, 's1')).toBeUndefined();
  });
});
