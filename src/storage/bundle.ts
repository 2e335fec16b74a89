// Run bundles: one run and its trials as a JSON-serialisable object, for
// exporting a run to a file and importing it into another browser. Trained
// models are not part of a bundle.
import { describeValue, NasError } from '../core/errors';
import { validateRunConfig } from '../core/run/config';
import { invalidField } from '../core/run/field-checks';
import { validatePendingTrials, validateRunState, validateStoredTrial, withFieldPath } from '../core/run/record-validation';
import type { RunRecord, RunStatus, Trial } from '../core/run/types';
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
 * returns it typed. The run config, the run state with the run loop's queue,
 * and every trial field that the run loop or the pages showing a run read
 * are checked (see validateStoredTrial and validateRunState), because those
 * read them without further checks. The strategy state is not checked.
 * Throws ValidationError naming the first invalid field.
 */
export function validateRunBundle(value: unknown): RunBundle {
  const bundle = requireObject(value, 'bundle');
  if (bundle.format !== RUN_BUNDLE_FORMAT) {
    throw invalidField('format', bundle.format, `must be ${JSON.stringify(RUN_BUNDLE_FORMAT)}`, 'choose a file exported with "Export run" in NAS Studio');
  }
  if (bundle.version !== RUN_BUNDLE_VERSION) {
    const fix =
      typeof bundle.version === 'number' && bundle.version > RUN_BUNDLE_VERSION
        ? 'the file comes from a newer NAS Studio: update the studio to import it'
        : FIX;
    throw invalidField('version', bundle.version, `must be ${RUN_BUNDLE_VERSION}`, fix);
  }

  const run = requireObject(bundle.run, 'run');
  const runId = requireNonEmptyString(run.id, 'run.id');
  const config = withFieldPath('run.config', 'config', FIX, () => validateRunConfig(run.config));
  requireOneOf(run.status, RUN_STATUSES, 'run.status');
  requireFiniteNumber(run.createdAt, 'run.createdAt');
  requireFiniteNumber(run.updatedAt, 'run.updatedAt');
  const state = validateRunState(run.state, 'run.state', config, FIX);

  if (!Array.isArray(bundle.trials)) {
    throw invalidField('trials', bundle.trials, 'must be an array of trials', FIX);
  }
  const ids = new Set<string>();
  const indices = new Set<number>();
  bundle.trials.forEach((item: unknown, position: number) => {
    const field = `trials[${position}]`;
    const trial = validateStoredTrial(item, field, config, FIX);
    if (ids.has(trial.id)) throw invalidField(`${field}.id`, trial.id, 'must be unique within the bundle', FIX);
    ids.add(trial.id);
    if (trial.runId !== runId) throw invalidField(`${field}.runId`, trial.runId, `must equal run.id ${JSON.stringify(runId)}`, FIX);
    if (indices.has(trial.index)) throw invalidField(`${field}.index`, trial.index, 'must be unique within the run', FIX);
    indices.add(trial.index);
  });
  validatePendingTrials(state, indices, 'run.state', FIX);

  return value as RunBundle;
}

function requireObject(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidField(field, value, 'must be an object', FIX);
  }
  return value as Record<string, unknown>;
}

function requireNonEmptyString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) throw invalidField(field, value, 'must be a non-empty string', FIX);
  return value;
}

function requireFiniteNumber(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidField(field, value, 'must be a finite number', FIX);
  return value;
}

function requireOneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (!allowed.includes(value as T)) throw invalidField(field, value, `must be one of ${allowed.join(', ')}`, FIX);
  return value as T;
}
