import { describe, expect, it } from 'vitest';
import type { WasmInfo } from './test-workers/wasm-info.worker';

// Cross-origin isolation as the studio's server headers set it up, and the
// threaded SIMD wasm backend that it enables in a Web Worker.

function wasmInfoFromWorker(): Promise<WasmInfo> {
  const worker = new Worker(new URL('./test-workers/wasm-info.worker.ts', import.meta.url), { type: 'module' });
  return new Promise<WasmInfo>((resolve, reject) => {
    worker.addEventListener('message', (event: MessageEvent<WasmInfo>) => resolve(event.data), { once: true });
    worker.addEventListener('error', (event) => reject(new Error(`wasm-info worker failed: ${event.message}`)), { once: true });
  }).finally(() => worker.terminate());
}

describe('cross-origin isolation', () => {
  it('isolates the page', () => {
    expect(globalThis.crossOriginIsolated).toBe(true);
    expect(typeof SharedArrayBuffer).toBe('function');
  });

  it('gives a worker threaded SIMD wasm', async () => {
    const info = await wasmInfoFromWorker();
    console.info(`[test] wasm in a worker: ${JSON.stringify(info)}`);

    expect(info.crossOriginIsolated).toBe(true);
    expect(info.sharedArrayBuffer).toBe(true);
    expect(info.initialised).toBe(true);
    expect(info.simd).toBe(true);
    expect(info.multithread).toBe(true);
    expect(info.threads).toBeGreaterThan(1);
    expect(info.wasmUrls.length).toBeGreaterThan(0);
    for (const url of info.wasmUrls) {
      expect(new URL(url).origin).toBe(location.origin);
      expect(url).toContain('threaded-simd');
    }
  });
});
