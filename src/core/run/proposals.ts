// How the run loop classifies a proposal before training (analytic
// constraints) and turns a finished proposal into the Observation the
// strategy is told.
import { architectureCost } from '../space';
import type { Architecture, InputSpec, SearchSpace } from '../space/types';
import type { Observation } from '../strategy';
import { trialCost } from './front';
import type { Constraints, CostObjective, PendingProposal, Trial } from './types';

/**
 * Proposals in a row that may be rejected by constraints or repeat an
 * evaluated architecture before the loop stops asking the strategy. The
 * limit ends a run whose strategy cannot find anything new instead of
 * spinning, for example evolution in a nearly exhausted space.
 */
export const MAX_WASTED_PROPOSALS = 200;

/**
 * Returns the analytic value of the cost objective (params or
 * multiply-accumulates for `input`), or undefined for latency, which is only
 * measured.
 */
export function analyticCost(
  space: SearchSpace,
  arch: Architecture,
  objective: CostObjective,
  input: InputSpec,
): number | undefined {
  if (objective === 'latency') return undefined;
  const cost = architectureCost(space, arch, input);
  return objective === 'params' ? cost.params : cost.flops;
}

/** Returns whether `arch` breaks maxParams or maxFlops. Latency is checked after measuring. */
export function breaksAnalyticConstraints(
  space: SearchSpace,
  arch: Architecture,
  constraints: Constraints,
  input: InputSpec,
): boolean {
  if (constraints.maxParams === undefined && constraints.maxFlops === undefined) return false;
  const cost = architectureCost(space, arch, input);
  if (constraints.maxParams !== undefined && cost.params > constraints.maxParams) return true;
  return constraints.maxFlops !== undefined && cost.flops > constraints.maxFlops;
}

const FINISHED = new Set(['done', 'failed', 'diverged', 'pruned']);

/** Returns whether the trial reached a final status (done, failed, diverged or pruned). */
export function isFinished(trial: Trial): boolean {
  return FINISHED.has(trial.status);
}

/**
 * Builds the observation told for `entry`, or returns undefined while its
 * result is unknown (its trial, or the trial it duplicates, is not finished).
 * A rejected proposal is infeasible with no accuracy. A duplicate receives
 * the stored result of the trial with the same hash.
 */
export function observationFor(
  entry: PendingProposal,
  trials: ReadonlyMap<number, Trial>,
  space: SearchSpace,
  objective: CostObjective,
  input: InputSpec,
): Observation | undefined {
  if (entry.kind === 'rejected') {
    return {
      index: entry.proposal,
      arch: entry.arch as Architecture,
      hash: entry.hash as string,
      status: 'rejected',
      cost: entry.cost,
      feasible: false,
    };
  }

  const trial = trials.get(entry.trialIndex as number);
  if (trial === undefined || !isFinished(trial)) return undefined;
  const arch = entry.arch ?? trial.arch;
  const status = trial.status as 'done' | 'failed' | 'diverged' | 'pruned';
  return {
    index: entry.proposal,
    arch,
    hash: trial.hash,
    status,
    validationAccuracy: status === 'done' ? trial.metrics?.validationAccuracy : undefined,
    cost: trialCost(trial, objective) ?? analyticCost(space, arch, objective, input),
    // A failed trial has no measurement, so it is feasible as far as known.
    feasible: trial.metrics?.feasible ?? true,
  };
}
