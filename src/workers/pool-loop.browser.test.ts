import { afterEach, describe, expect, it } from 'vitest';
import { defaultRunConfig } from '../core/run/config';
import { MemoryStore, newRecord } from '../core/run/fakes.fixture';
import { runSearch } from '../core/run/loop';
import type { RunConfig } from '../core/run/types';
import type { SequentialSpace } from '../core/space/types';
import { WorkerPool } from './pool';

// The run loop with the real worker pool as its Evaluator, training tiny
// candidates on the cpu backend so a search takes seconds.

const SPACE: SequentialSpace = {
  family: 'sequential',
  name: 'tiny',
  depths: [1],
  ops: ['conv3x3', 'maxpool3x3', 'identity'],
  widths: [4],
  connectivity: 'sequential',
  stemChannels: 4,
  downsampleAfter: [0],
};

function tinyConfig(budget: number, trainSize = 20): RunConfig {
  const config = defaultRunConfig(SPACE, 1);
  return {
    ...config,
    strategy: { name: 'random', options: {} },
    dataset: { name: 'mnist', trainSize, validationSize: 10, testSize: 10 },
    training: { ...config.training, batchSize: 10 },
    budget,
    backend: 'cpu',
  };
}

let pool: WorkerPool | undefined;

afterEach(() => {
  pool?.dispose();
});

describe('run loop with the worker pool', () => {
  it('completes a search of two candidates', async () => {
    pool = new WorkerPool({ size: 1, backend: 'cpu' });
    const store = new MemoryStore();

    const record = await runSearch({
      record: newRecord(tinyConfig(2), 'pool-run'),
      trials: [],
      evaluator: pool,
      store,
      signal: new AbortController().signal,
    });

    expect(record.message).toBeUndefined();
    expect(record.status).toBe('completed');
    const trials = store.trialsOf('pool-run');
    expect(trials.map((trial) => trial.status)).toEqual(['done', 'done']);
    expect(trials.every((trial) => trial.metrics?.backend === 'cpu')).toBe(true);
    expect(store.models.size).toBe(2);
  });

  it('stops when the signal aborts mid-training', async () => {
    pool = new WorkerPool({ size: 1, backend: 'cpu' });
    const store = new MemoryStore();
    const controller = new AbortController();

    const record = await runSearch({
      // Six batches, so the abort after the first one lands while training runs.
      record: newRecord(tinyConfig(3, 60), 'stopped-run'),
      trials: [],
      evaluator: pool,
      store,
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'trial-updated' && event.progress !== undefined) controller.abort();
      },
    });

    expect(record.status).toBe('stopped');
    expect(store.trialsOf('stopped-run').some((trial) => trial.status === 'done')).toBe(false);
    expect(pool.getStatus().workers[0].trialId).toBeUndefined();
  });
});
