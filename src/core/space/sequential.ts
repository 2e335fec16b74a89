// The sequential family: a fixed stem, a chosen number of searched layers
// (each one operation) and a GAP + dense head. This module owns validation,
// counting, sampling, the one-choice moves and the canonical form; the model
// and its cost are specified in sequential-cost.ts.
import { ValidationError, describeValue } from '../errors';
import type { Random } from '../random';
import { canonicalJson, fnv1a64 } from './hash';
import { distinctByHash, either, mixLists, pickNeighbour, weightedIndex } from './moves';
import type { SpaceFamilyOps } from './ops';
import { isConvOp, sequentialCost } from './sequential-cost';
import { minimumSequentialCost } from './sequential-minimum';
import { CONNECTIVITIES, SEQUENTIAL_OPS } from './types';
import type { SequentialArch, SequentialLayer, SequentialSpace } from './types';
import {
  MAX_CHANNELS,
  MAX_DEPTH,
  expectFamily,
  expectInteger,
  expectList,
  expectName,
  expectOneOf,
  expectRecord,
} from './validate';

type LayerChoice = Pick<SequentialLayer, 'op' | 'width'>;

/** Lists the (op, width) choices of one layer, in space order: conv ops times widths, then the others with width null. */
function layerChoices(space: SequentialSpace): LayerChoice[] {
  return space.ops.flatMap((op): LayerChoice[] =>
    isConvOp(op) ? space.widths.map((width) => ({ op, width })) : [{ op, width: null }],
  );
}

/**
 * Lists the skip sources layer `index` may read besides the previous output: none,
 * the stem (-1) from layer 1 on, and every layer j <= index - 2. Only `skip`
 * connectivity has choices; the others always have [null].
 */
export function skipChoices(space: SequentialSpace, index: number): (number | null)[] {
  if (space.connectivity !== 'skip' || index === 0) return [null];
  const sources: (number | null)[] = [null, -1];
  for (let j = 0; j <= index - 2; j++) sources.push(j);
  return sources;
}

function countForDepth(space: SequentialSpace, depth: number): bigint {
  const perLayer = BigInt(layerChoices(space).length);
  let total = 1n;
  for (let i = 0; i < depth; i++) total *= perLayer * BigInt(skipChoices(space, i).length);
  return total;
}

function validateSpace(value: unknown): SequentialSpace {
  const record = expectRecord(value, 'space');
  expectFamily(record, 'sequential', '');
  const depthHint = 'a depth';
  return {
    family: 'sequential',
    name: expectName(record.name, 'name'),
    depths: expectList(record.depths, 'depths', (item, field) => expectInteger(item, field, 1, MAX_DEPTH, depthHint)),
    ops: expectList(record.ops, 'ops', (item, field) => expectOneOf(item, field, SEQUENTIAL_OPS)),
    widths: expectList(record.widths, 'widths', (item, field) =>
      expectInteger(item, field, 1, MAX_CHANNELS, 'a channel count'),
    ),
    connectivity: expectOneOf(record.connectivity, 'connectivity', CONNECTIVITIES),
    stemChannels: expectInteger(record.stemChannels, 'stemChannels', 1, MAX_CHANNELS, 'a channel count'),
    downsampleAfter: expectList(
      record.downsampleAfter,
      'downsampleAfter',
      (item, field) => expectInteger(item, field, 0, MAX_DEPTH - 1, 'a layer index'),
      true,
    ),
  };
}

function validateLayer(space: SequentialSpace, value: unknown, index: number): SequentialLayer {
  const path = `layers[${index}]`;
  const record = expectRecord(value, path);
  const op = expectOneOf(record.op, `${path}.op`, space.ops);
  const width = record.width;
  if (isConvOp(op)) {
    if (typeof width !== 'number' || !space.widths.includes(width)) {
      throw new ValidationError(
        `${path}.width`,
        width,
        `${path}.width must be one of the space's widths ${space.widths.join(', ')} for ${op}, got ${describeValue(width)}`,
      );
    }
  } else if (width !== null) {
    throw new ValidationError(`${path}.width`, width, `${path}.width must be null for ${op}, which keeps its input's channels, got ${describeValue(width)}`);
  }
  const skipFrom = record.skipFrom === undefined ? null : record.skipFrom;
  const allowed = skipChoices(space, index);
  if (!allowed.includes(skipFrom as number | null)) {
    const rule =
      space.connectivity === 'skip'
        ? `null, -1 (the stem, from layer 1 on) or a layer index up to ${index - 2}`
        : `null with ${space.connectivity} connectivity`;
    throw new ValidationError(`${path}.skipFrom`, skipFrom, `${path}.skipFrom must be ${rule}, got ${describeValue(skipFrom)}`);
  }
  return { op, width: isConvOp(op) ? (width as number) : null, skipFrom: skipFrom as number | null };
}

function validateArchitecture(space: SequentialSpace, value: unknown): SequentialArch {
  const record = expectRecord(value, 'arch');
  expectFamily(record, 'sequential', '');
  if (!Array.isArray(record.layers)) {
    throw new ValidationError('layers', record.layers, `layers must be an array, got ${describeValue(record.layers)}`);
  }
  if (!space.depths.includes(record.layers.length)) {
    throw new ValidationError(
      'layers',
      record.layers.length,
      `layers must have one of the space's depths ${space.depths.join(', ')}, got ${record.layers.length} layers`,
    );
  }
  return { family: 'sequential', layers: record.layers.map((layer, index) => validateLayer(space, layer, index)) };
}

function sample(space: SequentialSpace, random: Random): SequentialArch {
  const depth = space.depths[weightedIndex(space.depths.map((d) => countForDepth(space, d)), random)];
  const choices = layerChoices(space);
  const layers: SequentialLayer[] = [];
  for (let i = 0; i < depth; i++) {
    const choice = random.choice(choices);
    layers.push({ op: choice.op, width: choice.width, skipFrom: random.choice(skipChoices(space, i)) });
  }
  return { family: 'sequential', layers };
}

/**
 * Returns the canonical form. Pools and identity already carry width null. A skip source
 * j is replaced by j - 1 while layer j is an identity without a skip source
 * and no skeleton max pool follows it, because its output is then the same
 * tensor as layer j - 1's (the stem's for j = 0). Identity layers themselves
 * stay: the depth and the downsampleAfter positions count them.
 */
function canonicalize(space: SequentialSpace, arch: SequentialArch): SequentialArch {
  const downsample = new Set(space.downsampleAfter);
  const passesInputThrough = (j: number): boolean =>
    arch.layers[j].op === 'identity' && arch.layers[j].skipFrom === null && !downsample.has(j);
  const layers = arch.layers.map((layer) => {
    let source = layer.skipFrom;
    while (source !== null && source >= 0 && passesInputThrough(source)) source -= 1;
    return { op: layer.op, width: isConvOp(layer.op) ? layer.width : null, skipFrom: source };
  });
  return { family: 'sequential', layers };
}

/** Hashes the canonical form's sorted-key JSON with FNV-1a 64. */
export function hashSequential(space: SequentialSpace, arch: SequentialArch): string {
  return fnv1a64(canonicalJson(canonicalize(space, arch)));
}

function withLayer(arch: SequentialArch, index: number, layer: SequentialLayer): SequentialArch {
  const layers = arch.layers.slice();
  layers[index] = layer;
  return { family: 'sequential', layers };
}

/**
 * Lists the one-choice changes: each layer's (op, width), each layer's skip source,
 * and a move to the next smaller allowed depth (dropping trailing layers) or
 * the next larger one (appending layers). Growing by one layer appends every
 * possible layer; growing by more appends copies of one (op, width) choice
 * without skip sources.
 */
function neighbours(space: SequentialSpace, arch: SequentialArch): SequentialArch[] {
  const candidates: SequentialArch[] = [];
  const choices = layerChoices(space);
  arch.layers.forEach((layer, i) => {
    for (const choice of choices) {
      if (choice.op === layer.op && choice.width === layer.width) continue;
      candidates.push(withLayer(arch, i, { ...choice, skipFrom: layer.skipFrom }));
    }
    for (const source of skipChoices(space, i)) {
      if (source !== layer.skipFrom) candidates.push(withLayer(arch, i, { ...layer, skipFrom: source }));
    }
  });

  const depth = arch.layers.length;
  const smaller = Math.max(-1, ...space.depths.filter((d) => d < depth));
  if (smaller > 0) candidates.push({ family: 'sequential', layers: arch.layers.slice(0, smaller) });
  const larger = Math.min(Infinity, ...space.depths.filter((d) => d > depth));
  if (larger === depth + 1) {
    for (const choice of choices) {
      for (const source of skipChoices(space, depth)) {
        candidates.push({ family: 'sequential', layers: [...arch.layers, { ...choice, skipFrom: source }] });
      }
    }
  } else if (Number.isFinite(larger)) {
    for (const choice of choices) {
      const added = Array.from({ length: larger - depth }, () => ({ ...choice, skipFrom: null }));
      candidates.push({ family: 'sequential', layers: [...arch.layers, ...added] });
    }
  }
  return distinctByHash(candidates, hashSequential(space, arch), (candidate) => hashSequential(space, candidate));
}

function crossover(_space: SequentialSpace, a: SequentialArch, b: SequentialArch, random: Random): SequentialArch {
  const layers = mixLists(a.layers, b.layers, random, (x, y) => {
    const operation = either(x, y, random);
    return { op: operation.op, width: operation.width, skipFrom: either(x, y, random).skipFrom };
  });
  return { family: 'sequential', layers };
}

function describeLayer(layer: SequentialLayer): string {
  const base = layer.width === null ? layer.op : `${layer.op}(${layer.width})`;
  if (layer.skipFrom === null) return base;
  return `${base}+${layer.skipFrom === -1 ? 'stem' : `L${layer.skipFrom}`}`;
}

/** The sequential family's implementation of the space contract. */
export const sequentialOps: SpaceFamilyOps<SequentialSpace, SequentialArch> = {
  validateSpace,
  validateArchitecture,
  count: (space) => space.depths.reduce((sum, depth) => sum + countForDepth(space, depth), 0n),
  sample,
  mutate: (space, arch, random) => pickNeighbour(neighbours(space, arch), arch, random),
  crossover,
  neighbours,
  canonicalize,
  cost: (space, arch, input) => sequentialCost(space, canonicalize(space, arch), input),
  minimumCost: minimumSequentialCost,
  operations: (arch) => arch.layers.map((layer) => layer.op),
  describe: (arch) => arch.layers.map(describeLayer).join(' > '),
};
