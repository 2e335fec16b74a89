// The run loop's outputs: the RunStore interface, which IndexedDB (browser)
// and files (CLI) implement, and the events that the UI, the store and the
// CLI subscribe to.
import type {
  EvaluationProgress,
  ReferencePredictions,
  RunRecord,
  RunStatus,
  SavedModel,
  TrainingCheckpoint,
  Trial,
} from './types';

/**
 * Persistence of one run. The loop awaits each call before the next one and
 * before emitting the matching event, so a store that replaces records by id
 * always contains the latest state. A rejected call fails the run.
 */
export interface RunStore {
  /** Inserts or replaces the run record (key: record.id). */
  saveRun(record: RunRecord): Promise<void>;
  /** Inserts or replaces a trial (key: trial.id). */
  saveTrial(trial: Trial): Promise<void>;
  /** Stores the trained model of a done trial; called before that trial is saved as done. */
  saveModel(trialId: string, model: SavedModel, reference?: ReferencePredictions): Promise<void>;
  /**
   * Stores the training checkpoint of a trial that a scheduler may promote,
   * replacing an earlier one. The three checkpoint methods are optional: a
   * store without them keeps checkpoints in memory only, so after a reload
   * a promoted trial trains from scratch.
   */
  saveCheckpoint?(trialId: string, checkpoint: TrainingCheckpoint): Promise<void>;
  /** Returns the stored checkpoint of a trial, or undefined when there is none. */
  loadCheckpoint?(trialId: string): Promise<TrainingCheckpoint | undefined>;
  /** Deletes the checkpoint of a trial, if any; called once the trial is final. */
  deleteCheckpoint?(trialId: string): Promise<void>;
  /**
   * Returns the stored model of a trial, or undefined. Optional: weight
   * inheritance reads a parent's model with it after a resume, and without
   * it such a child starts from its initial weights.
   */
  loadModel?(trialId: string): Promise<SavedModel | undefined>;
}

/**
 * Events of a running search. Payloads are copies, safe to keep. Every event
 * except progress updates of a trial is emitted after the store saved it.
 */
export type RunEvent =
  | {
      type: 'trial-updated';
      trial: Trial;
      /** Set for training progress of a running trial (not persisted). */
      progress?: EvaluationProgress;
    }
  | {
      type: 'progress';
      /** Trials finished (done, failed or diverged), counting those of earlier sessions of the run. */
      done: number;
      budget: number;
      /** Milliseconds since this session of the run started. */
      elapsedMs: number;
      /**
       * Estimated milliseconds left at the run's rate so far, over every session: per finished trial,
       * or with a scheduler per epoch trained against `epochsPlanned`. Null before the first trial
       * (with a scheduler, the first rung of a trial) finishes.
       */
      etaMs: number | null;
      /** With a scheduler: epochs trained so far over all trials, counting every rung. */
      epochsSpent?: number;
      /** With a scheduler: epochs the schedule trains when no trial fails and every promotion resumes from its checkpoint. */
      epochsPlanned?: number;
      /** With a scheduler: epochs that training every budgeted architecture fully would take (budget * training.epochs). */
      epochsFull?: number;
    }
  | {
      type: 'front-changed';
      /** Trial ids on the Pareto front. */
      front: string[];
      /** Normalised hypervolume in [0, 1] against the run's fixed reference cost. */
      hypervolume: number;
    }
  | { type: 'status'; status: RunStatus; message?: string };
