import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NB201_CIFAR10_INPUT, NB201_SKELETON } from '../evaluators/tabular';
import { hypervolume, type ParetoPoint } from '../pareto';
import { architectureCost, hashArchitecture, PRESET_SPACES, validateArchitecture } from '../space';
import { CELL_OPS, type Architecture, type CellArch, type SearchSpace } from '../space/types';
import { ACCURACY_AND_COST, Nsga2, NSGA2_DEFINITION, type Nsga2Options, type ObjectiveFunction } from './nsga2';
import { RandomSearch } from './random-search';
import { NB201_CSV_URL, NB201_SPACE, nb201Table, proposeInSpace } from './real-spaces.fixture';
import { SPACE_OPERATIONS_WITH_NEIGHBOURS } from './space-operations';
import {
  driveStrategy,
  replayWithRestore,
  syntheticOperations,
  syntheticScore,
  syntheticSpace,
} from './synthetic-space.fixture';
import type { Observation, Strategy } from './types';

const space = syntheticSpace([...CELL_OPS]);
const defaults: Nsga2Options = { populationSize: 8, crossoverRate: 0.5, mutationRate: 1 };

function nsga2(seed: number, options: Nsga2Options = defaults, state?: unknown, objectives?: ObjectiveFunction): Nsga2 {
  return new Nsga2(space, seed, syntheticOperations, options, state, objectives);
}

function hashOf(arch: Architecture): string {
  return syntheticOperations.hashArchitecture(space, arch);
}

/** Cost of each edge operation in syntheticCost. */
const OP_COSTS: Partial<Record<string, number>> = { nor_conv_3x3: 3, nor_conv_1x1: 1 };

/** Synthetic cost that trades off against syntheticScore: 3 per 3x3 convolution, 1 per 1x1. */
function syntheticCost(arch: Architecture): number {
  return (arch as CellArch).edges.reduce((sum, op) => sum + (OP_COSTS[op] ?? 0), 0);
}

function observe(index: number, arch: Architecture, overrides: Partial<Observation> = {}): Observation {
  return {
    index,
    arch,
    hash: hashOf(arch),
    status: 'done',
    validationAccuracy: syntheticScore(arch),
    cost: syntheticCost(arch),
    feasible: true,
    ...overrides,
  };
}

/** Runs `strategy` for `budget` proposals on the synthetic problem and returns the hypervolume of what it found. */
async function syntheticHypervolume(strategy: Strategy, budget: number): Promise<number> {
  const points: ParetoPoint[] = [];
  while (points.length < budget) {
    const archs = await strategy.ask(Math.min(4, budget - points.length));
    if (archs.length === 0) break;
    const observations = archs.map((arch) => observe(points.length + archs.indexOf(arch), arch));
    for (const observation of observations) {
      points.push({ id: observation.hash, accuracy: observation.validationAccuracy as number, cost: observation.cost as number });
    }
    await strategy.tell(observations);
  }
  return hypervolume(points, 19);
}

describe('Nsga2', () => {
  it('beats random search in hypervolume on the synthetic problem', async () => {
    const seeds = Array.from({ length: 10 }, (_, i) => i + 1);
    let nsga2Total = 0;
    let randomTotal = 0;
    for (const seed of seeds) {
      nsga2Total += await syntheticHypervolume(nsga2(seed), 80);
      randomTotal += await syntheticHypervolume(new RandomSearch(space, seed, syntheticOperations), 80);
    }
    expect(nsga2Total / seeds.length).toBeGreaterThan(randomTotal / seeds.length);
  });

  it('makes the same proposals for the same seed', async () => {
    const first = await driveStrategy(nsga2(7), space, 50, 3);
    const second = await driveStrategy(nsga2(7), space, 50, 3);
    const other = await driveStrategy(nsga2(8), space, 50, 3);
    expect(second.hashes).toEqual(first.hashes);
    expect(other.hashes).not.toEqual(first.hashes);
  });

  it('restores state with pending proposals', async () => {
    const options = { ...defaults, populationSize: 5 };

    // Every seventh proposal is rejected by a constraint.
    const observeSome = (index: number, arch: Architecture): Observation =>
      index % 7 === 3 ? observe(index, arch, { status: 'rejected', feasible: false, validationAccuracy: undefined }) : observe(index, arch);
    const run = (interruptAt: number | null): Promise<string[]> =>
      replayWithRestore((state) => nsga2(11, options, state), space, observeSome, 50, interruptAt);

    const uninterrupted = await run(null);
    expect(new Set(uninterrupted).size).toBe(uninterrupted.length);
    for (const interruptAt of [0, 4, 9, 23, 41]) {
      expect(await run(interruptAt)).toEqual(uninterrupted);
    }
  });

  it('samples a population, then breeds and survives', async () => {
    const strategy = nsga2(3, { ...defaults, populationSize: 4 });
    const initial = await strategy.ask(4);
    expect(strategy.getState().pendingRandom).toEqual([0, 1, 2, 3]);
    await strategy.tell(initial.map((arch, i) => observe(i, arch)));
    expect(strategy.getState().population).toHaveLength(4);

    const children = await strategy.ask(4);
    expect(strategy.getState().pendingRandom).toEqual([]);
    await strategy.tell(children.slice(0, 3).map((arch, i) => observe(i + 4, arch)));
    expect(strategy.getState().children).toHaveLength(3);
    expect(strategy.getState().generations).toBe(0);

    await strategy.tell([observe(7, children[3])]);
    const state = strategy.getState();
    expect(state.generations).toBe(1);
    expect(state.children).toEqual([]);
    expect(state.population).toHaveLength(4);
  });

  it('breeds from feasible members before infeasible ones', async () => {
    const strategy = nsga2(9, { populationSize: 2, crossoverRate: 0, mutationRate: 1 });
    const [rejected, accepted] = await strategy.ask(2);
    await strategy.tell([
      observe(0, rejected, { status: 'rejected', feasible: false, validationAccuracy: undefined }),
      observe(1, accepted),
    ]);
    const parentEdges = (accepted as CellArch).edges;
    for (let i = 0; i < 6; i++) {
      const [child] = await strategy.ask(1);
      const childEdges = (child as CellArch).edges;
      expect(parentEdges.filter((op, edge) => op !== childEdges[edge])).toHaveLength(1);
    }
  });

  it('ranks infeasible members by violation, then by cost', async () => {
    const strategy = nsga2(5, { ...defaults, populationSize: 2 });
    const archs = await strategy.ask(2);
    await strategy.tell([
      observe(0, archs[0], { status: 'rejected', feasible: false, validationAccuracy: undefined, cost: 50 }),
      observe(1, archs[1], { feasible: false, violation: 0.2 }),
    ]);
    const violations = strategy.getState().population.map((member) => member.violation);
    expect(violations).toEqual([50, 0.2]);

    const failed = nsga2(5, { ...defaults, populationSize: 2 });
    const [arch] = await failed.ask(1);
    await failed.tell([observe(0, arch, { status: 'failed', validationAccuracy: undefined })]);
    expect(failed.getState().population[0]).toMatchObject({ feasible: false, violation: null, objectives: [] });
  });

  it('survives by a third objective', async () => {
    // Accuracy and cost make A dominate B, C and D, and B dominate C and D. The third
    // objective leaves C undominated, so it survives instead of B.
    const values = [
      { accuracy: 0.9, cost: 1, third: 5 },
      { accuracy: 0.8, cost: 2, third: 5 },
      { accuracy: 0.7, cost: 3, third: 0 },
      { accuracy: 0.6, cost: 4, third: 9 },
    ];
    const run = async (objectives?: ObjectiveFunction): Promise<string[]> => {
      const strategy = nsga2(2, { ...defaults, populationSize: 2 }, undefined, objectives);
      const hashes: string[] = [];
      let index = 0;
      for (const count of [2, 2]) {
        const archs = await strategy.ask(count);
        const observations = archs.map((arch) => {
          const { accuracy, cost } = values[index];
          hashes.push(hashOf(arch));
          return observe(index++, arch, { validationAccuracy: accuracy, cost });
        });
        await strategy.tell(observations);
      }
      return strategy.getState().population.map((member) => member.hash).sort().map((hash) => String(hashes.indexOf(hash)));
    };
    const thirdByAccuracy = new Map(values.map((value) => [value.accuracy, value.third]));
    const threeObjectives: ObjectiveFunction = (observation) => [
      ...ACCURACY_AND_COST(observation),
      thirdByAccuracy.get(observation.validationAccuracy as number) ?? null,
    ];

    expect((await run()).sort()).toEqual(['0', '1']);
    expect((await run(threeObjectives)).sort()).toEqual(['0', '2']);
  });

  it.each([
    { ops: ['none', 'skip_connect'] as const, total: 64 },
    { ops: ['nor_conv_3x3'] as const, total: 1 },
  ])('stops in a space of $total architectures', async ({ ops, total }) => {
    const tiny = syntheticSpace([...ops]);
    const strategy = new Nsga2(tiny, 1, syntheticOperations, { ...defaults, populationSize: 4 });
    const result = await driveStrategy(strategy, tiny, 500, 4);
    expect(result.hashes).toHaveLength(total);
    expect(new Set(result.hashes).size).toBe(total);
    expect(await strategy.ask(3)).toEqual([]);
  });

  it.each(PRESET_SPACES.map((preset) => [preset.id, preset.space] as [string, SearchSpace]))(
    'proposes valid architectures in preset %s',
    async (_id, presetSpace) => {
      const strategy = new Nsga2(presetSpace, 3, SPACE_OPERATIONS_WITH_NEIGHBOURS, { ...defaults, populationSize: 4 });
      const proposals = await proposeInSpace(strategy, presetSpace);
      expect(proposals).toHaveLength(32);
      for (const arch of proposals) expect(() => validateArchitecture(presetSpace, arch)).not.toThrow();
      expect(new Set(proposals.map((arch) => hashArchitecture(presetSpace, arch))).size).toBe(32);
    },
  );

  it('rejects state of another strategy', () => {
    const state = new RandomSearch(space, 1, syntheticOperations).getState();
    expect(() => nsga2(1, defaults, state)).toThrow(/strategyState must be the saved state of the nsga2 strategy/);
  });

  it('rejects a damaged member naming the field', () => {
    const state = { ...nsga2(1).getState(), population: [{ hash: 'x' }] };
    expect(() => nsga2(1, defaults, state)).toThrow(/strategyState\.population\[0\] must be an object/);
  });

  it.each([
    { options: { ...defaults, populationSize: 1 }, message: /populationSize must be an integer of 2 or more, got 1/ },
    { options: { ...defaults, crossoverRate: 1.5 }, message: /crossoverRate must be a probability in \[0, 1\], got 1.5/ },
    { options: { ...defaults, mutationRate: -1 }, message: /mutationRate must be a probability in \[0, 1\], got -1/ },
  ])('rejects invalid options $options', ({ options, message }) => {
    expect(() => nsga2(1, options)).toThrow(message);
  });

  it('definition creates a working strategy', async () => {
    const options = Object.fromEntries(NSGA2_DEFINITION.options.map((spec) => [spec.name, spec.default]));
    const strategy = NSGA2_DEFINITION.create({ space, seed: 1, costObjective: 'params', spaceOperations: syntheticOperations }, options);
    const result = await driveStrategy(strategy, space, 40);
    expect(new Set(result.hashes).size).toBe(40);
  });
});

describe('Nsga2 on NAS-Bench-201', () => {
  it('beats random search in hypervolume at 100 queries', async () => {
    const table = nb201Table(readFileSync(NB201_CSV_URL, 'utf8'), 'cifar10');
    const nb201 = NB201_SPACE;
    // Reference cost: the largest FLOPs of any cell, the all-3x3-convolution cell.
    const largest: CellArch = { family: 'cell', edges: ['nor_conv_3x3', 'nor_conv_3x3', 'nor_conv_3x3', 'nor_conv_3x3', 'nor_conv_3x3', 'nor_conv_3x3'] };
    const referenceFlops = architectureCost(NB201_SKELETON, largest, NB201_CIFAR10_INPUT).flops;

    const searchHypervolume = async (strategy: Strategy): Promise<number> => {
      const points: ParetoPoint[] = [];
      for (let index = 0; index < 100; index++) {
        const [arch] = await strategy.ask(1);
        const entry = table.lookup(arch as CellArch);
        if (entry === undefined) throw new Error('cell missing from the table');
        const flops = architectureCost(NB201_SKELETON, arch, NB201_CIFAR10_INPUT).flops;
        const hash = hashArchitecture(nb201, arch);
        points.push({ id: hash, accuracy: entry.signal, cost: flops });
        await strategy.tell([{ index, arch, hash, status: 'done', validationAccuracy: entry.signal, cost: flops, feasible: true }]);
      }
      return hypervolume(points, referenceFlops);
    };

    const seeds = [1, 2, 3, 4, 5, 6];
    let nsga2Total = 0;
    let randomTotal = 0;
    for (const seed of seeds) {
      const options = { populationSize: 20, crossoverRate: 0.5, mutationRate: 1 };
      nsga2Total += await searchHypervolume(new Nsga2(nb201, seed, SPACE_OPERATIONS_WITH_NEIGHBOURS, options));
      randomTotal += await searchHypervolume(new RandomSearch(nb201, seed, SPACE_OPERATIONS_WITH_NEIGHBOURS));
    }
    expect(nsga2Total / seeds.length).toBeGreaterThan(randomTotal / seeds.length);
  });
});
