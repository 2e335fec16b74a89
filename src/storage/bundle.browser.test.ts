import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NasError, ValidationError } from '../core/errors';
import { exportRunBundle, importRunBundle, validateRunBundle, type RunBundle } from './bundle';
import type { StudioDb } from './db';
import { getRun, listRuns, saveRun } from './runs';
import { makeRun, makeTrial, openTestDb } from './test-fixtures';
import { listTrials, saveTrials } from './trials';

let db: StudioDb;
let close: () => Promise<void>;

beforeEach(async () => {
  ({ db, close } = await openTestDb());
});

afterEach(async () => {
  await close();
});

async function storeSampleRun(): Promise<void> {
  await saveRun(db, { ...makeRun('r1'), status: 'completed' });
  const reused = { ...makeTrial('r1', 2), reusedFrom: 'r1-trial-0' };
  await saveTrials(db, [makeTrial('r1', 1), makeTrial('r1', 0), reused]);
}

function sampleBundle(): RunBundle {
  return {
    format: 'nas-studio-run',
    version: 1,
    run: { ...makeRun('r1'), status: 'completed' },
    trials: [makeTrial('r1', 0), makeTrial('r1', 1)],
  };
}

/** Returns the error importRunBundle rejects with, or fails the test when it resolves. */
async function importError(value: unknown): Promise<ValidationError> {
  const error = await importRunBundle(db, value).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

describe('exportRunBundle', () => {
  it('exports the run and its trials in index order', async () => {
    await storeSampleRun();
    const bundle = await exportRunBundle(db, 'r1');

    expect(bundle.format).toBe('nas-studio-run');
    expect(bundle.version).toBe(1);
    expect(bundle.run.id).toBe('r1');
    expect(bundle.trials.map((trial) => trial.index)).toEqual([0, 1, 2]);
  });

  it('rejects a missing run with not_found', async () => {
    const error = await exportRunBundle(db, 'missing').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NasError);
    expect((error as NasError).code).toBe('not_found');
  });
});

describe('importRunBundle', () => {
  it('round-trips through JSON into an empty database', async () => {
    await storeSampleRun();
    const json = JSON.stringify(await exportRunBundle(db, 'r1'));
    const { db: target, close: closeTarget } = await openTestDb();
    try {
      const run = await importRunBundle(target, JSON.parse(json));

      expect(run.id).toBe('r1');
      expect(await getRun(target, 'r1')).toEqual(await getRun(db, 'r1'));
      expect(await listTrials(target, 'r1')).toEqual(await listTrials(db, 'r1'));
    } finally {
      await closeTarget();
    }
  });

  it('gives the run and trials new ids when the run exists', async () => {
    await storeSampleRun();
    const bundle = await exportRunBundle(db, 'r1');

    const imported = await importRunBundle(db, bundle);

    expect(imported.id).not.toBe('r1');
    expect((await listRuns(db)).map((run) => run.id).sort()).toEqual([imported.id, 'r1'].sort());
    const original = await listTrials(db, 'r1');
    const copies = await listTrials(db, imported.id);
    expect(original.map((trial) => trial.id)).toEqual(['r1-trial-0', 'r1-trial-1', 'r1-trial-2']);
    expect(copies.map((trial) => trial.index)).toEqual([0, 1, 2]);
    expect(copies.every((trial) => trial.runId === imported.id)).toBe(true);
    expect(copies.some((trial) => original.some((other) => other.id === trial.id))).toBe(false);
    // reusedFrom follows the renamed trial it points to.
    expect(copies[2].reusedFrom).toBe(copies[0].id);
  });

  it('stores a running run as interrupted', async () => {
    const bundle = { ...sampleBundle(), run: { ...makeRun('r1'), status: 'running' as const } };
    const run = await importRunBundle(db, bundle);
    expect(run.status).toBe('interrupted');
    expect((await getRun(db, 'r1'))?.status).toBe('interrupted');
  });

  it.each<[string, (bundle: Record<string, unknown>) => unknown, string, RegExp]>([
    ['non-object bundle', () => 'text', 'bundle', /bundle must be an object/],
    ['wrong format', (b) => ({ ...b, format: 'other' }), 'format', /format must be "nas-studio-run", got "other"/],
    ['newer version', (b) => ({ ...b, version: 2 }), 'version', /newer NAS Studio/],
    ['missing run', (b) => ({ ...b, run: undefined }), 'run', /run must be an object/],
    ['empty run id', (b) => ({ ...b, run: { ...(b.run as object), id: '' } }), 'run.id', /non-empty string, got ""/],
    ['unknown run status', (b) => ({ ...b, run: { ...(b.run as object), status: 'paused' } }), 'run.status', /must be one of running/],
    ['trials not an array', (b) => ({ ...b, trials: {} }), 'trials', /must be an array/],
    [
      'negative trial index',
      (b) => ({ ...b, trials: [makeTrial('r1', 0), { ...makeTrial('r1', 1), index: -1 }] }),
      'trials[1].index',
      /trials\[1\]\.index must be a non-negative integer, got -1/,
    ],
    [
      'trial of another run',
      (b) => ({ ...b, trials: [makeTrial('r2', 0)] }),
      'trials[0].runId',
      /must equal run.id "r1", got "r2"/,
    ],
    [
      'duplicate trial index',
      (b) => ({ ...b, trials: [makeTrial('r1', 0), { ...makeTrial('r1', 0), id: 'other' }] }),
      'trials[1].index',
      /must be unique/,
    ],
    [
      'unknown trial status',
      (b) => ({ ...b, trials: [{ ...makeTrial('r1', 0), status: 'lost' }] }),
      'trials[0].status',
      /must be one of queued/,
    ],
  ])('rejects %s', async (_case, corrupt, field, message) => {
    const error = await importError(corrupt(sampleBundle() as unknown as Record<string, unknown>));
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
    expect(await listRuns(db)).toEqual([]);
  });

  it('validateRunBundle accepts an exported bundle', async () => {
    await storeSampleRun();
    const bundle = JSON.parse(JSON.stringify(await exportRunBundle(db, 'r1')));
    expect(validateRunBundle(bundle)).toBe(bundle);
  });
});
