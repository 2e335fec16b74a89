// Text of a trial's place in a successive-halving / Hyperband schedule and
// of its weight inheritance, and the epochs a scheduled run has spent
// against its plan and against training every candidate fully.
// Rungs are numbered from 0, as stored in Trial.schedule.
import { RungScheduler } from '../../core/run/scheduler';
import type { RunConfig, Trial } from '../../core/run/types';

/** Returns a one-line description of the trial's rung, or null for a run without a scheduler. */
export function describeSchedule(trial: Trial): string | null {
  const schedule = trial.schedule;
  if (schedule === undefined) return null;
  const trained = trial.metrics?.epochs ?? trial.curve.length;
  const promoted = schedule.rung > schedule.firstRung;
  switch (schedule.state) {
    case 'training':
      return promoted ? `promoted to rung ${schedule.rung} (${epochs(trial.epochs)})` : `rung ${schedule.rung} (${epochs(trial.epochs)})`;
    case 'waiting':
      return `rung ${schedule.rung} trained (${epochs(trained)}), waiting for the rest of the rung`;
    case 'stopped':
      return `stopped at rung ${schedule.rung} after ${epochs(trained)}`;
    case 'top':
      return promoted ? `promoted to the top rung, ${epochs(trained)}` : `top rung, ${epochs(trained)}`;
  }
}

function epochs(count: number): string {
  return count === 1 ? '1 epoch' : `${count} epochs`;
}

/**
 * Returns what the trial inherited from its parent, such as "trial 3: 12 of
 * 14 weight tensors", or null when it has no parent. Trial ids end in
 * `-trial-<index>` (see trialId in the run loop), which gives the index shown.
 */
export function describeInheritance(trial: Trial): string | null {
  const inheritance = trial.inheritance;
  if (inheritance === undefined) return null;
  const index = /-trial-(\d+)$/.exec(inheritance.parentTrialId)?.[1];
  const parent = index === undefined ? inheritance.parentTrialId : `trial ${index}`;
  if (inheritance.note !== undefined) return `${parent}: ${inheritance.note}`;
  if (inheritance.tensors === undefined || inheritance.total === undefined) return parent;
  return `${parent}: ${inheritance.tensors} of ${inheritance.total} weight tensors`;
}

/** Epochs of a scheduled run: trained so far over every rung, planned by the schedule, and needed to train every candidate fully. */
export interface EpochTotals {
  spent: number;
  /** Epochs of the whole schedule when no trial fails and every promotion resumes from its checkpoint. */
  planned: number;
  full: number;
}

/** Returns the epoch totals of a scheduled run, or null when the run has no scheduler. */
export function epochTotals(config: RunConfig, trials: readonly Trial[]): EpochTotals | null {
  const scheduler = config.estimation?.scheduler;
  if (scheduler === undefined) return null;
  const spent = trials.reduce((total, trial) => total + (trial.schedule?.epochsSpent ?? 0), 0);
  const planned = new RungScheduler(scheduler, config.training.epochs, config.budget).plannedEpochs();
  return { spent, planned, full: config.budget * config.training.epochs };
}
