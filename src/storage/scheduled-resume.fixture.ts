// Test fixture: a successive-halving run that is stopped right after its
// first promotion and resumed from IndexedDB, as a page reload does. Shared
// by the storage and UI tests of the RunStore; not used by the app.
import { defaultRunConfig } from '../core/run/config';
import { newRecord } from '../core/run/fakes.fixture';
import { runSearch } from '../core/run/loop';
import { RungEvaluator } from '../core/run/scheduler.fixture';
import type { RunStore } from '../core/run/store';
import type { RunConfig, RunRecord, Trial } from '../core/run/types';
import { PRESET_SPACES } from '../core/space';
import type { StudioDb } from './db';
import { getRun } from './runs';
import { listTrials } from './trials';

/** Outcome of a scheduled run resumed from the database. */
export interface ScheduledResume {
  /** Final record of the resumed session. */
  record: RunRecord;
  /** The stored trials after the resumed session. */
  trials: Trial[];
  /** Evaluator of the resumed session, with every call it received. */
  evaluator: RungEvaluator;
  /** Id of the trial whose promotion stopped the first session. */
  promotedId: string;
}

/** Successive halving from 1 to 2 epochs with reduction factor 2 over 4 trials, one worker. */
export function scheduledConfig(): RunConfig {
  const space = PRESET_SPACES.map((preset) => preset.space).find((candidate) => candidate.family === 'cell') ?? PRESET_SPACES[0].space;
  const base = defaultRunConfig(space, 1);
  return {
    ...base,
    seed: 8,
    strategy: { name: 'random', options: {} },
    training: { ...base.training, epochs: 2 },
    budget: 4,
    estimation: { scheduler: { kind: 'successive-halving', minEpochs: 1, eta: 2 } },
  };
}

/**
 * Runs a scheduled search until the first trial is promoted to rung 1, stops
 * it there, then reads the record and trials back from `db` and resumes with
 * a new store from `createStore` and a new evaluator, as a reloaded page does.
 * Throws when the first session ends without a promotion.
 */
export async function resumeAfterPromotion(db: StudioDb, createStore: () => RunStore): Promise<ScheduledResume> {
  const runId = 'scheduled-run';
  const controller = new AbortController();
  let promotedId: string | undefined;
  await runSearch({
    record: newRecord(scheduledConfig(), runId),
    trials: [],
    evaluator: new RungEvaluator({ concurrency: 1 }),
    store: createStore(),
    signal: controller.signal,
    onEvent: (event) => {
      if (promotedId !== undefined || event.type !== 'trial-updated') return;
      const schedule = event.trial.schedule;
      if (schedule !== undefined && schedule.rung > 0 && schedule.state === 'training') {
        promotedId = event.trial.id;
        controller.abort();
      }
    },
  });
  if (promotedId === undefined) throw new Error('the first session promoted no trial, so there is nothing to resume');

  const stored = await getRun(db, runId);
  if (stored === undefined) throw new Error(`run ${runId} was not stored by the first session`);
  const evaluator = new RungEvaluator({ concurrency: 1 });
  const record = await runSearch({
    record: stored,
    trials: await listTrials(db, runId),
    evaluator,
    store: createStore(),
    signal: new AbortController().signal,
  });
  return { record, trials: await listTrials(db, runId), evaluator, promotedId };
}
