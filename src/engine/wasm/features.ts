// Runtime features of the tfjs wasm backend here: the SIMD binary and threads.
// In Node, tfjs-backend-wasm 4.22 reports no thread support (its flag is
// false under Node), so training there runs on one thread.
import * as tf from '@tensorflow/tfjs';

export interface WasmFeatures {
  /** Whether the runtime validates WebAssembly SIMD, so tfjs loads the SIMD binary. */
  simd: boolean;
  /** Whether tfjs considers threads usable, so it loads the threaded SIMD binary. */
  multithread: boolean;
  /** Threads the initialised backend uses, or null when this module's copy of the backend is not initialised. */
  threads: number | null;
}

/**
 * Reads the wasm backend's feature flags and its thread count. Forcing
 * WASM_HAS_MULTITHREAD_SUPPORT in Node does not help: tfjs 4.22 then starts
 * its pthread workers from a blob: URL, which Node's worker_threads reject
 * (ERR_WORKER_PATH), and the backend fails to initialise.
 */
export async function describeWasmFeatures(): Promise<WasmFeatures> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean;
  const multithread = (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) as boolean;
  let threads: number | null = null;
  try {
    threads = wasm.getThreadsCount();
  } catch {
    // getThreadsCount throws until the wasm backend is initialised.
  }
  return { simd, multithread, threads };
}
