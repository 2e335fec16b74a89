// The browser's Evaluator: a pool of trainer Web Workers. It queues requests,
// runs up to `size` at once, replaces workers that crash or are cancelled, and
// publishes every worker's status for the worker panel.
import * as Comlink from 'comlink';
import { describeValue, NasError, type PlainError } from '../core/errors';
import { createLogger } from '../core/log';
import type { BackendName, EvaluationProgress, EvaluationRequest, EvaluationResult, Evaluator } from '../core/run/types';
import { cancelledError, disposedError, isCancelled, isOutOfMemory, withTimeout, workerFailure } from './pool-failures';
import { slotStatus, type Job, type PoolStatus, type Slot, type WorkerHandle, type WorkerTrialProgress } from './pool-status';
import type { TrainerApi } from './protocol';

export type { PoolStatus, WorkerState, WorkerStatus, WorkerTrialProgress } from './pool-status';

const log = createLogger('workers');

/** Default time a worker may take to load the dataset and initialise its backend, milliseconds. */
export const DEFAULT_INIT_TIMEOUT_MS = 120_000;

export interface WorkerPoolOptions {
  /** Workers that evaluate at once. Default max(1, min(4, logical cores - 1)). */
  size?: number;
  /** Backend each worker initialises. Default 'auto'. */
  backend?: 'auto' | BackendName;
  /** URL of the MNIST asset, resolved against the page. Default `<base>data/mnist.bin`. */
  dataUrl?: string;
  /** Creates one worker; tests pass scripts that crash. Default: the trainer worker. */
  createWorker?: () => Worker;
  /** Time a worker may take to initialise before it counts as crashed, milliseconds. */
  initTimeoutMs?: number;
}

/**
 * Threads each worker's wasm backend gets: the logical cores shared out
 * among the workers, at least 1, so the pool does not start more compute
 * threads than there are cores.
 */
export function wasmThreadsPerWorker(poolSize: number): number {
  const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency : undefined;
  return Math.max(1, Math.floor((cores ?? 2) / poolSize));
}

/** Default pool size: one core is left to the page, and more than 4 workers rarely pays off in memory. */
export function defaultPoolSize(): number {
  const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency : undefined;
  return Math.max(1, Math.min(4, (cores ?? 2) - 1));
}

function createTrainerWorker(): Worker {
  return new Worker(new URL('./trainer.worker.ts', import.meta.url), { type: 'module', name: 'nas-trainer' });
}

function defaultDataUrl(): string {
  return new URL(`${import.meta.env.BASE_URL}data/mnist.bin`, globalThis.location.href).href;
}

/**
 * Evaluates candidates in Web Workers.
 *
 * A request whose worker crashes (uncaught error, unreadable message, an
 * out-of-memory error that escapes tfjs) or whose init fails resolves with
 * status 'failed' and code 'worker_crashed' or the init error's code. The
 * worker is then discarded and a fresh one takes its slot. Aborting a
 * request's signal terminates its worker at once, even inside a long tfjs
 * call, and rejects with NasError('cancelled').
 */
export class WorkerPool implements Evaluator {
  readonly concurrency: number;
  /**
   * Workers honour request.epochs and checkpoints. A request's checkpoint is
   * copied to the worker, not transferred, so the run loop keeps it for a
   * retry; the worker transfers a result's checkpoint back.
   */
  readonly epochFidelity = true;
  private readonly backend: 'auto' | BackendName;
  private readonly dataUrl: string;
  private readonly createWorker: () => Worker;
  private readonly initTimeoutMs: number;
  private readonly slots: Slot[];
  private readonly queue: Job[] = [];
  private readonly listeners = new Set<(status: PoolStatus) => void>();
  private disposed = false;

  constructor(options: WorkerPoolOptions = {}) {
    const size = options.size ?? defaultPoolSize();
    if (!Number.isInteger(size) || size < 1) {
      throw new NasError('invalid_config', `size must be a positive integer, got ${describeValue(size)}: set the worker count to 1 or more`);
    }
    this.concurrency = size;
    this.backend = options.backend ?? 'auto';
    this.dataUrl = new URL(options.dataUrl ?? defaultDataUrl(), globalThis.location.href).href;
    this.createWorker = options.createWorker ?? createTrainerWorker;
    this.initTimeoutMs = options.initTimeoutMs ?? DEFAULT_INIT_TIMEOUT_MS;
    this.slots = Array.from({ length: size }, (_, index) => ({ id: index + 1, handle: null, job: null }));
  }

  /**
   * Queues `request` and resolves with its result once a worker evaluated it.
   * Progress updates carry the worker id. Rejects with NasError('cancelled')
   * when `signal` aborts or the pool is disposed, and never for a failing
   * candidate or worker.
   */
  evaluate(
    request: EvaluationRequest,
    signal: AbortSignal,
    onProgress?: (progress: EvaluationProgress) => void,
  ): Promise<EvaluationResult> {
    if (this.disposed) {
      return Promise.reject(new NasError('cancelled', `trial ${request.trialId} was not evaluated because the worker pool was disposed`));
    }
    if (signal.aborted) {
      return Promise.reject(cancelledError(request.trialId, signal));
    }

    return new Promise<EvaluationResult>((resolve, reject) => {
      let cancel!: (error: NasError) => void;
      const cancelled = new Promise<never>((_, rejectCancelled) => {
        cancel = rejectCancelled;
      });
      cancelled.catch(() => undefined);

      const onAbort = (): void => {
        const queuedAt = this.queue.indexOf(job);
        if (queuedAt >= 0) {
          this.queue.splice(queuedAt, 1);
          this.settle(job, () => reject(cancelledError(request.trialId, signal)));
          this.emit();
          return;
        }
        // A running job: runJob catches the rejection, terminates the worker and rejects.
        cancel(cancelledError(request.trialId, signal));
      };
      const detach = (): void => signal.removeEventListener('abort', onAbort);
      const job: Job = { request, onProgress, resolve, reject, cancelled, cancel, detach, settled: false };
      signal.addEventListener('abort', onAbort, { once: true });

      this.queue.push(job);
      this.pump();
    });
  }

  /** Returns a snapshot of every worker slot and the queue length. */
  getStatus(): PoolStatus {
    return {
      workers: this.slots.map((slot) => slotStatus(slot)),
      queued: this.queue.length,
    };
  }

  /** Calls `listener` with a new snapshot after every status change; returns the unsubscribe function. */
  subscribe(listener: (status: PoolStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Terminates every worker and rejects queued and running requests with NasError('cancelled'). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const job of this.queue.splice(0)) {
      this.settle(job, () => job.reject(disposedError(job.request.trialId)));
    }
    for (const slot of this.slots) {
      // runJob rejects the running job when it catches the cancellation.
      slot.job?.cancel(disposedError(slot.job.request.trialId));
      this.discard(slot);
    }
    this.emit();
    this.listeners.clear();
  }

  /** Starts queued jobs on free slots. */
  private pump(): void {
    if (this.disposed) return;
    for (const slot of this.slots) {
      if (this.queue.length === 0) break;
      if (slot.job !== null) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      void this.runJob(slot, job);
    }
    this.emit();
  }

  private async runJob(slot: Slot, job: Job): Promise<void> {
    const handle = slot.handle ?? this.spawn(slot);
    const trialId = job.request.trialId;
    try {
      await Promise.race([handle.ready, job.cancelled]);
      this.emit();

      const progress = Comlink.proxy((update: EvaluationProgress) => {
        if (job.settled) return;
        job.onProgress?.({ ...update, workerId: slot.id });
        this.recordProgress(slot, job, update);
      });
      // NOTE: a worker that closes itself mid-evaluation fires no event, so
      // its request waits until the caller's signal aborts.
      const result = await Promise.race([handle.remote.evaluate(job.request, progress), handle.crashed, job.cancelled]);
      if (result.status === 'failed' && isOutOfMemory(result.error)) {
        // tfjs reports the failure, but the worker's backend may be unusable afterwards.
        const error: PlainError = {
          code: 'worker_crashed',
          message: `worker ${slot.id} (trial ${trialId}) ran out of memory: ${result.error.message}; the worker was replaced, try a smaller candidate or batch size`,
        };
        log.error(error.message);
        slot.lastError = error;
        this.replace(slot, handle);
        this.settle(job, () => job.resolve({ ...result, error, workerId: slot.id }));
        return;
      }
      this.recordBackend(slot, handle, result);
      this.settle(job, () => job.resolve({ ...result, workerId: slot.id }));
    } catch (error) {
      if (isCancelled(error)) {
        log.info(`trial ${trialId} was cancelled, so worker ${slot.id} is terminated and replaced`);
        this.replace(slot, handle);
        this.settle(job, () => job.reject(error));
      } else {
        const plain = workerFailure(error, slot.id, trialId, handle.info === undefined);
        log.error(plain.message);
        slot.lastError = plain;
        this.replace(slot, handle);
        this.settle(job, () => job.resolve({ status: 'failed', curve: [], error: plain, workerId: slot.id }));
      }
    } finally {
      if (slot.job === job) {
        slot.job = null;
        slot.progress = undefined;
      }
      this.pump();
    }
  }

  /**
   * Stores the trial's progress for the status panel. A status is emitted
   * when the epoch or the curve changes or the fraction passes another 2%,
   * so a fast batch loop does not redraw the panel after every batch.
   */
  private recordProgress(slot: Slot, job: Job, update: EvaluationProgress): void {
    const last = update.curve.at(-1);
    const next: WorkerTrialProgress = {
      epoch: update.epoch + 1,
      epochs: job.request.epochs ?? job.request.training.epochs,
      fraction: update.fraction,
      validationAccuracy: last?.validationAccuracy,
    };
    const previous = slot.progress;
    slot.progress = next;
    const changed =
      previous === undefined ||
      previous.epoch !== next.epoch ||
      previous.validationAccuracy !== next.validationAccuracy ||
      Math.floor(previous.fraction * 50) !== Math.floor(next.fraction * 50);
    if (changed) this.emit();
  }

  /** Follows a backend switch that the worker made during `result`'s evaluation. */
  private recordBackend(slot: Slot, handle: WorkerHandle, result: EvaluationResult): void {
    const metrics = result.metrics;
    if (metrics === undefined || handle.info === undefined) return;
    if (metrics.backendFallback !== undefined) slot.fallback = metrics.backendFallback;
    if (metrics.backend !== handle.info.backend) {
      log.info(`worker ${slot.id} now trains on ${metrics.backend} instead of ${handle.info.backend}`);
      handle.info = { ...handle.info, backend: metrics.backend };
    }
  }

  /** Starts a worker in `slot` and begins its init. */
  private spawn(slot: Slot): WorkerHandle {
    const worker = this.createWorker();
    let reportCrash!: (error: PlainError) => void;
    const crashed = new Promise<never>((_, reject) => {
      reportCrash = reject;
    });
    crashed.catch(() => undefined);

    worker.addEventListener('error', (event) => {
      event.preventDefault();
      const detail = event instanceof ErrorEvent && event.message ? event.message : 'the worker script failed to load or threw';
      reportCrash({ code: 'worker_crashed', message: detail });
    });
    worker.addEventListener('messageerror', () => {
      reportCrash({ code: 'worker_crashed', message: 'a message from the worker could not be deserialised' });
    });

    const remote = Comlink.wrap<TrainerApi>(worker);
    const ready = withTimeout(
      Promise.race([remote.init({ backend: this.backend, dataUrl: this.dataUrl, wasmThreads: wasmThreadsPerWorker(this.concurrency) }), crashed]),
      this.initTimeoutMs,
      `worker did not finish init within ${this.initTimeoutMs} ms (it may have closed itself or hung while loading the dataset)`,
    );
    const handle: WorkerHandle = { worker, remote, crashed, ready };
    slot.handle = handle;

    ready.then(
      (info) => {
        handle.info = info;
        log.info(`worker ${slot.id} ready on ${info.backend}`);
        this.emit();
      },
      (error: unknown) => {
        // A slot without a job discards a worker that failed to start; the next job starts another.
        if (slot.handle === handle && slot.job === null) {
          slot.lastError = workerFailure(error, slot.id, undefined, true);
          log.error(slot.lastError.message);
          this.discard(slot);
          this.emit();
        }
      },
    );
    crashed.catch((error: PlainError) => {
      // A crash between jobs: drop the worker without restarting it, so a script
      // that crashes on load cannot restart in a loop.
      if (slot.handle === handle && slot.job === null && handle.info !== undefined) {
        slot.lastError = error;
        log.error(`worker ${slot.id} crashed while idle: ${error.message}`);
        this.discard(slot);
        this.emit();
      }
    });

    this.emit();
    return handle;
  }

  /** Terminates the worker of `slot`, when it is still `handle`, and starts a fresh one. */
  private replace(slot: Slot, handle: WorkerHandle): void {
    if (slot.handle !== handle) return;
    this.discard(slot);
    if (!this.disposed) this.spawn(slot);
  }

  private discard(slot: Slot): void {
    slot.handle?.worker.terminate();
    slot.handle = null;
  }

  private settle(job: Job, complete: () => void): void {
    if (job.settled) return;
    job.settled = true;
    job.detach();
    complete();
  }

  private emit(): void {
    if (this.listeners.size === 0) return;
    const status = this.getStatus();
    for (const listener of this.listeners) {
      try {
        listener(status);
      } catch (error) {
        log.error('a worker-status listener threw', error);
      }
    }
  }
}
