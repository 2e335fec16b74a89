// Test-only module worker that sets up the wasm backend as trainer.worker.ts
// does (thread count from the pool, then a BackendSession on 'wasm'),
// compares the reference block's gradients with cpu, and posts the result.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { BackendSession, setWasmThreadCount } from '../../engine';
import { describeWasmFeatures, type WasmFeatures } from '../../engine/wasm/features';
import { describeSimdKernels, type SimdKernelReport } from '../../engine/wasm/simd-assembler';
import { BLOCK_CASES, compareBlockOnBackends } from '../../engine/wasm/simd-block.fixture';
import { wasmThreadsPerWorker } from '../pool';

/** The message this worker posts once. */
export interface SimdKernelsCheck {
  crossOriginIsolated: boolean;
  /** The backend the session chose, which must be 'wasm'. */
  backend: string;
  features: WasmFeatures;
  /** Threads the pool gives its only worker. */
  requestedThreads: number;
  /** Relative errors of each gradient, by case label. */
  errors: Record<string, number[]>;
  /** The SIMD kernels after all cases ran. */
  kernels: SimdKernelReport;
  /** The error message where setting up or comparing threw. */
  failure?: string;
}

async function check(): Promise<SimdKernelsCheck> {
  const requestedThreads = wasmThreadsPerWorker(1);
  setWasmThreadCount(requestedThreads);
  const session = await BackendSession.create('wasm');
  const wasmBackend = tf.findBackend('wasm') as BackendWasm;
  const errors: Record<string, number[]> = {};
  for (const block of BLOCK_CASES) errors[block.label] = await compareBlockOnBackends(block);
  return {
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    backend: session.active,
    features: await describeWasmFeatures(),
    requestedThreads,
    errors,
    kernels: describeSimdKernels(wasmBackend),
  };
}

check().then(
  (result) => postMessage(result),
  (error: unknown) => postMessage({ failure: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error) }),
);
