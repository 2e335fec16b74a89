// Test fixture: a NAS-Bench-201-shaped cell space with its own sampling,
// mutation, crossover and hashing, and a deterministic score with a known
// optimum, so strategies can be tested without the real space module.
import type { Random } from '../random';
import type { Architecture, CellArch, CellOp, CellSpace, SearchSpace } from '../space/types';
import type { Observation, SpaceOperations, Strategy } from './types';

/** Builds a cell space over `ops`: ops.length^6 architectures. */
export function syntheticSpace(ops: CellOp[]): CellSpace {
  return { family: 'cell', name: 'synthetic', ops, cellsPerStage: 1, stemChannels: 4 };
}

function edgesOf(arch: Architecture): CellArch['edges'] {
  return (arch as CellArch).edges;
}

/** Space functions for syntheticSpace, with every edge an independent choice. */
export const syntheticOperations: SpaceOperations = {
  countArchitectures(space: SearchSpace): bigint {
    return BigInt((space as CellSpace).ops.length) ** 6n;
  },
  sampleArchitecture(space: SearchSpace, random: Random): Architecture {
    const ops = (space as CellSpace).ops;
    const edges = Array.from({ length: 6 }, () => random.choice(ops)) as CellArch['edges'];
    return { family: 'cell', edges };
  },
  mutateArchitecture(space: SearchSpace, arch: Architecture, random: Random): Architecture {
    const ops = (space as CellSpace).ops;
    const edges = [...edgesOf(arch)] as CellArch['edges'];
    if (ops.length < 2) return { family: 'cell', edges };
    const edge = random.int(6);
    const others = ops.filter((op) => op !== edges[edge]);
    edges[edge] = random.choice(others);
    return { family: 'cell', edges };
  },
  crossoverArchitectures(_space: SearchSpace, a: Architecture, b: Architecture, random: Random): Architecture {
    const left = edgesOf(a);
    const right = edgesOf(b);
    const edges = left.map((op, i) => (random.int(2) === 0 ? op : right[i])) as CellArch['edges'];
    return { family: 'cell', edges };
  },
  hashArchitecture(_space: SearchSpace, arch: Architecture): string {
    return edgesOf(arch).join('|');
  },
  neighbourArchitectures(space: SearchSpace, arch: Architecture): Architecture[] {
    const ops = (space as CellSpace).ops;
    const neighbours: Architecture[] = [];
    edgesOf(arch).forEach((current, edge) => {
      for (const op of ops) {
        if (op === current) continue;
        const edges = [...edgesOf(arch)] as CellArch['edges'];
        edges[edge] = op;
        neighbours.push({ family: 'cell', edges });
      }
    });
    return neighbours;
  },
};

/** Per-edge value of each operation; the best operation differs from edge to edge. */
const EDGE_VALUES: Record<CellOp, number[]> = {
  none: [0.0, 0.1, 0.0, 0.2, 0.0, 0.1],
  skip_connect: [0.3, 0.0, 0.9, 0.1, 0.2, 0.0],
  nor_conv_1x1: [0.5, 0.9, 0.2, 0.3, 0.9, 0.4],
  nor_conv_3x3: [0.9, 0.4, 0.3, 0.5, 0.1, 0.9],
  avg_pool_3x3: [0.2, 0.3, 0.4, 0.9, 0.3, 0.2],
};

/**
 * Returns a score in [0, 1], the mean of the per-edge values. Only the unique
 * optimum over all five ops reaches SYNTHETIC_OPTIMUM.
 */
export function syntheticScore(arch: Architecture): number {
  const edges = edgesOf(arch);
  return edges.reduce((sum, op, i) => sum + EDGE_VALUES[op][i], 0) / 6;
}

export const SYNTHETIC_OPTIMUM = 0.9;

/**
 * Drives `strategy` for `budget` proposals, asking `batch` at a time and
 * telling each batch back with syntheticScore as the accuracy. Returns every
 * proposal's hash in order and the best score seen.
 */
export async function driveStrategy(
  strategy: Strategy,
  space: SearchSpace,
  budget: number,
  batch = 1,
): Promise<{ hashes: string[]; best: number }> {
  const hashes: string[] = [];
  let best = 0;
  while (hashes.length < budget) {
    const archs = await strategy.ask(Math.min(batch, budget - hashes.length));
    if (archs.length === 0) break;
    const observations: Observation[] = archs.map((arch) => {
      const hash = syntheticOperations.hashArchitecture(space, arch);
      const score = syntheticScore(arch);
      best = Math.max(best, score);
      hashes.push(hash);
      return { index: hashes.length - 1, arch, hash, status: 'done', validationAccuracy: score, feasible: true };
    });
    await strategy.tell(observations);
  }
  return { hashes, best };
}

/**
 * Asks `ahead` proposals, then tells the oldest and asks one more, `steps`
 * times, and returns every proposal's hash in order. At step `interruptAt`
 * it saves the state through a JSON round trip and continues with
 * `create(savedState)`, so an exact restore returns the same hashes as
 * `interruptAt` null.
 */
export async function replayWithRestore(
  create: (state?: unknown) => Strategy,
  space: SearchSpace,
  observe: (index: number, arch: Architecture) => Observation,
  steps: number,
  interruptAt: number | null,
  ahead = 3,
): Promise<string[]> {
  let strategy = create();
  const hashes: string[] = [];
  const pending: Observation[] = [];
  const propose = async (count: number): Promise<void> => {
    for (const arch of await strategy.ask(count)) {
      pending.push(observe(hashes.length, arch));
      hashes.push(syntheticOperations.hashArchitecture(space, arch));
    }
  };

  await propose(ahead);
  for (let step = 0; step < steps; step++) {
    if (step === interruptAt) {
      const saved: unknown = JSON.parse(JSON.stringify(strategy.getState()));
      strategy = create(saved);
    }
    const observation = pending.shift();
    if (observation !== undefined) await strategy.tell([observation]);
    await propose(1);
  }
  return hashes;
}
