// Trial records of the run loop: the record created for a new proposal,
// the copy of an evaluation result into it, and its reset when the
// evaluation must run again.
import { deriveSeed } from '../random';
import type { Architecture } from '../space/types';
import type { Constraints, EvaluationResult, RunConfig, RunRecord, Trial } from './types';

/** Returns the trial id of trial `index` of run `runId`. */
export function trialId(runId: string, index: number): string {
  return `${runId}-trial-${index}`;
}

/**
 * Creates queued trial `index` of `record` for `arch`, seeded with
 * deriveSeed(config.seed, 'trial', index) so its metrics do not depend on timing.
 */
export function createTrial(record: RunRecord, config: RunConfig, index: number, arch: Architecture, hash: string): Trial {
  return {
    id: trialId(record.id, index),
    runId: record.id,
    index,
    arch,
    hash,
    seed: deriveSeed(config.seed, 'trial', index),
    epochs: config.training.epochs,
    status: 'queued',
    curve: [],
    toldBefore: record.state.toldCount,
  };
}

/**
 * Copies `result` into `trial`. A 'done' result without metrics becomes a
 * failed trial, and metrics slower than `constraints.maxLatencyMs` are
 * marked infeasible.
 */
export function applyEvaluationResult(trial: Trial, result: EvaluationResult, constraints: Constraints, now: number): void {
  trial.status = result.status;
  trial.metrics = result.metrics === undefined ? undefined : { ...result.metrics };
  trial.curve = result.curve;
  trial.error = result.error;
  trial.workerId = result.workerId ?? trial.workerId;
  trial.finishedAt = now;
  trial.stopReason = result.stopReason;
  trial.predictedAccuracy = result.predictedAccuracy;
  // A promoted rung is not scored again, so it keeps the scores of its first rung.
  if (result.proxies !== undefined) trial.proxies = result.proxies;
  if (trial.status === 'done' && trial.metrics === undefined) {
    trial.status = 'failed';
    trial.error = { code: 'evaluation_failed', message: 'the evaluator returned status done without metrics' };
  }
  const maxLatency = constraints.maxLatencyMs;
  if (trial.metrics !== undefined && maxLatency !== undefined && trial.metrics.latency.medianMs > maxLatency) {
    trial.metrics.feasible = false;
  }
}

/** Resets `trial` to 'queued' with an empty curve, for an evaluation that was cut off or cancelled. */
export function resetToQueued(trial: Trial): void {
  trial.status = 'queued';
  trial.curve = [];
  delete trial.startedAt;
  delete trial.workerId;
}
