// The accuracy/cost front of a run's trials and the fixed reference cost of
// its hypervolume, shared by the run loop and the UI charts.
import { hypervolume, paretoFront, type ParetoPoint } from '../pareto';
import { deriveSeed, Random } from '../random';
import { architectureCost, sampleArchitecture } from '../space';
import type { InputSpec, SearchSpace } from '../space/types';
import type { CostObjective, RunConfig, Trial } from './types';

/** Uniform samples whose largest cost sets the reference for params and FLOPs. */
export const REFERENCE_SAMPLES = 64;

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

/** Returns the points of done, feasible trials with a finite accuracy and cost, in input order. A point's id is the trial id. */
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
 * Returns 1.25 times the largest params or FLOPs among REFERENCE_SAMPLES
 * uniform samples of the space. The samples come from
 * deriveSeed(seed, 'hypervolume'), so the value depends only on the space
 * and the seed. It is an estimate of the space's maximum cost, and a rarer,
 * costlier architecture simply adds no hypervolume.
 */
export function sampledReferenceCost(
  space: SearchSpace,
  objective: 'params' | 'flops',
  seed: number,
  input: InputSpec,
): number {
  const random = new Random(deriveSeed(seed, 'hypervolume'));
  let largest = 0;
  for (let i = 0; i < REFERENCE_SAMPLES; i++) {
    const cost = architectureCost(space, sampleArchitecture(space, random), input);
    largest = Math.max(largest, objective === 'params' ? cost.params : cost.flops);
  }
  return 1.25 * largest;
}

/**
 * Chooses the hypervolume's reference cost for a run. For params and FLOPs
 * it is sampledReferenceCost, lowered to maxParams or maxFlops when the
 * constraint is smaller. For latency it is maxLatencyMs when set, otherwise
 * twice the median latency of `firstDone`, the first done trial. Returns
 * undefined while no latency reference exists yet. The run loop fixes the
 * value once chosen, so the hypervolume never decreases over the run.
 */
export function chooseReferenceCost(
  config: RunConfig,
  firstDone: Trial | undefined,
  input: InputSpec,
): number | undefined {
  const { constraints, costObjective } = config;
  if (costObjective === 'latency') {
    if (constraints.maxLatencyMs !== undefined) return constraints.maxLatencyMs;
    const latency = firstDone === undefined ? undefined : trialCost(firstDone, 'latency');
    return latency !== undefined && latency > 0 ? 2 * latency : undefined;
  }

  const sampled = sampledReferenceCost(config.space, costObjective, config.seed, input);
  const bound = costObjective === 'params' ? constraints.maxParams : constraints.maxFlops;
  return bound === undefined ? sampled : Math.min(bound, sampled);
}

/** Returns the hypervolume of the trials' front against `referenceCost`, in [0, 1], or 0 while there is no reference. */
export function trialsHypervolume(
  trials: readonly Trial[],
  objective: CostObjective,
  referenceCost: number | undefined,
): number {
  if (referenceCost === undefined) return 0;
  return hypervolume(trialPoints(trials, objective), referenceCost);
}
