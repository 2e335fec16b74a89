// Inputs the run loop computes before it starts a trial: the k-th best
// accuracy that the curve stop compares with, and the predictor filter's
// decision whether a surrogate predicts the candidate too poor to train.
import { quantile } from '../bench/statistics';
import { deriveSeed } from '../random';
import type { CurveStopRequest, EvaluationResult, RunConfig, Trial } from '../run/types';
import { oneHotEncoding } from '../space';
import { formatPercent } from './curve-stop';
import { createPredictor, PREDICTOR_LABELS } from './predictors';

/**
 * Returns the trials told to the strategy before `trial` was proposed
 * (indices below `trial.toldBefore`), whose results are final whatever the
 * timing. Only trials with status 'done' and a validation accuracy count, in
 * index order. A trial stored without `toldBefore` falls back to indices up
 * to index - workers, which the loop has always told before proposing it.
 *
 * NOTE: with a scheduler, a trial stopped at a low rung is 'done' with the
 * accuracy of fewer epochs, so it lowers the k-th best and enters the
 * predictor's training set at that lower fidelity.
 */
export function trialsKnownBefore(trials: Iterable<Trial>, trial: Trial, workers: number): Trial[] {
  const cutoff = trial.toldBefore ?? trial.index - workers + 1;
  const known: Trial[] = [];
  for (const other of trials) {
    if (other.index < cutoff && other.status === 'done' && other.metrics !== undefined) known.push(other);
  }
  return known.sort((a, b) => a.index - b.index);
}

/**
 * Builds the curve-stop request for trial `trial`, or returns undefined when
 * the run has no curve stop or fewer than kthBest trials are known (there is
 * nothing to compare with yet).
 */
export function curveStopRequest(config: RunConfig, trials: Iterable<Trial>, trial: Trial): CurveStopRequest | undefined {
  const rule = config.estimation?.curveStop;
  if (rule === undefined) return undefined;
  const accuracies = trialsKnownBefore(trials, trial, config.workers)
    .map((known) => known.metrics?.validationAccuracy as number)
    .sort((a, b) => b - a);
  if (accuracies.length < rule.kthBest) return undefined;
  return { ...rule, threshold: accuracies[rule.kthBest - 1] };
}


/**
 * Applies the predictor filter to `trial` before its first training. Once minTrials
 * trials are final (trialsKnownBefore), it fits the configured surrogate to
 * their one-hot encodings and validation accuracies. The candidate is
 * skipped when its prediction is below the (1 - keepFraction) quantile of
 * the surrogate's predictions for those trials. Comparing
 * with the same model's predictions keeps the rule on one scale even for
 * models that shrink towards the mean (trees, MLPs).
 *
 * Returns the 'pruned' result of a skipped candidate, or undefined when it
 * trains. Deterministic: the inputs do not depend on timing and the
 * surrogate's seed comes from the run seed and the trial index.
 */
export function predictorFilterResult(config: RunConfig, trials: Iterable<Trial>, trial: Trial): EvaluationResult | undefined {
  const filter = config.estimation?.predictorFilter;
  if (filter === undefined || filter.keepFraction >= 1) return undefined;
  // A trial promoted to a later rung already passed the filter.
  if (trial.schedule !== undefined && trial.schedule.rung !== trial.schedule.firstRung) return undefined;
  const known = trialsKnownBefore(trials, trial, config.workers);
  if (known.length < filter.minTrials) return undefined;

  const encodings = known.map((item) => oneHotEncoding(config.space, item.arch));
  const values = known.map((item) => item.metrics?.validationAccuracy as number);
  const predictor = createPredictor(filter.model, deriveSeed(config.seed, 'predictor-filter', trial.index));
  predictor.fit(encodings, values);

  const predicted = predictor.predict(oneHotEncoding(config.space, trial.arch)).mean;
  const threshold = quantile(
    encodings.map((encoding) => predictor.predict(encoding).mean),
    1 - filter.keepFraction,
  );
  if (predicted >= threshold) return undefined;

  const percentile = Math.round(100 * (1 - filter.keepFraction));
  const stopReason =
    `predictor filter: predicted ${formatPercent(predicted)} below ${formatPercent(threshold)}, ` +
    `the ${percentile}th percentile of the ${PREDICTOR_LABELS[filter.model]}'s predictions for ${known.length} finished trials; not trained`;
  return { status: 'pruned', curve: [], stopReason, predictedAccuracy: Math.min(Math.max(predicted, 0), 1) };
}
