import { describe, expect, it } from 'vitest';
import { CELL_OPS, type Architecture } from '../space/types';
import { RegularizedEvolution, type EvolutionOptions } from './evolution';
import { RandomSearch } from './random-search';
import {
  driveStrategy,
  SYNTHETIC_OPTIMUM,
  syntheticOperations,
  syntheticScore,
  syntheticSpace,
} from './synthetic-space.fixture';
import type { Observation } from './types';

const space = syntheticSpace([...CELL_OPS]);
const defaults: EvolutionOptions = { populationSize: 10, sampleSize: 3, crossoverRate: 0 };

function evolution(seed: number, options: EvolutionOptions = defaults, state?: unknown): RegularizedEvolution {
  return new RegularizedEvolution(space, seed, syntheticOperations, options, state);
}

function observe(index: number, arch: Architecture, overrides: Partial<Observation> = {}): Observation {
  const hash = syntheticOperations.hashArchitecture(space, arch);
  return { index, arch, hash, status: 'done', validationAccuracy: syntheticScore(arch), feasible: true, ...overrides };
}

describe('RegularizedEvolution', () => {
  it('beats random search on the synthetic problem', async () => {
    const seeds = Array.from({ length: 12 }, (_, i) => i + 1);
    let evolutionTotal = 0;
    let randomTotal = 0;
    let evolutionOptimumHits = 0;
    for (const seed of seeds) {
      const evolved = await driveStrategy(evolution(seed), space, 80);
      const sampled = await driveStrategy(new RandomSearch(space, seed, syntheticOperations), space, 80);
      evolutionTotal += evolved.best;
      randomTotal += sampled.best;
      if (Math.abs(evolved.best - SYNTHETIC_OPTIMUM) < 1e-9) evolutionOptimumHits++;
    }
    expect(evolutionTotal / seeds.length).toBeGreaterThan(randomTotal / seeds.length + 0.05);
    expect(evolutionOptimumHits).toBeGreaterThan(0);
  });

  it('names the parent of a mutated child', async () => {
    const strategy = evolution(3, { populationSize: 2, sampleSize: 1, crossoverRate: 0 });
    const initial = await strategy.ask(2);
    expect(initial.map((arch) => strategy.parentOf(syntheticOperations.hashArchitecture(space, arch)))).toEqual([undefined, undefined]);
    await strategy.tell(initial.map((arch, i) => observe(i, arch)));
    const initialHashes = initial.map((arch) => syntheticOperations.hashArchitecture(space, arch));

    const [child] = await strategy.ask(1);
    const parent = strategy.parentOf(syntheticOperations.hashArchitecture(space, child));
    expect(initialHashes).toContain(parent);
    // Each ask clears the parents recorded by the previous one.
    await strategy.ask(1);
    expect(strategy.parentOf(syntheticOperations.hashArchitecture(space, child))).toBeUndefined();
  });

  it('makes the same proposals for the same seed', async () => {
    const first = await driveStrategy(evolution(7, { ...defaults, crossoverRate: 0.5 }), space, 40, 3);
    const second = await driveStrategy(evolution(7, { ...defaults, crossoverRate: 0.5 }), space, 40, 3);
    const other = await driveStrategy(evolution(8, { ...defaults, crossoverRate: 0.5 }), space, 40, 3);
    expect(second.hashes).toEqual(first.hashes);
    expect(other.hashes).not.toEqual(first.hashes);
  });

  it('restores state with pending proposals', async () => {
    const options = { ...defaults, populationSize: 4, sampleSize: 2, crossoverRate: 0.3 };

    // Uninterrupted: ask 3 ahead, then tell one and ask one, 30 times.
    const run = async (interruptAt: number | null): Promise<string[]> => {
      let strategy = evolution(11, options);
      const hashes: string[] = [];
      const pending: Observation[] = [];
      const propose = async (count: number): Promise<void> => {
        for (const arch of await strategy.ask(count)) {
          pending.push(observe(hashes.length, arch));
          hashes.push(syntheticOperations.hashArchitecture(space, arch));
        }
      };
      await propose(3);
      for (let step = 0; step < 30; step++) {
        if (step === interruptAt) {
          const saved = JSON.parse(JSON.stringify(strategy.getState()));
          strategy = evolution(11, options, saved);
        }
        await strategy.tell([pending.shift() as Observation]);
        await propose(1);
      }
      return hashes;
    };

    const uninterrupted = await run(null);
    for (const interruptAt of [0, 2, 5, 17]) {
      expect(await run(interruptAt)).toEqual(uninterrupted);
    }
  });

  it('returns random samples until the population is full', async () => {
    const strategy = evolution(3, { ...defaults, populationSize: 4 });
    const first = await strategy.ask(4);
    expect(first).toHaveLength(4);
    expect(strategy.getState().pendingRandom).toEqual([0, 1, 2, 3]);

    await strategy.tell(first.map((arch, i) => observe(i, arch)));
    expect(strategy.getState().population).toHaveLength(4);
    expect(strategy.getState().pendingRandom).toEqual([]);

    // A child differs from its parent in exactly one edge.
    const [child] = await strategy.ask(1);
    const parents = first.map((arch) => syntheticOperations.hashArchitecture(space, arch).split('|'));
    const childEdges = syntheticOperations.hashArchitecture(space, child).split('|');
    const distances = parents.map((edges) => edges.filter((op, i) => op !== childEdges[i]).length);
    expect(distances).toContain(1);
  });

  it('drops rejected proposals and ages out the oldest', async () => {
    const strategy = evolution(5, { ...defaults, populationSize: 2, sampleSize: 2 });
    const [a, b] = await strategy.ask(2);
    await strategy.tell([observe(0, a, { status: 'rejected', feasible: false, validationAccuracy: undefined })]);
    expect(strategy.getState().population).toHaveLength(0);

    // The rejected sample leaves a free place, so the next ask is random again.
    const [c] = await strategy.ask(1);
    expect(strategy.getState().pendingRandom).toEqual([1, 2]);
    await strategy.tell([observe(1, b), observe(2, c)]);

    const [d] = await strategy.ask(1);
    await strategy.tell([observe(3, d)]);
    const members = strategy.getState().population.map((member) => member.hash);
    expect(members).toEqual([c, d].map((arch) => syntheticOperations.hashArchitecture(space, arch)));
  });

  it('picks a scored parent over failed members', async () => {
    const strategy = evolution(9, { ...defaults, populationSize: 3, sampleSize: 3 });
    const initial = await strategy.ask(3);
    await strategy.tell([
      observe(0, initial[0], { status: 'failed', validationAccuracy: undefined }),
      observe(1, initial[1], { validationAccuracy: 0.2 }),
      observe(2, initial[2], { validationAccuracy: 0.9, feasible: false }),
    ]);
    const parentEdges = syntheticOperations.hashArchitecture(space, initial[1]).split('|');
    for (let i = 0; i < 5; i++) {
      const [child] = await strategy.ask(1);
      const childEdges = syntheticOperations.hashArchitecture(space, child).split('|');
      expect(parentEdges.filter((op, edge) => op !== childEdges[edge])).toHaveLength(1);
    }
  });

  it('rejects sampleSize above populationSize', () => {
    expect(() => evolution(1, { populationSize: 3, sampleSize: 4, crossoverRate: 0 })).toThrow(
      /sampleSize must be at most populationSize \(3\), got 4/,
    );
  });

  it('rejects state of another strategy', () => {
    const state = new RandomSearch(space, 1, syntheticOperations).getState();
    expect(() => evolution(1, defaults, state)).toThrow(/strategyState must be the saved state of the evolution strategy/);
  });
});
