import { describe, expect, it } from 'vitest';
import { PRESET_SPACES } from '../space';
import type { SearchSpace } from '../space/types';
import { defaultRunConfig } from './config';
import { FakeEvaluator, MemoryStore, newRecord, trialSummary } from './fakes.fixture';
import { runSearch, type RunEvent } from './loop';
import { CheckpointStore, quality, RungEvaluator } from './scheduler.fixture';
import type { Evaluator, RunConfig, RunRecord, SchedulerConfig, Trial } from './types';

const cellPreset = PRESET_SPACES.map((preset) => preset.space).find((space) => space.family === 'cell') as SearchSpace;

function config(scheduler: SchedulerConfig, overrides: Partial<RunConfig> = {}): RunConfig {
  const base = defaultRunConfig(cellPreset, 1);
  return {
    ...base,
    strategy: { name: 'random', options: {} },
    training: { ...base.training, epochs: 9 },
    budget: 9,
    estimation: { scheduler },
    ...overrides,
  };
}

const halving: SchedulerConfig = { kind: 'successive-halving', minEpochs: 1, eta: 3 };
const hyperband: SchedulerConfig = { kind: 'hyperband', minEpochs: 1, eta: 3 };

async function runOnce(runConfig: RunConfig, evaluator: Evaluator, store = new MemoryStore()) {
  const events: RunEvent[] = [];
  const record = await runSearch({
    record: newRecord(runConfig),
    trials: [],
    evaluator,
    store,
    signal: new AbortController().signal,
    onEvent: (event) => events.push(event),
  });
  return { record, store, events };
}

/** Runs to the end, aborting each session after the given number of events and resuming from the store. */
async function runWithStops(runConfig: RunConfig, stops: number[], store: MemoryStore, delaySeed?: number) {
  await store.saveRun(newRecord(runConfig));
  const evaluators: RungEvaluator[] = [];
  for (const stopAfter of [...stops, Number.POSITIVE_INFINITY]) {
    const controller = new AbortController();
    const evaluator = new RungEvaluator({ concurrency: runConfig.workers, delaySeed });
    evaluators.push(evaluator);
    let count = 0;
    await runSearch({
      record: store.runs.get('run') as RunRecord,
      trials: store.trialsOf('run'),
      evaluator,
      store,
      signal: controller.signal,
      onEvent: () => {
        count++;
        if (count === stopAfter) controller.abort();
      },
    });
  }
  return { record: store.runs.get('run') as RunRecord, evaluators };
}

/** Trial fields that must not depend on timing, workers or interruptions. */
function scheduleSummary(trial: Trial): string {
  const schedule = trial.schedule;
  return `${trialSummary(trial)} ${trial.epochs} ${schedule?.state} ${schedule?.rung} ${JSON.stringify(schedule?.rungAccuracies)}`;
}

describe('runSearch with successive halving', () => {
  it('promotes the best third to full training', async () => {
    const evaluator = new RungEvaluator({ concurrency: 1 });
    const { record, store } = await runOnce(config(halving), evaluator);
    expect(record.status).toBe('completed');

    const trials = store.trialsOf('run');
    expect(trials).toHaveLength(9);
    expect(trials.every((trial) => trial.status === 'done')).toBe(true);
    const best = [...trials].sort((a, b) => quality(b.hash) - quality(a.hash));
    expect(best[0].schedule?.state).toBe('top');
    expect(best[0].epochs).toBe(9);
    expect(best[0].metrics?.epochs).toBe(9);
    expect(best.slice(1, 3).map((trial) => trial.schedule?.rung)).toEqual([1, 1]);
    expect(best.slice(1).every((trial) => trial.schedule?.state === 'stopped')).toBe(true);
    expect(best.slice(3).map((trial) => trial.epochs)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(record.state.toldCount).toBe(9);
  });

  it('resumes promoted trials from checkpoints', async () => {
    const evaluator = new RungEvaluator({ concurrency: 1 });
    const { store, events } = await runOnce(config(halving), evaluator);
    const epochs = evaluator.calls.map((call) => `${call.epochs}<${call.resumedFrom}`);
    expect(epochs.filter((entry) => entry === '1<0')).toHaveLength(9);
    expect(epochs.filter((entry) => entry === '3<1')).toHaveLength(3);
    expect(epochs.filter((entry) => entry === '9<3')).toHaveLength(1);
    expect(evaluator.calls).toHaveLength(13);

    const spent = store.trialsOf('run').reduce((sum, trial) => sum + (trial.schedule?.epochsSpent ?? 0), 0);
    expect(spent).toBe(9 * 1 + 3 * 2 + 6);
    const progress = events.filter((event) => event.type === 'progress').at(-1);
    expect(progress).toMatchObject({ epochsSpent: 21, epochsPlanned: 21, epochsFull: 81, done: 9, etaMs: 0 });
  });

  it('estimates time left from epochs before a trial is final', async () => {
    let now = 0;
    const events: RunEvent[] = [];
    await runSearch({
      record: newRecord(config(halving)),
      trials: [],
      evaluator: new RungEvaluator({ concurrency: 1 }),
      store: new MemoryStore(),
      signal: new AbortController().signal,
      onEvent: (event) => events.push(event),
      // Each clock read advances 1 s, so the elapsed time grows with the work done.
      now: () => (now += 1000),
    });

    const progress = events.filter((event) => event.type === 'progress');
    const firstRung = progress.find((event) => event.epochsSpent === 1);
    expect(firstRung?.done).toBe(0);
    expect(firstRung?.etaMs).toBeGreaterThan(0);
    expect(progress[0].etaMs).toBeNull();
  });

  it('keeps its decisions with parallel workers', async () => {
    const runConfig = config(halving, { budget: 20, workers: 3 });
    const reference = (await runOnce(config(halving, { budget: 20 }), new RungEvaluator({ concurrency: 1 }))).store;
    for (const delaySeed of [1, 2]) {
      const evaluator = new RungEvaluator({ concurrency: 3, delaySeed });
      const { record, store } = await runOnce(runConfig, evaluator);
      expect(record.status).toBe('completed');
      expect(store.trialsOf('run').map(scheduleSummary)).toEqual(reference.trialsOf('run').map(scheduleSummary));
    }
  });

  it('resumes mid-bracket to the same result', async () => {
    const runConfig = config(halving, { budget: 12, workers: 2 });
    const reference = (await runOnce(runConfig, new RungEvaluator({ concurrency: 2 }))).store.trialsOf('run').map(scheduleSummary);
    for (const stops of [[3], [14, 6], [25, 2, 9]]) {
      const store = new CheckpointStore();
      const { record } = await runWithStops(runConfig, stops, store, 5);
      expect(record.status).toBe('completed');
      expect(store.trialsOf('run').map(scheduleSummary)).toEqual(reference);
      expect(store.checkpoints.size).toBe(0);
    }
  });

  it('restarts a promoted trial whose checkpoint is lost', async () => {
    const runConfig = config(halving);
    const reference = (await runOnce(runConfig, new RungEvaluator({ concurrency: 1 }))).store.trialsOf('run').map(scheduleSummary);
    const store = new MemoryStore();
    // Event 40 falls after the first rung is ranked and before the promoted trials finish.
    const { record, evaluators } = await runWithStops(runConfig, [40], store);
    expect(record.status).toBe('completed');
    expect(store.trialsOf('run').map(scheduleSummary)).toEqual(reference);

    const restarted = store.trialsOf('run').filter((trial) => trial.schedule?.restartReason !== undefined);
    expect(restarted.length).toBeGreaterThan(0);
    expect(restarted[0].schedule?.restartReason).toMatch(/checkpoint of rung 0 \(1 epoch\) was not found/);
    expect(evaluators[1].calls.some((call) => call.epochs > 1 && call.resumedFrom === 0)).toBe(true);
  });

  it('stops failed trials without stopping the run', async () => {
    const fails = (hash: string): boolean => quality(hash) < 0.4;
    const evaluator = new RungEvaluator({ concurrency: 2, fails });
    const { record, store } = await runOnce(config(halving, { budget: 12, workers: 2 }), evaluator);
    expect(record.status).toBe('completed');
    const trials = store.trialsOf('run');
    expect(trials).toHaveLength(12);
    const failed = trials.filter((trial) => trial.status === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    for (const trial of failed) {
      expect(trial.schedule?.state).toBe('stopped');
      expect(trial.schedule?.rungAccuracies).toEqual([null]);
    }
    expect(trials.some((trial) => trial.schedule?.state === 'top')).toBe(true);
  });

  it('filters only first-rung trials', async () => {
    const estimation = { scheduler: halving, predictorFilter: { model: 'trees' as const, minTrials: 3, keepFraction: 0.3 } };
    const evaluator = new RungEvaluator({ concurrency: 1 });
    const { record, store } = await runOnce(config(halving, { budget: 18, estimation }), evaluator);
    expect(record.status).toBe('completed');
    const trials = store.trialsOf('run');
    expect(trials.some((trial) => trial.status === 'pruned')).toBe(true);
    for (const trial of trials.filter((candidate) => candidate.status === 'pruned')) {
      expect(trial.schedule?.rung).toBe(trial.schedule?.firstRung);
    }
    expect(trials.filter((trial) => trial.schedule?.state === 'top')).toHaveLength(2);
  });

  it('fails a run whose evaluator has no epochs', async () => {
    const evaluator = new FakeEvaluator({ concurrency: 1 });
    const { record } = await runOnce(config(halving), evaluator);
    expect(record.status).toBe('failed');
    expect(record.message).toMatch(/estimation\.scheduler needs an evaluator that trains for a given number of epochs/);
    expect(evaluator.evaluated).toEqual([]);
  });
});

describe('runSearch with hyperband', () => {
  it('starts each bracket at its own rung', async () => {
    const evaluator = new RungEvaluator({ concurrency: 2 });
    const { record, store } = await runOnce(config(hyperband, { budget: 20, workers: 2 }), evaluator);
    expect(record.status).toBe('completed');
    const trials = store.trialsOf('run');
    expect(trials.map((trial) => trial.schedule?.firstRung)).toEqual([
      ...Array(9).fill(0),
      ...Array(5).fill(1),
      ...Array(3).fill(2),
      ...Array(3).fill(0),
    ]);
    // Bracket 2 trains fully at once; bracket 3 has 3 trials, so one reaches the top.
    expect(trials.slice(14, 17).every((trial) => trial.schedule?.state === 'top' && trial.epochs === 9)).toBe(true);
    expect(trials.slice(17).filter((trial) => trial.schedule?.state === 'top')).toHaveLength(1);
    expect(trials.slice(9, 14).filter((trial) => trial.schedule?.state === 'top')).toHaveLength(1);
    expect(evaluator.calls.filter((call) => call.epochs === 9)).toHaveLength(1 + 1 + 3 + 1);
  });
});
