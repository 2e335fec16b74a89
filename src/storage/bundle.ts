// Run bundles: one run and its trials as a JSON-serialisable object, for
// exporting a run to a file and importing it into another browser. Trained
// models are not part of a bundle.
import { describeValue, NasError, ValidationError } from '../core/errors';
import { validateRunConfig } from '../core/run/config';
import type { RunRecord, RunStatus, Trial, TrialStatus } from '../core/run/types';
import { validateArchitecture } from '../core/space';
import type { SearchSpace } from '../core/space/types';
import { trialsOfRunRange, type StudioDb } from './db';
import { queueRequests, readInTransaction, writeInTransaction } from './transaction';

export const RUN_BUNDLE_FORMAT = 'nas-studio-run';
export const RUN_BUNDLE_VERSION = 1;

export interface RunBundle {
  format: typeof RUN_BUNDLE_FORMAT;
  version: typeof RUN_BUNDLE_VERSION;
  run: RunRecord;
  /** The run's trials in index order. */
  trials: Trial[];
}

const RUN_STATUSES: readonly RunStatus[] = ['running', 'stopped', 'completed', 'failed', 'interrupted'];
const TRIAL_STATUSES: readonly TrialStatus[] = ['queued', 'running', 'done', 'failed', 'diverged', 'pruned'];
const FIX = 'export the run again from NAS Studio or correct the file';

/**
 * Reads a run and its trials (in index order) into a bundle. Throws NasError
 * 'not_found' when the run does not exist, or 'storage_failed'.
 */
export async function exportRunBundle(db: StudioDb, runId: string): Promise<RunBundle> {
  const { run, trials } = await readInTransaction(db, ['runs', 'trials'], `export run ${runId}`, async (transaction) => ({
    run: await transaction.objectStore('runs').get(runId),
    trials: await transaction.objectStore('trials').index('byRun').getAll(trialsOfRunRange(runId)),
  }));
  if (run === undefined) {
    throw new NasError('not_found', `run ${describeValue(runId)} was not found, so it cannot be exported: pick a run from the list`);
  }
  return { format: RUN_BUNDLE_FORMAT, version: RUN_BUNDLE_VERSION, run, trials };
}

/**
 * Validates a parsed bundle and stores its run and trials in one transaction.
 * Returns the stored run.
 *
 * When the run id or any trial id already exists, the run and all its trials
 * get new ids (trial `reusedFrom` links inside the bundle follow them), so an
 * import never overwrites stored data. A run saved as 'running' is stored as
 * 'interrupted' because no search is running it here.
 *
 * Throws ValidationError naming the first invalid field (`trials[2].index`),
 * or NasError 'storage_quota' / 'storage_failed'.
 */
export async function importRunBundle(db: StudioDb, value: unknown): Promise<RunRecord> {
  const bundle = structuredClone(validateRunBundle(value));
  const run: RunRecord = { ...bundle.run, status: bundle.run.status === 'running' ? 'interrupted' : bundle.run.status };

  return writeInTransaction(db, ['runs', 'trials'], `import run ${run.id} with ${bundle.trials.length} trials`, async (transaction) => {
    const runs = transaction.objectStore('runs');
    const trialStore = transaction.objectStore('trials');

    const runExists = (await runs.getKey(run.id)) !== undefined;
    const trialKeys = await Promise.all(bundle.trials.map((trial) => trialStore.getKey(trial.id)));
    const collides = runExists || trialKeys.some((key) => key !== undefined);
    const stored = collides ? withNewIds(run, bundle.trials) : { run, trials: bundle.trials };

    await queueRequests([() => runs.put(stored.run), ...stored.trials.map((trial) => () => trialStore.put(trial))]);
    return stored.run;
  });
}

function withNewIds(run: RunRecord, trials: Trial[]): { run: RunRecord; trials: Trial[] } {
  const runId = crypto.randomUUID();
  const trialIds = new Map(trials.map((trial) => [trial.id, crypto.randomUUID()]));
  return {
    run: { ...run, id: runId },
    trials: trials.map((trial) => {
      const renamed: Trial = { ...trial, id: trialIds.get(trial.id) ?? trial.id, runId };
      if (trial.reusedFrom !== undefined) renamed.reusedFrom = trialIds.get(trial.reusedFrom) ?? trial.reusedFrom;
      return renamed;
    }),
  };
}

/**
 * Checks that `value` is a run bundle of a version this build reads and
 * returns it typed. The run config, every trial's architecture, curve and
 * metrics, and the hypervolume history are checked, because the pages that
 * show a run read them without further checks. The strategy state and the
 * run loop state are not checked. Throws ValidationError naming the first
 * invalid field.
 */
export function validateRunBundle(value: unknown): RunBundle {
  const bundle = requireObject(value, 'bundle');
  if (bundle.format !== RUN_BUNDLE_FORMAT) {
    throw invalid('format', bundle.format, `must be ${JSON.stringify(RUN_BUNDLE_FORMAT)}`, 'choose a file exported with "Export run" in NAS Studio');
  }
  if (bundle.version !== RUN_BUNDLE_VERSION) {
    const fix =
      typeof bundle.version === 'number' && bundle.version > RUN_BUNDLE_VERSION
        ? 'the file comes from a newer NAS Studio: update the studio to import it'
        : FIX;
    throw invalid('version', bundle.version, `must be ${RUN_BUNDLE_VERSION}`, fix);
  }

  const run = requireObject(bundle.run, 'run');
  const runId = requireNonEmptyString(run.id, 'run.id');
  const config = withFieldPrefix('run.config', 'config', () => validateRunConfig(run.config));
  requireOneOf(run.status, RUN_STATUSES, 'run.status');
  requireFiniteNumber(run.createdAt, 'run.createdAt');
  requireFiniteNumber(run.updatedAt, 'run.updatedAt');
  const state = requireObject(run.state, 'run.state');
  requireNonNegativeInteger(state.toldCount, 'run.state.toldCount');
  requireNonNegativeInteger(state.proposedCount, 'run.state.proposedCount');
  validateHypervolume(state.hypervolume);

  if (!Array.isArray(bundle.trials)) {
    throw invalid('trials', bundle.trials, 'must be an array of trials', FIX);
  }
  const ids = new Set<string>();
  const indices = new Set<number>();
  bundle.trials.forEach((item: unknown, position: number) => {
    const field = `trials[${position}]`;
    const trial = requireObject(item, field);
    const id = requireNonEmptyString(trial.id, `${field}.id`);
    if (ids.has(id)) throw invalid(`${field}.id`, id, 'must be unique within the bundle', FIX);
    ids.add(id);
    if (trial.runId !== runId) throw invalid(`${field}.runId`, trial.runId, `must equal run.id ${JSON.stringify(runId)}`, FIX);
    const index = requireNonNegativeInteger(trial.index, `${field}.index`);
    if (indices.has(index)) throw invalid(`${field}.index`, index, 'must be unique within the run', FIX);
    indices.add(index);
    validateTrialContent(trial, field, config.space);
  });

  return value as RunBundle;
}

/** Checks a trial's fields other than its id, run id and index. */
function validateTrialContent(trial: Record<string, unknown>, field: string, space: SearchSpace): void {
  withFieldPrefix(`${field}.arch`, 'arch', () => validateArchitecture(space, trial.arch));
  requireNonEmptyString(trial.hash, `${field}.hash`);
  requireFiniteNumber(trial.seed, `${field}.seed`);
  requireNonNegativeInteger(trial.epochs, `${field}.epochs`);
  const status = requireOneOf(trial.status, TRIAL_STATUSES, `${field}.status`);
  validateCurve(trial.curve, `${field}.curve`);

  if (trial.metrics !== undefined) {
    validateMetrics(trial.metrics, `${field}.metrics`);
  } else if (status === 'done') {
    throw invalid(`${field}.metrics`, trial.metrics, 'must be present for a trial with status done', FIX);
  }
}

function validateCurve(value: unknown, field: string): void {
  if (!Array.isArray(value)) throw invalid(field, value, 'must be an array of curve points', FIX);
  value.forEach((item: unknown, position: number) => {
    const pointField = `${field}[${position}]`;
    const point = requireObject(item, pointField);
    requireFiniteNumber(point.epoch, `${pointField}.epoch`);
    requireFiniteNumber(point.loss, `${pointField}.loss`);
    requireFiniteNumber(point.trainAccuracy, `${pointField}.trainAccuracy`);
    requireFiniteNumber(point.validationAccuracy, `${pointField}.validationAccuracy`);
  });
}

function validateMetrics(value: unknown, field: string): void {
  const metrics = requireObject(value, field);
  requireFraction(metrics.validationAccuracy, `${field}.validationAccuracy`);
  requireFraction(metrics.testAccuracy, `${field}.testAccuracy`);
  requireNonNegativeNumber(metrics.params, `${field}.params`);
  requireNonNegativeNumber(metrics.flops, `${field}.flops`);
  requireNonNegativeNumber(metrics.trainMs, `${field}.trainMs`);
  requireNonNegativeNumber(metrics.epochs, `${field}.epochs`);
  if (metrics.peakMemoryBytes !== undefined) requireNonNegativeNumber(metrics.peakMemoryBytes, `${field}.peakMemoryBytes`);

  const latency = requireObject(metrics.latency, `${field}.latency`);
  requireFiniteNumber(latency.medianMs, `${field}.latency.medianMs`);
  requireFiniteNumber(latency.p90Ms, `${field}.latency.p90Ms`);
  requireFiniteNumber(latency.runs, `${field}.latency.runs`);

  if (typeof metrics.backend !== 'string') throw invalid(`${field}.backend`, metrics.backend, 'must be a string', FIX);
  if (typeof metrics.feasible !== 'boolean') throw invalid(`${field}.feasible`, metrics.feasible, 'must be true or false', FIX);
}

function validateHypervolume(value: unknown): void {
  const field = 'run.state.hypervolume';
  if (!Array.isArray(value)) throw invalid(field, value, 'must be an array of {trials, value} points', FIX);
  value.forEach((item: unknown, position: number) => {
    const pointField = `${field}[${position}]`;
    const point = requireObject(item, pointField);
    requireFiniteNumber(point.trials, `${pointField}.trials`);
    requireFiniteNumber(point.value, `${pointField}.value`);
  });
}

/**
 * Runs a validator from the core layer and rethrows its ValidationError with
 * the field path inside the bundle. The validator names its root object
 * `root` (`arch`) and other fields relative to it (`layers[0].op`), so
 * `root` becomes `prefix` and any other field gets `prefix.` in front.
 */
function withFieldPrefix<T>(prefix: string, root: string, validate: () => T): T {
  try {
    return validate();
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const field = error.field === root ? prefix : `${prefix}.${error.field}`;
    throw new ValidationError(field, error.value, `${field} is invalid: ${error.message}. To import the run, ${FIX}`);
  }
}

function invalid(field: string, value: unknown, rule: string, fix: string): ValidationError {
  return new ValidationError(field, value, `${field} ${rule}, got ${describeValue(value)}: ${fix}`);
}

function requireObject(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(field, value, 'must be an object', FIX);
  }
  return value as Record<string, unknown>;
}

function requireNonEmptyString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) throw invalid(field, value, 'must be a non-empty string', FIX);
  return value;
}

function requireFiniteNumber(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(field, value, 'must be a finite number', FIX);
  return value;
}

function requireNonNegativeNumber(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalid(field, value, 'must be a non-negative finite number', FIX);
  }
  return value;
}

function requireFraction(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw invalid(field, value, 'must be a number from 0 to 1', FIX);
  }
  return value;
}

function requireNonNegativeInteger(value: unknown, field: string): number {
  if (!Number.isInteger(value) || (value as number) < 0) throw invalid(field, value, 'must be a non-negative integer', FIX);
  return value as number;
}

function requireOneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (!allowed.includes(value as T)) throw invalid(field, value, `must be one of ${allowed.join(', ')}`, FIX);
  return value as T;
}
