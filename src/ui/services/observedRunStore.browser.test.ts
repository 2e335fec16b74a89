import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TrainingCheckpoint } from '../../core/run/types';
import { createIdbRunStore, getModel, type StudioDb } from '../../storage';
import { getCheckpoint } from '../../storage/checkpoints';
import { resumeAfterPromotion } from '../../storage/scheduled-resume.fixture';
import { makeModel, makeRun, makeTrial, openTestDb } from '../../storage/test-fixtures';
import { observeRunStore } from './observedRunStore';

// The studio's observed store over the real IndexedDB store, driven by the
// run loop as a page would drive it.

let db: StudioDb;
let close: () => Promise<void>;

beforeEach(async () => {
  ({ db, close } = await openTestDb());
});

afterEach(async () => {
  await close();
});

describe('observeRunStore', () => {
  it('keeps checkpoints across a reload', async () => {
    const errors: string[] = [];
    const createStore = () => observeRunStore(createIdbRunStore(db), { onError: (_error, action) => errors.push(action) });

    const { record, trials, evaluator, promotedId } = await resumeAfterPromotion(db, createStore);

    expect(errors).toEqual([]);
    expect(record.status).toBe('completed');
    expect(trials.find((trial) => trial.id === promotedId)?.schedule?.restartReason).toBeUndefined();
    const rungOneCalls = evaluator.calls.filter((call) => call.epochs === 2);
    expect(rungOneCalls.length).toBeGreaterThan(0);
    expect(rungOneCalls.map((call) => call.resumedFrom)).toEqual(rungOneCalls.map(() => 1));
    for (const trial of trials) expect(await getCheckpoint(db, trial.id)).toBeUndefined();
  });

  it('reports saved runs and exportable models', async () => {
    const runs: string[] = [];
    const trials: string[] = [];
    const store = observeRunStore(createIdbRunStore(db), {
      onError: () => {},
      onRunSaved: (run) => runs.push(run.id),
      onTrialSaved: (trial, hasModel) => trials.push(`${trial.id} ${hasModel}`),
    });
    const { model, reference } = makeModel([1, 2]);

    await store.saveRun(makeRun('r1'));
    await store.saveModel('r1-trial-0', model, reference);
    await store.saveTrial(makeTrial('r1', 0, 'done'));
    // Without reference predictions the model cannot be exported, so it is not stored.
    await store.saveModel('r1-trial-1', model);
    await store.saveTrial(makeTrial('r1', 1, 'done'));

    expect(runs).toEqual(['r1']);
    expect(trials).toEqual(['r1-trial-0 true', 'r1-trial-1 false']);
    expect((await getModel(db, 'r1-trial-0'))?.runId).toBe('r1');
    expect(await getModel(db, 'r1-trial-1')).toBeUndefined();
  });

  it('reports a failed write and rethrows it', async () => {
    const actions: string[] = [];
    const inner = createIdbRunStore(db);
    const failing = { ...inner, saveCheckpoint: async () => Promise.reject(new Error('quota exceeded')) };
    const store = observeRunStore(failing, { onError: (_error, action) => actions.push(action) });

    const checkpoint: TrainingCheckpoint = { epoch: 1, weights: { specs: [], data: new ArrayBuffer(0) }, optimizer: { specs: [], data: new ArrayBuffer(0) }, optimizerName: 'Adam', bestValidationAccuracy: 0, epochsSinceBest: 0, firstLoss: null, curve: [], trainMs: 0 };
    await expect(store.saveCheckpoint?.('t-0', checkpoint)).rejects.toThrow('quota exceeded');
    expect(actions).toEqual(['save the checkpoint of trial t-0']);
  });
});
