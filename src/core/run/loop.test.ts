import { describe, expect, it } from 'vitest';
import { architectureCost, minimumCost, MNIST_INPUT, PRESET_SPACES } from '../space';
import type { CellSpace, SearchSpace } from '../space/types';
import { defaultRunConfig } from './config';
import { FakeEvaluator, MemoryStore, newRecord, trialSummary, unitHash } from './fakes.fixture';
import { computeFront, runSearch, type RunEvent } from './loop';
import { MAX_WASTED_PROPOSALS } from './proposals';
import type { RunConfig, RunRecord, StrategyConfig, Trial } from './types';

const presets: SearchSpace[] = PRESET_SPACES.map((preset) => preset.space);
const cellPreset = presets.find((space) => space.family === 'cell') as SearchSpace;

/** 2^6 encodings, far fewer distinct hashes, so strategies propose duplicates. */
const tinySpace: CellSpace = { family: 'cell', name: 'tiny', ops: ['none', 'skip_connect'], cellsPerStage: 1, stemChannels: 4 };

function config(overrides: Partial<RunConfig> = {}, space: SearchSpace = cellPreset): RunConfig {
  return { ...defaultRunConfig(space, 3), budget: 12, ...overrides };
}

function isFinishedTrial(trial: Trial): boolean {
  return trial.status === 'done' || trial.status === 'failed' || trial.status === 'diverged';
}

interface Session {
  record: RunRecord;
  store: MemoryStore;
  evaluator: FakeEvaluator;
  events: RunEvent[];
}

async function runOnce(
  runConfig: RunConfig,
  evaluator = new FakeEvaluator({ concurrency: runConfig.workers }),
  store = new MemoryStore(),
): Promise<Session> {
  const events: RunEvent[] = [];
  const record = await runSearch({
    record: newRecord(runConfig),
    trials: [],
    evaluator,
    store,
    signal: new AbortController().signal,
    onEvent: (event) => events.push(event),
  });
  return { record, store, evaluator, events };
}

/**
 * Runs `runConfig` to the end, aborting each session after the given number
 * of events and resuming from what the store contains. Returns the final
 * record and the store.
 */
async function runWithStops(runConfig: RunConfig, stopsAfterEvents: number[], delaySeed?: number) {
  const store = new MemoryStore();
  await store.saveRun(newRecord(runConfig));
  const statuses: string[] = [];
  for (const stopAfter of [...stopsAfterEvents, Number.POSITIVE_INFINITY]) {
    const controller = new AbortController();
    let count = 0;
    const record = await runSearch({
      record: store.runs.get('run') as RunRecord,
      trials: store.trialsOf('run'),
      evaluator: new FakeEvaluator({ concurrency: runConfig.workers, delaySeed }),
      store,
      signal: controller.signal,
      onEvent: () => {
        count++;
        if (count === stopAfter) controller.abort();
      },
    });
    statuses.push(record.status);
  }
  return { record: store.runs.get('run') as RunRecord, store, statuses };
}

describe('runSearch', () => {
  it('spends the budget exactly', async () => {
    const { record, store, evaluator } = await runOnce(config({ budget: 7 }));
    expect(record.status).toBe('completed');
    expect(record.message).toBeUndefined();
    expect(store.trialsOf('run')).toHaveLength(7);
    expect(store.trialsOf('run').every((trial) => trial.status === 'done')).toBe(true);
    expect(evaluator.evaluated).toHaveLength(7);
    expect(record.state.toldCount).toBe(7);
    expect(record.state.loop?.pending).toEqual([]);
  });

  it('never trains a hash twice', async () => {
    const runConfig = config({ budget: 30, strategy: { name: 'evolution', options: { populationSize: 3, sampleSize: 2 } } }, tinySpace);
    const { record, store, evaluator } = await runOnce(runConfig);
    const trials = store.trialsOf('run');
    expect(new Set(evaluator.evaluated).size).toBe(evaluator.evaluated.length);
    expect(new Set(trials.map((trial) => trial.hash)).size).toBe(trials.length);
    expect(evaluator.evaluated).toHaveLength(trials.length);
    // The tiny space has fewer distinct architectures than the budget.
    expect(trials.length).toBeLessThan(30);
    expect(record.status).toBe('completed');
    expect(record.message).toMatch(/already evaluated|no new architecture/);
  });

  it('ends random search when the space is exhausted', async () => {
    const runConfig = config({ budget: 30, strategy: { name: 'random', options: {} } }, tinySpace);
    const { record, store } = await runOnce(runConfig);
    expect(record.status).toBe('completed');
    expect(record.message).toMatch(/no new architecture after \d+ trials/);
    expect(store.trialsOf('run').length).toBeLessThan(30);
  });

  it('stops asking after too many wasted proposals', async () => {
    const runConfig = config({ budget: 30, strategy: { name: 'evolution', options: { populationSize: 2, sampleSize: 1 } } }, tinySpace);
    const { record } = await runOnce(runConfig);
    expect(record.state.loop?.wastedInARow).toBeGreaterThanOrEqual(MAX_WASTED_PROPOSALS);
    expect(record.message).toMatch(/in a row that broke maxParams\/maxFlops or were already evaluated/);
  });

  it('keeps going when trials fail', async () => {
    const evaluator = new FakeEvaluator({ concurrency: 3, fails: (hash) => unitHash(hash) < 0.5 });
    const { record, store } = await runOnce(config({ budget: 10 }), evaluator);
    const statuses = store.trialsOf('run').map((trial) => trial.status);
    expect(record.status).toBe('completed');
    expect(statuses).toHaveLength(10);
    expect(statuses).toContain('failed');
    expect(statuses).toContain('done');
  });

  it('fails infeasible constraints before evaluating', async () => {
    const { record, evaluator, store, events } = await runOnce(config({ constraints: { maxParams: 1 } }));
    expect(record.status).toBe('failed');
    expect(record.message).toMatch(/constraints\.maxParams is 1, but the smallest architecture/);
    expect(evaluator.evaluated).toEqual([]);
    expect(store.trials.size).toBe(0);
    expect(events).toEqual([{ type: 'status', status: 'failed', message: record.message }]);
  });

  it('checks constraints on the evaluator input', async () => {
    const cifar = { inputShape: [32, 32, 3] as [number, number, number], numClasses: 10 };
    const mnistMinimum = minimumCost(cellPreset, MNIST_INPUT).flops;
    const cifarMinimum = minimumCost(cellPreset, cifar).flops;
    expect(cifarMinimum).toBeGreaterThan(mnistMinimum);
    const runConfig = config({ budget: 3, constraints: { maxFlops: mnistMinimum } });

    const onMnist = await runOnce(runConfig);
    expect(onMnist.record.status).toBe('completed');

    const cifarEvaluator = Object.assign(new FakeEvaluator({ concurrency: 3 }), { inputSpec: cifar });
    const onCifar = await runOnce(runConfig, cifarEvaluator);
    expect(onCifar.record.status).toBe('failed');
    expect(onCifar.record.message).toContain(`has ${cifarMinimum} FLOPs`);
    expect(cifarEvaluator.evaluated).toEqual([]);
  });

  it('rejects candidates over maxParams before training', async () => {
    const unconstrained = await runOnce(config({ budget: 10 }));
    const params = unconstrained.store.trialsOf('run').map((trial) => trial.metrics?.params as number);
    const maxParams = [...params].sort((a, b) => a - b)[4];

    const { record, store, evaluator } = await runOnce(config({ budget: 10, constraints: { maxParams } }));
    expect(record.status).toBe('completed');
    const trials = store.trialsOf('run');
    expect(trials).toHaveLength(10);
    for (const trial of trials) {
      expect(architectureCost(cellPreset, trial.arch, MNIST_INPUT).params).toBeLessThanOrEqual(maxParams);
    }
    expect(evaluator.evaluated).toHaveLength(10);
    expect(record.state.loop?.proposals).toBeGreaterThan(10);
  });

  it('marks trials over maxLatencyMs infeasible', async () => {
    const { store } = await runOnce(config({ budget: 6, costObjective: 'latency' }));
    const latencies = store.trialsOf('run').map((trial) => trial.metrics?.latency.medianMs as number);
    const limit = [...latencies].sort((a, b) => a - b)[2];

    const limited = await runOnce(config({ budget: 6, costObjective: 'latency', constraints: { maxLatencyMs: limit } }));
    for (const trial of limited.store.trialsOf('run')) {
      expect(trial.status).toBe('done');
      expect(trial.metrics?.feasible).toBe((trial.metrics?.latency.medianMs as number) <= limit);
    }
    const front = computeFront(limited.store.trialsOf('run'), 'latency');
    expect(front.every((point) => point.cost <= limit)).toBe(true);
  });

  it('produces the same trials under random delays', async () => {
    const runConfig = config({ budget: 15 });
    const first = await runOnce(runConfig);
    const reference = first.store.trialsOf('run').map(trialSummary);
    for (const delaySeed of [1, 2, 3]) {
      const evaluator = new FakeEvaluator({ concurrency: 3, delaySeed });
      const { store, record } = await runOnce(runConfig, evaluator);
      expect(store.trialsOf('run').map(trialSummary)).toEqual(reference);
      expect(record.state.hypervolume.at(-1)).toEqual(first.record.state.hypervolume.at(-1));
      expect(evaluator.maxRunning).toBeLessThanOrEqual(3);
    }
  });

  it('resumes to the same trials after stops', async () => {
    const runConfig = config({ budget: 14, strategy: { name: 'evolution', options: { populationSize: 4, sampleSize: 2, crossoverRate: 0.5 } } });
    const reference = (await runOnce(runConfig)).store.trialsOf('run').map(trialSummary);
    for (const stops of [[1], [5, 5], [12, 3, 30], [2, 2, 2, 2, 2, 2]]) {
      const { record, store, statuses } = await runWithStops(runConfig, stops, 7);
      expect(statuses.at(-1)).toBe('completed');
      expect(statuses.slice(0, -1).every((status) => status === 'stopped')).toBe(true);
      expect(store.trialsOf('run').map(trialSummary)).toEqual(reference);
      expect(record.state.toldCount).toBe(14);
      expect(record.state.hypervolume.at(-1)?.trials).toBe(14);
    }
  });

  it('resumes from a crash snapshot', async () => {
    const runConfig = config({ budget: 10 });
    const reference = (await runOnce(runConfig)).store.trialsOf('run').map(trialSummary);
    for (const crashAt of [2, 9, 17, 26]) {
      // Copy the store at one event, as if the page closed there.
      const store = new MemoryStore();
      const snapshot = new MemoryStore();
      let count = 0;
      await runSearch({
        record: newRecord(runConfig),
        trials: [],
        evaluator: new FakeEvaluator({ concurrency: 3, delaySeed: crashAt }),
        store,
        signal: new AbortController().signal,
        onEvent: () => {
          count++;
          if (count !== crashAt) return;
          for (const [id, run] of store.runs) snapshot.runs.set(id, structuredClone(run));
          for (const [id, trial] of store.trials) snapshot.trials.set(id, structuredClone(trial));
        },
      });

      const resumed = await runSearch({
        record: snapshot.runs.get('run') as RunRecord,
        trials: snapshot.trialsOf('run'),
        evaluator: new FakeEvaluator({ concurrency: 3 }),
        store: snapshot,
        signal: new AbortController().signal,
      });
      expect(resumed.status).toBe('completed');
      expect(snapshot.trialsOf('run').map(trialSummary)).toEqual(reference);
    }
  });

  it('queues in-flight trials again on stop', async () => {
    const runConfig = config({ budget: 5 });
    const evaluator = new FakeEvaluator({ concurrency: 3, hold: true });
    const store = new MemoryStore();
    const controller = new AbortController();
    const events: RunEvent[] = [];
    const finished = runSearch({
      record: newRecord(runConfig),
      trials: [],
      evaluator,
      store,
      signal: controller.signal,
      onEvent: (event) => {
        events.push(event);
        if (event.type === 'trial-updated' && event.trial.status === 'running' && evaluator.waiting === 2) {
          controller.abort();
        }
      },
    });
    const record = await finished;

    expect(record.status).toBe('stopped');
    expect(record.message).toMatch(/stopped after 0 of 5 trials/);
    const trials = store.trialsOf('run');
    expect(trials.map((trial) => trial.status)).toEqual(['queued', 'queued', 'queued']);
    expect(trials.every((trial) => trial.startedAt === undefined)).toBe(true);
    expect(events.at(-1)).toEqual({ type: 'status', status: 'stopped', message: record.message });

    const resumed = await runSearch({
      record,
      trials,
      evaluator: new FakeEvaluator({ concurrency: 3 }),
      store,
      signal: new AbortController().signal,
    });
    expect(resumed.status).toBe('completed');
    expect(store.trialsOf('run').filter(isFinishedTrial)).toHaveLength(5);
  });

  it('resume continues elapsed time and estimate', async () => {
    const runConfig = config({ budget: 4, workers: 1 });
    const store = new MemoryStore();
    let clock = 0;
    // Every reading of the clock advances it by 1 s, so each session accumulates time.
    const now = (): number => (clock += 1000);
    const controller = new AbortController();
    const first = await runSearch({
      record: newRecord(runConfig),
      trials: [],
      evaluator: new FakeEvaluator({ concurrency: 1 }),
      store,
      signal: controller.signal,
      now,
      onEvent: (event) => {
        if (event.type === 'progress' && event.done === 2) controller.abort();
      },
    });
    expect(first.status).toBe('stopped');
    const savedElapsed = first.state.loop?.elapsedMs ?? 0;
    expect(savedElapsed).toBeGreaterThan(0);

    clock += 3_600_000; // The page stays closed for an hour, which must not count.
    const progress: Extract<RunEvent, { type: 'progress' }>[] = [];
    await runSearch({
      record: first,
      trials: store.trialsOf('run'),
      evaluator: new FakeEvaluator({ concurrency: 1 }),
      store,
      signal: new AbortController().signal,
      now,
      onEvent: (event) => {
        if (event.type === 'progress') progress.push(event);
      },
    });

    const firstOfResume = progress[0];
    expect(firstOfResume.elapsedMs).toBeGreaterThan(savedElapsed);
    expect(firstOfResume.elapsedMs).toBeLessThan(savedElapsed + 3_600_000);
    expect(firstOfResume.etaMs).not.toBeNull();
  });

  it('persists before emitting', async () => {
    const store = new MemoryStore();
    const seen: string[] = [];
    await runSearch({
      record: newRecord(config({ budget: 4 })),
      trials: [],
      evaluator: new FakeEvaluator({ concurrency: 3, delaySeed: 4 }),
      store,
      signal: new AbortController().signal,
      onEvent: (event) => {
        if (event.type !== 'trial-updated' || event.progress !== undefined) return;
        const stored = store.trials.get(event.trial.id);
        seen.push(`${event.trial.status}=${stored?.status}`);
      },
    });
    expect(seen.every((pair) => pair.split('=')[0] === pair.split('=')[1])).toBe(true);
    for (const trial of store.trialsOf('run')) {
      const modelCall = store.calls.indexOf(`model ${trial.id}`);
      const doneCall = store.calls.indexOf(`trial ${trial.id} done`);
      expect(modelCall).toBeGreaterThanOrEqual(0);
      expect(modelCall).toBeLessThan(doneCall);
    }
  });

  it('emits progress and front events', async () => {
    const { events, record } = await runOnce(config({ budget: 6 }));
    const progress = events.filter((event) => event.type === 'progress');
    expect(progress.at(-1)).toMatchObject({ done: 6, budget: 6, etaMs: 0 });

    const fronts = events.filter((event) => event.type === 'front-changed');
    expect(fronts.length).toBeGreaterThan(0);
    const values = record.state.hypervolume.map((point) => point.value);
    expect(values).toHaveLength(6);
    values.forEach((value, i) => expect(value).toBeGreaterThanOrEqual(values[i - 1] ?? 0));
    expect(events.at(-1)).toEqual({ type: 'status', status: 'completed', message: undefined });
  });

  it('fails the run when the store rejects', async () => {
    const store = new MemoryStore();
    let trialWrites = 0;
    const original = store.saveTrial.bind(store);
    store.saveTrial = async (trial) => {
      if (++trialWrites === 5) throw new Error('quota exceeded');
      await original(trial);
    };
    const { record } = await runOnce(config({ budget: 6 }), undefined, store);
    expect(record.status).toBe('failed');
    expect(record.message).toMatch(/the run failed: Error: quota exceeded/);
  });

  it.each(presets.map((space) => [space.name, space] as const))('runs preset %s', async (_name, space) => {
    const strategies: StrategyConfig[] = [
      { name: 'random', options: {} },
      { name: 'evolution', options: { populationSize: 3, sampleSize: 2 } },
    ];
    for (const strategy of strategies) {
      const { record, store } = await runOnce(config({ budget: 5, strategy }, space));
      expect(record.status).toBe('completed');
      expect(store.trialsOf('run')).toHaveLength(5);
    }
  });
});
