// Run-page fields of the curve stop and the predictor filter, as text, and
// their conversion to and from RunConfig.estimation. Numbers are parsed but
// not checked here: validateRunConfig names the invalid field.
import type { EstimationConfig, PredictorFilterConfig } from '../../core/run/types';
import { parseNumber } from '../common/fields';

export interface StopFilterFormValues {
  curveStop: boolean;
  kthBest: string;
  stopProbability: string;
  curveMinEpochs: string;
  /** Surrogate model of the predictor filter, or 'none' for no filter. */
  predictorModel: 'none' | PredictorFilterConfig['model'];
  predictorMinTrials: string;
  predictorKeepFraction: string;
}

/** Defaults shown when a field is off, so that turning it on starts from sensible values. */
const DEFAULTS = { kthBest: 3, probability: 0.95, minEpochs: 2, minTrials: 10, keepFraction: 0.5 };

/** Fills the fields from a run's estimation settings; absent settings show the defaults, switched off. */
export function estimationToStopFilterForm(estimation: EstimationConfig | undefined): StopFilterFormValues {
  const curveStop = estimation?.curveStop;
  const filter = estimation?.predictorFilter;
  return {
    curveStop: curveStop !== undefined,
    kthBest: String(curveStop?.kthBest ?? DEFAULTS.kthBest),
    stopProbability: String(curveStop?.probability ?? DEFAULTS.probability),
    curveMinEpochs: String(curveStop?.minEpochs ?? DEFAULTS.minEpochs),
    predictorModel: filter?.model ?? 'none',
    predictorMinTrials: String(filter?.minTrials ?? DEFAULTS.minTrials),
    predictorKeepFraction: String(filter?.keepFraction ?? DEFAULTS.keepFraction),
  };
}

/**
 * Returns `estimation` with curveStop and predictorFilter set from the
 * fields (removed when switched off) and every other setting kept. Returns
 * undefined when nothing is left.
 */
export function applyStopFilterForm(estimation: EstimationConfig | undefined, form: StopFilterFormValues): EstimationConfig | undefined {
  const result: EstimationConfig = { ...estimation };
  delete result.curveStop;
  delete result.predictorFilter;
  if (form.curveStop) {
    result.curveStop = {
      kthBest: parseNumber(form.kthBest),
      probability: parseNumber(form.stopProbability),
      minEpochs: parseNumber(form.curveMinEpochs),
    };
  }
  if (form.predictorModel !== 'none') {
    result.predictorFilter = {
      model: form.predictorModel,
      minTrials: parseNumber(form.predictorMinTrials),
      keepFraction: parseNumber(form.predictorKeepFraction),
    };
  }
  return Object.keys(result).length === 0 ? undefined : result;
}
