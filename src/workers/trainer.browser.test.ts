import { afterAll, describe, expect, it } from 'vitest';
import { NasError } from '../core/errors';
import type { BackendName, EvaluationProgress } from '../core/run/types';
import type { SequentialArch } from '../core/space/types';
import { oneConvWorkerRequest } from '../engine/tinySequential.fixture';
import { WorkerPool } from './pool';

// The real trainer worker (tfjs and the MNIST asset served from public/) in
// Chromium. Candidates are tiny so each evaluation takes seconds.

const pools: WorkerPool[] = [];

function createPool(backend: 'auto' | BackendName): WorkerPool {
  const pool = new WorkerPool({ size: 1, backend });
  pools.push(pool);
  return pool;
}

afterAll(() => {
  for (const pool of pools) pool.dispose();
});

describe('trainer worker', () => {
  it.each<'auto' | BackendName>(['auto', 'cpu', 'webgpu'])('evaluates a tiny candidate on %s', async (backend) => {
    const pool = createPool(backend);
    const progress: EvaluationProgress[] = [];
    const started = performance.now();

    const result = await pool.evaluate(oneConvWorkerRequest(`tiny-${backend}`), new AbortController().signal, (update) =>
      progress.push(update),
    );

    const elapsedMs = performance.now() - started;
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('done');
    expect(result.workerId).toBe(1);
    const metrics = result.metrics!;
    expect(metrics.validationAccuracy).toBeGreaterThanOrEqual(0);
    expect(metrics.validationAccuracy).toBeLessThanOrEqual(1);
    expect(metrics.epochs).toBe(1);
    expect(metrics.params).toBeGreaterThan(0);
    expect(metrics.latency.runs).toBeGreaterThan(0);
    if (backend !== 'auto') expect(metrics.backend).toBe(backend);
    if (backend !== 'auto') expect(metrics.backendProbe).toBeUndefined();
    if (backend === 'auto') {
      expect(metrics.backendProbe?.chosen).toBe(metrics.backend);
      expect(metrics.backendProbe?.entries.map((entry) => entry.backend)).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
      expect(pool.getStatus().workers[0].probe).toEqual(metrics.backendProbe);
      console.info(`[test] probe in a worker: ${JSON.stringify(metrics.backendProbe)}`);
    }
    expect(result.curve).toHaveLength(1);
    expect(result.model?.weightData.byteLength).toBeGreaterThan(0);
    expect(result.reference?.labels).toHaveLength(10);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((update) => update.workerId === 1)).toBe(true);
    const worker = pool.getStatus().workers[0];
    expect(worker.state).toBe('idle');
    expect(worker.backend).toBe(metrics.backend);
    console.info(
      `[test] backend ${backend} -> ${metrics.backend} on ${worker.device}: ` +
        `init + evaluation ${elapsedMs.toFixed(0)} ms, training ${metrics.trainMs.toFixed(0)} ms, ` +
        `latency median ${metrics.latency.medianMs.toFixed(2)} ms`,
    );
  });

  it('fails an architecture outside the space and goes on', async () => {
    const pool = createPool('cpu');
    const signal = new AbortController().signal;
    const outside: SequentialArch = { family: 'sequential', layers: [{ op: 'conv5x5', width: 4, skipFrom: null }] };

    const failed = await pool.evaluate(oneConvWorkerRequest('outside', { arch: outside }), signal);

    expect(failed.status).toBe('failed');
    expect(failed.error?.code).toBe('invalid_config');
    expect(failed.error?.message).toContain('conv5x5');
    expect(pool.getStatus().workers[0].lastError).toBeUndefined();
    expect((await pool.evaluate(oneConvWorkerRequest('after-outside'), signal)).status).toBe('done');
  });

  it('abort stops training and the next request works', async () => {
    const pool = createPool('cpu');
    const controller = new AbortController();
    const long = oneConvWorkerRequest('long', {
      dataset: { name: 'mnist', trainSize: 400, validationSize: 10, testSize: 10 },
      training: { ...oneConvWorkerRequest('long').training, epochs: 20 },
    });

    const running = pool.evaluate(long, controller.signal, () => controller.abort());
    const error = await running.catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(NasError);
    expect((error as NasError).code).toBe('cancelled');
    expect((await pool.evaluate(oneConvWorkerRequest('after-abort'), new AbortController().signal)).status).toBe('done');
  });
});
