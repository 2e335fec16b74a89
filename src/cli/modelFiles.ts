// Trained models of a CLI run's trials as files, kept when the run uses
// weight inheritance so that a resumed run still finds each parent's
// weights: models/<trialId>.json (topology and weight specs) and .bin.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NasError } from '../core/errors';
import { createLogger } from '../core/log';
import type { SavedModel } from '../core/run/types';

const log = createLogger('cli');

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
    await writeFile(`${base}.json.tmp`, `${JSON.stringify({ modelTopology: model.modelTopology, weightSpecs: model.weightSpecs })}\n`);
    await rename(`${base}.json.tmp`, `${base}.json`);
  } catch (error) {
    throw new NasError('storage_failed', `could not write the model of trial ${trialId} to ${base}.bin: ${(error as Error).message}; check that the directory is writable and the disk has space`, {
      cause: error,
    });
  }
}

/** Reads a trial's model; undefined when it has none, and also, with a warning, when the files cannot be read. */
export async function readTrialModelFiles(dir: string, trialId: string): Promise<SavedModel | undefined> {
  const base = join(dir, MODELS_DIR, trialId);
  try {
    const { modelTopology, weightSpecs } = JSON.parse(await readFile(`${base}.json`, 'utf8')) as Omit<SavedModel, 'weightData'>;
    const bytes = await readFile(`${base}.bin`);
    const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    return { modelTopology, weightSpecs, weightData };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      log.warn(`the model of trial ${trialId} in ${base}.json could not be read (${(error as Error).message})`);
    }
    return undefined;
  }
}
