// The cell family: NAS-Bench-201's search space of one 4-node cell with six
// edges, repeated in a fixed skeleton (see cell-cost.ts). This module owns
// validation, counting, sampling, the moves, the canonical form and hashing.
import { ValidationError, describeValue } from '../errors';
import type { Random } from '../random';
import { cellCost, minimumCellCost } from './cell-cost';
import { cellArchToString, cellNodeExpressions } from './cell-string';
import { fnv1a64 } from './hash';
import { distinctByHash, either, pickNeighbour } from './moves';
import type { SpaceFamilyOps } from './ops';
import { CELL_OPS } from './types';
import type { CellArch, CellOp, CellSpace } from './types';
import { MAX_CHANNELS, MAX_DEPTH, expectFamily, expectInteger, expectList, expectName, expectOneOf, expectRecord } from './validate';

const EDGE_COUNT = 6;

function validateSpace(value: unknown): CellSpace {
  const record = expectRecord(value, 'space');
  expectFamily(record, 'cell', '');
  return {
    family: 'cell',
    name: expectName(record.name, 'name'),
    ops: expectList(record.ops, 'ops', (item, field) => expectOneOf(item, field, CELL_OPS)),
    cellsPerStage: expectInteger(record.cellsPerStage, 'cellsPerStage', 1, MAX_DEPTH, 'a cell count'),
    // Stage 3 runs at 4 * stemChannels, which must stay within MAX_CHANNELS.
    stemChannels: expectInteger(record.stemChannels, 'stemChannels', 1, MAX_CHANNELS / 4, 'a channel count'),
  };
}

function validateArchitecture(space: CellSpace, value: unknown): CellArch {
  const record = expectRecord(value, 'arch');
  expectFamily(record, 'cell', '');
  const edges = record.edges;
  if (!Array.isArray(edges) || edges.length !== EDGE_COUNT) {
    throw new ValidationError('edges', edges, `edges must be an array of 6 ops in NAS-Bench-201 order, got ${describeValue(edges)}`);
  }
  const checked = edges.map((op, index) => expectOneOf(op, `edges[${index}]`, space.ops));
  return { family: 'cell', edges: checked as CellArch['edges'] };
}

/** Ops of the space in CELL_OPS order, so enumeration order puts none first. */
function orderedOps(space: CellSpace): CellOp[] {
  return CELL_OPS.filter((op) => space.ops.includes(op));
}

/** Per set of ops: the output expression of each class mapped to its first cell in enumeration order. */
const representatives = new Map<string, Map<string, CellArch['edges']>>();

function classRepresentatives(space: CellSpace): Map<string, CellArch['edges']> {
  const ops = orderedOps(space);
  const key = ops.join(',');
  let table = representatives.get(key);
  if (table !== undefined) return table;
  table = new Map();
  const total = ops.length ** EDGE_COUNT;
  for (let index = 0; index < total; index++) {
    // Edge 0 is the most significant digit, so the first cell of a class is
    // its lexicographically smallest in CELL_OPS order.
    const edges: CellOp[] = [];
    for (let edge = EDGE_COUNT - 1, rest = index; edge >= 0; edge--, rest = Math.floor(rest / ops.length)) {
      edges[edge] = ops[rest % ops.length];
    }
    const expression = cellNodeExpressions(edges)[3];
    if (!table.has(expression)) table.set(expression, edges as CellArch['edges']);
  }
  representatives.set(key, table);
  return table;
}

/**
 * Canonical form: the lexicographically smallest cell of the space (ops in
 * CELL_OPS order, none first) whose output expression equals this cell's
 * (cellNodeExpressions). Dead edges of that cell are therefore none. The
 * first call for a set of ops enumerates its |ops|^6 cells once.
 */
function canonicalize(space: CellSpace, arch: CellArch): CellArch {
  const expression = cellNodeExpressions(arch.edges)[3];
  const edges = classRepresentatives(space).get(expression);
  return { family: 'cell', edges: [...(edges ?? arch.edges)] as CellArch['edges'] };
}

/** Hash of the NAS-Bench-201 output expression (FNV-1a 64), equal for equal canonical forms. */
export function hashCell(arch: CellArch): string {
  return fnv1a64(cellNodeExpressions(arch.edges)[3]);
}

function neighbours(space: CellSpace, arch: CellArch): CellArch[] {
  const candidates: CellArch[] = [];
  for (let edge = 0; edge < EDGE_COUNT; edge++) {
    for (const op of space.ops) {
      if (op === arch.edges[edge]) continue;
      const edges = [...arch.edges] as CellArch['edges'];
      edges[edge] = op;
      candidates.push({ family: 'cell', edges });
    }
  }
  return distinctByHash(candidates, hashCell(arch), hashCell);
}

/** The cell family's implementation of the space contract. */
export const cellOps: SpaceFamilyOps<CellSpace, CellArch> = {
  validateSpace,
  validateArchitecture,
  count: (space) => BigInt(space.ops.length) ** BigInt(EDGE_COUNT),
  sample: (space, random: Random) => ({
    family: 'cell',
    edges: Array.from({ length: EDGE_COUNT }, () => random.choice(space.ops)) as CellArch['edges'],
  }),
  mutate: (space, arch, random) => pickNeighbour(neighbours(space, arch), arch, random),
  crossover: (_space, a, b, random) => ({
    family: 'cell',
    edges: a.edges.map((op, index) => either(op, b.edges[index], random)) as CellArch['edges'],
  }),
  neighbours,
  canonicalize,
  cost: (space, arch, input) => cellCost(space, canonicalize(space, arch), input),
  minimumCost: minimumCellCost,
  operations: (arch) => [...arch.edges],
  describe: cellArchToString,
};
