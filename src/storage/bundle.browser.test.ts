import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runBundle as e2eRunBundle } from '../../e2e/fixtures';
import { NasError, ValidationError } from '../core/errors';
import { exportRunBundle, importRunBundle, validateRunBundle, type RunBundle } from './bundle';
import type { StudioDb } from './db';
import { getRun, listRuns, saveRun } from './runs';
import type { Trial, TrialMetrics } from '../core/run/types';
import { makeRun, makeTrial as makeBareTrial, openTestDb } from './test-fixtures';
import { listTrials, saveTrials } from './trials';

let db: StudioDb;
let close: () => Promise<void>;

beforeEach(async () => {
  ({ db, close } = await openTestDb());
});

afterEach(async () => {
  await close();
});

const SAMPLE_METRICS: TrialMetrics = {
  validationAccuracy: 0.25,
  testAccuracy: 0.24,
  params: 1234,
  flops: 56_789,
  latency: { medianMs: 1.5, p90Ms: 2.5, runs: 30 },
  trainMs: 800,
  epochs: 1,
  backend: 'cpu',
  device: 'test browser',
  feasible: true,
};

/** Returns a trial as the run loop stores it: a done trial carries metrics. */
function makeTrial(runId: string, index: number, status: Trial['status'] = 'done'): Trial {
  const trial = makeBareTrial(runId, index, status);
  return status === 'done' ? { ...trial, metrics: structuredClone(SAMPLE_METRICS) } : trial;
}

/** Returns a bundle whose first trial has `changes` merged in. */
function withFirstTrial(bundle: Record<string, unknown>, changes: Record<string, unknown>): Record<string, unknown> {
  return { ...bundle, trials: [{ ...makeTrial('r1', 0), ...changes }, makeTrial('r1', 1)] };
}

/** Returns a bundle whose first trial has metrics `SAMPLE_METRICS` with `changes` merged in. */
function withMetrics(bundle: Record<string, unknown>, changes: Record<string, unknown>): Record<string, unknown> {
  return withFirstTrial(bundle, { metrics: { ...SAMPLE_METRICS, ...changes } });
}

/** Returns a bundle whose run has `changes` merged into its state. */
function withRunState(bundle: Record<string, unknown>, changes: Record<string, unknown>): Record<string, unknown> {
  const run = bundle.run as RunBundle['run'];
  return { ...bundle, run: { ...run, state: { ...run.state, ...changes } } };
}

/** Returns a bundle whose run has `changes` merged into its config. */
function withRunConfig(bundle: Record<string, unknown>, changes: Record<string, unknown>): Record<string, unknown> {
  const run = bundle.run as RunBundle['run'];
  return { ...bundle, run: { ...run, config: { ...run.config, ...changes } } };
}

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
    ['done trial without metrics', (b) => withFirstTrial(b, { metrics: undefined }), 'trials[0].metrics', /must be present for a trial with status done/],
    ['empty metrics', (b) => withFirstTrial(b, { metrics: {} }), 'trials[0].metrics.validationAccuracy', /must be a number from 0 to 1, got undefined/],
    ['null latency', (b) => withMetrics(b, { latency: null }), 'trials[0].metrics.latency', /trials\[0\]\.metrics\.latency must be an object, got null: export the run again/],
    ['latency without runs', (b) => withMetrics(b, { latency: { medianMs: 1, p90Ms: 2 } }), 'trials[0].metrics.latency.runs', /must be a finite number/],
    ['text validation accuracy', (b) => withMetrics(b, { validationAccuracy: 'abc' }), 'trials[0].metrics.validationAccuracy', /must be a number from 0 to 1, got "abc"/],
    ['test accuracy above 1', (b) => withMetrics(b, { testAccuracy: 1.5 }), 'trials[0].metrics.testAccuracy', /got 1\.5/],
    ['negative params', (b) => withMetrics(b, { params: -1 }), 'trials[0].metrics.params', /must be a non-negative finite number, got -1/],
    ['null flops', (b) => withMetrics(b, { flops: null }), 'trials[0].metrics.flops', /must be a non-negative finite number, got null/],
    ['text trainMs', (b) => withMetrics(b, { trainMs: '5' }), 'trials[0].metrics.trainMs', /must be a non-negative finite number/],
    ['negative metrics epochs', (b) => withMetrics(b, { epochs: -2 }), 'trials[0].metrics.epochs', /must be a non-negative finite number/],
    ['numeric backend', (b) => withMetrics(b, { backend: 3 }), 'trials[0].metrics.backend', /must be one of webgpu, webgl, wasm, cpu, got 3/],
    ['text feasible', (b) => withMetrics(b, { feasible: 'yes' }), 'trials[0].metrics.feasible', /must be true or false, got "yes"/],
    ['sequential arch without layers', (b) => withFirstTrial(b, { arch: { family: 'sequential' } }), 'trials[0].arch.layers', /trials\[0\]\.arch\.layers is invalid: layers must be an array/],
    ['arch of unknown family', (b) => withFirstTrial(b, { arch: { family: 'zzz' } }), 'trials[0].arch.family', /family must be "sequential", got "zzz"/],
    ['arch not an object', (b) => withFirstTrial(b, { arch: 'conv' }), 'trials[0].arch', /trials\[0\]\.arch is invalid: arch must be an object/],
    ['arch with an op outside the space', (b) => withFirstTrial(b, { arch: { family: 'sequential', layers: [{ op: 'conv5x5', width: 4, skipFrom: null }] } }), 'trials[0].arch.layers[0].op', /conv5x5/],
    ['curve with bad points', (b) => withFirstTrial(b, { curve: [{ epoch: 'a', loss: null }, 5] }), 'trials[0].curve[0].epoch', /must be a finite number, got "a"/],
    ['curve point with null loss', (b) => withFirstTrial(b, { curve: [{ epoch: 0, loss: null, trainAccuracy: 0.1, validationAccuracy: 0.1 }] }), 'trials[0].curve[0].loss', /got null/],
    ['curve point not an object', (b) => withFirstTrial(b, { curve: [5] }), 'trials[0].curve[0]', /must be an object, got 5/],
    ['curve not an array', (b) => withFirstTrial(b, { curve: {} }), 'trials[0].curve', /must be an array of curve points/],
    ['non-integer trial index', (b) => withFirstTrial(b, { index: 0.5 }), 'trials[0].index', /must be a non-negative integer, got 0\.5/],
    ['text hypervolume', (b) => withRunState(b, { hypervolume: 'x' }), 'run.state.hypervolume', /run\.state\.hypervolume must be an array of \{trials, value\} points, got "x"/],
    ['hypervolume point without value', (b) => withRunState(b, { hypervolume: [{ trials: 1 }] }), 'run.state.hypervolume[0].value', /must be a finite number, got undefined/],
    ['hypervolume point not an object', (b) => withRunState(b, { hypervolume: [3] }), 'run.state.hypervolume[0]', /must be an object, got 3/],
    [
      'run config space with text depths',
      (b) => withRunConfig(b, { space: { ...(b.run as RunBundle['run']).config.space, depths: 'x' } }),
      'run.config.space.depths',
      /run\.config\.space\.depths is invalid/,
    ],
    ['run config with zero budget', (b) => withRunConfig(b, { budget: 0 }), 'run.config.budget', /run\.config\.budget is invalid: budget must be a positive integer, got 0/],
    ['run config with unknown space family', (b) => withRunConfig(b, { space: { family: 'zzz' } }), 'run.config.space.family', /zzz/],
    ['run config missing', (b) => ({ ...b, run: { ...(b.run as object), config: null } }), 'run.config', /run\.config is invalid: config must be an object, got null/],
  ])('rejects %s', async (_case, corrupt, field, message) => {
    const error = await importError(corrupt(sampleBundle() as unknown as Record<string, unknown>));
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
    expect(await listRuns(db)).toEqual([]);
  });

  it('imports trials of every final status', async () => {
    const trials = [
      makeTrial('r1', 0),
      { ...makeTrial('r1', 1, 'done'), metrics: { ...SAMPLE_METRICS, feasible: false, peakMemoryBytes: 2048 } },
      { ...makeTrial('r1', 2, 'failed'), curve: [], error: { code: 'evaluation_failed' as const, message: 'out of memory' } },
      makeTrial('r1', 3, 'diverged'),
      makeTrial('r1', 4, 'pruned'),
      makeTrial('r1', 5, 'queued'),
    ];
    const run = { ...makeRun('r1'), status: 'completed' as const };
    run.state = { ...run.state, hypervolume: [{ trials: 1, value: 0.2 }, { trials: 2, value: 0.25 }] };

    await importRunBundle(db, { format: 'nas-studio-run', version: 1, run, trials });

    expect((await listTrials(db, 'r1')).map((trial) => trial.status)).toEqual(['done', 'done', 'failed', 'diverged', 'pruned', 'queued']);
  });

  it('imports the browser specs fixture bundle', async () => {
    const run = await importRunBundle(db, JSON.parse(e2eRunBundle('stored run')));
    expect(run.id).toBe('fixture-stored run');
    expect(run.status).toBe('completed');
  });

  it('validateRunBundle accepts an exported bundle', async () => {
    await storeSampleRun();
    const bundle = JSON.parse(JSON.stringify(await exportRunBundle(db, 'r1')));
    expect(validateRunBundle(bundle)).toBe(bundle);
  });
});
