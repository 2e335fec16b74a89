// Estimation settings that are valid on their own but can never act with
// the rest of a run config, e.g. a curve stop that would first predict
// after the last epoch. The CLI rejects them; the Run page may show them.
import type { RunConfig } from './types';

/** A setting of `estimation` that can never act, with the reason and the fix. */
export interface UnreachableSetting {
  /** Config path of the setting, e.g. `estimation.curveStop.minEpochs`. */
  field: string;
  value: number;
  /** Sentence naming the setting, its value, the limit and the fix. */
  message: string;
}

/**
 * Returns each estimation setting of `config` that can never act.
 * curveStop.minEpochs at or above training.epochs would first predict after
 * the last epoch. curveStop.kthBest at or above budget needs more finished
 * trials than finish before the last one starts. predictorFilter.minTrials
 * at or above budget waits for more finished trials than the run has
 * before its last proposal. With parallel workers a setting below these
 * limits may still never act.
 */
export function findUnreachableSettings(config: RunConfig): UnreachableSetting[] {
  const found: UnreachableSetting[] = [];
  const { budget } = config;
  const epochs = config.training.epochs;

  const curveStop = config.estimation?.curveStop;
  if (curveStop !== undefined && curveStop.minEpochs >= epochs) {
    found.push({
      field: 'estimation.curveStop.minEpochs',
      value: curveStop.minEpochs,
      message:
        `estimation.curveStop.minEpochs must be less than training.epochs (${epochs}) for the curve stop to act, got ${curveStop.minEpochs}: ` +
        `lower minEpochs or raise training.epochs`,
    });
  }
  if (curveStop !== undefined && curveStop.kthBest >= budget) {
    found.push({
      field: 'estimation.curveStop.kthBest',
      value: curveStop.kthBest,
      message:
        `estimation.curveStop.kthBest must be less than budget (${budget}) for the curve stop to act, got ${curveStop.kthBest}: ` +
        `lower kthBest or raise budget`,
    });
  }

  const filter = config.estimation?.predictorFilter;
  if (filter !== undefined && filter.minTrials >= budget) {
    found.push({
      field: 'estimation.predictorFilter.minTrials',
      value: filter.minTrials,
      message:
        `estimation.predictorFilter.minTrials must be less than budget (${budget}) for the predictor filter to act, got ${filter.minTrials}: ` +
        `lower minTrials or raise budget`,
    });
  }
  return found;
}
