// The run loop's side of a rung scheduler: the fields a rung adds to an
// evaluation request, where checkpoints live between rungs, and how a rung
// result, a promotion or a stop changes a trial.
import { NasError } from '../errors';
import { createLogger } from '../log';
import { RungScheduler, type RungDecision } from './scheduler';
import type { RunStore } from './store';
import type { EvaluationRequest, EvaluationResult, RunConfig, TrainingCheckpoint, Trial, TrialSchedule } from './types';

const log = createLogger('run');

/** Formats an epoch count with the right plural, e.g. `1 epoch`, `3 epochs`. */
function epochCount(epochs: number): string {
  return epochs === 1 ? '1 epoch' : `${epochs} epochs`;
}

/** Request fields of one rung evaluation. */
export type RungRequestFields = Pick<EvaluationRequest, 'epochs' | 'resumeFrom' | 'returnCheckpoint'>;

/**
 * Scheduled trials of one run. Checkpoints of trials that may still be
 * promoted are kept in memory and, when the store implements
 * saveCheckpoint, also in the store, so a resumed run can continue them.
 * A promoted trial whose checkpoint is gone trains from scratch to its rung,
 * and `schedule.restartReason` records why.
 */
export class ScheduledTrials {
  readonly scheduler: RungScheduler;
  private readonly checkpoints = new Map<string, TrainingCheckpoint>();
  /** Epoch each running trial resumed from, to count the epochs it trains. */
  private readonly startEpochs = new Map<string, number>();

  constructor(
    config: RunConfig,
    private readonly store: RunStore,
  ) {
    const scheduler = config.estimation?.scheduler;
    if (scheduler === undefined) throw new NasError('internal', 'ScheduledTrials needs estimation.scheduler in the run config');
    this.scheduler = new RungScheduler(scheduler, config.training.epochs, config.budget);
  }

  /** Sets the schedule and the epochs of its first rung on new trial `trial`. */
  initialise(trial: Trial): void {
    trial.schedule = this.scheduler.initialSchedule(trial.index);
    trial.epochs = this.scheduler.rungEpochs[trial.schedule.rung];
  }

  /**
   * Returns the request fields for the trial's current rung. A trial above
   * its first rung resumes from its checkpoint (from memory, else from the
   * store). When there is none, or the store reports it damaged, it trains
   * from scratch and `restartReason` on the trial records why.
   */
  async requestFields(trial: Trial): Promise<RungRequestFields> {
    const schedule = trial.schedule as TrialSchedule;
    const fields: RungRequestFields = {
      epochs: this.scheduler.rungEpochs[schedule.rung],
      returnCheckpoint: schedule.rung < this.scheduler.topRung,
    };
    let startEpoch = 0;
    if (schedule.rung > schedule.firstRung) {
      const { checkpoint, problem } = await this.findCheckpoint(trial.id);
      const previousEpochs = this.scheduler.rungEpochs[schedule.rung - 1];
      // Early stopping can end a rung before its epochs; such a checkpoint resumes to an immediate stop.
      if (checkpoint !== undefined && checkpoint.epoch <= previousEpochs) {
        fields.resumeFrom = checkpoint;
        startEpoch = checkpoint.epoch;
      } else {
        const lost = `the checkpoint of rung ${schedule.rung - 1} (${epochCount(previousEpochs)})`;
        if (problem !== undefined) {
          schedule.restartReason = `${lost} could not be used (${problem}), so rung ${schedule.rung} trained from scratch`;
        } else if (checkpoint === undefined) {
          schedule.restartReason = `${lost} was not found after the run resumed, so rung ${schedule.rung} trained from scratch`;
        } else {
          schedule.restartReason = `the checkpoint was at epoch ${checkpoint.epoch}, after rung ${schedule.rung - 1} (${epochCount(previousEpochs)}), so rung ${schedule.rung} trained from scratch`;
        }
        log.warn(`trial ${trial.id}: ${schedule.restartReason}`);
      }
    }
    this.startEpochs.set(trial.id, startEpoch);
    return fields;
  }

  /**
   * Records the result of the trial's current rung, whose fields the loop
   * has already copied to the trial. Returns 'waiting' when the trial
   * finished a lower rung and waits for its rung to be ranked (its status
   * becomes 'queued'), or 'final' when it failed or finished the top rung.
   */
  async recordResult(trial: Trial, result: EvaluationResult): Promise<'waiting' | 'final'> {
    const schedule = trial.schedule as TrialSchedule;
    let startEpoch = this.startEpochs.get(trial.id) ?? 0;
    this.startEpochs.delete(trial.id);
    if (result.restartReason !== undefined) {
      // The evaluator rejected the checkpoint and trained every epoch of this rung.
      schedule.restartReason = result.restartReason;
      startEpoch = 0;
    }
    schedule.epochsSpent += Math.max(0, result.curve.length - startEpoch);

    const slot = schedule.rung - schedule.firstRung;
    if (trial.status !== 'done') {
      schedule.rungAccuracies[slot] = null;
      schedule.state = 'stopped';
      await this.dropCheckpoint(trial.id);
      return 'final';
    }
    schedule.rungAccuracies[slot] = trial.metrics?.validationAccuracy ?? null;
    if (schedule.rung === this.scheduler.topRung) {
      schedule.state = 'top';
      await this.dropCheckpoint(trial.id);
      return 'final';
    }

    schedule.state = 'waiting';
    trial.status = 'queued';
    if (result.checkpoint !== undefined) {
      this.checkpoints.set(trial.id, result.checkpoint);
      await this.store.saveCheckpoint?.(trial.id, result.checkpoint);
    } else {
      log.warn(`trial ${trial.id}: the evaluator returned no checkpoint, so a promotion will train from scratch`);
    }
    return 'waiting';
  }

  /** Returns the rung decisions due now, in trial order. */
  decide(trials: Iterable<Trial>, proposedCount: number, proposalsEnded: boolean): RungDecision[] {
    return this.scheduler.decide(trials, proposedCount, proposalsEnded).sort((a, b) => a.index - b.index);
  }

  /** Moves a waiting trial to the next rung, queued for training. */
  promote(trial: Trial): void {
    const schedule = trial.schedule as TrialSchedule;
    schedule.rung++;
    schedule.state = 'training';
    trial.status = 'queued';
    trial.epochs = this.scheduler.rungEpochs[schedule.rung];
  }

  /** Makes a waiting trial final with the result of its current rung. */
  async stop(trial: Trial): Promise<void> {
    (trial.schedule as TrialSchedule).state = 'stopped';
    trial.status = 'done';
    await this.dropCheckpoint(trial.id);
  }

  /** Returns whether the trial waits for a rung decision rather than for training. */
  static isWaiting(trial: Trial): boolean {
    return trial.schedule?.state === 'waiting';
  }

  /** Epochs trained so far over `trials`, every rung counted. */
  static epochsSpent(trials: Iterable<Trial>): number {
    let total = 0;
    for (const trial of trials) total += trial.schedule?.epochsSpent ?? 0;
    return total;
  }

  /** Returns the trial's checkpoint, or the reason it could not be read (the store's error message). */
  private async findCheckpoint(trialId: string): Promise<{ checkpoint?: TrainingCheckpoint; problem?: string }> {
    const inMemory = this.checkpoints.get(trialId);
    if (inMemory !== undefined) return { checkpoint: inMemory };
    try {
      return { checkpoint: await this.store.loadCheckpoint?.(trialId) };
    } catch (error) {
      // A checkpoint that cannot be read costs a retraining, not the run; requestFields logs the reason.
      return { problem: error instanceof Error ? error.message : String(error) };
    }
  }

  private async dropCheckpoint(trialId: string): Promise<void> {
    this.checkpoints.delete(trialId);
    await this.store.deleteCheckpoint?.(trialId);
  }
}
