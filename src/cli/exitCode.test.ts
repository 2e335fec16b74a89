import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NasError, ValidationError } from '../core/errors';
import { loadMnistNode } from '../engine/data/mnistNode';
import { EXIT_BAD_INPUT, EXIT_FAILURE, exitCodeOf } from './main';

describe('exitCodeOf', () => {
  it('missing MNIST asset is bad input', async () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'no-mnist-')), 'mnist.bin');
    const error = await loadMnistNode(missing).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(NasError);
    expect(exitCodeOf(error)).toBe(EXIT_BAD_INPUT);
  });

  it('invalid configuration is bad input', () => {
    expect(exitCodeOf(new ValidationError('budget', 0, 'budget must be a positive integer, got 0: set budget to 1 or more'))).toBe(EXIT_BAD_INPUT);
  });

  it('storage failure is a failure', () => {
    expect(exitCodeOf(new NasError('storage_failed', 'disk full'))).toBe(EXIT_FAILURE);
  });

  it('plain error is a failure', () => {
    expect(exitCodeOf(new Error('boom'))).toBe(EXIT_FAILURE);
  });
});
