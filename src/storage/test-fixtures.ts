// Records and database helpers for the storage tests; not used by the app.
import { deleteDB } from 'idb';
import type { ReferencePredictions, RunRecord, SavedModel, Trial } from '../core/run/types';
import { openStudioDb, type OpenStudioDbOptions, type StudioDb } from './db';

/** Opens a database with a unique name; `close` closes and deletes it. */
export async function openTestDb(
  options: Omit<OpenStudioDbOptions, 'name'> = {},
): Promise<{ db: StudioDb; name: string; close: () => Promise<void> }> {
  const name = `nas-studio-test-${crypto.randomUUID()}`;
  const db = await openStudioDb({ ...options, name });
  return {
    db,
    name,
    close: async () => {
      db.close();
      await deleteDB(name);
    },
  };
}

export function makeRun(id: string, createdAt = 1_000): RunRecord {
  return {
    id,
    config: {
      name: `run ${id}`,
      dataset: { name: 'mnist', trainSize: 64, validationSize: 32, testSize: 32 },
      space: {
        family: 'sequential',
        name: 'tiny',
        depths: [1, 2],
        ops: ['conv3x3', 'identity'],
        widths: [4, 8],
        connectivity: 'sequential',
        stemChannels: 4,
        downsampleAfter: [0],
      },
      strategy: { name: 'random', options: {} },
      training: {
        epochs: 1,
        batchSize: 16,
        optimizer: 'adam',
        learningRate: 0.001,
        momentum: 0,
        schedule: 'constant',
        patience: 0,
      },
      costObjective: 'params',
      constraints: {},
      budget: 4,
      seed: 7,
      workers: 1,
      backend: 'cpu',
    },
    status: 'running',
    createdAt,
    updatedAt: createdAt,
    state: { toldCount: 0, strategyState: { kind: 'random' }, proposedCount: 0, hypervolume: [] },
  };
}

export function makeTrial(runId: string, index: number, status: Trial['status'] = 'done'): Trial {
  return {
    id: `${runId}-trial-${index}`,
    runId,
    index,
    arch: { family: 'sequential', layers: [{ op: 'conv3x3', width: 4, skipFrom: null }] },
    hash: `hash-${index}`,
    seed: 100 + index,
    epochs: 1,
    status,
    curve: [{ epoch: 0, loss: 2.1, trainAccuracy: 0.2, validationAccuracy: 0.25 }],
  };
}

/** Returns a model whose weight buffer contains `values` as float32. */
export function makeModel(values: number[]): { model: SavedModel; reference: ReferencePredictions } {
  return {
    model: {
      modelTopology: { class_name: 'Sequential', config: { layers: [] } },
      weightSpecs: [{ name: 'dense/kernel', shape: [values.length], dtype: 'float32' }],
      weightData: new Float32Array(values).buffer,
    },
    reference: { pixels: [[0, 255]], labels: [3], probabilities: [[0.1, 0.9]] },
  };
}
