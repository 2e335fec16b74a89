// The run loop's side of weight inheritance: which trial a mutated child
// came from, and where the parent's trained model is found when the child
// starts training.
import { createLogger } from '../log';
import type { Strategy } from '../strategy';
import type { RunStore } from './store';
import { findTensorBytesProblem } from './tensor-bytes';
import type { EvaluationResult, SavedModel, Trial } from './types';

const log = createLogger('run');

/**
 * Weight inheritance of one run. Trained models are kept in memory for the
 * session and otherwise read with RunStore.loadModel, so after a resume a
 * child still starts from its parent when the store keeps models. A child
 * whose parent model is missing, cannot be read or has weights that do not
 * match their specs starts from its initial weights, and `inheritance.note`
 * records why.
 */
export class WeightInheritance {
  private readonly models = new Map<string, SavedModel>();

  constructor(private readonly store: RunStore) {}

  /**
   * Sets `trial.inheritance` when the strategy reports the parent of the
   * new trial and that parent is a trial of this run. `trialIdOfHash`
   * returns the id of the trial with a given hash.
   */
  link(trial: Trial, strategy: Strategy, trialIdOfHash: (hash: string) => string | undefined): void {
    const parentHash = strategy.parentOf?.(trial.hash);
    const parentTrialId = parentHash === undefined ? undefined : trialIdOfHash(parentHash);
    if (parentTrialId !== undefined) trial.inheritance = { parentTrialId };
  }

  /** Keeps a trained model for the trial's children. */
  remember(trialId: string, model: SavedModel): void {
    this.models.set(trialId, model);
  }

  /** Returns the parent's trained model for the trial, or undefined (with a note on the trial) when there is none or it is damaged. */
  async parentModel(trial: Trial): Promise<SavedModel | undefined> {
    const inheritance = trial.inheritance;
    if (inheritance === undefined) return undefined;
    const parentId = inheritance.parentTrialId;
    let model = this.models.get(parentId);
    let problem: string | undefined;
    if (model === undefined) {
      try {
        model = await this.store.loadModel?.(parentId);
        if (model !== undefined) problem = findTensorBytesProblem(model.weightSpecs, model.weightData);
      } catch (error) {
        problem = error instanceof Error ? error.message : String(error);
      }
    }
    if (problem !== undefined) {
      inheritance.note = `the model of parent ${parentId} could not be used (${problem}), so the trial started from its initial weights`;
      log.warn(`trial ${trial.id}: ${inheritance.note}`);
      return undefined;
    }
    if (model === undefined) {
      inheritance.note = `the model of parent ${parentId} was not found, so the trial started from its initial weights`;
      return undefined;
    }
    delete inheritance.note;
    return model;
  }

  /** Copies what the evaluation took from the parent onto the trial. */
  record(trial: Trial, result: EvaluationResult): void {
    if (trial.inheritance === undefined || result.inherited === undefined) return;
    trial.inheritance.tensors = result.inherited.tensors;
    trial.inheritance.total = result.inherited.total;
  }
}
