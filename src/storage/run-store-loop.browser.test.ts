import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultRunConfig } from '../core/run/config';
import { FakeEvaluator, newRecord } from '../core/run/fakes.fixture';
import { runSearch } from '../core/run/loop';
import { PRESET_SPACES } from '../core/space';
import { exportRunBundle } from './bundle';
import type { StudioDb } from './db';
import { getModel } from './models';
import { createIdbRunStore } from './run-store';
import { getRun } from './runs';
import { getCheckpoint } from './checkpoints';
import { resumeAfterPromotion } from './scheduled-resume.fixture';
import { openTestDb } from './test-fixtures';
import { listTrials } from './trials';

// The run loop writing through the IndexedDB RunStore, with the core's fake
// evaluator standing in for training.

let db: StudioDb;
let close: () => Promise<void>;

beforeEach(async () => {
  ({ db, close } = await openTestDb());
});

afterEach(async () => {
  await close();
});

describe('run loop with the IndexedDB store', () => {
  it('persists a finished search', async () => {
    const space = PRESET_SPACES[0].space;
    const config = { ...defaultRunConfig(space, 2), budget: 4 };
    const evaluator = new FakeEvaluator({ concurrency: 2 });

    const record = await runSearch({
      record: newRecord(config, 'loop-run'),
      trials: [],
      evaluator,
      store: createIdbRunStore(db),
      signal: new AbortController().signal,
    });

    expect(record.status).toBe('completed');
    expect((await getRun(db, 'loop-run'))?.status).toBe('completed');
    const trials = await listTrials(db, 'loop-run');
    expect(trials.map((trial) => trial.index)).toEqual(trials.map((_, position) => position));
    // A trial reused from an earlier one with the same hash has no model of its own.
    const done = trials.filter((trial) => trial.status === 'done' && trial.reusedFrom === undefined);
    expect(done.length).toBeGreaterThan(0);
    for (const trial of done) {
      expect((await getModel(db, trial.id))?.runId).toBe('loop-run');
    }
    expect((await exportRunBundle(db, 'loop-run')).trials).toHaveLength(trials.length);
  });

  it('resumes a promoted trial from its checkpoint', async () => {
    const { record, trials, evaluator, promotedId } = await resumeAfterPromotion(db, () => createIdbRunStore(db));

    expect(record.status).toBe('completed');
    const promoted = trials.find((trial) => trial.id === promotedId);
    expect(promoted?.schedule?.state).toBe('top');
    expect(promoted?.schedule?.restartReason).toBeUndefined();
    expect(trials.every((trial) => trial.schedule?.restartReason === undefined)).toBe(true);
    // Every rung-1 call of the resumed session continues from the 1-epoch checkpoint of rung 0.
    const rungOneCalls = evaluator.calls.filter((call) => call.epochs === 2);
    expect(rungOneCalls.length).toBeGreaterThan(0);
    expect(rungOneCalls.map((call) => call.resumedFrom)).toEqual(rungOneCalls.map(() => 1));
    // A final trial needs no checkpoint, so none is left behind.
    for (const trial of trials) expect(await getCheckpoint(db, trial.id)).toBeUndefined();
  });
});
