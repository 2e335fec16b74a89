// The CLI's RunStore: a run as files in one directory, so a search can be
// read with ordinary tools and resumed after Ctrl-C or a crash.
//   trials.jsonl   finished trials, one JSON object per line, in finish order
//   queue.json     trials proposed but not finished (queued or running)
//   run.json       the RunRecord, rewritten after every step of the loop
//   best/          the best model so far: model.json, model.weights.bin, metadata.json
//   checkpoints/   training checkpoints of trials a scheduler may still promote
//   models/        every done trial's model, with estimation.weightInheritance
import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NasError, ValidationError, describeValue } from '../core/errors';
import { createLogger } from '../core/log';
import { validateRunConfig } from '../core/run/config';
import { isFinished } from '../core/run/proposals';
import type { RunStore } from '../core/run/store';
import { validatePendingTrials, validateRunState, validateStoredTrial } from '../core/run/record-validation';
import type { ReferencePredictions, RunConfig, RunRecord, RunStatus, SavedModel, TrainingCheckpoint, Trial } from '../core/run/types';
import { deleteCheckpointFiles, readCheckpointFiles, writeCheckpointFiles } from './checkpointFiles';
import { readTrialModelFiles, writeTrialModelFiles } from './modelFiles';
import { MNIST_INPUT } from '../core/space';

const log = createLogger('cli');

export const RUN_FILE = 'run.json';
export const TRIALS_FILE = 'trials.jsonl';
export const QUEUE_FILE = 'queue.json';
export const BEST_DIR = 'best';
const MODEL_BASE_NAME = 'model';

/** Writes `text` to a temporary file and renames it over `path`, so a crash never leaves half a file. */
async function writeFileAtomic(path: string, text: string | Uint8Array): Promise<void> {
  const temporary = `${path}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, path);
}

function storageError(action: string, path: string, error: unknown): NasError {
  const reason = error instanceof Error ? error.message : String(error);
  return new NasError('storage_failed', `could not ${action} ${path}: ${reason}; check that the directory is writable and the disk has space`, { cause: error });
}

/**
 * A RunStore over the files of one directory. Finished trials are appended
 * to trials.jsonl once; unfinished ones live in queue.json until they finish.
 * The best done trial by validation accuracy (the earlier one on ties) has
 * its model written to best/, replacing the previous best.
 */
export class FileRunStore implements RunStore {
  readonly dir: string;
  private readonly unfinished = new Map<string, Trial>();
  private readonly finishedIds = new Set<string>();
  private bestAccuracy = Number.NEGATIVE_INFINITY;
  /**
   * Models saved for trials that saveTrial has not recorded as done yet, by
   * trial id. A scheduler saves the model of every rung, and a trial may
   * wait at a rung before it becomes final.
   */
  private readonly pendingModels = new Map<string, { model: SavedModel; reference?: ReferencePredictions }>();
  private config: RunRecord['config'] | undefined;

  /** `trials` are the run's stored trials when resuming, so finished ones are not appended twice. */
  constructor(dir: string, trials: readonly Trial[] = []) {
    this.dir = dir;
    for (const trial of trials) {
      if (isFinished(trial)) {
        this.finishedIds.add(trial.id);
        if (trial.status === 'done' && trial.metrics !== undefined) {
          this.bestAccuracy = Math.max(this.bestAccuracy, trial.metrics.validationAccuracy);
        }
      } else {
        this.unfinished.set(trial.id, trial);
      }
    }
  }

  async saveRun(record: RunRecord): Promise<void> {
    this.config = record.config;
    const path = join(this.dir, RUN_FILE);
    try {
      await writeFileAtomic(path, `${JSON.stringify(record, null, 2)}\n`);
    } catch (error) {
      throw storageError('write', path, error);
    }
  }

  async saveTrial(trial: Trial): Promise<void> {
    if (!isFinished(trial)) {
      this.unfinished.set(trial.id, trial);
      await this.writeQueue();
      return;
    }
    if (this.finishedIds.has(trial.id)) {
      throw new NasError('internal', `trial ${trial.id} is already recorded as finished in ${TRIALS_FILE}; a finished trial must not change`);
    }

    // Append first, then drop it from the queue: a crash in between leaves
    // the trial in both files, and readRunDirectory keeps the finished copy.
    const path = join(this.dir, TRIALS_FILE);
    try {
      await appendFile(path, `${JSON.stringify(trial)}\n`);
    } catch (error) {
      throw storageError('append to', path, error);
    }
    this.finishedIds.add(trial.id);
    this.unfinished.delete(trial.id);
    await this.writeQueue();

    const model = this.pendingModels.get(trial.id);
    this.pendingModels.delete(trial.id);
    if (model !== undefined && trial.status === 'done' && this.config?.estimation?.weightInheritance === true) {
      await writeTrialModelFiles(this.dir, trial.id, model.model);
    }
    const accuracy = trial.metrics?.validationAccuracy;
    if (model !== undefined && trial.status === 'done' && accuracy !== undefined && accuracy > this.bestAccuracy) {
      this.bestAccuracy = accuracy;
      await this.writeBestModel(trial, model.model, model.reference);
    }
  }

  /**
   * Keeps the model until saveTrial records its trial as done, because only
   * then are its metrics known. NOTE: kept in memory only, so a trial that a
   * resumed run stops at a lower rung has no model here and never replaces best/.
   */
  async saveModel(trialId: string, model: SavedModel, reference?: ReferencePredictions): Promise<void> {
    this.pendingModels.set(trialId, { model, reference });
  }

  /** Writes the checkpoint to checkpoints/<trialId>.json and .bin, replacing an earlier one. */
  async saveCheckpoint(trialId: string, checkpoint: TrainingCheckpoint): Promise<void> {
    await writeCheckpointFiles(this.dir, trialId, checkpoint);
  }

  /** Reads the trial's checkpoint files; undefined when there are none. */
  async loadCheckpoint(trialId: string): Promise<TrainingCheckpoint | undefined> {
    return readCheckpointFiles(this.dir, trialId);
  }

  async deleteCheckpoint(trialId: string): Promise<void> {
    await deleteCheckpointFiles(this.dir, trialId);
  }

  /** Reads models/<trialId>.json and .bin, written only with estimation.weightInheritance; undefined when missing. */
  async loadModel(trialId: string): Promise<SavedModel | undefined> {
    return readTrialModelFiles(this.dir, trialId);
  }

  private async writeQueue(): Promise<void> {
    const path = join(this.dir, QUEUE_FILE);
    const queue = [...this.unfinished.values()].sort((a, b) => a.index - b.index);
    try {
      await writeFileAtomic(path, `${JSON.stringify(queue, null, 2)}\n`);
    } catch (error) {
      throw storageError('write', path, error);
    }
  }

  private async writeBestModel(trial: Trial, model: SavedModel, reference: ReferencePredictions | undefined): Promise<void> {
    const dir = join(this.dir, BEST_DIR);
    // Imported here so runs that produce no model (a benchmark table) never load tfjs.
    const { exportMetadata, savedModelToFiles } = await import('../engine');
    const { modelJson, weights } = savedModelToFiles(model, MODEL_BASE_NAME);
    try {
      await mkdir(dir, { recursive: true });
      // Weights first: model.json names the weights file, so it must never point at a missing one.
      await writeFileAtomic(join(dir, `${MODEL_BASE_NAME}.weights.bin`), new Uint8Array(weights));
      await writeFileAtomic(join(dir, `${MODEL_BASE_NAME}.json`), `${JSON.stringify(modelJson)}\n`);
      if (this.config !== undefined && trial.metrics !== undefined && reference !== undefined) {
        const metadata = exportMetadata({
          space: this.config.space,
          arch: trial.arch,
          metrics: trial.metrics,
          inputShape: MNIST_INPUT.inputShape,
          numClasses: MNIST_INPUT.numClasses,
          reference,
          dataset: this.config.dataset.name,
          trialId: trial.id,
        });
        await writeFileAtomic(join(dir, 'metadata.json'), `${JSON.stringify(metadata, null, 2)}\n`);
      } else {
        log.warn(`trial ${trial.id} has no reference predictions, so ${BEST_DIR}/metadata.json is not written`);
      }
    } catch (error) {
      throw storageError('write the best model to', dir, error);
    }
  }
}

/** A run read back from its directory. */
export interface StoredRun {
  record: RunRecord;
  /** Finished trials followed by unfinished ones, without duplicates. */
  trials: Trial[];
  /** Removes a cut-off last line from trials.jsonl; does nothing when the file is whole. */
  repair: () => Promise<void>;
}

/** The fix named by every error about a damaged run file. */
export const DAMAGED_RUN_FIX = 'the run directory is damaged: restore the file or start a new run with --config';

const RUN_STATUSES: readonly RunStatus[] = ['running', 'stopped', 'completed', 'failed', 'interrupted'];

/**
 * Returns the error for a run file, or one of its fields, that is missing or
 * has the wrong type. `where` is the file path, with a line or entry when it has one.
 */
export function damagedFileError(where: string, field: string | undefined, value: unknown, rule: string): NasError {
  const subject = field === undefined ? where : `${where} field ${field}`;
  return new NasError('invalid_config', `${subject} must be ${rule}, got ${describeValue(value)}: ${DAMAGED_RUN_FIX}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Runs a shared validator and turns its ValidationError into a bad-input error naming the file `where`. */
function inFile<T>(where: string, validate: () => T): T {
  try {
    return validate();
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw new NasError('invalid_config', `${where} field ${error.message}`, { cause: error });
  }
}

/**
 * Checks run.json with the validators of a run bundle import, so a damaged
 * file fails before anything is written. Pending proposals are checked
 * against the trials by readRunDirectory.
 */
function checkRunRecord(path: string, value: unknown): RunRecord {
  if (!isObject(value)) throw damagedFileError(path, undefined, value, 'a run record object');
  if (typeof value.id !== 'string' || value.id === '') throw damagedFileError(path, 'id', value.id, 'a non-empty string');
  if (!RUN_STATUSES.includes(value.status as RunStatus)) throw damagedFileError(path, 'status', value.status, `one of ${RUN_STATUSES.join(', ')}`);

  let config: RunConfig;
  try {
    config = validateRunConfig(value.config);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    // validateRunConfig names the whole object "config" and its fields without a prefix.
    const field = error.field === 'config' ? 'config' : `config.${error.field}`;
    throw new NasError('invalid_config', `${path} field ${field}: ${error.message}; ${DAMAGED_RUN_FIX}`, { cause: error });
  }
  inFile(path, () => validateRunState(value.state, 'state', config, DAMAGED_RUN_FIX));
  return value as unknown as RunRecord;
}

/** Checks a stored trial with the validators of a run bundle import. `where` is the file path with the line or entry. */
function checkTrial(where: string, value: unknown, config: RunConfig): Trial {
  if (!isObject(value)) throw damagedFileError(where, undefined, value, 'a trial object');
  return inFile(where, () => validateStoredTrial(value, '', config, DAMAGED_RUN_FIX));
}

async function readJsonFile(path: string): Promise<unknown> {
  const text = await readFile(path, 'utf8');
  return JSON.parse(text);
}

/**
 * Reads and checks run.json, trials.jsonl and queue.json from `dir`. A last
 * line of trials.jsonl cut off by a crash is skipped with a warning, and
 * `repair` removes it from the file. A trial found in both files counts as
 * finished. Nothing is written here, so a caller can check more files before
 * calling `repair`.
 * @throws NasError('not_found') when run.json is missing, NasError('invalid_config')
 *   naming the file and field when a file is not valid JSON or a field that
 *   resuming or the reports read is missing or invalid.
 */
export async function readRunDirectory(dir: string): Promise<StoredRun> {
  const runPath = join(dir, RUN_FILE);
  let runValue: unknown;
  try {
    runValue = await readJsonFile(runPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new NasError('not_found', `${runPath} does not exist: pass a directory written by \`nas-studio search --out\``, { cause: error });
    }
    throw new NasError('invalid_config', `${runPath} is not a valid run record: ${(error as Error).message}`, { cause: error });
  }
  const record = checkRunRecord(runPath, runValue);

  const trialsPath = join(dir, TRIALS_FILE);
  const { trials: finished, cutOff } = await readTrialLines(trialsPath, record.config);
  const finishedIds = new Set(finished.map((trial) => trial.id));

  const queuePath = join(dir, QUEUE_FILE);
  let queueValue: unknown = [];
  try {
    queueValue = await readJsonFile(queuePath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new NasError('invalid_config', `${queuePath} is not valid JSON: ${(error as Error).message}; ${DAMAGED_RUN_FIX}`, { cause: error });
    }
  }
  if (!Array.isArray(queueValue)) throw damagedFileError(queuePath, undefined, queueValue, 'an array of trials');
  const queued = queueValue.map((entry, i) => checkTrial(`${queuePath} entry ${i}`, entry, record.config));
  const indices = new Set([...finished, ...queued].map((trial) => trial.index));
  inFile(runPath, () => validatePendingTrials(record.state, indices, 'state', DAMAGED_RUN_FIX));

  const repair = async (): Promise<void> => {
    if (!cutOff) return;
    // Drop the incomplete line, or the next append would follow it on the same line.
    await writeFileAtomic(trialsPath, finished.map((trial) => `${JSON.stringify(trial)}\n`).join(''));
  };
  return { record, trials: [...finished, ...queued.filter((trial) => !finishedIds.has(trial.id))], repair };
}

async function readTrialLines(path: string, config: RunConfig): Promise<{ trials: Trial[]; cutOff: boolean }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { trials: [], cutOff: false };
    throw storageError('read', path, error);
  }

  const lines = text.split('\n');
  const trials: Trial[] = [];
  let cutOff = false;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(lines[i]);
    } catch (error) {
      const isLast = lines.slice(i + 1).every((line) => line.trim() === '');
      if (!isLast) {
        throw new NasError('invalid_config', `${path} line ${i + 1} is not valid JSON: ${(error as Error).message}; fix or remove that line`, { cause: error });
      }
      log.warn(`${path} line ${i + 1} is incomplete (the run was cut off while writing it); the trial will run again`);
      cutOff = true;
      continue;
    }
    trials.push(checkTrial(`${path} line ${i + 1}`, value, config));
  }
  return { trials, cutOff };
}
