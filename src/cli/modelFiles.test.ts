import { copyFileSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NasError } from '../core/errors';
import type { SavedModel } from '../core/run/types';
import { MODELS_DIR, readTrialModelFiles, writeTrialModelFiles } from './modelFiles';

const root = mkdtempSync(join(tmpdir(), 'nas-studio-models-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let count = 0;

function model(values: number[]): SavedModel {
  return {
    modelTopology: { class_name: 'Functional' },
    weightSpecs: [{ name: 'dense/kernel', shape: [values.length], dtype: 'float32' }],
    weightData: new Float32Array(values).buffer,
  };
}

/** Writes trials a (3 weights) and b (2 weights) into a new run directory. */
async function runDir(): Promise<string> {
  const dir = join(root, `run-${++count}`);
  await writeTrialModelFiles(dir, 'a', model([0.5, -1, 2]));
  await writeTrialModelFiles(dir, 'b', model([3, 4]));
  return dir;
}

async function readError(dir: string, trialId: string): Promise<NasError> {
  const error = await readTrialModelFiles(dir, trialId).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(NasError);
  return error as NasError;
}

describe('readTrialModelFiles', () => {
  it('reads back a written model', async () => {
    const dir = await runDir();
    const read = await readTrialModelFiles(dir, 'a');
    expect(read?.weightSpecs).toEqual(model([0.5, -1, 2]).weightSpecs);
    expect(Array.from(new Float32Array(read?.weightData as ArrayBuffer))).toEqual([0.5, -1, 2]);
  });

  it('returns undefined for a missing model', async () => {
    expect(await readTrialModelFiles(await runDir(), 'c')).toBeUndefined();
  });

  it('rejects a truncated .bin', async () => {
    const dir = await runDir();
    truncateSync(join(dir, MODELS_DIR, 'a.bin'), 7);
    const error = await readError(dir, 'a');
    expect(error.code).toBe('invalid_config');
    expect(error.message).toMatch(/a\.bin is damaged: the data ends before tensor dense\/kernel/);
  });

  it('rejects NaN weights of the right size', async () => {
    const dir = await runDir();
    writeFileSync(join(dir, MODELS_DIR, 'a.bin'), new Uint8Array(new Float32Array([1, Number.NaN, 2]).buffer));
    expect((await readError(dir, 'a')).message).toMatch(/tensor dense\/kernel contains NaN at element 1/);
  });

  it('rejects another trial copied over', async () => {
    const dir = await runDir();
    copyFileSync(join(dir, MODELS_DIR, 'b.json'), join(dir, MODELS_DIR, 'a.json'));
    copyFileSync(join(dir, MODELS_DIR, 'b.bin'), join(dir, MODELS_DIR, 'a.bin'));
    expect((await readError(dir, 'a')).message).toMatch(/a\.json is damaged: it is the model of trial "b", not of a/);
  });

  it('rejects specs that do not match the .bin', async () => {
    const dir = await runDir();
    const path = join(dir, MODELS_DIR, 'a.json');
    const index = JSON.parse(readFileSync(path, 'utf8')) as SavedModel;
    index.weightSpecs[0].shape = [2];
    writeFileSync(path, JSON.stringify(index));
    expect((await readError(dir, 'a')).message).toMatch(/the specs describe 8 bytes, but the data has 12/);
  });

  it('rejects invalid JSON', async () => {
    const dir = await runDir();
    writeFileSync(join(dir, MODELS_DIR, 'a.json'), '{"modelTop');
    expect((await readError(dir, 'a')).message).toMatch(/a\.json is damaged: invalid JSON/);
  });
});
