// Replays ways of spending less training on stored learning curves: full
// training, patience early stopping, successive halving, the curve stop and
// the predictor filter.
// Each replay returns the epochs it trained and the architecture it picks,
// so benchmarks compare them without training anything.
import { deriveSeed } from '../random';
import type { CurveStopConfig, PredictorFilterConfig } from '../run/types';
import { decideCurveStop } from './curve-stop';
import { createPredictor } from './predictors';
import { quantile } from '../bench/statistics';

/** One architecture's validation accuracy after each epoch of full training, epochs 1..n in order. */
export type StoredCurve = readonly number[];

export interface ReplayResult {
  /** Epochs trained over every architecture; images processed are this times the training split. */
  epochs: number;
  /** Index (into the curves) of the architecture the method picks as best, or -1 when none finished. */
  picked: number;
  /** Architectures whose training stopped before the end or never started. */
  stopped: number;
}

/** Best accuracy over the first `epochs` epochs of `curve` (all of it when shorter), -1 for none. */
export function bestWithin(curve: StoredCurve, epochs: number): number {
  let best = -1;
  for (let i = 0; i < Math.min(epochs, curve.length); i++) best = Math.max(best, curve[i]);
  return best;
}

/** Index of the largest score, the lowest index on ties; -1 when every score is -Infinity. */
function argMax(indices: readonly number[], score: (index: number) => number): number {
  let picked = -1;
  let best = Number.NEGATIVE_INFINITY;
  for (const index of [...indices].sort((a, b) => a - b)) {
    if (score(index) > best) {
      best = score(index);
      picked = index;
    }
  }
  return picked;
}

function allIndices(curves: readonly StoredCurve[]): number[] {
  return curves.map((_, i) => i);
}

/** Trains every architecture for its whole stored curve and picks the best validation accuracy. */
export function replayFullTraining(curves: readonly StoredCurve[]): ReplayResult {
  const epochs = curves.reduce((sum, curve) => sum + curve.length, 0);
  const picked = argMax(allIndices(curves), (i) => bestWithin(curves[i], curves[i].length));
  return { epochs, picked, stopped: 0 };
}

/**
 * Stops an architecture after `patience` epochs without a better validation
 * accuracy, as training.patience does, and picks the best accuracy seen.
 */
export function replayPatience(curves: readonly StoredCurve[], patience: number): ReplayResult {
  let epochs = 0;
  let stopped = 0;
  const observed: number[] = [];
  for (const curve of curves) {
    let best = -1;
    let sinceBest = 0;
    let trained = 0;
    for (const value of curve) {
      trained++;
      if (value > best) {
        best = value;
        sinceBest = 0;
      } else if (++sinceBest >= patience) {
        break;
      }
    }
    if (trained < curve.length) stopped++;
    epochs += trained;
    observed.push(best);
  }
  return { epochs, picked: argMax(allIndices(curves), (i) => observed[i]), stopped };
}

/** Rung epochs minEpochs * eta^k below `maxEpochs`, then `maxEpochs`. */
export function rungEpochs(minEpochs: number, eta: number, maxEpochs: number): number[] {
  const rungs: number[] = [];
  for (let epochs = minEpochs; epochs < maxEpochs; epochs *= eta) rungs.push(epochs);
  rungs.push(maxEpochs);
  return rungs;
}

/**
 * Replays one bracket of successive halving (Li et al. 2018) over every
 * curve. All architectures train to the first rung. The best
 * max(1, floor(n / eta)) by validation accuracy so far (lowest index on
 * ties) continue to the next rung from their weights, so a promotion costs
 * only the extra epochs. The pick is the best architecture of the top rung.
 */
export function replaySuccessiveHalving(curves: readonly StoredCurve[], minEpochs: number, eta: number, maxEpochs: number): ReplayResult {
  const rungs = rungEpochs(minEpochs, eta, maxEpochs);
  let members = allIndices(curves);
  let epochs = 0;
  let previous = 0;
  for (let rung = 0; rung < rungs.length; rung++) {
    const target = rungs[rung];
    for (const i of members) epochs += Math.max(0, Math.min(target, curves[i].length) - previous);
    previous = target;
    if (rung === rungs.length - 1) break;
    const ranked = [...members].sort((a, b) => bestWithin(curves[b], target) - bestWithin(curves[a], target) || a - b);
    members = ranked.slice(0, Math.max(1, Math.floor(members.length / eta)));
  }
  const picked = argMax(members, (i) => bestWithin(curves[i], maxEpochs));
  return { epochs, picked, stopped: curves.length - members.length };
}

/**
 * Trains the architectures one at a time in `order` with the curve stop.
 * Once kthBest architectures have finished, each new one is checked after
 * every epoch from minEpochs. It stops when the rule predicts it ends below
 * the k-th best final accuracy so far. The pick is the best fully trained one.
 * `validationSize` sets the fit's noise floor as in training.
 */
export function replayCurveStop(
  curves: readonly StoredCurve[],
  order: readonly number[],
  config: CurveStopConfig,
  maxEpochs: number,
  validationSize: number,
): ReplayResult {
  const finished: number[] = [];
  const finals: number[] = [];
  let epochs = 0;
  let stopped = 0;
  for (const i of order) {
    const curve = curves[i];
    const sorted = [...finals].sort((a, b) => b - a);
    const threshold = sorted.length >= config.kthBest ? sorted[config.kthBest - 1] : undefined;
    let trained = curve.length;
    if (threshold !== undefined) {
      for (let seen = config.minEpochs; seen < curve.length; seen++) {
        const decision = decideCurveStop(curve.slice(0, seen), maxEpochs, { ...config, threshold }, validationSize);
        if (decision?.stop) {
          trained = seen;
          break;
        }
      }
    }
    epochs += trained;
    if (trained < curve.length) {
      stopped++;
    } else {
      finished.push(i);
      finals.push(bestWithin(curve, curve.length));
    }
  }
  return { epochs, picked: argMax(finished, (i) => bestWithin(curves[i], curves[i].length)), stopped };
}

/**
 * Trains the architectures one at a time in `order` with the predictor
 * filter, as the run loop applies it. Once minTrials have finished, the
 * surrogate is fitted to their `encodings` and best accuracies. An
 * architecture predicted below the (1 - keepFraction) quantile of the
 * surrogate's predictions for them is skipped. The pick is the best trained one.
 */
export function replayPredictorFilter(
  curves: readonly StoredCurve[],
  encodings: readonly (readonly number[])[],
  order: readonly number[],
  config: PredictorFilterConfig,
  seed: number,
): ReplayResult {
  const finished: number[] = [];
  let epochs = 0;
  let stopped = 0;
  order.forEach((i, position) => {
    if (finished.length >= config.minTrials && config.keepFraction < 1) {
      const predictor = createPredictor(config.model, deriveSeed(seed, 'predictor-filter', position));
      predictor.fit(
        finished.map((j) => encodings[j]),
        finished.map((j) => bestWithin(curves[j], curves[j].length)),
      );
      const threshold = quantile(
        finished.map((j) => predictor.predict(encodings[j]).mean),
        1 - config.keepFraction,
      );
      if (predictor.predict(encodings[i]).mean < threshold) {
        stopped++;
        return;
      }
    }
    epochs += curves[i].length;
    finished.push(i);
  });
  return { epochs, picked: argMax(finished, (i) => bestWithin(curves[i], curves[i].length)), stopped };
}
