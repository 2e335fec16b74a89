// Zero-cost proxies in the real trainer worker in Chromium: the score comes
// back with the result on several backends, and filter mode prunes without
// training. The candidate is tiny so each evaluation takes seconds.
import { afterAll, describe, expect, it } from 'vitest';
import type { BackendName, EvaluationRequest, ProxyRequest } from '../core/run/types';
import { oneConvWorkerRequest } from '../engine/tinySequential.fixture';
import { WorkerPool } from './pool';

function request(trialId: string, proxy: ProxyRequest): EvaluationRequest {
  return oneConvWorkerRequest(trialId, { proxy });
}

const pools: WorkerPool[] = [];
/** Scores by backend, filled by the per-backend tests and compared after them. */
const scores = new Map<BackendName, { naswot: number; snip: number }>();

afterAll(() => {
  for (const pool of pools) pool.dispose();
});

describe('trainer worker with a proxy', () => {
  it.each<BackendName>(['cpu', 'webgl', 'wasm'])('records naswot and snip on %s', async (backend) => {
    const pool = new WorkerPool({ size: 1, backend });
    pools.push(pool);
    const signal = new AbortController().signal;

    const naswot = await pool.evaluate(request(`naswot-${backend}`, { name: 'naswot', mode: 'record', keepFraction: 1, reference: [] }), signal);
    const snip = await pool.evaluate(request(`snip-${backend}`, { name: 'snip', mode: 'record', keepFraction: 1, reference: [] }), signal);

    expect(naswot.status).toBe('done');
    expect(naswot.metrics?.backend).toBe(backend);
    expect(Number.isFinite(naswot.proxies?.naswot)).toBe(true);
    expect(snip.status).toBe('done');
    expect(snip.proxies?.snip).toBeGreaterThan(0);
    scores.set(backend, { naswot: naswot.proxies?.naswot as number, snip: snip.proxies?.snip as number });
  });

  // The same seeded model and batch on every backend; float32 kernels differ only in rounding.
  it('backends agree on the scores', () => {
    const cpu = scores.get('cpu');
    expect(cpu).toBeDefined();
    for (const backend of ['webgl', 'wasm'] as const) {
      const other = scores.get(backend);
      expect(other?.naswot, backend).toBeCloseTo(cpu?.naswot as number, 3);
      expect(Math.abs((other?.snip as number) / (cpu?.snip as number) - 1), backend).toBeLessThan(1e-3);
    }
  });

  it('filter mode prunes a low synflow', async () => {
    const pool = new WorkerPool({ size: 1, backend: 'cpu' });
    pools.push(pool);
    const proxy: ProxyRequest = { name: 'synflow', mode: 'filter', keepFraction: 0.5, reference: [1e30, 1e31] };

    const result = await pool.evaluate(request('pruned', proxy), new AbortController().signal);

    expect(result.status).toBe('pruned');
    expect(result.metrics).toBeUndefined();
    expect(result.stopReason).toMatch(/^synflow score .* ranks 3 of 3/);
    expect(result.proxies?.synflow).toBeGreaterThan(0);
  });
});
