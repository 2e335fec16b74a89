import { describe, expect, it } from 'vitest';
import { NasError } from '../core/errors';
import { toStorageError } from './errors';

describe('toStorageError', () => {
  it('maps QuotaExceededError to storage_quota', () => {
    const quota = new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    const error = toStorageError(quota, 'save trial t1 of run r1');

    expect(error.code).toBe('storage_quota');
    expect(error.message).toMatch(/^Storage is full/);
    expect(error.message).toContain('save trial t1 of run r1');
    expect(error.message).toContain('deleting runs');
    expect(error.cause).toBe(quota);
  });

  it('maps an AbortError caused by the quota to storage_quota', () => {
    const abort = new DOMException('AbortError', 'AbortError');
    const transaction = { error: new DOMException('The quota has been exceeded.', 'QuotaExceededError') };
    expect(toStorageError(abort, 'save run r1', transaction).code).toBe('storage_quota');
  });

  it('maps a plain AbortError to storage_failed', () => {
    const abort = new DOMException('AbortError', 'AbortError');
    const error = toStorageError(abort, 'save run r1', { error: null });
    expect(error.code).toBe('storage_failed');
    expect(error.message).toBe('IndexedDB failed to save run r1: AbortError: AbortError');
  });

  it('passes a NasError through', () => {
    const original = new NasError('not_found', 'run r1 was not found');
    expect(toStorageError(original, 'export run r1')).toBe(original);
  });

  it('maps a non-error value to storage_failed', () => {
    expect(toStorageError('boom', 'list runs').message).toBe('IndexedDB failed to list runs: boom');
  });
});
