// Main-thread side of the benchmark worker: starts one worker per benchmark,
// turns its plain errors back into NasError, and stops it by terminating the
// worker, which also interrupts a run in the middle of a seed.
import * as Comlink from 'comlink';
import type { BenchmarkResult } from '../core/bench/harness';
import { fromPlainError, NasError, type PlainError } from '../core/errors';
import type { BenchEvent, BenchRequest, BenchWorkerApi } from './benchProtocol';

/** A benchmark running in its own worker. */
export interface BenchmarkHandle {
  /**
   * Settles when the benchmark ends: resolves with the harness's result, or
   * rejects with a ValidationError (field 'table', 'budget', 'seeds', ...),
   * NasError('worker_crashed') or, after stop(), NasError('cancelled').
   */
  result: Promise<BenchmarkResult>;
  /** Terminates the worker at once; `result` rejects with NasError('cancelled'). */
  stop(): void;
}

function isPlainError(value: unknown): value is PlainError {
  return typeof value === 'object' && value !== null && 'code' in value && 'message' in value;
}

/** Starts `request` in a fresh benchmark worker; `onEvent` receives its progress on the main thread. */
export function startBenchmarkWorker(request: BenchRequest, onEvent: (event: BenchEvent) => void): BenchmarkHandle {
  const worker = new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module', name: 'nas-bench' });
  let settle: ((error: NasError) => void) | null = null;
  const interrupted = new Promise<never>((_, reject) => {
    settle = reject;
  });

  worker.addEventListener('error', (event) => {
    event.preventDefault();
    const detail = event instanceof ErrorEvent && event.message ? event.message : 'the worker script failed to load or threw';
    settle?.(new NasError('worker_crashed', `the benchmark worker crashed: ${detail}; reload the page and run the benchmark again`));
  });

  const remote = Comlink.wrap<BenchWorkerApi>(worker);
  const run = remote.run(request, Comlink.proxy(onEvent)).catch((error: unknown) => {
    throw isPlainError(error) ? fromPlainError(error) : error;
  });
  const result = Promise.race([run, interrupted]).finally(() => worker.terminate());

  return {
    result,
    stop() {
      worker.terminate();
      settle?.(new NasError('cancelled', 'the benchmark was stopped before it finished'));
    },
  };
}
