// Checks in Chromium that a module worker set up like the trainer worker
// runs the SIMD training kernels on the threaded build's shared memory and
// gets the cpu backend's gradients for the reference block.
import { describe, expect, it } from 'vitest';
import { GRADIENT_NAMES } from '../engine/wasm/simd-block.fixture';
import type { SimdKernelsCheck } from './test-workers/simd-kernels.worker';

/** Largest accepted relative error between the wasm and cpu gradients. */
const TOLERANCE = 1e-4;

function checkInWorker(): Promise<SimdKernelsCheck> {
  const worker = new Worker(new URL('./test-workers/simd-kernels.worker.ts', import.meta.url), { type: 'module' });
  return new Promise<SimdKernelsCheck>((resolve, reject) => {
    worker.addEventListener('message', (event: MessageEvent<SimdKernelsCheck>) => resolve(event.data), { once: true });
    worker.addEventListener('error', (event) => reject(new Error(`simd-kernels worker failed: ${event.message}`)), { once: true });
  }).finally(() => worker.terminate());
}

describe('SIMD kernels in a trainer-like worker', () => {
  it('run on shared memory with cpu gradients', async () => {
    const result = await checkInWorker();
    console.info(`[test] SIMD kernels in a worker: ${JSON.stringify(result)}`);

    expect(result.failure).toBeUndefined();
    expect(result.crossOriginIsolated).toBe(true);
    expect(result.backend).toBe('wasm');
    expect(result.features.simd).toBe(true);
    expect(result.features.multithread).toBe(true);
    expect(result.features.threads).toBe(Math.min(result.requestedThreads, 8));
    expect(result.kernels.sharedMemory).toBe(true);
    expect(result.kernels.unavailable).toEqual([]);
    // The 2x2 pools always take routeWindowRow; which other kernels run depends on each gradient's routing.
    expect(result.kernels.active).toContain('routeWindowRow');
    for (const [label, errors] of Object.entries(result.errors)) {
      expect(errors.length, `gradients of ${label}`).toBe(GRADIENT_NAMES.length);
      for (const [i, error] of errors.entries()) {
        expect(error, `relative error of ${GRADIENT_NAMES[i]} for ${label}`).toBeLessThanOrEqual(TOLERANCE);
      }
    }
  });
});
