import { describe, expect, it } from 'vitest';
import { PRESET_SPACES } from '../space';
import type { SearchSpace } from '../space/types';
import { defaultRunConfig } from './config';
import { FakeEvaluator, MemoryStore, newRecord, trialSummary } from './fakes.fixture';
import { WeightInheritance } from './inheritance';
import { runSearch } from './loop';
import type { EvaluationRequest, EvaluationResult, RunConfig, SavedModel, Trial } from './types';

const cellPreset = PRESET_SPACES.map((preset) => preset.space).find((space) => space.family === 'cell') as SearchSpace;

/** FakeEvaluator that records the parent model hash each request inherits from ('' for none). */
class InheritanceEvaluator extends FakeEvaluator {
  readonly inheritedFrom: string[] = [];

  override async evaluate(request: EvaluationRequest, signal: AbortSignal): Promise<EvaluationResult> {
    const parent = request.inheritFrom?.modelTopology as { hash?: string } | undefined;
    this.inheritedFrom.push(parent?.hash ?? '');
    const result = await super.evaluate(request, signal);
    return request.inheritFrom === undefined ? result : { ...result, inherited: { tensors: 3, total: 5 } };
  }
}

/** MemoryStore that also returns stored models, as the IndexedDB store does. */
class ModelStore extends MemoryStore {
  async loadModel(trialId: string): Promise<SavedModel | undefined> {
    return this.models.get(trialId);
  }
}

/** Store whose stored models have one more weight in their specs than in their data, like a truncated .bin file. */
class DamagedModelStore extends MemoryStore {
  override async saveModel(trialId: string, model: SavedModel): Promise<void> {
    // The damage: one float32 weight in the specs, no bytes in the data.
    await super.saveModel(trialId, { ...model, weightSpecs: [{ name: 'w', shape: [1], dtype: 'float32' }], weightData: new ArrayBuffer(0) });
  }

  async loadModel(trialId: string): Promise<SavedModel | undefined> {
    return this.models.get(trialId);
  }
}

function config(weightInheritance: boolean): RunConfig {
  return {
    ...defaultRunConfig(cellPreset, 1),
    strategy: { name: 'evolution', options: { populationSize: 3, sampleSize: 2, crossoverRate: 0 } },
    budget: 10,
    ...(weightInheritance ? { estimation: { weightInheritance } } : {}),
  };
}

async function run(runConfig: RunConfig, store: MemoryStore, stopAfter = Number.POSITIVE_INFINITY) {
  const evaluator = new InheritanceEvaluator({ concurrency: 1 });
  const controller = new AbortController();
  let events = 0;
  const record = await runSearch({
    record: store.runs.get('run') ?? newRecord(runConfig),
    trials: store.trialsOf('run'),
    evaluator,
    store,
    signal: controller.signal,
    onEvent: () => {
      if (++events === stopAfter) controller.abort();
    },
  });
  return { record, evaluator };
}

describe('weight inheritance in the run loop', () => {
  it('sends each child its parent model', async () => {
    const store = new MemoryStore();
    const { record, evaluator } = await run(config(true), store);
    expect(record.status).toBe('completed');

    const trials = store.trialsOf('run');
    const children = trials.filter((trial) => trial.inheritance !== undefined);
    expect(children.length).toBeGreaterThan(0);
    expect(trials.slice(0, 3).every((trial) => trial.inheritance === undefined)).toBe(true);
    for (const child of children) {
      const parent = trials.find((trial) => trial.id === child.inheritance?.parentTrialId);
      expect(parent?.index).toBeLessThan(child.index);
      expect(evaluator.inheritedFrom[child.index]).toBe(parent?.hash);
      expect(child.inheritance).toMatchObject({ tensors: 3, total: 5 });
    }
  });

  it('sends nothing when off', async () => {
    const store = new MemoryStore();
    const { evaluator } = await run(config(false), store);
    expect(store.trialsOf('run').every((trial) => trial.inheritance === undefined)).toBe(true);
    expect(evaluator.inheritedFrom.every((hash) => hash === '')).toBe(true);
  });

  it('finds parents through the store after a resume', async () => {
    const reference = new MemoryStore();
    await run(config(true), reference);

    const store = new ModelStore();
    await store.saveRun(newRecord(config(true)));
    const stopped = await run(config(true), store, 25);
    expect(stopped.record.status).toBe('stopped');
    const resumed = await run(config(true), store);
    expect(resumed.record.status).toBe('completed');

    expect(store.trialsOf('run').map(trialSummary)).toEqual(reference.trialsOf('run').map(trialSummary));
    expect(store.trialsOf('run').map((trial) => trial.inheritance)).toEqual(reference.trialsOf('run').map((trial) => trial.inheritance));
    expect(store.trialsOf('run').every((trial) => trial.inheritance?.note === undefined)).toBe(true);
  });

  it('notes a parent model lost on resume', async () => {
    const store = new MemoryStore();
    await store.saveRun(newRecord(config(true)));
    await run(config(true), store, 25);
    const resumed = await run(config(true), store);
    expect(resumed.record.status).toBe('completed');
    const noted = store.trialsOf('run').filter((trial) => trial.inheritance?.note !== undefined);
    expect(noted.length).toBeGreaterThan(0);
    expect(noted[0].inheritance?.note).toMatch(/model of parent run-trial-\d+ was not found, so the trial started from its initial weights/);
  });

  it('notes a damaged parent model and returns none', async () => {
    const store = new DamagedModelStore();
    await store.saveModel('parent', { modelTopology: {}, weightSpecs: [], weightData: new ArrayBuffer(0) });
    const inheritance = new WeightInheritance(store);
    const child = { id: 'child', inheritance: { parentTrialId: 'parent' } } as Trial;

    expect(await inheritance.parentModel(child)).toBeUndefined();
    expect(child.inheritance?.note).toMatch(/model of parent parent could not be used \(the data ends before tensor w .*\), so the trial started from its initial weights/);
  });

  it('notes a missing parent model', async () => {
    const inheritance = new WeightInheritance(new ModelStore());
    const child = { id: 'child', inheritance: { parentTrialId: 'parent' } } as Trial;

    expect(await inheritance.parentModel(child)).toBeUndefined();
    expect(child.inheritance?.note).toMatch(/model of parent parent was not found/);
  });
});
