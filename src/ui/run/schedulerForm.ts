// Run-page fields of the successive-halving / Hyperband scheduler, as text,
// and their conversion to and from RunConfig.estimation.scheduler. Numbers
// are parsed but not checked here: validateRunConfig names the invalid field.
import type { EstimationConfig, SchedulerConfig } from '../../core/run/types';
import { parseNumber } from '../common/fields';

export interface SchedulerFormValues {
  /** Scheduler kind, or 'none' to train every candidate fully. */
  kind: 'none' | SchedulerConfig['kind'];
  minEpochs: string;
  eta: string;
}

/** Values shown while the scheduler is off, so that choosing one starts from the usual settings. */
const DEFAULTS = { minEpochs: 1, eta: 3 };

/** Fills the fields from a run's estimation settings; without a scheduler the kind is 'none'. */
export function estimationToSchedulerForm(estimation: EstimationConfig | undefined): SchedulerFormValues {
  const scheduler = estimation?.scheduler;
  return {
    kind: scheduler?.kind ?? 'none',
    minEpochs: String(scheduler?.minEpochs ?? DEFAULTS.minEpochs),
    eta: String(scheduler?.eta ?? DEFAULTS.eta),
  };
}

/**
 * Returns `estimation` with the scheduler set from the fields (removed for
 * 'none') and every other setting kept. Returns undefined when nothing is left.
 */
export function applySchedulerForm(estimation: EstimationConfig | undefined, form: SchedulerFormValues): EstimationConfig | undefined {
  const result: EstimationConfig = { ...estimation };
  delete result.scheduler;
  if (form.kind !== 'none') {
    result.scheduler = { kind: form.kind, minEpochs: parseNumber(form.minEpochs), eta: parseNumber(form.eta) };
  }
  return Object.keys(result).length === 0 ? undefined : result;
}
