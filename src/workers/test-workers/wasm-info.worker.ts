// Test-only worker that initialises the wasm backend the way trainer workers
// do and posts what it found: isolation, SIMD and thread support, the thread
// count and the URLs of the .wasm files it fetched.
import * as tf from '@tensorflow/tfjs';
import { setWasmThreadCount, trySetBackend } from '../../engine/backend';

/** The message this worker posts once, after the wasm backend initialised or failed to. */
export interface WasmInfo {
  crossOriginIsolated: boolean;
  sharedArrayBuffer: boolean;
  initialised: boolean;
  simd: boolean;
  multithread: boolean;
  threads: number;
  /** navigator.hardwareConcurrency in the worker. */
  logicalCores: number;
  wasmUrls: string[];
}

async function collect(): Promise<WasmInfo> {
  // As the worker pool does when a single worker has the whole machine.
  setWasmThreadCount(Math.max(1, navigator.hardwareConcurrency));
  const initialised = await trySetBackend('wasm');
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  return {
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    sharedArrayBuffer: typeof SharedArrayBuffer === 'function',
    initialised,
    simd: (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true,
    multithread: (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) === true,
    threads: initialised ? wasm.getThreadsCount() : 0,
    logicalCores: navigator.hardwareConcurrency,
    wasmUrls: performance
      .getEntriesByType('resource')
      .map((entry) => entry.name)
      // Vite's `?import&url` requests return the URL as a module; only the binaries themselves count.
      .filter((name) => /\.wasm$/.test(name)),
  };
}

void collect().then((info) => postMessage(info));
