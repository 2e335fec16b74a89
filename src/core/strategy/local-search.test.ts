import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hashArchitecture, PRESET_SPACES, validateArchitecture } from '../space';
import { CELL_OPS, type Architecture, type CellArch, type SearchSpace } from '../space/types';
import { LOCAL_SEARCH_DEFINITION, LocalSearch, type LocalSearchOptions } from './local-search';
import { RandomSearch } from './random-search';
import { NB201_CSV_URL, NB201_SPACE, nb201Table, proposeInSpace } from './real-spaces.fixture';
import { SPACE_OPERATIONS_WITH_NEIGHBOURS } from './space-operations';
import {
  driveStrategy,
  replayWithRestore,
  SYNTHETIC_OPTIMUM,
  syntheticOperations,
  syntheticScore,
  syntheticSpace,
} from './synthetic-space.fixture';
import type { Observation, Strategy } from './types';

const space = syntheticSpace([...CELL_OPS]);
const defaults: LocalSearchOptions = {
  initialSamples: 4,
  restartSamples: 2,
  fullNeighbourhood: false,
  perturbationSteps: 0,
  guidedOrder: false,
};
/** Iterated local search with the guided order, both off in `defaults` above. */
const iterated: LocalSearchOptions = { ...defaults, perturbationSteps: 2, guidedOrder: true };

function localSearch(seed: number, options: LocalSearchOptions = defaults, state?: unknown): LocalSearch {
  return new LocalSearch(space, seed, syntheticOperations, options, state);
}

function hashOf(arch: Architecture): string {
  return syntheticOperations.hashArchitecture(space, arch);
}

function observe(index: number, arch: Architecture, overrides: Partial<Observation> = {}): Observation {
  return { index, arch, hash: hashOf(arch), status: 'done', validationAccuracy: syntheticScore(arch), feasible: true, ...overrides };
}

/** Number of edges on which two synthetic architectures differ. */
function distance(a: Architecture, b: Architecture): number {
  const left = (a as CellArch).edges;
  const right = (b as CellArch).edges;
  return left.filter((op, i) => op !== right[i]).length;
}

describe('LocalSearch', () => {
  it.each([false, true])('beats random on synthetic (full %s)', async (fullNeighbourhood) => {
    const seeds = Array.from({ length: 12 }, (_, i) => i + 1);
    let localTotal = 0;
    let randomTotal = 0;
    let optimumHits = 0;
    for (const seed of seeds) {
      const local = await driveStrategy(localSearch(seed, { ...defaults, fullNeighbourhood }), space, 80);
      const sampled = await driveStrategy(new RandomSearch(space, seed, syntheticOperations), space, 80);
      localTotal += local.best;
      randomTotal += sampled.best;
      if (Math.abs(local.best - SYNTHETIC_OPTIMUM) < 1e-9) optimumHits++;
    }
    expect(localTotal / seeds.length).toBeGreaterThan(randomTotal / seeds.length + 0.05);
    expect(optimumHits).toBeGreaterThan(seeds.length / 2);
  });

  it('makes the same proposals for the same seed', async () => {
    const first = await driveStrategy(localSearch(7), space, 60, 3);
    const second = await driveStrategy(localSearch(7), space, 60, 3);
    const other = await driveStrategy(localSearch(8), space, 60, 3);
    expect(second.hashes).toEqual(first.hashes);
    expect(other.hashes).not.toEqual(first.hashes);
  });

  it.each([
    ['plain', defaults],
    ['full', { ...defaults, fullNeighbourhood: true }],
    ['iterated', iterated],
  ])('restores pending state (%s)', async (_name, options) => {
    const run = (interruptAt: number | null): Promise<string[]> =>
      replayWithRestore((state) => localSearch(11, options, state), space, (index, arch) => observe(index, arch), 60, interruptAt);

    const uninterrupted = await run(null);
    expect(new Set(uninterrupted).size).toBe(uninterrupted.length);
    for (const interruptAt of [0, 3, 9, 25, 48]) {
      expect(await run(interruptAt)).toEqual(uninterrupted);
    }
  });

  it('climbs from the best initial sample', async () => {
    const strategy = localSearch(3);
    const initial = await strategy.ask(4);
    expect(initial).toHaveLength(4);
    expect(strategy.getState().pendingSamples).toEqual([0, 1, 2, 3]);

    await strategy.tell(initial.map((arch, i) => observe(i, arch)));
    const best = initial.reduce((a, b) => (syntheticScore(b) > syntheticScore(a) ? b : a));
    expect(strategy.getState().current?.hash).toBe(hashOf(best));

    // Batched neighbours of the start, all new and one edge away.
    const neighbours = await strategy.ask(5);
    expect(neighbours).toHaveLength(5);
    for (const neighbour of neighbours) expect(distance(neighbour, best)).toBe(1);
    expect(new Set(neighbours.map(hashOf)).size).toBe(5);
  });

  it('moves to the first better neighbour', async () => {
    const strategy = localSearch(5, { ...defaults, initialSamples: 1 });
    const [start] = await strategy.ask(1);
    await strategy.tell([observe(0, start, { validationAccuracy: 0.5 })]);
    const [worse, better] = await strategy.ask(2);
    await strategy.tell([observe(1, worse, { validationAccuracy: 0.4 }), observe(2, better, { validationAccuracy: 0.6 })]);
    expect(strategy.getState().current?.hash).toBe(hashOf(better));

    const [next] = await strategy.ask(1);
    expect(distance(next, better)).toBe(1);
  });

  it('waits for the whole neighbourhood in full mode', async () => {
    const strategy = localSearch(5, { ...defaults, initialSamples: 1, fullNeighbourhood: true });
    const [start] = await strategy.ask(1);
    await strategy.tell([observe(0, start, { validationAccuracy: 0.5 })]);
    const neighbours = await strategy.ask(24);
    expect(neighbours).toHaveLength(24);

    // A good first neighbour does not move the climb while the others are untold.
    const scores = neighbours.map(() => 0.1);
    scores[0] = 0.7;
    scores[3] = 0.9;
    await strategy.tell([observe(1, neighbours[0], { validationAccuracy: scores[0] })]);
    expect(strategy.getState().current?.hash).toBe(hashOf(start));

    await strategy.tell(neighbours.slice(1).map((arch, i) => observe(i + 2, arch, { validationAccuracy: scores[i + 1] })));
    expect(strategy.getState().current?.hash).toBe(hashOf(neighbours[3]));
  });

  it('restarts at a local optimum', async () => {
    const strategy = localSearch(9, { ...defaults, initialSamples: 1, restartSamples: 1 });
    const [start] = await strategy.ask(1);
    await strategy.tell([observe(0, start, { validationAccuracy: 0.9 })]);
    const neighbours = await strategy.ask(24);
    expect(neighbours).toHaveLength(24);
    await strategy.tell(neighbours.map((arch, i) => observe(i + 1, arch, { validationAccuracy: 0.1 })));

    expect(strategy.getState().restarts).toBe(1);
    expect(strategy.getState().current).toBeNull();
    const [restart] = await strategy.ask(1);
    expect(strategy.getState().pendingSamples).toEqual([25]);
    expect([start, ...neighbours].map(hashOf)).not.toContain(hashOf(restart));
  });

  it('proposes samples while neighbours are untold', async () => {
    const strategy = localSearch(4, { ...defaults, initialSamples: 1 });
    const [start] = await strategy.ask(1);
    await strategy.tell([observe(0, start)]);
    const batch = await strategy.ask(30);
    expect(batch).toHaveLength(30);
    expect(batch.slice(0, 24).every((arch) => distance(arch, start) === 1)).toBe(true);
    expect(strategy.getState().pendingSamples).toEqual([25, 26, 27, 28, 29, 30]);
  });

  it('moves on a late result that neighbours the current point', async () => {
    const strategy = localSearch(6, { ...defaults, initialSamples: 1 });
    const [start] = await strategy.ask(1);
    await strategy.tell([observe(0, start, { validationAccuracy: 0.5 })]);
    const neighbours = await strategy.ask(24);
    await strategy.tell([observe(1, neighbours[0], { validationAccuracy: 0.6 })]);
    expect(strategy.getState().current?.hash).toBe(hashOf(neighbours[0]));

    // Neighbours of the start that change the same edge also neighbour the new point.
    const shared = neighbours.findIndex((arch, i) => i > 0 && distance(arch, neighbours[0]) === 1);
    const distant = neighbours.findIndex((arch, i) => i > 0 && distance(arch, neighbours[0]) === 2);
    const scores = neighbours.map(() => 0.1);
    scores[shared] = 0.8;
    scores[distant] = 0.95;
    await strategy.tell(neighbours.slice(1).map((arch, i) => observe(i + 2, arch, { validationAccuracy: scores[i + 1] })));
    expect(strategy.getState().current?.hash).toBe(hashOf(neighbours[shared]));

    const next = await strategy.ask(4);
    for (const arch of next) expect(distance(arch, neighbours[shared])).toBe(1);
    expect(next.map(hashOf)).not.toContain(hashOf(start));
  });

  it('treats rejected and failed results as unscored', async () => {
    const strategy = localSearch(2, { ...defaults, initialSamples: 3 });
    const samples = await strategy.ask(3);
    await strategy.tell([
      observe(0, samples[0], { status: 'rejected', feasible: false, validationAccuracy: undefined }),
      observe(1, samples[1], { status: 'failed', validationAccuracy: undefined }),
      observe(2, samples[2], { validationAccuracy: 0.1 }),
    ]);
    expect(strategy.getState().current?.hash).toBe(hashOf(samples[2]));
  });

  it.each([
    { ops: ['none', 'skip_connect'] as const, total: 64 },
    { ops: ['nor_conv_3x3'] as const, total: 1 },
  ])('stops in a space of $total architectures', async ({ ops, total }) => {
    const tiny = syntheticSpace([...ops]);
    const strategy = new LocalSearch(tiny, 1, syntheticOperations, defaults);
    const result = await driveStrategy(strategy, tiny, 500, 4);
    expect(result.hashes).toHaveLength(total);
    expect(new Set(result.hashes).size).toBe(total);
    expect(await strategy.ask(3)).toEqual([]);
  });

  it.each(PRESET_SPACES.map((preset) => [preset.id, preset.space] as [string, SearchSpace]))(
    'proposes valid architectures in preset %s',
    async (_id, presetSpace) => {
      const strategy = new LocalSearch(presetSpace, 3, SPACE_OPERATIONS_WITH_NEIGHBOURS, defaults);
      const proposals = await proposeInSpace(strategy, presetSpace);
      expect(proposals).toHaveLength(32);
      for (const arch of proposals) expect(() => validateArchitecture(presetSpace, arch)).not.toThrow();
      expect(new Set(proposals.map((arch) => hashArchitecture(presetSpace, arch))).size).toBe(32);
    },
  );

  it('restarts from a perturbed best', async () => {
    const strategy = localSearch(9, { ...iterated, initialSamples: 1, restartSamples: 1 });
    const [start] = await strategy.ask(1);
    await strategy.tell([observe(0, start, { validationAccuracy: 0.9 })]);
    const neighbours = await strategy.ask(24);
    await strategy.tell(neighbours.map((arch, i) => observe(i + 1, arch, { validationAccuracy: 0.1 })));
    expect(strategy.getState().restarts).toBe(1);
    expect(strategy.getState().best?.hash).toBe(hashOf(start));

    // Every neighbour of the best is told, so a new sample two mutations away differs in two edges.
    const restarts = await strategy.ask(3);
    expect(strategy.getState().pendingSamples).toEqual([25, 26, 27]);
    for (const arch of restarts) expect(distance(arch, start)).toBe(2);
  });

  it('samples uniformly before the first optimum', async () => {
    const strategy = localSearch(12, { ...iterated, initialSamples: 6 });
    const samples = await strategy.ask(6);
    await strategy.tell(samples.slice(0, 5).map((arch, i) => observe(i, arch)));
    expect(strategy.getState().restarts).toBe(0);
    expect(strategy.getState().current).toBeNull();
    // Still collecting initial samples: the next one does not derive from the best so far.
    const distances = [];
    for (let round = 0; round < 8; round++) {
      const [arch] = await strategy.ask(1);
      distances.push(distance(arch, strategy.getState().best?.arch as Architecture));
    }
    expect(Math.max(...distances)).toBeGreaterThan(2);
  });

  it('tries the neighbour with the best choices first', async () => {
    const strategy = localSearch(5, { ...defaults, initialSamples: 1, guidedOrder: true });
    const [start] = await strategy.ask(1);
    await strategy.tell([observe(0, start, { validationAccuracy: 0.5 })]);
    const [first] = await strategy.ask(1);
    const edge = (first as CellArch).edges.findIndex((op, i) => op !== (start as CellArch).edges[i]);
    const changed = (first as CellArch).edges[edge];
    await strategy.tell([observe(1, first, { validationAccuracy: 0.45 })]);

    // `first` is worse than the start, so the op it put on `edge` scores
    // below the start's op there. Every neighbour that changes another edge
    // keeps the start's op on `edge` and so comes before the 3 that change it.
    const next = await strategy.ask(20);
    expect(next).toHaveLength(20);
    for (const arch of next) {
      expect(distance(arch, start)).toBe(1);
      expect((arch as CellArch).edges[edge]).toBe((start as CellArch).edges[edge]);
    }
    expect(changed).not.toBe((start as CellArch).edges[edge]);
  });

  it('rejects negative perturbation steps', () => {
    expect(() => localSearch(1, { ...defaults, perturbationSteps: -1 })).toThrow(/perturbationSteps must be an integer of 0 or more, got -1/);
  });

  it('restores a state saved without best and marginals', async () => {
    const strategy = localSearch(3, iterated);
    const samples = await strategy.ask(4);
    await strategy.tell(samples.map((arch, i) => observe(i, arch)));
    const { best: _best, marginals: _marginals, ...older } = strategy.getState();
    const restored = localSearch(3, iterated, older);
    expect(restored.getState().best).toBeNull();
    expect(restored.getState().current?.hash).toBe(strategy.getState().current?.hash);
    expect(await restored.ask(2)).toHaveLength(2);
  });

  it('rejects marginals of another space', () => {
    const state = { ...localSearch(1).getState(), marginals: { sums: [0], counts: [0] } };
    expect(() => localSearch(1, defaults, state)).toThrow(/strategyState\.marginals must have 30 sums and counts/);
  });

  it('rejects state of another strategy', () => {
    const state = new RandomSearch(space, 1, syntheticOperations).getState();
    expect(() => localSearch(1, defaults, state)).toThrow(/strategyState must be the saved state of the local strategy/);
  });

  it('rejects a damaged state naming the field', () => {
    const state = { ...localSearch(1).getState(), nextNeighbour: -1 };
    expect(() => localSearch(1, defaults, state)).toThrow(/strategyState\.nextNeighbour must be a non-negative integer, got -1/);
  });

  it('rejects zero initial samples', () => {
    expect(() => localSearch(1, { ...defaults, initialSamples: 0 })).toThrow(/initialSamples must be an integer of 1 or more, got 0/);
  });

  it('definition creates a working strategy', async () => {
    const options = Object.fromEntries(LOCAL_SEARCH_DEFINITION.options.map((spec) => [spec.name, spec.default]));
    const strategy = LOCAL_SEARCH_DEFINITION.create({ space, seed: 1, costObjective: 'params', spaceOperations: syntheticOperations }, options);
    const result = await driveStrategy(strategy, space, 30);
    expect(new Set(result.hashes).size).toBe(30);
  });
});

describe('LocalSearch on NAS-Bench-201', () => {
  it('beats random search on CIFAR-10 at 100 queries', async () => {
    const table = nb201Table(readFileSync(NB201_CSV_URL, 'utf8'), 'cifar10');
    const nb201 = NB201_SPACE;

    const bestReport = async (strategy: Strategy): Promise<number> => {
      let best = { signal: -1, report: 0 };
      for (let index = 0; index < 100; ) {
        const [arch] = await strategy.ask(1);
        const entry = table.lookup(arch as CellArch);
        if (entry === undefined) throw new Error('cell missing from the table');
        if (entry.signal > best.signal) best = entry;
        const hash = hashArchitecture(nb201, arch);
        await strategy.tell([{ index: index++, arch, hash, status: 'done', validationAccuracy: entry.signal, feasible: true }]);
      }
      return best.report;
    };

    const seeds = [1, 2, 3, 4, 5, 6];
    let localTotal = 0;
    let randomTotal = 0;
    for (const seed of seeds) {
      const options = { initialSamples: 10, restartSamples: 5, fullNeighbourhood: false, perturbationSteps: 0, guidedOrder: true };
      localTotal += await bestReport(new LocalSearch(nb201, seed, SPACE_OPERATIONS_WITH_NEIGHBOURS, options));
      randomTotal += await bestReport(new RandomSearch(nb201, seed, SPACE_OPERATIONS_WITH_NEIGHBOURS));
    }
    expect(localTotal / seeds.length).toBeGreaterThan(randomTotal / seeds.length);
  });
});
