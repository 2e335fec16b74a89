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
});
