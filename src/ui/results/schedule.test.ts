import { describe, expect, it } from 'vitest';
import { defaultRunConfig } from '../../core/run/config';
import type { Trial, TrialSchedule } from '../../core/run/types';
import { describeInheritance, describeSchedule, epochTotals } from './schedule';

function trial(schedule: Partial<TrialSchedule> | undefined, epochs = 3, trained = 3): Trial {
  return {
    id: 'run-trial-0',
    runId: 'run',
    index: 0,
    arch: { family: 'sequential', layers: [] },
    hash: 'h',
    seed: 1,
    epochs,
    status: 'done',
    curve: Array.from({ length: trained }, (_, epoch) => ({ epoch, loss: 1, trainAccuracy: 0.5, validationAccuracy: 0.5 })),
    schedule:
      schedule === undefined
        ? undefined
        : { bracket: 0, rung: 0, firstRung: 0, state: 'training', rungAccuracies: [], epochsSpent: trained, ...schedule },
  };
}

describe('describeSchedule', () => {
  it.each<[Partial<TrialSchedule>, number, number, string]>([
    [{ state: 'training' }, 1, 0, 'rung 0 (1 epoch)'],
    [{ state: 'training', rung: 1 }, 3, 1, 'promoted to rung 1 (3 epochs)'],
    [{ state: 'waiting' }, 1, 1, 'rung 0 trained (1 epoch), waiting for the rest of the rung'],
    [{ state: 'stopped', rung: 1 }, 3, 3, 'stopped at rung 1 after 3 epochs'],
    [{ state: 'top', rung: 2 }, 9, 9, 'promoted to the top rung, 9 epochs'],
    [{ state: 'top', rung: 2, firstRung: 2 }, 9, 9, 'top rung, 9 epochs'],
  ])('%j reads as expected', (schedule, epochs, trained, expected) => {
    expect(describeSchedule(trial(schedule, epochs, trained))).toBe(expected);
  });

  it('returns null without a schedule', () => {
    expect(describeSchedule(trial(undefined))).toBeNull();
  });
});

describe('describeInheritance', () => {
  it('names the parent and the weights taken', () => {
    const child = { ...trial(undefined), inheritance: { parentTrialId: 'run-trial-3', tensors: 12, total: 14 } };
    expect(describeInheritance(child)).toBe('trial 3: 12 of 14 weight tensors');
  });

  it('shows the note of a lost parent model', () => {
    const child = { ...trial(undefined), inheritance: { parentTrialId: 'run-trial-3', note: 'the model was not found' } };
    expect(describeInheritance(child)).toBe('trial 3: the model was not found');
  });

  it('returns null without a parent', () => {
    expect(describeInheritance(trial(undefined))).toBeNull();
  });
});

describe('epochTotals', () => {
  it('sums spent epochs against the plan and full training', () => {
    const config = { ...defaultRunConfig(), budget: 4, estimation: { scheduler: { kind: 'hyperband' as const, minEpochs: 1, eta: 2 } } };
    const trials = [trial({ state: 'stopped' }, 1, 1), trial({ state: 'top', rung: 1 }, 2, 2)];
    expect(epochTotals(config, trials)).toEqual({ spent: 3, planned: 7, full: 8 });
  });

  it('returns null without a scheduler', () => {
    expect(epochTotals(defaultRunConfig(), [])).toBeNull();
  });
});
