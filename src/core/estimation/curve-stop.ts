// The curve-stop rule applied after each training epoch: extrapolate the
// validation curve to the final epoch and stop when the trial will, with
// high probability, end below the run's k-th best accuracy.
import type { CurveStopRequest } from '../run/types';
import { CurveEnsemble } from './curves';

/** Outcome of one check of the rule. */
export interface CurveStopDecision {
  stop: boolean;
  /** Probability that the trial's final validation accuracy ends below the threshold, in [0, 1]. */
  probability: number;
  /** Predicted final validation accuracy: the larger of the best observed epoch and the extrapolated mean, in [0, 1]. */
  predictedAccuracy: number;
  /** Reason shown in the trial's status; set when `stop` is true. */
  reason?: string;
}

/** Smallest noise floor of the curve fit, in accuracy units. */
const MIN_NOISE = 0.005;

/** Formats an accuracy in [0, 1] as a percentage with one decimal. */
export function formatPercent(value: number): string {
  return `${(100 * value).toFixed(1)}%`;
}

function ordinal(k: number): string {
  const tens = k % 100;
  if (tens >= 11 && tens <= 13) return `${k}th`;
  return `${k}${['th', 'st', 'nd', 'rd'][k % 10] ?? 'th'}`;
}

/**
 * Checks the rule for the validation accuracies `values` of epochs 1..n out
 * of `finalEpoch`. Returns undefined while n < rule.minEpochs or when no
 * epoch is left to save. A trial whose best epoch already reaches the
 * threshold has probability 0, because its final accuracy is the best epoch's.
 * `validationSize` (examples) sets the fit's noise floor to the binomial
 * standard error of the last accuracy, at least MIN_NOISE.
 */
export function decideCurveStop(
  values: readonly number[],
  finalEpoch: number,
  rule: CurveStopRequest,
  validationSize?: number,
): CurveStopDecision | undefined {
  const n = values.length;
  if (n < Math.max(rule.minEpochs, 2) || n >= finalEpoch) return undefined;
  const last = values[n - 1];
  const best = Math.max(...values);
  const noiseFloor =
    validationSize !== undefined && validationSize > 0
      ? Math.max(Math.sqrt(Math.max(last * (1 - last), 0.01) / validationSize), MIN_NOISE)
      : undefined;

  const ensemble = CurveEnsemble.fit(values, { noiseFloor });
  const predictedAccuracy = Math.max(best, ensemble.predict(finalEpoch).mean);
  const probability = best >= rule.threshold ? 0 : ensemble.probabilityBelow(finalEpoch, rule.threshold);
  const stop = probability >= rule.probability;
  if (!stop) return { stop, probability, predictedAccuracy };

  const reason =
    `curve stop after ${n} of ${finalEpoch} epochs: predicted final accuracy ${formatPercent(predictedAccuracy)} ` +
    `is below the ${ordinal(rule.kthBest)} best ${formatPercent(rule.threshold)} with probability ${probability.toFixed(2)}`;
  return { stop, probability, predictedAccuracy, reason };
}
