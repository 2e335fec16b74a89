// The run loop's progress event: trials finished, elapsed time and the
// estimate of the time left, counted in trials or, under a rung scheduler,
// in epochs trained against the epochs the schedule plans.
import { ScheduledTrials } from './scheduled-trials';
import type { RungScheduler } from './scheduler';
import type { RunEvent } from './store';
import type { RunConfig, Trial } from './types';

/**
 * Builds the progress event of a run that has `finished` final trials after
 * `elapsedMs` milliseconds over every session, so a resumed run keeps its
 * estimate instead of waiting for a trial of the new session. Without a
 * scheduler the estimate is per finished trial. With one it is per epoch
 * trained, because most of the work is rung training of trials that are
 * not final yet.
 */
export function progressEvent(
  config: RunConfig,
  trials: Iterable<Trial>,
  finished: number,
  elapsedMs: number,
  scheduler: RungScheduler | undefined,
): Extract<RunEvent, { type: 'progress' }> {
  if (scheduler === undefined) {
    const remaining = config.budget - finished;
    const etaMs = finished > 0 ? (elapsedMs / finished) * remaining : null;
    return { type: 'progress', done: finished, budget: config.budget, elapsedMs, etaMs };
  }

  const epochsSpent = ScheduledTrials.epochsSpent(trials);
  const epochsPlanned = scheduler.plannedEpochs();
  const etaMs = epochsSpent > 0 ? (elapsedMs / epochsSpent) * Math.max(0, epochsPlanned - epochsSpent) : null;
  return {
    type: 'progress',
    done: finished,
    budget: config.budget,
    elapsedMs,
    etaMs,
    epochsSpent,
    epochsPlanned,
    epochsFull: config.budget * config.training.epochs,
  };
}
