// Run-page fields of the successive-halving / Hyperband scheduler and of
// weight inheritance, and their conversion to and from RunConfig.estimation.
// Numbers are parsed but not checked here: validateRunConfig names the
// invalid field.
import type { EstimationConfig, SchedulerConfig } from '../../core/run/types';
import { parseNumber } from '../common/fields';

export interface SchedulerFormValues {
  /** Scheduler kind, or 'none' to train every candidate fully. */
  kind: 'none' | SchedulerConfig['kind'];
  minEpochs: string;
  eta: string;
  /** estimation.weightInheritance: mutated children start from their parent's weights. */
  weightInheritance: boolean;
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
    weightInheritance: estimation?.weightInheritance === true,
  };
}

/**
 * Returns `estimation` with the scheduler and weightInheritance set from the
 * fields (removed for 'none' and unchecked) and every other setting kept.
 * Returns undefined when nothing is left.
 */
export function applySchedulerForm(estimation: EstimationConfig | undefined, form: SchedulerFormValues): EstimationConfig | undefined {
  const result: EstimationConfig = { ...estimation };
  delete result.scheduler;
  delete result.weightInheritance;
  if (form.kind !== 'none') {
    result.scheduler = { kind: form.kind, minEpochs: parseNumber(form.minEpochs), eta: parseNumber(form.eta) };
  }
  if (form.weightInheritance) result.weightInheritance = true;
  return Object.keys(result).length === 0 ? undefined : result;
}
