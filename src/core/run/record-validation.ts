// Validation of stored trials and run state, shared by the run-bundle import
// (storage) and the CLI's run-directory reader. It covers every field the
// run loop and the result pages read, so damaged data is rejected on import
// with its field path instead of failing later.
import { ValidationError } from '../errors';
import { validateArchitecture } from '../space';
import type { SearchSpace } from '../space/types';
import { fieldPath, FieldChecker } from './field-checks';
import { computeRungEpochs } from './scheduler';
import type { BackendName, PendingProposal, ProxyName, RunConfig, RunState, Trial, TrialSchedule, TrialStatus } from './types';

const TRIAL_STATUSES: readonly TrialStatus[] = ['queued', 'running', 'done', 'failed', 'diverged', 'pruned'];
const BACKENDS: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];
const PROXY_NAMES: readonly ProxyName[] = ['synflow', 'naswot', 'snip', 'grad_norm', 'params', 'flops'];
const SCHEDULE_STATES: readonly TrialSchedule['state'][] = ['training', 'waiting', 'stopped', 'top'];
const PENDING_KINDS: readonly PendingProposal['kind'][] = ['trial', 'duplicate', 'rejected'];

/**
 * Runs a validator that names its root object `root` and other fields
 * relative to it (`layers[0].op`), and rethrows its ValidationError with the
 * field path `path` in front and `fix` at the end.
 */
export function withFieldPath<T>(path: string, root: string, fix: string, validate: () => T): T {
  try {
    return validate();
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const field = error.field === root ? path : fieldPath(path, error.field);
    throw new ValidationError(field, error.value, `${field} is invalid: ${error.message}; ${fix}`);
  }
}

/** Returns the number of scheduler rungs of `config`, or undefined when it has no scheduler. */
function rungCountOf(config: RunConfig): number | undefined {
  const scheduler = config.estimation?.scheduler;
  if (scheduler === undefined) return undefined;
  return computeRungEpochs(scheduler.minEpochs, scheduler.eta, config.training.epochs).length;
}

/**
 * Validates a stored trial of a run with `config`: its id, index, status,
 * architecture, curve and metrics, and every optional field the run loop or
 * the result pages read (schedule, proxies, inheritance, stopReason,
 * toldBefore and the others). The run id and uniqueness are left to the caller.
 * @throws ValidationError whose field starts with `path` (e.g. `trials[2].schedule.rung`)
 *   and whose message ends with `fix`.
 */
export function validateStoredTrial(value: unknown, path: string, config: RunConfig, fix: string): Trial {
  const check = new FieldChecker(fix);
  const trial = check.object(value, path);
  const field = (name: string): string => fieldPath(path, name);

  check.nonEmptyString(trial.id, field('id'));
  check.nonNegativeInteger(trial.index, field('index'));
  const status = check.oneOf(trial.status, TRIAL_STATUSES, field('status'));
  withFieldPath(field('arch'), 'arch', fix, () => validateArchitecture(config.space, trial.arch));
  check.nonEmptyString(trial.hash, field('hash'));
  check.finiteNumber(trial.seed, field('seed'));
  check.nonNegativeInteger(trial.epochs, field('epochs'));
  validateCurve(check, trial.curve, field('curve'));
  if (trial.metrics !== undefined) {
    validateMetrics(check, trial.metrics, field('metrics'));
  } else if (status === 'done') {
    check.fail(field('metrics'), trial.metrics, 'must be present for a trial with status done');
  }

  if (trial.error !== undefined) {
    const error = check.object(trial.error, field('error'));
    check.string(error.code, field('error.code'));
    check.string(error.message, field('error.message'));
    check.optional(error.field, field('error.field'), check.string);
  }
  check.optional(trial.reusedFrom, field('reusedFrom'), check.nonEmptyString);
  check.optional(trial.stopReason, field('stopReason'), check.string);
  check.optional(trial.predictedAccuracy, field('predictedAccuracy'), check.fraction);
  check.optional(trial.toldBefore, field('toldBefore'), check.nonNegativeInteger);
  check.optional(trial.workerId, field('workerId'), check.nonNegativeInteger);
  check.optional(trial.startedAt, field('startedAt'), check.finiteNumber);
  check.optional(trial.finishedAt, field('finishedAt'), check.finiteNumber);
  if (trial.schedule !== undefined) validateSchedule(check, trial.schedule, field('schedule'), rungCountOf(config));
  if (trial.proxies !== undefined) validateProxies(check, trial.proxies, field('proxies'));
  if (trial.inheritance !== undefined) {
    const inheritance = check.object(trial.inheritance, field('inheritance'));
    check.nonEmptyString(inheritance.parentTrialId, field('inheritance.parentTrialId'));
    check.optional(inheritance.tensors, field('inheritance.tensors'), check.nonNegativeInteger);
    check.optional(inheritance.total, field('inheritance.total'), check.nonNegativeInteger);
    check.optional(inheritance.note, field('inheritance.note'), check.string);
  }
  return value as Trial;
}

function validateCurve(check: FieldChecker, value: unknown, path: string): void {
  check.array(value, path, 'curve points').forEach((item, position) => {
    const pointPath = `${path}[${position}]`;
    const point = check.object(item, pointPath);
    check.finiteNumber(point.epoch, `${pointPath}.epoch`);
    check.finiteNumber(point.loss, `${pointPath}.loss`);
    check.finiteNumber(point.trainAccuracy, `${pointPath}.trainAccuracy`);
    check.finiteNumber(point.validationAccuracy, `${pointPath}.validationAccuracy`);
  });
}

function validateMetrics(check: FieldChecker, value: unknown, path: string): void {
  const metrics = check.object(value, path);
  check.fraction(metrics.validationAccuracy, `${path}.validationAccuracy`);
  check.fraction(metrics.testAccuracy, `${path}.testAccuracy`);
  check.nonNegativeNumber(metrics.params, `${path}.params`);
  check.nonNegativeNumber(metrics.flops, `${path}.flops`);
  check.nonNegativeNumber(metrics.trainMs, `${path}.trainMs`);
  check.nonNegativeNumber(metrics.epochs, `${path}.epochs`);
  check.optional(metrics.peakMemoryBytes, `${path}.peakMemoryBytes`, check.nonNegativeNumber);

  const latency = check.object(metrics.latency, `${path}.latency`);
  check.finiteNumber(latency.medianMs, `${path}.latency.medianMs`);
  check.finiteNumber(latency.p90Ms, `${path}.latency.p90Ms`);
  check.finiteNumber(latency.runs, `${path}.latency.runs`);

  check.oneOf(metrics.backend, BACKENDS, `${path}.backend`);
  check.string(metrics.device, `${path}.device`);
  check.boolean(metrics.feasible, `${path}.feasible`);

  if (metrics.backendFallback !== undefined) {
    const fallback = check.object(metrics.backendFallback, `${path}.backendFallback`);
    check.oneOf(fallback.from, BACKENDS, `${path}.backendFallback.from`);
    check.oneOf(fallback.to, BACKENDS, `${path}.backendFallback.to`);
    check.string(fallback.reason, `${path}.backendFallback.reason`);
  }
  if (metrics.backendProbe !== undefined) {
    const probePath = `${path}.backendProbe`;
    const probe = check.object(metrics.backendProbe, probePath);
    check.oneOf(probe.chosen, BACKENDS, `${probePath}.chosen`);
    check.nonNegativeNumber(probe.batchSize, `${probePath}.batchSize`);
    check.array(probe.entries, `${probePath}.entries`, 'probe entries').forEach((item, position) => {
      const entryPath = `${probePath}.entries[${position}]`;
      const entry = check.object(item, entryPath);
      check.oneOf(entry.backend, BACKENDS, `${entryPath}.backend`);
      check.boolean(entry.passed, `${entryPath}.passed`);
      check.optional(entry.msPerStep, `${entryPath}.msPerStep`, check.nonNegativeNumber);
      check.optional(entry.imagesPerSecond, `${entryPath}.imagesPerSecond`, check.nonNegativeNumber);
      check.optional(entry.reason, `${entryPath}.reason`, check.string);
    });
  }
}

/** Checks a schedule; rungs are bounded by `rungCount` when the run has a scheduler. */
function validateSchedule(check: FieldChecker, value: unknown, path: string, rungCount: number | undefined): void {
  const schedule = check.object(value, path);
  if (rungCount === undefined) {
    check.fail(path, value, 'must be absent because run.config.estimation.scheduler is not set');
  }
  const topRung = rungCount - 1;
  check.nonNegativeInteger(schedule.bracket, `${path}.bracket`);
  const rung = check.integerInRange(schedule.rung, `${path}.rung`, 0, topRung);
  check.integerInRange(schedule.firstRung, `${path}.firstRung`, 0, rung);
  check.oneOf(schedule.state, SCHEDULE_STATES, `${path}.state`);
  const accuracies = check.array(schedule.rungAccuracies, `${path}.rungAccuracies`, 'accuracies or nulls');
  if (accuracies.length > rungCount) {
    check.fail(`${path}.rungAccuracies`, accuracies, `must have at most one entry per rung (${rungCount})`);
  }
  accuracies.forEach((accuracy, position) => {
    if (accuracy !== null) check.fraction(accuracy, `${path}.rungAccuracies[${position}]`);
  });
  check.nonNegativeInteger(schedule.epochsSpent, `${path}.epochsSpent`);
  check.optional(schedule.restartReason, `${path}.restartReason`, check.string);
}

function validateProxies(check: FieldChecker, value: unknown, path: string): void {
  const proxies = check.object(value, path);
  for (const [name, score] of Object.entries(proxies)) {
    check.oneOf(name, PROXY_NAMES, `${path} key ${JSON.stringify(name)}`);
    check.finiteNumber(score, `${path}.${name}`);
  }
}

/**
 * Validates a run's state as the run loop reads it when resuming: the
 * counters, the hypervolume history, the random state and the loop's queue
 * of pending proposals, whose architectures must belong to `config.space`.
 * NOTE: the strategy state is not checked here; each strategy restores it.
 * @throws ValidationError whose field starts with `path` and whose message ends with `fix`.
 */
export function validateRunState(value: unknown, path: string, config: RunConfig, fix: string): RunState {
  const check = new FieldChecker(fix);
  const state = check.object(value, path);
  const field = (name: string): string => fieldPath(path, name);

  check.nonNegativeInteger(state.toldCount, field('toldCount'));
  check.nonNegativeInteger(state.proposedCount, field('proposedCount'));
  check.array(state.hypervolume, field('hypervolume'), '{trials, value} points').forEach((item, position) => {
    const pointPath = `${field('hypervolume')}[${position}]`;
    const point = check.object(item, pointPath);
    check.finiteNumber(point.trials, `${pointPath}.trials`);
    check.finiteNumber(point.value, `${pointPath}.value`);
  });
  if (state.randomState !== undefined) {
    const words = check.array(state.randomState, field('randomState'), 'four 32-bit integers');
    if (words.length !== 4) check.fail(field('randomState'), words, 'must have exactly 4 entries');
    words.forEach((word, position) => check.integerInRange(word, `${field('randomState')}[${position}]`, 0, 0xffffffff));
  }
  if (state.loop !== undefined) validateLoopState(check, state.loop, field('loop'), config.space);
  return value as RunState;
}

function validateLoopState(check: FieldChecker, value: unknown, path: string, space: SearchSpace): void {
  const loop = check.object(value, path);
  check.nonNegativeInteger(loop.proposals, `${path}.proposals`);
  check.nonNegativeInteger(loop.wastedInARow, `${path}.wastedInARow`);
  check.optional(loop.proposalsEndedReason, `${path}.proposalsEndedReason`, check.string);
  check.optional(loop.referenceCost, `${path}.referenceCost`, check.nonNegativeNumber);
  check.optional(loop.elapsedMs, `${path}.elapsedMs`, check.nonNegativeNumber);

  check.array(loop.pending, `${path}.pending`, 'pending proposals').forEach((item, position) => {
    const entryPath = `${path}.pending[${position}]`;
    const entry = check.object(item, entryPath);
    check.nonNegativeInteger(entry.proposal, `${entryPath}.proposal`);
    const kind = check.oneOf(entry.kind, PENDING_KINDS, `${entryPath}.kind`);
    if (kind !== 'rejected' || entry.trialIndex !== undefined) check.nonNegativeInteger(entry.trialIndex, `${entryPath}.trialIndex`);
    if (kind !== 'trial' || entry.arch !== undefined) {
      withFieldPath(`${entryPath}.arch`, 'arch', check.fix, () => validateArchitecture(space, entry.arch));
      check.nonEmptyString(entry.hash, `${entryPath}.hash`);
    }
    check.optional(entry.cost, `${entryPath}.cost`, check.finiteNumber);
  });
}

/**
 * Checks that every pending proposal of the state that names a trial names
 * one of `trialIndices`, because the run loop looks those trials up.
 * @throws ValidationError naming `<path>.loop.pending[i].trialIndex`.
 */
export function validatePendingTrials(state: RunState, trialIndices: ReadonlySet<number>, path: string, fix: string): void {
  const check = new FieldChecker(fix);
  state.loop?.pending.forEach((entry, position) => {
    if (entry.trialIndex !== undefined && !trialIndices.has(entry.trialIndex)) {
      check.fail(`${fieldPath(path, 'loop')}.pending[${position}].trialIndex`, entry.trialIndex, 'must be the index of a stored trial of the run');
    }
  });
}
