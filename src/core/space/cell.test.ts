import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors';
import { liveCellEdges } from './cell-string';
import {
  architectureCost,
  canonicalArchitecture,
  cellArchFromString,
  cellArchToString,
  countArchitectures,
  hashArchitecture,
  minimumCost,
} from './index';
import type { CellArch, CellOp, CellSpace } from './types';
import { CELL_OPS } from './types';

// The NAS-Bench-201 table lives beside the repository in ../shared, not in it;
// NB201_CSV may point elsewhere. A missing table fails the test.
const NB201_CSV =
  process.env.NB201_CSV ?? fileURLToPath(new URL('../../../../shared/data/nb201/nb201-cifar.csv', import.meta.url));

const NB201: CellSpace = { family: 'cell', name: 'nb201', ops: [...CELL_OPS], cellsPerStage: 5, stemChannels: 16 };
const CIFAR = { inputShape: [32, 32, 3] as [number, number, number], numClasses: 10 };

function cell(text: string): CellArch {
  return cellArchFromString(text);
}

function allCells(ops: readonly CellOp[]): CellArch[] {
  const cells: CellArch[] = [];
  const total = ops.length ** 6;
  for (let index = 0; index < total; index++) {
    const edges = Array.from({ length: 6 }, (_, edge) => ops[Math.floor(index / ops.length ** edge) % ops.length]);
    cells.push({ family: 'cell', edges: edges as CellArch['edges'] });
  }
  return cells;
}

describe('cell strings', () => {
  const text = '|nor_conv_3x3~0|+|none~0|skip_connect~1|+|avg_pool_3x3~0|nor_conv_1x1~1|none~2|';

  it('round-trips a NAS-Bench-201 string', () => {
    expect(cellArchToString(cell(text))).toBe(text);
  });

  it('parses edges in string order', () => {
    expect(cell(text).edges).toEqual(['nor_conv_3x3', 'none', 'skip_connect', 'avg_pool_3x3', 'nor_conv_1x1', 'none']);
  });

  it.each([
    ['|nor_conv_3x3~0|+|none~0|skip_connect~1|', /3 nodes/],
    ['|nor_conv_3x3~0|+|none~0|+|none~0|none~1|none~2|', /node 2 must have 2 inputs/],
    ['|conv~0|+|none~0|none~1|+|none~0|none~1|none~2|', /unknown op "conv"/],
    ['|none~1|+|none~0|none~1|+|none~0|none~1|none~2|', /must be written op~0/],
    ['none~0|+|none~0|none~1|+|none~0|none~1|none~2|', /start and end with "\|"/],
  ])('rejects %s', (bad, message) => {
    expect(() => cellArchFromString(bad)).toThrow(ValidationError);
    expect(() => cellArchFromString(bad)).toThrow(message);
  });
});

describe('cell hashing', () => {
  it('splits the 15,625 NAS-Bench-201 cells into 6,466 classes', () => {
    const rows = readFileSync(NB201_CSV, 'utf8').trim().split('\n').slice(1);
    const hashes = new Set(rows.map((row) => hashArchitecture(NB201, cell(row.split(',')[1]))));
    expect(rows).toHaveLength(15_625);
    expect(hashes.size).toBe(6_466);
  });

  it('merges relabelled copies of the input', () => {
    // Node 1 is a copy of node 0, so the two conv edges into node 3 may swap.
    const a = cell('|skip_connect~0|+|none~0|none~1|+|nor_conv_3x3~0|nor_conv_1x1~1|none~2|');
    const b = cell('|skip_connect~0|+|none~0|none~1|+|nor_conv_1x1~0|nor_conv_3x3~1|none~2|');
    expect(hashArchitecture(NB201, a)).toBe(hashArchitecture(NB201, b));
  });

  it('ignores edges cut off from the output', () => {
    const a = cell('|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|nor_conv_3x3~0|none~1|none~2|');
    const b = cell('|none~0|+|none~0|none~1|+|nor_conv_3x3~0|none~1|none~2|');
    expect(hashArchitecture(NB201, a)).toBe(hashArchitecture(NB201, b));
  });

  it('ignores the op of an edge out of a zero node 1', () => {
    const a = cell('|none~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|none~1|skip_connect~2|');
    const b = cell('|none~0|+|none~0|avg_pool_3x3~1|+|skip_connect~0|none~1|skip_connect~2|');
    expect(hashArchitecture(NB201, a)).toBe(hashArchitecture(NB201, b));
  });

  it.each([
    ['|nor_conv_3x3~0|+|none~0|none~1|+|none~0|skip_connect~1|none~2|', '|nor_conv_1x1~0|+|none~0|none~1|+|none~0|skip_connect~1|none~2|'],
    ['|skip_connect~0|+|none~0|none~1|+|none~0|skip_connect~1|none~2|', '|skip_connect~0|+|none~0|none~1|+|skip_connect~0|skip_connect~1|none~2|'],
    ['|none~0|+|none~0|none~1|+|nor_conv_3x3~0|none~1|none~2|', '|none~0|+|none~0|none~1|+|avg_pool_3x3~0|none~1|none~2|'],
  ])('separates %s from %s', (first, second) => {
    expect(hashArchitecture(NB201, cell(first))).not.toBe(hashArchitecture(NB201, cell(second)));
  });

  it('canonical form keeps the hash and is a fixed point', () => {
    for (const arch of allCells(CELL_OPS).filter((_, index) => index % 97 === 0)) {
      const canonical = canonicalArchitecture(NB201, arch);
      expect(hashArchitecture(NB201, canonical)).toBe(hashArchitecture(NB201, arch));
      expect(canonicalArchitecture(NB201, canonical)).toEqual(canonical);
    }
  });

  it('canonical form has no dead edges', () => {
    for (const arch of allCells(CELL_OPS).filter((_, index) => index % 31 === 0)) {
      const canonical = canonicalArchitecture(NB201, arch) as CellArch;
      const live = liveCellEdges(canonical.edges);
      // Only edge 2 -> 3 may keep an op without being live: node 2 is then
      // zero but written `#+#`, so the op still changes the hash.
      canonical.edges.forEach((op, index) => {
        if (op !== 'none' && !live[index]) expect(index).toBe(5);
      });
    }
  });
});

describe('cell cost', () => {
  it('counts 15,625 cells with all five ops', () => {
    expect(countArchitectures(NB201)).toBe(15_625n);
  });

  it('matches a hand-computed small model', () => {
    const space: CellSpace = { ...NB201, cellsPerStage: 1, stemChannels: 2 };
    const arch = cell('|nor_conv_3x3~0|+|none~0|none~1|+|none~0|skip_connect~1|none~2|');
    const cost = architectureCost(space, arch, { inputShape: [4, 4, 1], numClasses: 2 });
    expect(cost.params).toBe(2104);
    expect(cost.flops).toBe(3824);
  });

  it('covers the published NAS-Bench-201 range', () => {
    let minParams = Infinity;
    let maxParams = 0;
    let minFlops = Infinity;
    let maxFlops = 0;
    const costByHash = new Map<string, number>();
    for (const arch of allCells(CELL_OPS)) {
      const cost = architectureCost(NB201, arch, CIFAR);
      minParams = Math.min(minParams, cost.params);
      maxParams = Math.max(maxParams, cost.params);
      minFlops = Math.min(minFlops, cost.flops);
      maxFlops = Math.max(maxFlops, cost.flops);
      const hash = hashArchitecture(NB201, arch);
      expect(costByHash.get(hash) ?? cost.params).toBe(cost.params);
      costByHash.set(hash, cost.params);
    }
    // The range quoted for NAS-Bench-201 is about 0.07-1.53 M params and
    // 7.8-220 M MACs. The largest count here, 1,538,810, includes 7,264
    // BatchNorm moving statistics that PyTorch does not count as parameters.
    expect(minParams / 1e6).toBeCloseTo(0.07, 1);
    expect(maxParams / 1e6).toBeGreaterThan(1.5);
    expect(maxParams / 1e6).toBeLessThan(1.56);
    expect(minFlops / 1e6).toBeCloseTo(7.8, 1);
    expect(maxFlops / 1e6).toBeCloseTo(220, 0);
    // Exact values, computed by hand from the skeleton.
    expect(minParams).toBe(73_850);
    expect(maxParams).toBe(1_538_810);
    expect(minFlops).toBe(7_783_040);
    expect(maxFlops).toBe(220_119_680);
  });

  it.each([
    [[...CELL_OPS]],
    [['nor_conv_1x1', 'nor_conv_3x3'] as CellOp[]],
    [['skip_connect', 'nor_conv_3x3'] as CellOp[]],
  ])('minimum over ops %j equals brute force', (ops) => {
    const space: CellSpace = { family: 'cell', name: 'small', ops, cellsPerStage: 2, stemChannels: 4 };
    const input = { inputShape: [9, 9, 2] as [number, number, number], numClasses: 3 };
    const costs = allCells(ops).map((arch) => architectureCost(space, arch, input));
    expect(minimumCost(space, input)).toEqual({
      params: Math.min(...costs.map((cost) => cost.params)),
      flops: Math.min(...costs.map((cost) => cost.flops)),
    });
  });
});
