import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Random } from '../core/random';
import { defaultRunConfig } from '../core/run/config';
import type { ReferencePredictions, RunRecord, SavedModel, Trial, TrialMetrics } from '../core/run/types';
import { sampleArchitecture } from '../core/space';
import { FileRunStore, readRunDirectory } from './fileStore';

const root = mkdtempSync(join(tmpdir(), 'nas-studio-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirCount = 0;

function freshDir(): string {
  dirCount++;
  return mkdtempSync(join(root, `store-${dirCount}-`));
}

function record(): RunRecord {
  return {
    id: 'run-a',
    config: defaultRunConfig(),
    status: 'running',
    createdAt: 1,
    updatedAt: 1,
    state: { toldCount: 0, strategyState: null, proposedCount: 0, hypervolume: [] },
  };
}

function metrics(validationAccuracy: number): TrialMetrics {
  return {
    validationAccuracy,
    testAccuracy: validationAccuracy,
    params: 10,
    flops: 20,
    latency: { medianMs: 1, p90Ms: 2, runs: 3 },
    trainMs: 4,
    epochs: 1,
    backend: 'cpu',
    device: 'test',
    feasible: true,
  };
}

function trial(index: number, status: Trial['status'], accuracy?: number): Trial {
  return {
    id: `run-a-trial-${index}`,
    runId: 'run-a',
    index,
    arch: sampleArchitecture(defaultRunConfig().space, new Random(index)),
    hash: `h${index}`,
    seed: index,
    epochs: 1,
    status,
    metrics: accuracy === undefined ? undefined : metrics(accuracy),
    curve: [],
  };
}

/** Returns a stand-in for a trained model: the store only writes these bytes and never runs them. */
function model(marker: number): SavedModel {
  return { modelTopology: { marker }, weightSpecs: [], weightData: new Float32Array([marker]).buffer };
}

const REFERENCE: ReferencePredictions = { pixels: [[0]], labels: [0], probabilities: [[1]] };

describe('FileRunStore', () => {
  it('appends finished trials and queues the others', async () => {
    const dir = freshDir();
    const store = new FileRunStore(dir);
    await store.saveRun(record());
    await store.saveTrial(trial(0, 'queued'));
    await store.saveTrial(trial(1, 'queued'));
    await store.saveTrial(trial(0, 'running'));
    await store.saveTrial(trial(0, 'done', 0.5));

    const lines = readFileSync(join(dir, 'trials.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]).status).toBe('done');
    const queue = JSON.parse(readFileSync(join(dir, 'queue.json'), 'utf8')) as Trial[];
    expect(queue.map((entry) => entry.index)).toEqual([1]);

    const stored = await readRunDirectory(dir);
    expect(stored.record.id).toBe('run-a');
    expect(stored.trials.map((entry) => [entry.index, entry.status])).toEqual([[0, 'done'], [1, 'queued']]);
  });

  it('keeps only the best model', async () => {
    const dir = freshDir();
    const store = new FileRunStore(dir);
    await store.saveRun(record());
    await store.saveModel('run-a-trial-0', model(1), REFERENCE);
    await store.saveTrial(trial(0, 'done', 0.5));
    await store.saveModel('run-a-trial-1', model(2), REFERENCE);
    await store.saveTrial(trial(1, 'done', 0.4));

    const modelJson = JSON.parse(readFileSync(join(dir, 'best', 'model.json'), 'utf8'));
    expect(modelJson.modelTopology).toEqual({ marker: 1 });
    expect(modelJson.weightsManifest[0].paths).toEqual(['model.weights.bin']);
    expect(readFileSync(join(dir, 'best', 'model.weights.bin')).readFloatLE(0)).toBe(1);
    const metadata = JSON.parse(readFileSync(join(dir, 'best', 'metadata.json'), 'utf8'));
    expect(metadata.trialId).toBe('run-a-trial-0');

    await store.saveModel('run-a-trial-2', model(3), REFERENCE);
    await store.saveTrial(trial(2, 'done', 0.9));
    expect(JSON.parse(readFileSync(join(dir, 'best', 'model.json'), 'utf8')).modelTopology).toEqual({ marker: 3 });
  });

  it('rejects a second finish of a trial', async () => {
    const dir = freshDir();
    const store = new FileRunStore(dir);
    await store.saveTrial(trial(0, 'failed'));
    await expect(store.saveTrial(trial(0, 'failed'))).rejects.toThrow(/already recorded as finished/);
  });

  it('resumed store does not beat earlier best with worse model', async () => {
    const dir = freshDir();
    const store = new FileRunStore(dir, [trial(0, 'done', 0.8)]);
    await store.saveRun(record());
    await store.saveModel('run-a-trial-1', model(2), REFERENCE);
    await store.saveTrial(trial(1, 'done', 0.7));
    expect(existsSync(join(dir, 'best'))).toBe(false);
  });
});

describe('readRunDirectory', () => {
  it('drops a cut-off last line and repairs the file', async () => {
    const dir = freshDir();
    const store = new FileRunStore(dir);
    await store.saveRun(record());
    await store.saveTrial(trial(0, 'done', 0.5));
    appendFileSync(join(dir, 'trials.jsonl'), '{"id":"run-a-tri');

    const stored = await readRunDirectory(dir);
    expect(stored.trials.map((entry) => entry.index)).toEqual([0]);
    expect(readFileSync(join(dir, 'trials.jsonl'), 'utf8')).toMatch(/run-a-tri$/);
    await stored.repair();
    expect(readFileSync(join(dir, 'trials.jsonl'), 'utf8').split('\n').filter((line) => line !== '')).toHaveLength(1);
  });

  it('rejects a broken line in the middle', async () => {
    const dir = freshDir();
    const store = new FileRunStore(dir);
    await store.saveRun(record());
    appendFileSync(join(dir, 'trials.jsonl'), 'not json\n');
    await store.saveTrial(trial(0, 'done', 0.5));
    await expect(readRunDirectory(dir)).rejects.toThrow(/line 1 is not valid JSON/);
  });

  it('prefers the finished copy of a trial', async () => {
    const dir = freshDir();
    const store = new FileRunStore(dir);
    await store.saveRun(record());
    await store.saveTrial(trial(0, 'running'));
    // A crash between the append and the queue rewrite leaves the trial in both files.
    appendFileSync(join(dir, 'trials.jsonl'), `${JSON.stringify(trial(0, 'done', 0.5))}\n`);

    const stored = await readRunDirectory(dir);
    expect(stored.trials.map((entry) => [entry.index, entry.status])).toEqual([[0, 'done']]);
  });

  it.each<[string, string, string, RegExp]>([
    ['run.json empty object', 'run.json', '{}', /run\.json field id must be a non-empty string, got undefined/],
    ['run.json array', 'run.json', '[]', /run\.json must be a run record object, got \[\]/],
    ['run.json null', 'run.json', 'null', /run\.json must be a run record object, got null/],
    ['run.json state null', 'run.json', JSON.stringify({ ...record(), state: null }), /run\.json field state must be an object, got null/],
    ['run.json toldCount text', 'run.json', JSON.stringify({ ...record(), state: { ...record().state, toldCount: '3' } }), /run\.json field state\.toldCount must be a non-negative integer/],
    ['run.json hypervolume missing', 'run.json', JSON.stringify({ ...record(), state: { toldCount: 0, proposedCount: 0 } }), /run\.json field state\.hypervolume must be an array of .*, got undefined/],
    ['run.json unknown status', 'run.json', JSON.stringify({ ...record(), status: 'paused' }), /run\.json field status must be one of running/],
    ['run.json zero workers', 'run.json', JSON.stringify({ ...record(), config: { ...defaultRunConfig(), workers: 0 } }), /run\.json field config\.workers: workers/],
    ['run.json negative budget', 'run.json', JSON.stringify({ ...record(), config: { ...defaultRunConfig(), budget: -1 } }), /run\.json field config\.budget: budget/],
    ['queue.json object', 'queue.json', '{}', /queue\.json must be an array of trials, got \{\}/],
    ['queue.json null', 'queue.json', 'null', /queue\.json must be an array of trials, got null/],
    ['queue.json number entry', 'queue.json', '[42]', /queue\.json entry 0 must be a trial object, got 42/],
    ['trials.jsonl null line', 'trials.jsonl', 'null\n', /trials\.jsonl line 1 must be a trial object, got null/],
    ['trials.jsonl fractional index', 'trials.jsonl', `${JSON.stringify({ ...trial(0, 'done', 0.5), index: 1.5 })}\n`, /trials\.jsonl line 1 field index must be a non-negative integer/],
    ['trials.jsonl unknown status', 'trials.jsonl', `${JSON.stringify({ ...trial(0, 'done', 0.5), status: 'weird' })}\n`, /trials\.jsonl line 1 field status must be one of queued/],
  ])('rejects %s', async (_case, file, text, message) => {
    const dir = freshDir();
    const store = new FileRunStore(dir);
    await store.saveRun(record());
    writeFileSync(join(dir, file), text);

    const error = await readRunDirectory(dir).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'invalid_config' });
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain('restore the file or start a new run with --config');
  });

  it('reports a missing run.json as not found', async () => {
    await expect(readRunDirectory(join(root, 'missing'))).rejects.toMatchObject({ code: 'not_found' });
  });
});
