// The accuracy/cost front of a run's trials and the fixed reference cost of
// its hypervolume, shared by the run loop and the UI charts.
import { hypervolume, paretoFront, type ParetoPoint } from '../pareto';
import type { Constraints, CostObjective, Trial } from './types';

/**
 * Returns the trial's measured value of the cost objective: params,
 * multiply-accumulates, or median latency in milliseconds. Returns undefined
 * when the trial has no metrics.
 */
export function trialCost(trial: Trial, objective: CostObjective): number | undefined {
  const metrics = trial.metrics;
  if (metrics === undefined) return undefined;
  if (objective === 'params') return metrics.params;
  if (objective === 'flops') return metrics.flops;
  return metrics.latency.medianMs;
}

/** Returns the points of done, feasible trials with a finite accuracy and cost, in input order; `id` is the trial id. */
export function trialPoints(trials: readonly Trial[], objective: CostObjective): ParetoPoint[] {
  const points: ParetoPoint[] = [];
  for (const trial of trials) {
    if (trial.status !== 'done' || trial.metrics === undefined || !trial.metrics.feasible) continue;
    const cost = trialCost(trial, objective);
    const accuracy = trial.metrics.validationAccuracy;
    if (cost === undefined || !Number.isFinite(cost) || !Number.isFinite(accuracy)) continue;
    points.push({ id: trial.id, accuracy, cost });
  }
  return points;
}

/**
 * Returns the Pareto front (validation accuracy up, cost down) of the done,
 * feasible trials. Tied trials all stay on the front.
 */
export function computeFront(trials: readonly Trial[], objective: CostObjective): ParetoPoint[] {
  return paretoFront(trialPoints(trials, objective));
}

/**
 * Chooses the hypervolume's reference cost for a run. The constraint on the
 * cost objective (maxParams, maxFlops or maxLatencyMs) is used when set.
 * Otherwise the reference is twice the cost of `first`, the first done
 * trial with a positive cost. Returns undefined while neither exists.
 * The run loop fixes the value once chosen, so the hypervolume never
 * decreases over the run.
 */
export function chooseReferenceCost(
  constraints: Constraints,
  objective: CostObjective,
  first: Trial | undefined,
): number | undefined {
  const bound =
    objective === 'params'
      ? constraints.maxParams
      : objective === 'flops'
        ? constraints.maxFlops
        : constraints.maxLatencyMs;
  if (bound !== undefined) return bound;
  if (first === undefined) return undefined;
  const cost = trialCost(first, objective);
  return cost !== undefined && cost > 0 ? 2 * cost : undefined;
}

/** Returns the hypervolume of the trials' front against `referenceCost`, in [0, 1]; 0 when there is no reference yet. */
export function trialsHypervolume(
  trials: readonly Trial[],
  objective: CostObjective,
  referenceCost: number | undefined,
): number {
  if (referenceCost === undefined) return 0;
  return hypervolume(trialPoints(trials, objective), referenceCost);
}
