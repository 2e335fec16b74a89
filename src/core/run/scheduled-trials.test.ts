import { describe, expect, it } from 'vitest';
import { NasError } from '../errors';
import { defaultRunConfig } from './config';
import { MemoryStore } from './fakes.fixture';
import { ScheduledTrials } from './scheduled-trials';
import type { RunConfig, TrainingCheckpoint, Trial } from './types';

const base = defaultRunConfig();
const CONFIG: RunConfig = {
  ...base,
  budget: 4,
  training: { ...base.training, epochs: 2 },
  estimation: { scheduler: { kind: 'successive-halving', minEpochs: 1, eta: 2 } },
};

/** Store whose checkpoint reads fail as a damaged checkpoint file makes them fail. */
class DamagedCheckpointStore extends MemoryStore {
  async loadCheckpoint(trialId: string): Promise<TrainingCheckpoint | undefined> {
    throw new NasError('invalid_config', `the checkpoint file checkpoints/${trialId}.bin is damaged: weights: tensor 0 contains NaN at element 0`);
  }
}

/** Returns trial 0 of CONFIG promoted to rung 1. */
function promotedTrial(scheduled: ScheduledTrials): Trial {
  const trial = { id: 'run-trial-0', index: 0, status: 'queued', curve: [] } as unknown as Trial;
  scheduled.initialise(trial);
  scheduled.promote(trial);
  return trial;
}

describe('ScheduledTrials.requestFields', () => {
  it('names a damaged checkpoint', async () => {
    const scheduled = new ScheduledTrials(CONFIG, new DamagedCheckpointStore());
    const trial = promotedTrial(scheduled);

    const fields = await scheduled.requestFields(trial);

    expect(fields.resumeFrom).toBeUndefined();
    expect(trial.schedule?.restartReason).toMatch(
      /checkpoint of rung 0 \(1 epoch\) could not be used \(the checkpoint file checkpoints\/run-trial-0\.bin is damaged: .*NaN.*\), so rung 1 trained from scratch/,
    );
  });

  it('says not found for a missing checkpoint', async () => {
    const scheduled = new ScheduledTrials(CONFIG, new MemoryStore());
    const trial = promotedTrial(scheduled);

    await scheduled.requestFields(trial);

    expect(trial.schedule?.restartReason).toMatch(/checkpoint of rung 0 \(1 epoch\) was not found after the run resumed/);
  });
});

describe('ScheduledTrials.recordResult', () => {
  it('keeps the evaluator restart reason', async () => {
    const checkpoint = { epoch: 1 } as TrainingCheckpoint;
    const store = new MemoryStore();
    const scheduled = new ScheduledTrials(CONFIG, Object.assign(store, { loadCheckpoint: async () => checkpoint }));
    const trial = promotedTrial(scheduled);
    expect((await scheduled.requestFields(trial)).resumeFrom).toBe(checkpoint);

    trial.status = 'done';
    trial.metrics = { validationAccuracy: 0.5 } as Trial['metrics'];
    const curve = [1, 2].map((epoch) => ({ epoch, loss: 1, trainAccuracy: 0.5, validationAccuracy: 0.5 }));
    const reason = 'the checkpoint could not be restored (weights: tensor 0 contains NaN at element 0), so the trial trained from scratch';
    await scheduled.recordResult(trial, { status: 'done', curve, restartReason: reason });

    expect(trial.schedule?.restartReason).toBe(reason);
    expect(trial.schedule?.epochsSpent).toBe(2);
  });
});

