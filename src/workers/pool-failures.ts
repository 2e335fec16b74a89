// Errors of the worker pool: cancellation, disposal, out-of-memory detection
// and the PlainError a crashed or failed worker resolves its request with.
import { NasError, type PlainError } from '../core/errors';

export function cancelledError(trialId: string, signal: AbortSignal): NasError {
  return new NasError('cancelled', `trial ${trialId} was cancelled`, { cause: signal.reason });
}

/**
 * Matches the messages of allocation failures: V8's "Array buffer allocation
 * failed" RangeError, tfjs-backend-webgl 4.22's "Unable to create
 * WebGLTexture." and out-of-memory or lost-context wordings.
 * NOTE: the last group is a guess that was not reproduced here. Other
 * wordings stay ordinary 'failed' results and keep their worker.
 */
export function isOutOfMemory(error: PlainError | undefined): error is PlainError {
  if (error === undefined) return false;
  return /out of memory|allocation failed|failed to allocate|unable to create webgltexture|context lost|device (was )?lost/i.test(
    error.message,
  );
}

export function disposedError(trialId: string): NasError {
  return new NasError('cancelled', `trial ${trialId} was cancelled because the worker pool was disposed`);
}

export function isCancelled(error: unknown): error is NasError {
  return error instanceof NasError && error.code === 'cancelled';
}

/**
 * Builds the error a failed request resolves with. A plain {code, message}
 * from the worker keeps its code when init failed (a missing dataset is not
 * a crash); every other failure becomes 'worker_crashed'.
 */
export function workerFailure(error: unknown, workerId: number, trialId: string | undefined, duringInit: boolean): PlainError {
  const plain = asPlainError(error);
  const where = trialId === undefined ? `worker ${workerId}` : `worker ${workerId} (trial ${trialId})`;
  if (duringInit) {
    return { code: plain.code, message: `${where} failed to start: ${plain.message}` };
  }
  return { code: 'worker_crashed', message: `${where} crashed: ${plain.message}; the worker was replaced` };
}

function asPlainError(error: unknown): PlainError {
  if (typeof error === 'object' && error !== null && 'code' in error && 'message' in error) {
    return { code: (error as PlainError).code, message: String((error as PlainError).message) };
  }
  if (error instanceof Error) return { code: 'worker_crashed', message: `${error.name}: ${error.message}` };
  return { code: 'worker_crashed', message: String(error) };
}

export function withTimeout<T>(promise: Promise<T>, timeoutMs: number, message: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject({ code: 'worker_crashed', message } satisfies PlainError), timeoutMs);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
