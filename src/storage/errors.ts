// Maps IndexedDB failures to NasError. A full quota becomes 'storage_quota'
// with a message on how to free space. Every other failure becomes
// 'storage_failed'.
import { NasError } from '../core/errors';

/**
 * Converts an IndexedDB failure into a NasError. `action` names what was
 * attempted, as a verb phrase ("save trial t3 of run r1").
 *
 * A QuotaExceededError, or an AbortError of a transaction whose `error` is a
 * QuotaExceededError (how idb reports a transaction the quota aborted),
 * becomes 'storage_quota'. A NasError passes through unchanged; anything else
 * becomes 'storage_failed'. The original error is kept as `cause`.
 */
export function toStorageError(error: unknown, action: string, transaction?: { error: DOMException | null }): NasError {
  if (error instanceof NasError) return error;

  if (isQuotaError(error) || (errorName(error) === 'AbortError' && isQuotaError(transaction?.error))) {
    return new NasError(
      'storage_quota',
      `Storage is full: the browser refused to ${action}, so that data was not saved (earlier data is unchanged). ` +
        'Free space by deleting runs you no longer need (export them first to keep a copy) ' +
        'or by allowing this site more storage in the browser settings, then try again.',
      { cause: error },
    );
  }

  if (errorName(error) === 'InvalidStateError') {
    // The repositories never reuse a finished transaction, so this is a closed connection.
    return new NasError(
      'storage_failed',
      `IndexedDB failed to ${action} because the database connection is closed, usually because another tab ` +
        `upgraded the studio: reload the page (${describeError(error)})`,
      { cause: error },
    );
  }

  return new NasError('storage_failed', `IndexedDB failed to ${action}: ${describeError(error)}`, { cause: error });
}

function isQuotaError(error: unknown): boolean {
  return errorName(error) === 'QuotaExceededError';
}

function errorName(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'name' in error && typeof error.name === 'string') {
    return error.name;
  }
  return undefined;
}

function describeError(error: unknown): string {
  if (error instanceof Error || error instanceof DOMException) return `${error.name}: ${error.message}`;
  return String(error);
}
