import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBenchmarkTable } from '../evaluators/tabular';
import { hashArchitecture, PRESET_SPACES, validateArchitecture } from '../space';
import type { Architecture, CellArch, SearchSpace } from '../space/types';
import { CELL_OPS } from '../space/types';
import { Bananas, BANANAS_DEFINITION } from './bananas';
import { BAYESIAN_OPTIMISATION_DEFINITION, BayesianOptimisation } from './bayesian-optimisation';
import { RandomSearch } from './random-search';
import { SPACE_OPERATIONS_WITH_NEIGHBOURS } from './space-operations';
import { driveStrategy, SYNTHETIC_OPTIMUM, syntheticOperations, syntheticScore, syntheticSpace } from './synthetic-space.fixture';
import type { Observation, SpaceOperations, Strategy, StrategyDefinition, StrategyOptions } from './types';

const space = syntheticSpace([...CELL_OPS]);

function defaults(definition: StrategyDefinition): StrategyOptions {
  return Object.fromEntries(definition.options.map((spec) => [spec.name, spec.default]));
}

interface Subject {
  name: string;
  kind: string;
  create(space: SearchSpace, seed: number, operations: SpaceOperations, overrides?: StrategyOptions, state?: unknown): Strategy;
}

const SUBJECTS: Subject[] = [
  {
    name: 'BayesianOptimisation',
    kind: 'bo',
    create: (target, seed, operations, overrides = {}, state) => {
      const options = { ...defaults(BAYESIAN_OPTIMISATION_DEFINITION), ...overrides };
      return BAYESIAN_OPTIMISATION_DEFINITION.create({ space: target, seed, costObjective: 'params', spaceOperations: operations }, options, state);
    },
  },
  {
    name: 'Bananas',
    kind: 'bananas',
    create: (target, seed, operations, overrides = {}, state) => {
      const options = { ...defaults(BANANAS_DEFINITION), ...overrides };
      return BANANAS_DEFINITION.create({ space: target, seed, costObjective: 'params', spaceOperations: operations }, options, state);
    },
  },
];

function observe(target: SearchSpace, operations: SpaceOperations, index: number, arch: Architecture, score: number): Observation {
  return { index, arch, hash: operations.hashArchitecture(target, arch), status: 'done', validationAccuracy: score, feasible: true };
}

/** Derives a deterministic stand-in accuracy in [0.5, 1) from an architecture's hash. */
function pseudoScore(hash: string): number {
  return 0.5 + (Number.parseInt(hash.slice(0, 8), 16) % 1000) / 2000;
}

describe.each(SUBJECTS)('$name', (subject) => {
  it('beats random search on the synthetic problem', async () => {
    let modelTotal = 0;
    let randomTotal = 0;
    let optimumHits = 0;
    const seeds = [1, 2, 3, 4, 5, 6];
    for (const seed of seeds) {
      const modelled = await driveStrategy(subject.create(space, seed, syntheticOperations), space, 60, 4);
      const sampled = await driveStrategy(new RandomSearch(space, seed, syntheticOperations), space, 60, 4);
      modelTotal += modelled.best;
      randomTotal += sampled.best;
      if (Math.abs(modelled.best - SYNTHETIC_OPTIMUM) < 1e-9) optimumHits += 1;
    }
    expect(modelTotal / seeds.length).toBeGreaterThan(randomTotal / seeds.length + 0.05);
    expect(optimumHits).toBeGreaterThan(0);
  });

  it('makes the same proposals for the same seed', async () => {
    const first = await driveStrategy(subject.create(space, 7, syntheticOperations), space, 30, 3);
    const second = await driveStrategy(subject.create(space, 7, syntheticOperations), space, 30, 3);
    const other = await driveStrategy(subject.create(space, 8, syntheticOperations), space, 30, 3);
    expect(second.hashes).toEqual(first.hashes);
    expect(other.hashes).not.toEqual(first.hashes);
  });

  it('never proposes a hash twice', async () => {
    const result = await driveStrategy(subject.create(space, 3, syntheticOperations), space, 40, 5);
    expect(new Set(result.hashes).size).toBe(result.hashes.length);
  });

  it('restores state with pending proposals', async () => {
    const overrides = { initialSamples: 4 };
    const run = async (interruptAt: number | null): Promise<string[]> => {
      let strategy = subject.create(space, 11, syntheticOperations, overrides);
      const hashes: string[] = [];
      const pending: Observation[] = [];
      const propose = async (count: number): Promise<void> => {
        for (const arch of await strategy.ask(count)) {
          pending.push(observe(space, syntheticOperations, hashes.length, arch, syntheticScore(arch)));
          hashes.push(syntheticOperations.hashArchitecture(space, arch));
        }
      };
      await propose(3);
      for (let step = 0; step < 14; step++) {
        if (step === interruptAt) {
          const saved = JSON.parse(JSON.stringify(strategy.getState()));
          strategy = subject.create(space, 11, syntheticOperations, overrides, saved);
        }
        await strategy.tell([pending.shift() as Observation]);
        await propose(step % 3 === 0 ? 2 : 1);
      }
      return hashes;
    };

    const uninterrupted = await run(null);
    for (const interruptAt of [0, 3, 9]) {
      expect(await run(interruptAt)).toEqual(uninterrupted);
    }
  });

  it('returns fewer proposals in an exhausted space', async () => {
    const tiny = syntheticSpace(['none', 'skip_connect']);
    const strategy = subject.create(tiny, 2, syntheticOperations, { initialSamples: 3 });
    const seen = new Set<string>();
    let index = 0;
    for (let round = 0; round < 12; round++) {
      const archs = await strategy.ask(8);
      archs.forEach((arch) => seen.add(syntheticOperations.hashArchitecture(tiny, arch)));
      await strategy.tell(archs.map((arch) => observe(tiny, syntheticOperations, index++, arch, syntheticScore(arch))));
    }
    expect(index).toBe(64);
    expect(seen.size).toBe(64);
    expect(await strategy.ask(4)).toEqual([]);
  });

  it('learns from failed and rejected proposals', async () => {
    const strategy = subject.create(space, 5, syntheticOperations, { initialSamples: 4 });
    const first = await strategy.ask(4);
    await strategy.tell([
      observe(space, syntheticOperations, 0, first[0], 0.4),
      { ...observe(space, syntheticOperations, 1, first[1], 0), status: 'failed', validationAccuracy: undefined },
      { ...observe(space, syntheticOperations, 2, first[2], 0), status: 'rejected', validationAccuracy: undefined, feasible: false },
      observe(space, syntheticOperations, 3, first[3], 0.6),
    ]);
    const state = strategy.getState() as { observations: { value: number | null }[]; pending: unknown[] };
    expect(state.observations.map((item) => item.value)).toEqual([0.4, null, 0.6]);
    expect(state.pending).toEqual([]);
    const next = await strategy.ask(3);
    expect(next).toHaveLength(3);
    const proposed = new Set(first.map((arch) => syntheticOperations.hashArchitecture(space, arch)));
    expect(next.some((arch) => proposed.has(syntheticOperations.hashArchitecture(space, arch)))).toBe(false);
  });

  it.each(PRESET_SPACES.map((preset) => [preset.id, preset.space] as const))('proposes valid architectures in %s', async (_id, preset) => {
    const operations = SPACE_OPERATIONS_WITH_NEIGHBOURS;
    const strategy = subject.create(preset, 4, operations, { initialSamples: 5, randomCandidates: 20, mutationsPerParent: 5 });
    let index = 0;
    for (let round = 0; round < 4; round++) {
      const archs = await strategy.ask(4);
      expect(archs).toHaveLength(4);
      for (const arch of archs) expect(() => validateArchitecture(preset, arch)).not.toThrow();
      await strategy.tell(archs.map((arch) => observe(preset, operations, index++, arch, pseudoScore(hashArchitecture(preset, arch)))));
    }
  });

  it('rejects state of another strategy', () => {
    const state = new RandomSearch(space, 1, syntheticOperations).getState();
    expect(() => subject.create(space, 1, syntheticOperations, {}, state)).toThrow(
      new RegExp(`strategyState must be the saved state of the ${subject.kind} strategy`),
    );
  });
});

describe('model-based strategies on NAS-Bench-201', () => {
  const table = parseBenchmarkTable(readFileSync(new URL('../../../../shared/data/nb201/nb201-cifar.csv', import.meta.url), 'utf8'), {
    signal: 'cifar10_valid_12ep',
    report: 'cifar10_test_200ep',
  });
  const nb201 = PRESET_SPACES.find((preset) => preset.id === 'cell-nb201')?.space as SearchSpace;

  /** Runs `budget` distinct queries in batches of 5 and returns the best signal found. */
  async function bestSignal(strategy: Strategy, budget: number): Promise<number> {
    let best = 0;
    let index = 0;
    while (index < budget) {
      const archs = await strategy.ask(5);
      if (archs.length === 0) break;
      const observations = archs.map((arch) => {
        const signal = table.lookup(arch as CellArch)?.signal ?? 0;
        best = Math.max(best, signal);
        return observe(nb201, SPACE_OPERATIONS_WITH_NEIGHBOURS, index++, arch, signal);
      });
      await strategy.tell(observations);
    }
    return best;
  }

  it.each(SUBJECTS)('$name beats random search', async (subject) => {
    const seeds = [1, 2, 3];
    let modelTotal = 0;
    let randomTotal = 0;
    for (const seed of seeds) {
      modelTotal += await bestSignal(subject.create(nb201, seed, SPACE_OPERATIONS_WITH_NEIGHBOURS), 100);
      randomTotal += await bestSignal(new RandomSearch(nb201, seed, SPACE_OPERATIONS_WITH_NEIGHBOURS), 100);
    }
    expect(modelTotal / seeds.length).toBeGreaterThan(randomTotal / seeds.length);
  });
});

describe('strategy classes', () => {
  it('are the ones the definitions create', () => {
    const context = { space, seed: 1, costObjective: 'params' as const, spaceOperations: syntheticOperations };
    expect(BAYESIAN_OPTIMISATION_DEFINITION.create(context, defaults(BAYESIAN_OPTIMISATION_DEFINITION))).toBeInstanceOf(BayesianOptimisation);
    expect(BANANAS_DEFINITION.create(context, defaults(BANANAS_DEFINITION))).toBeInstanceOf(Bananas);
  });

  it('reject an ensemble of one network', () => {
    const options = { ...defaults(BANANAS_DEFINITION), ensembleSize: 1 };
    const context = { space, seed: 1, costObjective: 'params' as const, spaceOperations: syntheticOperations };
    expect(() => BANANAS_DEFINITION.create(context, options)).toThrow(/ensembleSize must be at least 2/);
  });
});

