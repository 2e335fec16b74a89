// Trained models of a CLI run's trials as files, kept when the run uses
// weight inheritance so that a resumed run still finds each parent's
// weights: models/<trialId>.json (trial id, topology and weight specs) and .bin.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NasError } from '../core/errors';
import { findTensorBytesProblem } from '../core/run/tensor-bytes';
import type { SavedModel } from '../core/run/types';

export const MODELS_DIR = 'models';

/**
 * Writes a trial's model; the .bin file first, so a .json file never names
 * missing weights. Throws NasError('storage_failed') when a file cannot be written.
 */
export async function writeTrialModelFiles(dir: string, trialId: string, model: SavedModel): Promise<void> {
  const base = join(dir, MODELS_DIR, trialId);
  try {
    await mkdir(join(dir, MODELS_DIR), { recursive: true });
    await writeFile(`${base}.bin.tmp`, new Uint8Array(model.weightData));
    await rename(`${base}.bin.tmp`, `${base}.bin`);
    await writeFile(`${base}.json.tmp`, `${JSON.stringify({ trialId, modelTopology: model.modelTopology, weightSpecs: model.weightSpecs })}\n`);
    await rename(`${base}.json.tmp`, `${base}.json`);
  } catch (error) {
    throw new NasError('storage_failed', `could not write the model of trial ${trialId} to ${base}.bin: ${(error as Error).message}; check that the directory is writable and the disk has space`, {
      cause: error,
    });
  }
}

/**
 * Reads a trial's model and returns undefined when it has none. Throws
 * NasError('invalid_config') naming the file when the files exist but are
 * damaged: unreadable JSON, a model written for another trial, weight
 * specs that do not match the .bin size, or NaN or infinite weights.
 */
export async function readTrialModelFiles(dir: string, trialId: string): Promise<SavedModel | undefined> {
  const base = join(dir, MODELS_DIR, trialId);
  let text: string;
  let bytes: Buffer;
  try {
    text = await readFile(`${base}.json`, 'utf8');
    bytes = await readFile(`${base}.bin`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw damaged(`${base}.json`, (error as Error).message, error);
  }

  let index: { trialId?: unknown; modelTopology?: unknown; weightSpecs?: unknown };
  try {
    index = JSON.parse(text) as typeof index;
  } catch (error) {
    throw damaged(`${base}.json`, `invalid JSON (${(error as Error).message})`, error);
  }
  if (typeof index !== 'object' || index === null || typeof index.modelTopology !== 'object' || index.modelTopology === null) {
    throw damaged(`${base}.json`, 'it has no modelTopology object');
  }
  // Files written before the trial id was stored have none; they pass this check.
  if (index.trialId !== undefined && index.trialId !== trialId) {
    throw damaged(`${base}.json`, `it is the model of trial ${JSON.stringify(index.trialId)}, not of ${trialId}`);
  }
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const problem = findTensorBytesProblem(index.weightSpecs, weightData);
  if (problem !== undefined) throw damaged(`${base}.bin`, problem);
  return { modelTopology: index.modelTopology, weightSpecs: index.weightSpecs as SavedModel['weightSpecs'], weightData };
}

function damaged(path: string, reason: string, cause?: unknown): NasError {
  return new NasError('invalid_config', `the model file ${path} is damaged: ${reason}`, { cause });
}
