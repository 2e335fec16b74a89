import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultRunConfig } from '../core/run/config';
import type { RunRecord, TrainingCheckpoint, Trial } from '../core/run/types';
import { FileRunStore } from './fileStore';

const root = mkdtempSync(join(tmpdir(), 'nas-studio-run-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirCount = 0;

function freshDir(): string {
  return mkdtempSync(join(root, `store-${++dirCount}-`));
}

function record(weightInheritance: boolean): RunRecord {
  const config = defaultRunConfig();
  return {
    id: 'run-a',
    config: weightInheritance ? { ...config, estimation: { weightInheritance } } : config,
    status: 'running',
    createdAt: 1,
    updatedAt: 1,
    state: { toldCount: 0, strategyState: null, proposedCount: 0, hypervolume: [] },
  };
}

function doneTrial(index: number): Trial {
  return {
    id: `run-a-trial-${index}`,
    runId: 'run-a',
    index,
    arch: { family: 'sequential', layers: [] },
    hash: `h${index}`,
    seed: index,
    epochs: 1,
    status: 'done',
    curve: [],
  };
}

function checkpoint(epoch: number): TrainingCheckpoint {
  return {
    epoch,
    weights: { specs: [{ name: '0', shape: [2], dtype: 'float32' }], data: new Float32Array([1, 2]).buffer },
    optimizer: { specs: [{ name: 'iter', shape: [], dtype: 'int32' }], data: new Int32Array([7]).buffer },
    bestWeights: { specs: [{ name: '0', shape: [2], dtype: 'float32' }], data: new Float32Array([3, 4]).buffer },
    optimizerName: 'Adam',
    bestValidationAccuracy: 0.5,
    epochsSinceBest: 1,
    firstLoss: 2.3,
    curve: [{ epoch: 0, loss: 2, trainAccuracy: 0.4, validationAccuracy: 0.5 }],
    trainMs: 12,
  };
}

const floats = (buffer: ArrayBuffer | undefined): number[] => Array.from(new Float32Array(buffer ?? new ArrayBuffer(0)));

describe('FileRunStore checkpoints', () => {
  it('round-trips a checkpoint', async () => {
    const dir = freshDir();
    const store = new FileRunStore(dir);
    await store.saveCheckpoint('run-a-trial-0', checkpoint(1));
    const loaded = await store.loadCheckpoint('run-a-trial-0');
    expect(loaded?.epoch).toBe(1);
    expect(floats(loaded?.weights.data)).toEqual([1, 2]);
    expect(floats(loaded?.bestWeights?.data)).toEqual([3, 4]);
    expect(Array.from(new Int32Array(loaded?.optimizer.data ?? new ArrayBuffer(0)))).toEqual([7]);
    expect(loaded?.curve).toEqual(checkpoint(1).curve);
  });

  it('forgets a deleted checkpoint', async () => {
    const dir = freshDir();
    const store = new FileRunStore(dir);
    await store.saveCheckpoint('run-a-trial-0', checkpoint(1));
    await store.deleteCheckpoint('run-a-trial-0');
    expect(await store.loadCheckpoint('run-a-trial-0')).toBeUndefined();
  });

  it('rejects a truncated checkpoint with sizes', async () => {
    const dir = freshDir();
    const store = new FileRunStore(dir);
    await store.saveCheckpoint('run-a-trial-1', checkpoint(1));
    truncateSync(join(dir, 'checkpoints', 'run-a-trial-1.bin'), 4);
    await expect(store.loadCheckpoint('run-a-trial-1')).rejects.toThrow(/run-a-trial-1\.bin is damaged: the file has 4 bytes, but .* lists tensors of 20 bytes/);
  });

  it('rejects edited shapes', async () => {
    const dir = freshDir();
    const store = new FileRunStore(dir);
    await store.saveCheckpoint('run-a-trial-0', checkpoint(1));
    const path = join(dir, 'checkpoints', 'run-a-trial-0.json');
    const index = JSON.parse(readFileSync(path, 'utf8')) as { tensors: { specs: { shape: number[] }[] }[] };
    index.tensors[0].specs[0].shape = [3];
    writeFileSync(path, JSON.stringify(index));
    await expect(store.loadCheckpoint('run-a-trial-0')).rejects.toThrow(/weights: the data ends before tensor 0 \(the specs need at least 12 bytes, the data has 8\)/);
  });

  it('rejects NaN bytes of the right size', async () => {
    const dir = freshDir();
    const store = new FileRunStore(dir);
    await store.saveCheckpoint('run-a-trial-0', checkpoint(1));
    const nan = new Float32Array([Number.NaN, Number.NaN, 0, 0, 0]);
    writeFileSync(join(dir, 'checkpoints', 'run-a-trial-0.bin'), new Uint8Array(nan.buffer));
    await expect(store.loadCheckpoint('run-a-trial-0')).rejects.toThrow(/weights: tensor 0 contains NaN at element 0/);
  });

  it('rejects invalid JSON', async () => {
    const dir = freshDir();
    const store = new FileRunStore(dir);
    await store.saveCheckpoint('run-a-trial-0', checkpoint(1));
    writeFileSync(join(dir, 'checkpoints', 'run-a-trial-0.json'), '{"checkpoint"');
    await expect(store.loadCheckpoint('run-a-trial-0')).rejects.toThrow(/run-a-trial-0\.json is damaged: invalid JSON/);
  });
});

describe('FileRunStore models for inheritance', () => {
  const model = { modelTopology: { marker: 1 }, weightSpecs: [{ name: 'w', shape: [1], dtype: 'float32' }], weightData: new Float32Array([5]).buffer };

  it('keeps each done model with weightInheritance', async () => {
    const dir = freshDir();
    const store = new FileRunStore(dir);
    await store.saveRun(record(true));
    await store.saveModel('run-a-trial-0', model);
    await store.saveTrial(doneTrial(0));
    const loaded = await new FileRunStore(dir).loadModel('run-a-trial-0');
    expect(loaded?.modelTopology).toEqual({ marker: 1 });
    expect(loaded?.weightSpecs).toEqual(model.weightSpecs);
    expect(floats(loaded?.weightData)).toEqual([5]);
  });

  it('keeps no models without it', async () => {
    const dir = freshDir();
    const store = new FileRunStore(dir);
    await store.saveRun(record(false));
    await store.saveModel('run-a-trial-0', model);
    await store.saveTrial(doneTrial(0));
    expect(await store.loadModel('run-a-trial-0')).toBeUndefined();
  });
});
