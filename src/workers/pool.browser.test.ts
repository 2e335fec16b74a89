import { afterEach, describe, expect, it } from 'vitest';
import { NasError } from '../core/errors';
import type { EvaluationProgress, EvaluationRequest } from '../core/run/types';
import { WorkerPool, type PoolStatus } from './pool';

// These tests drive the pool with test-only workers that do not load tfjs;
// trainer.browser.test.ts runs the real trainer worker.

function stubWorker(): Worker {
  return new Worker(new URL('./test-workers/stub-trainer.worker.ts', import.meta.url), { type: 'module' });
}

function crashOnLoadWorker(): Worker {
  return new Worker(new URL('./test-workers/crash-on-load.worker.ts', import.meta.url), { type: 'module' });
}

function closeOnLoadWorker(): Worker {
  return new Worker(new URL('./test-workers/close-on-load.worker.ts', import.meta.url), { type: 'module' });
}

/** Records created workers and the ones terminated. */
function trackedFactory(create: () => Worker, ...more: (() => Worker)[]) {
  const created: Worker[] = [];
  const terminated = new Set<Worker>();
  const factories = [create, ...more];
  const factory = (): Worker => {
    const make = factories[Math.min(created.length, factories.length - 1)];
    const worker = make();
    const terminate = worker.terminate.bind(worker);
    worker.terminate = () => {
      terminated.add(worker);
      terminate();
    };
    created.push(worker);
    return worker;
  };
  return { factory, created, terminated };
}

/** Builds a request that the stub worker resolves after `delayMs` milliseconds. */
function request(trialId: string, delayMs = 0): EvaluationRequest {
  return {
    trialId,
    arch: { family: 'sequential', layers: [] },
    space: {
      family: 'sequential',
      name: 'stub',
      depths: [1],
      ops: ['identity'],
      widths: [4],
      connectivity: 'sequential',
      stemChannels: 4,
      downsampleAfter: [],
    },
    seed: delayMs,
    input: { inputShape: [28, 28, 1], numClasses: 10 },
    dataset: { name: 'mnist', trainSize: 8, validationSize: 8, testSize: 8 },
    training: { epochs: 1, batchSize: 8, optimizer: 'adam', learningRate: 0.001, momentum: 0, schedule: 'constant', patience: 0 },
    constraints: {},
  };
}

const pools: WorkerPool[] = [];

function createPool(options: ConstructorParameters<typeof WorkerPool>[0]): WorkerPool {
  const pool = new WorkerPool(options);
  pools.push(pool);
  return pool;
}

afterEach(() => {
  for (const pool of pools.splice(0)) pool.dispose();
});

describe('WorkerPool', () => {
  it('evaluates a request and tags it with the worker', async () => {
    const pool = createPool({ size: 1, createWorker: stubWorker });
    const progress: EvaluationProgress[] = [];

    const result = await pool.evaluate(request('t1'), new AbortController().signal, (update) => progress.push(update));

    expect(result.status).toBe('done');
    expect(result.workerId).toBe(1);
    expect(progress).toHaveLength(1);
    expect(progress[0].workerId).toBe(1);
    expect(progress[0].trialId).toBe('t1');
    const status = pool.getStatus();
    expect(status.workers).toEqual([{ workerId: 1, state: 'idle', backend: 'cpu', device: 'stub worker' }]);
    expect(status.queued).toBe(0);
  });

  it('publishes the trial progress while busy', async () => {
    const pool = createPool({ size: 1, createWorker: stubWorker });
    const statuses: PoolStatus[] = [];
    pool.subscribe((status) => statuses.push(status));

    await pool.evaluate(request('progress-1', 50), new AbortController().signal);

    const busy = statuses.map((status) => status.workers[0]).find((worker) => worker.progress !== undefined);
    expect(busy?.state).toBe('busy');
    expect(busy?.trialId).toBe('progress-1');
    expect(busy?.progress).toEqual({ epoch: 1, epochs: 1, fraction: 1, validationAccuracy: 0.5 });
    expect(pool.getStatus().workers[0].progress).toBeUndefined();
  });

  it('follows a backend fallback of the worker', async () => {
    const pool = createPool({ size: 1, createWorker: stubWorker });
    const signal = new AbortController().signal;
    await pool.evaluate(request('before'), signal);
    expect(pool.getStatus().workers[0].backend).toBe('cpu');

    const result = await pool.evaluate(request('fallback-1'), signal);

    expect(result.metrics?.backendFallback?.from).toBe('cpu');
    const worker = pool.getStatus().workers[0];
    expect(worker.fallback).toEqual(result.metrics?.backendFallback);
    expect(worker.backend).toBe('wasm');
    expect(worker.state).toBe('idle');
  });

  it('runs at most size requests at once', async () => {
    const pool = createPool({ size: 2, createWorker: stubWorker });
    const snapshots: PoolStatus[] = [];
    pool.subscribe((status) => snapshots.push(status));
    const signal = new AbortController().signal;

    const results = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((id) => pool.evaluate(request(id, 50), signal)));

    expect(results.map((result) => result.status)).toEqual(['done', 'done', 'done', 'done', 'done']);
    // A slot with a trial id is initialising for it or evaluating it.
    const maxAssigned = Math.max(...snapshots.map((status) => status.workers.filter((worker) => worker.trialId).length));
    expect(maxAssigned).toBe(2);
    expect(Math.max(...snapshots.map((status) => status.queued))).toBe(3);
    expect(new Set(results.map((result) => result.workerId))).toEqual(new Set([1, 2]));
  });

  it('replaces a worker that crashes mid-evaluation', async () => {
    const { factory, created, terminated } = trackedFactory(stubWorker);
    const pool = createPool({ size: 1, createWorker: factory });
    const signal = new AbortController().signal;

    const crashed = await pool.evaluate(request('crash-1'), signal);

    expect(crashed.status).toBe('failed');
    expect(crashed.error?.code).toBe('worker_crashed');
    expect(crashed.error?.message).toContain('worker 1 (trial crash-1) crashed');
    expect(crashed.error?.message).toContain('simulated crash during evaluation');
    expect(terminated.has(created[0])).toBe(true);
    expect(pool.getStatus().workers[0].lastError?.code).toBe('worker_crashed');

    const next = await pool.evaluate(request('t2'), signal);
    expect(next.status).toBe('done');
    expect(created).toHaveLength(2);
  });

  it('replaces a worker that rejects inside evaluate', async () => {
    const pool = createPool({ size: 1, createWorker: stubWorker });
    const signal = new AbortController().signal;

    const failed = await pool.evaluate(request('throw-1'), signal);

    expect(failed.status).toBe('failed');
    expect(failed.error?.code).toBe('worker_crashed');
    expect(failed.error?.message).toContain('simulated failure inside evaluate');
    expect((await pool.evaluate(request('t2'), signal)).status).toBe('done');
  });

  it('replaces a worker that ran out of memory', async () => {
    const { factory, created, terminated } = trackedFactory(stubWorker);
    const pool = createPool({ size: 1, createWorker: factory });
    const signal = new AbortController().signal;

    const failed = await pool.evaluate(request('oom-1'), signal);

    expect(failed.status).toBe('failed');
    expect(failed.error?.code).toBe('worker_crashed');
    expect(failed.error?.message).toContain('ran out of memory: RangeError: Array buffer allocation failed');
    expect(terminated.has(created[0])).toBe(true);
    expect((await pool.evaluate(request('t2'), signal)).status).toBe('done');
  });

  it('fails the request when the worker script throws on load', async () => {
    const { factory, created } = trackedFactory(crashOnLoadWorker, stubWorker);
    const pool = createPool({ size: 1, createWorker: factory });
    const signal = new AbortController().signal;

    const failed = await pool.evaluate(request('t1'), signal);

    expect(failed.status).toBe('failed');
    expect(failed.error?.code).toBe('worker_crashed');
    expect(failed.error?.message).toContain('worker 1 (trial t1) failed to start');
    expect(failed.error?.message).toContain('simulated crash while loading');
    expect((await pool.evaluate(request('t2'), signal)).status).toBe('done');
    expect(created).toHaveLength(2);
  });

  it('fails the request when the worker closes itself on load', async () => {
    const { factory } = trackedFactory(closeOnLoadWorker, stubWorker);
    const pool = createPool({ size: 1, createWorker: factory, initTimeoutMs: 500 });
    const signal = new AbortController().signal;

    const failed = await pool.evaluate(request('t1'), signal);

    expect(failed.status).toBe('failed');
    expect(failed.error?.code).toBe('worker_crashed');
    expect(failed.error?.message).toContain('did not finish init within 500 ms');
    expect((await pool.evaluate(request('t2'), signal)).status).toBe('done');
  });

  it('fails with the init error and does not retry in a loop', async () => {
    const { factory, created } = trackedFactory(stubWorker);
    const pool = createPool({ size: 1, createWorker: factory, dataUrl: '/data/missing.bin' });
    const signal = new AbortController().signal;

    const failed = await pool.evaluate(request('t1'), signal);

    expect(failed.status).toBe('failed');
    expect(failed.error?.code).toBe('internal');
    expect(failed.error?.message).toContain('failed to start');
    expect(failed.error?.message).toContain('/data/missing.bin failed with HTTP 404');
    // The replacement started after the failure also fails init, and then the slot stays stopped.
    await expect.poll(() => pool.getStatus().workers[0].state).toBe('stopped');
    expect(created).toHaveLength(2);
    expect(pool.getStatus().workers[0].lastError?.message).toContain('HTTP 404');
  });

  it('abort terminates the worker and the next request works', async () => {
    const { factory, created, terminated } = trackedFactory(stubWorker);
    const pool = createPool({ size: 1, createWorker: factory });
    const controller = new AbortController();

    const hanging = pool.evaluate(request('hang-1'), controller.signal);
    await expect.poll(() => pool.getStatus().workers[0].state).toBe('busy');
    controller.abort();

    const error = await hanging.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NasError);
    expect((error as NasError).code).toBe('cancelled');
    expect(terminated.has(created[0])).toBe(true);
    expect((await pool.evaluate(request('t2'), new AbortController().signal)).status).toBe('done');
  });

  it('abort of a queued request never starts it', async () => {
    const pool = createPool({ size: 1, createWorker: stubWorker });
    const progress: string[] = [];
    const running = pool.evaluate(request('first', 100), new AbortController().signal);
    const controller = new AbortController();
    const queued = pool.evaluate(request('second'), controller.signal, (update) => progress.push(update.trialId));

    expect(pool.getStatus().queued).toBe(1);
    controller.abort();

    await expect(queued).rejects.toMatchObject({ code: 'cancelled' });
    expect(pool.getStatus().queued).toBe(0);
    expect((await running).status).toBe('done');
    expect(progress).toEqual([]);
  });

  it('rejects an already aborted signal', async () => {
    const pool = createPool({ size: 1, createWorker: stubWorker });
    await expect(pool.evaluate(request('t1'), AbortSignal.abort())).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('dispose rejects running and queued requests', async () => {
    const { factory, created, terminated } = trackedFactory(stubWorker);
    const pool = createPool({ size: 1, createWorker: factory });
    const signal = new AbortController().signal;
    const running = pool.evaluate(request('hang-1'), signal);
    const queued = pool.evaluate(request('t2'), signal);

    pool.dispose();

    await expect(running).rejects.toMatchObject({ code: 'cancelled' });
    await expect(queued).rejects.toMatchObject({ code: 'cancelled' });
    expect(created.every((worker) => terminated.has(worker))).toBe(true);
    await expect(pool.evaluate(request('t3'), signal)).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('rejects a size below 1', () => {
    expect(() => new WorkerPool({ size: 0, createWorker: stubWorker })).toThrow(/size must be a positive integer, got 0/);
  });
});
