import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors';
import { Random } from '../random';
import { sampleArchitecture } from '../space';
import { defaultRunConfig } from './config';
import { validatePendingTrials, validateRunState, validateStoredTrial } from './record-validation';
import type { RunConfig, RunState, Trial } from './types';

const FIX = 'correct the file';

/** Returns a run config with successive halving over 2 epochs: rung 0 trains 1 epoch and rung 1 trains 2. */
function scheduledConfig(): RunConfig {
  const config = defaultRunConfig();
  return { ...config, training: { ...config.training, epochs: 2 }, estimation: { scheduler: { kind: 'successive-halving', minEpochs: 1, eta: 2 } } };
}

function validTrial(config: RunConfig): Trial {
  return {
    id: 't0',
    runId: 'r',
    index: 0,
    arch: sampleArchitecture(config.space, new Random(1)),
    hash: 'h0',
    seed: 3,
    epochs: 2,
    status: 'queued',
    curve: [],
    schedule: { bracket: 0, rung: 1, firstRung: 0, state: 'training', rungAccuracies: [0.5], epochsSpent: 1 },
    proxies: { synflow: 1.5 },
    inheritance: { parentTrialId: 't9', tensors: 2, total: 4 },
    stopReason: 'early stopping',
    toldBefore: 0,
  };
}

function validState(): RunState {
  return {
    toldCount: 0,
    strategyState: null,
    proposedCount: 1,
    hypervolume: [],
    randomState: [1, 2, 3, 4],
    loop: { pending: [{ proposal: 0, kind: 'trial', trialIndex: 0 }], proposals: 1, wastedInARow: 0, elapsedMs: 10 },
  };
}

/** Returns the ValidationError that `validate` throws, failing the test when it throws none. */
function errorOf(validate: () => unknown): ValidationError {
  try {
    validate();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError, but the value was accepted');
}

describe('validateStoredTrial', () => {
  it('accepts a trial with every optional field', () => {
    const config = scheduledConfig();
    const trial = validTrial(config);
    expect(validateStoredTrial(trial, 'trials[0]', config, FIX)).toBe(trial);
  });

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ['stopReason object', { stopReason: { x: [1, 2] } }, 'trials[0].stopReason', /must be a string, got \{/],
    ['schedule string', { schedule: 'junk' }, 'trials[0].schedule', /must be an object, got "junk"/],
    ['rung past the top', { schedule: { bracket: 0, rung: 99, firstRung: 0, state: 'top', rungAccuracies: [], epochsSpent: 0 } }, 'trials[0].schedule.rung', /must be an integer from 0 to 1, got 99/],
    ['negative firstRung', { schedule: { bracket: 0, rung: 0, firstRung: -3, state: 'top', rungAccuracies: [], epochsSpent: 0 } }, 'trials[0].schedule.firstRung', /must be an integer from 0 to 0, got -3/],
    ['text rung accuracy', { schedule: { bracket: 0, rung: 1, firstRung: 0, state: 'top', rungAccuracies: ['abc', null], epochsSpent: 3 } }, 'trials[0].schedule.rungAccuracies[0]', /must be a number from 0 to 1, got "abc"/],
    ['proxy score text', { proxies: { synflow: 'abc' } }, 'trials[0].proxies.synflow', /must be a finite number, got "abc"/],
    ['unknown proxy', { proxies: { magic: 1 } }, 'trials[0].proxies key "magic"', /must be one of synflow/],
    ['inheritance string', { inheritance: 'bogus' }, 'trials[0].inheritance', /must be an object, got "bogus"/],
    ['inheritance without parent', { inheritance: { tensors: 1 } }, 'trials[0].inheritance.parentTrialId', /must be a non-empty string/],
    ['negative toldBefore', { toldBefore: -5 }, 'trials[0].toldBefore', /must be a non-negative integer, got -5/],
    ['predicted accuracy 2', { predictedAccuracy: 2 }, 'trials[0].predictedAccuracy', /must be a number from 0 to 1, got 2/],
    ['error without message', { error: { code: 'internal' } }, 'trials[0].error.message', /must be a string, got undefined/],
    ['unknown backend', { status: 'done', metrics: { validationAccuracy: 0.5, testAccuracy: 0.5, params: 1, flops: 1, latency: { medianMs: 1, p90Ms: 1, runs: 1 }, trainMs: 1, epochs: 1, backend: 'tpu', device: 'x', feasible: true } }, 'trials[0].metrics.backend', /must be one of webgpu/],
  ])('rejects %s', (_case, change, field, message) => {
    const config = scheduledConfig();
    const error = errorOf(() => validateStoredTrial({ ...validTrial(config), ...change }, 'trials[0]', config, FIX));
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
    expect(error.message).toContain(FIX);
  });

  it('rejects a schedule without a scheduler', () => {
    const config = defaultRunConfig();
    const error = errorOf(() => validateStoredTrial(validTrial(config), 'trials[0]', config, FIX));
    expect(error.field).toBe('trials[0].schedule');
    expect(error.message).toMatch(/must be absent because run\.config\.estimation\.scheduler is not set/);
  });

  it('names a nested architecture field', () => {
    const config = scheduledConfig();
    const error = errorOf(() => validateStoredTrial({ ...validTrial(config), arch: { family: 'sequential', layers: [] } }, '', config, FIX));
    expect(error.field).toMatch(/^arch\./);
    expect(error.message).toContain(FIX);
  });
});

describe('validateRunState', () => {
  it('accepts a state with a loop', () => {
    const state = validState();
    expect(validateRunState(state, 'run.state', scheduledConfig(), FIX)).toBe(state);
  });

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ['loop string', { loop: 'garbage' }, 'run.state.loop', /must be an object, got "garbage"/],
    ['pending not a list', { loop: { pending: {}, proposals: 0, wastedInARow: 0 } }, 'run.state.loop.pending', /must be an array/],
    ['unknown pending kind', { loop: { pending: [{ proposal: 0, kind: 'maybe' }], proposals: 1, wastedInARow: 0 } }, 'run.state.loop.pending[0].kind', /must be one of trial/],
    ['trial without index', { loop: { pending: [{ proposal: 0, kind: 'trial' }], proposals: 1, wastedInARow: 0 } }, 'run.state.loop.pending[0].trialIndex', /non-negative integer, got undefined/],
    ['duplicate without arch', { loop: { pending: [{ proposal: 0, kind: 'duplicate', trialIndex: 0, hash: 'h' }], proposals: 1, wastedInARow: 0 } }, 'run.state.loop.pending[0].arch', /is invalid/],
    ['negative elapsed time', { loop: { pending: [], proposals: 0, wastedInARow: 0, elapsedMs: -1 } }, 'run.state.loop.elapsedMs', /non-negative finite number, got -1/],
    ['short random state', { randomState: [1, 2] }, 'run.state.randomState', /exactly 4 entries/],
    ['hypervolume text', { hypervolume: [{ trials: 1, value: 'x' }] }, 'run.state.hypervolume[0].value', /finite number, got "x"/],
  ])('rejects %s', (_case, change, field, message) => {
    const error = errorOf(() => validateRunState({ ...validState(), ...change }, 'run.state', scheduledConfig(), FIX));
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });
});

describe('validatePendingTrials', () => {
  it('accepts indices of stored trials', () => {
    expect(() => validatePendingTrials(validState(), new Set([0]), 'run.state', FIX)).not.toThrow();
  });

  it('rejects a missing trial index', () => {
    const error = errorOf(() => validatePendingTrials(validState(), new Set([5]), 'run.state', FIX));
    expect(error.field).toBe('run.state.loop.pending[0].trialIndex');
    expect(error.message).toMatch(/must be the index of a stored trial of the run, got 0/);
  });
});
