import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { PRESET_SPACES, validateArchitecture } from '../space';
import { CELL_OPS, type Architecture, type CellOp } from '../space/types';
import { RandomSearch } from './random-search';
import { REINFORCE_DEFINITION, ReinforceSearch, type DecisionEncoding, type ReinforceOptions } from './reinforce';
import { driveStrategy, SYNTHETIC_OPTIMUM, syntheticOperations, syntheticScore, syntheticSpace } from './synthetic-space.fixture';
import type { Observation } from './types';

const space = syntheticSpace([...CELL_OPS]);
const defaults: ReinforceOptions = { hiddenSize: 32, learningRate: 0.02, entropyWeight: 0.01, baselineDecay: 0.9, temperature: 1 };

function reinforce(seed: number, options: ReinforceOptions = defaults, state?: unknown): ReinforceSearch {
  return new ReinforceSearch(space, seed, syntheticOperations, options, state);
}

function observe(index: number, arch: Architecture, overrides: Partial<Observation> = {}): Observation {
  const hash = syntheticOperations.hashArchitecture(space, arch);
  return { index, arch, hash, status: 'done', validationAccuracy: syntheticScore(arch), feasible: true, ...overrides };
}

function hashesOf(archs: Architecture[]): string[] {
  return archs.map((arch) => syntheticOperations.hashArchitecture(space, arch));
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('ReinforceSearch', () => {
  it('beats random search on the synthetic problem', async () => {
    const seeds = [1, 2, 3, 4, 5];
    let reinforceTotal = 0;
    let randomTotal = 0;
    let optimumHits = 0;
    for (const seed of seeds) {
      const learned = await driveStrategy(reinforce(seed), space, 80);
      const sampled = await driveStrategy(new RandomSearch(space, seed, syntheticOperations), space, 80);
      reinforceTotal += learned.best;
      randomTotal += sampled.best;
      if (Math.abs(learned.best - SYNTHETIC_OPTIMUM) < 1e-9) optimumHits++;
    }
    expect(reinforceTotal / seeds.length).toBeGreaterThan(randomTotal / seeds.length + 0.03);
    expect(optimumHits).toBeGreaterThan(0);
  });

  it('makes the same proposals for the same seed', async () => {
    const first = await driveStrategy(reinforce(7), space, 30, 3);
    const second = await driveStrategy(reinforce(7), space, 30, 3);
    const other = await driveStrategy(reinforce(8), space, 30, 3);
    expect(second.hashes).toEqual(first.hashes);
    expect(other.hashes).not.toEqual(first.hashes);
  });

  it('restores state with pending proposals', async () => {
    // Ask 3 ahead, then tell one and ask one, 20 times, restoring from JSON at `interruptAt`.
    const run = async (interruptAt: number | null): Promise<string[]> => {
      let strategy = reinforce(11);
      const hashes: string[] = [];
      const pending: Observation[] = [];
      const propose = async (count: number): Promise<void> => {
        for (const arch of await strategy.ask(count)) {
          pending.push(observe(hashes.length, arch));
          hashes.push(syntheticOperations.hashArchitecture(space, arch));
        }
      };
      await propose(3);
      for (let step = 0; step < 20; step++) {
        if (step === interruptAt) {
          const saved = JSON.parse(JSON.stringify(strategy.getState()));
          strategy = reinforce(11, defaults, saved);
        }
        await strategy.tell([pending.shift() as Observation]);
        await propose(1);
      }
      return hashes;
    };

    const uninterrupted = await run(null);
    for (const interruptAt of [0, 4, 13]) {
      expect(await run(interruptAt)).toEqual(uninterrupted);
    }
  });

  it('restores weights, moments and baseline exactly', async () => {
    const strategy = reinforce(12);
    await driveStrategy(strategy, space, 12, 4);
    const saved = JSON.parse(JSON.stringify(strategy.getState()));
    expect(reinforce(12, defaults, saved).getState()).toEqual(strategy.getState());
    expect(saved.adam.step).toBe(3);
    expect(saved.baseline).toBeGreaterThan(0);
  });

  it('proposes distinct architectures in a batch', async () => {
    const strategy = reinforce(3);
    const batch = await strategy.ask(25);
    expect(batch).toHaveLength(25);
    expect(new Set(hashesOf(batch)).size).toBe(25);
    expect(strategy.getState().pending.map((entry) => entry.index)).toEqual([...Array(25).keys()]);
  });

  it('never repeats an architecture', async () => {
    const { hashes } = await driveStrategy(reinforce(4), space, 120, 2);
    expect(new Set(hashes).size).toBe(hashes.length);
  });

  it('stops at a one-architecture space', async () => {
    const tiny = syntheticSpace(['nor_conv_3x3']);
    const strategy = new ReinforceSearch(tiny, 1, syntheticOperations, defaults);
    const first = await strategy.ask(3);
    expect(first).toHaveLength(1);
    await strategy.tell([observe(0, first[0])]);
    expect(await strategy.ask(2)).toEqual([]);
  });

  it('ends with an empty batch when the space is exhausted', async () => {
    const small = syntheticSpace(['none', 'nor_conv_3x3'] as CellOp[]);
    const strategy = new ReinforceSearch(small, 2, syntheticOperations, defaults);
    const seen: string[] = [];
    let exhausted = false;
    for (let round = 0; round < 40 && !exhausted; round++) {
      const batch = await strategy.ask(8);
      exhausted = batch.length === 0;
      seen.push(...hashesOf(batch));
      await strategy.tell(batch.map((arch, i) => observe(seen.length - batch.length + i, arch)));
    }
    expect(exhausted).toBe(true);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeLessThanOrEqual(64);
  });

  it('leaves no tensors behind', async () => {
    const strategy = reinforce(5);
    const before = tf.memory().numTensors;
    const batch = await strategy.ask(4);
    expect(tf.memory().numTensors).toBe(before);
    await strategy.tell(batch.map((arch, i) => observe(i, arch)));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('keeps the baseline on rejected and failed results', async () => {
    const strategy = reinforce(6);
    const [a, b, c] = await strategy.ask(3);
    await strategy.tell([
      observe(0, a, { status: 'rejected', feasible: false, validationAccuracy: undefined }),
      observe(1, b, { status: 'failed', validationAccuracy: undefined }),
    ]);
    expect(strategy.getState().baseline).toBeNull();
    expect(strategy.getState().adam.step).toBe(1);

    await strategy.tell([observe(2, c, { validationAccuracy: 0.6 })]);
    expect(strategy.getState().baseline).toBeCloseTo(0.6, 12);
  });

  it('works over an abstract decision list', async () => {
    const encoding: DecisionEncoding = {
      cardinalities: [5, 5, 5, 5, 5, 5],
      toArchitecture: (choices) => ({ family: 'cell', edges: choices.map((i) => CELL_OPS[i]) as never }),
    };
    const strategy = new ReinforceSearch(space, 9, syntheticOperations, defaults, undefined, encoding);
    const { hashes } = await driveStrategy(strategy, space, 10);
    expect(hashes).toHaveLength(10);
  });

  it.each(PRESET_SPACES.map((preset) => [preset.id, preset.space] as const))('proposes valid architectures of %s', async (_id, preset) => {
    const strategy = REINFORCE_DEFINITION.create({ space: preset, seed: 3, costObjective: 'params' }, defaultOptions());
    for (let round = 0; round < 3; round++) {
      const batch = await strategy.ask(4);
      expect(batch).toHaveLength(4);
      for (const arch of batch) expect(() => validateArchitecture(preset, arch)).not.toThrow();
      await strategy.tell(batch.map((arch, i) => ({ index: round * 4 + i, arch, hash: `${round}-${i}`, status: 'done', validationAccuracy: 0.5 + 0.1 * i, feasible: true })));
    }
  });

  it('rejects state of another strategy', () => {
    const state = new RandomSearch(space, 1, syntheticOperations).getState();
    expect(() => reinforce(1, defaults, state)).toThrow(/strategyState must be the saved state of the reinforce strategy/);
  });

  it('rejects state saved with another hiddenSize', () => {
    const state = reinforce(1).getState();
    expect(() => reinforce(1, { ...defaults, hiddenSize: 16 }, state)).toThrow(/strategyState.weights\[0\] must be 16 finite numbers/);
  });

  it('rejects a baseline decay of 1', () => {
    expect(() => reinforce(1, { ...defaults, baselineDecay: 1 })).toThrow(/strategy.options.baselineDecay must be a number in \[0, 1\), got 1/);
  });
});

function defaultOptions(): Record<string, number | boolean> {
  return Object.fromEntries(REINFORCE_DEFINITION.options.map((spec) => [spec.name, spec.default]));
}
