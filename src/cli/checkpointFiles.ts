// Training checkpoints of a CLI run as files: checkpoints/<trialId>.json
// contains the counters and tensor specs, checkpoints/<trialId>.bin the
// tensor bytes (model weights, optimizer state, then the best weights).
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NasError } from '../core/errors';
import { createLogger } from '../core/log';
import type { TensorData, TrainingCheckpoint } from '../core/run/types';

const log = createLogger('cli');

export const CHECKPOINT_DIR = 'checkpoints';

/** The .json file: the checkpoint without its buffers, and each buffer's byte range in the .bin file. */
interface CheckpointIndex {
  checkpoint: Omit<TrainingCheckpoint, 'weights' | 'optimizer' | 'bestWeights'>;
  tensors: { field: 'weights' | 'optimizer' | 'bestWeights'; specs: TensorData['specs']; offset: number; length: number }[];
}

function paths(dir: string, trialId: string): { json: string; bin: string } {
  const base = join(dir, CHECKPOINT_DIR, trialId);
  return { json: `${base}.json`, bin: `${base}.bin` };
}

/**
 * Writes a checkpoint, replacing an earlier one of the trial. The .bin file
 * is written first and the .json last, each through a rename, so a .json
 * file never points at missing bytes.
 * @throws NasError('storage_failed') when a file cannot be written.
 */
export async function writeCheckpointFiles(dir: string, trialId: string, checkpoint: TrainingCheckpoint): Promise<void> {
  const { weights, optimizer, bestWeights, ...counters } = checkpoint;
  const index: CheckpointIndex = { checkpoint: counters, tensors: [] };
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (const [field, data] of [['weights', weights], ['optimizer', optimizer], ['bestWeights', bestWeights]] as const) {
    if (data === undefined) continue;
    index.tensors.push({ field, specs: data.specs, offset, length: data.data.byteLength });
    parts.push(new Uint8Array(data.data));
    offset += data.data.byteLength;
  }

  const { json, bin } = paths(dir, trialId);
  try {
    await mkdir(join(dir, CHECKPOINT_DIR), { recursive: true });
    await writeFile(`${bin}.tmp`, Buffer.concat(parts));
    await rename(`${bin}.tmp`, bin);
    await writeFile(`${json}.tmp`, `${JSON.stringify(index)}\n`);
    await rename(`${json}.tmp`, json);
  } catch (error) {
    throw new NasError('storage_failed', `could not write the checkpoint of trial ${trialId} to ${bin}: ${(error as Error).message}; check that the directory is writable and the disk has space`, {
      cause: error,
    });
  }
}

/**
 * Reads a trial's checkpoint. Returns undefined when it has none, and also,
 * with a warning, when the files are damaged, because the trial can then
 * still train from scratch.
 */
export async function readCheckpointFiles(dir: string, trialId: string): Promise<TrainingCheckpoint | undefined> {
  const { json, bin } = paths(dir, trialId);
  let index: CheckpointIndex;
  let bytes: Buffer;
  try {
    index = JSON.parse(await readFile(json, 'utf8')) as CheckpointIndex;
    bytes = await readFile(bin);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      log.warn(`checkpoint of trial ${trialId} in ${json} could not be read (${(error as Error).message}); the trial trains from scratch`);
    }
    return undefined;
  }

  const checkpoint = { ...index.checkpoint } as TrainingCheckpoint;
  for (const entry of index.tensors ?? []) {
    if (entry.offset + entry.length > bytes.byteLength) {
      log.warn(`checkpoint of trial ${trialId}: ${bin} is truncated (${bytes.byteLength} bytes, ${json} expects ${entry.offset + entry.length}); the trial trains from scratch`);
      return undefined;
    }
    const data = bytes.buffer.slice(bytes.byteOffset + entry.offset, bytes.byteOffset + entry.offset + entry.length) as ArrayBuffer;
    checkpoint[entry.field] = { specs: entry.specs, data };
  }
  if (checkpoint.weights === undefined || checkpoint.optimizer === undefined) {
    log.warn(`checkpoint of trial ${trialId} in ${json} has no weights or optimizer state; the trial trains from scratch`);
    return undefined;
  }
  return checkpoint;
}

/** Deletes a trial's checkpoint files, if any. */
export async function deleteCheckpointFiles(dir: string, trialId: string): Promise<void> {
  const { json, bin } = paths(dir, trialId);
  try {
    await rm(json, { force: true });
    await rm(bin, { force: true });
  } catch (error) {
    throw new NasError('storage_failed', `could not delete the checkpoint ${json} of trial ${trialId}: ${(error as Error).message}`, { cause: error });
  }
}
