// Training backends: their names, the probe that picks one per worker and
// the record of a switch after a failure. types.ts re-exports them.

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/** Outcome of probing one backend with a few training steps of a fixed tiny network. */
export interface BackendProbeEntry {
  backend: BackendName;
  /** True when the backend initialised, trained and matched the cpu reference loss and gradients. */
  passed: boolean;
  /** Mean time of one timed training step (forward, backward, update and reading the loss), milliseconds. */
  msPerStep?: number;
  /** Training throughput of the probe network: batch size / step time, images per second. */
  imagesPerSecond?: number;
  /** Reason the backend failed: not available, an error while training, or a mismatch with cpu. */
  reason?: string;
}

/** Backend choice of one worker: every backend it probed and the fastest that passed. */
export interface BackendProbe {
  chosen: BackendName;
  /** One entry per backend probed, in probing order. */
  entries: BackendProbeEntry[];
  /** Images per probe step. */
  batchSize: number;
}

/** A switch of the training backend after a failure on the backend in use. */
export interface BackendFallback {
  from: BackendName;
  to: BackendName;
  /** Error message of the failure on `from`. */
  reason: string;
}
