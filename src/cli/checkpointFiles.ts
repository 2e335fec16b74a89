// Training checkpoints of a CLI run as files: checkpoints/<trialId>.json
// contains the counters and tensor specs, checkpoints/<trialId>.bin the
// tensor bytes (model weights, optimizer state, then the best weights).
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NasError } from '../core/errors';
import { findTensorBytesProblem } from '../core/run/tensor-bytes';
import type { TensorData, TrainingCheckpoint } from '../core/run/types';

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
 * Reads a trial's checkpoint and returns undefined when it has none. Throws
 * NasError('invalid_config') naming the file and the problem when the
 * files exist but are damaged, so the caller can train the trial from
 * scratch and record why. Damage means unreadable JSON, byte ranges outside
 * the .bin file, tensor specs that do not match their bytes, NaN or
 * infinite values, or missing weights or optimizer state.
 */
export async function readCheckpointFiles(dir: string, trialId: string): Promise<TrainingCheckpoint | undefined> {
  const { json, bin } = paths(dir, trialId);
  let text: string;
  let bytes: Buffer;
  try {
    text = await readFile(json, 'utf8');
    bytes = await readFile(bin);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw damaged(json, (error as Error).message, error);
  }
  let index: CheckpointIndex;
  try {
    index = JSON.parse(text) as CheckpointIndex;
  } catch (error) {
    throw damaged(json, `invalid JSON (${(error as Error).message})`, error);
  }
  if (typeof index !== 'object' || index === null || typeof index.checkpoint !== 'object' || index.checkpoint === null || !Array.isArray(index.tensors)) {
    throw damaged(json, 'it has no checkpoint object or no tensors list');
  }

  const checkpoint = { ...index.checkpoint } as TrainingCheckpoint;
  const expectedSize = index.tensors.reduce((total, entry) => total + (Number(entry?.length) || 0), 0);
  if (expectedSize !== bytes.byteLength) {
    throw damaged(bin, `the file has ${bytes.byteLength} bytes, but ${json} lists tensors of ${expectedSize} bytes`);
  }
  for (const entry of index.tensors) {
    const { field, offset, length } = entry;
    if (field !== 'weights' && field !== 'optimizer' && field !== 'bestWeights') {
      throw damaged(json, `unknown tensor field ${JSON.stringify(field)}`);
    }
    if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0 || offset + length > bytes.byteLength) {
      throw damaged(json, `the ${field} range (offset ${offset}, length ${length}) is outside the ${bytes.byteLength} bytes of ${bin}`);
    }
    const data = bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + offset + length) as ArrayBuffer;
    const problem = findTensorBytesProblem(entry.specs, data);
    if (problem !== undefined) throw damaged(bin, `${field}: ${problem}`);
    checkpoint[field] = { specs: entry.specs, data };
  }
  if (checkpoint.weights === undefined || checkpoint.optimizer === undefined) {
    throw damaged(json, 'it has no weights or no optimizer state');
  }
  return checkpoint;
}

function damaged(path: string, reason: string, cause?: unknown): NasError {
  return new NasError('invalid_config', `the checkpoint file ${path} is damaged: ${reason}`, { cause });
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
