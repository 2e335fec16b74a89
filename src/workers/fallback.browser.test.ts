import { describe, expect, it } from 'vitest';
import type { FallbackReport } from './test-workers/fallback.worker';

// A training failure on the backend in use, in a real Web Worker: the
// session trains the candidate again on the next probed backend.

function reportFromWorker(): Promise<FallbackReport> {
  const worker = new Worker(new URL('./test-workers/fallback.worker.ts', import.meta.url), { type: 'module' });
  return new Promise<FallbackReport>((resolve, reject) => {
    worker.addEventListener('message', (event: MessageEvent<FallbackReport>) => resolve(event.data), { once: true });
    worker.addEventListener('error', (event) => reject(new Error(`fallback worker failed: ${event.message}`)), { once: true });
  }).finally(() => worker.terminate());
}

describe('backend fallback in a worker', () => {
  it('moves from wasm to cpu', async () => {
    const report = await reportFromWorker();

    expect(report.error).toBeUndefined();
    expect(report.status).toBe('done');
    expect(report.trainedOn).toBe('cpu');
    expect(report.fallback?.from).toBe('wasm');
    expect(report.fallback?.to).toBe('cpu');
    expect(report.fallback?.reason).toContain('Conv2D');
    expect(report.active).toBe('cpu');
    expect(report.activeInTfjs).toBe('cpu');
  });
});
