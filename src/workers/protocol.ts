// The message contract between the worker pool and a trainer worker, shared
// by the real trainer and the test workers so both sides agree on types.
import type { BackendName, BackendProbe, EvaluationProgress, EvaluationRequest, EvaluationResult } from '../core/run/types';

export interface TrainerInitOptions {
  /** Backend to initialise; 'auto' probes webgpu, webgl, wasm and cpu and takes the fastest that trains correctly. */
  backend: 'auto' | BackendName;
  /** Absolute URL of the MNIST asset (public/data/mnist.bin), fetched once per worker. */
  dataUrl: string;
  /** Threads of the wasm backend in this worker; tfjs's default (half the logical cores) when absent. */
  wasmThreads?: number;
}

export interface TrainerInfo {
  /** Backend the worker initialised. */
  backend: BackendName;
  /** Device description, from the engine's describeDevice. */
  device: string;
  /** Timings and results of every probed backend, for 'auto'. */
  probe?: BackendProbe;
}

/**
 * API a trainer worker exposes through comlink. Failures reject with a plain
 * {code, message} object (PlainError), never an Error instance, so the code
 * survives the structured clone.
 */
export interface TrainerApi {
  /** Fetches and decodes the dataset and initialises the tfjs backend; call once before evaluate. */
  init(options: TrainerInitOptions): Promise<TrainerInfo>;
  /**
   * Evaluates one candidate. A bad candidate resolves with status 'failed';
   * the weight buffer of a done result is transferred, not copied.
   */
  evaluate(request: EvaluationRequest, onProgress: (progress: EvaluationProgress) => void): Promise<EvaluationResult>;
}
