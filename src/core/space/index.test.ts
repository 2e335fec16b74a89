import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors';
import { Random } from '../random';
import { canonicalJson } from './hash';
import {
  MNIST_INPUT,
  PRESET_SPACES,
  architectureCost,
  architectureOperations,
  countArchitectures,
  crossoverArchitectures,
  describeArchitecture,
  hashArchitecture,
  minimumCost,
  mutateArchitecture,
  neighbourArchitectures,
  sampleArchitecture,
  validateArchitecture,
  validateSpace,
} from './index';
import type { SearchSpace, SequentialSpace } from './types';

const SMALL_SPACES: SearchSpace[] = [
  {
    family: 'sequential',
    name: 'small skip',
    depths: [1, 3],
    ops: ['conv3x3', 'identity'],
    widths: [4, 8],
    connectivity: 'skip',
    stemChannels: 4,
    downsampleAfter: [0],
  },
  { family: 'cell', name: 'small cell', ops: ['none', 'nor_conv_1x1'], cellsPerStage: 1, stemChannels: 4 },
  {
    family: 'stages',
    name: 'small stages',
    stemChannels: 4,
    stages: [{ channels: 4, stride: 2, depths: [1, 2] }],
    kernelSizes: [3, 5],
    expansionRatios: [1],
    widthMultipliers: [1],
  },
];
const ALL_SPACES = [...SMALL_SPACES, ...PRESET_SPACES.map((preset) => preset.space)];

describe('presets', () => {
  it('cover every family', () => {
    expect(new Set(PRESET_SPACES.map((preset) => preset.space.family))).toEqual(new Set(['sequential', 'cell', 'stages']));
  });

  it.each(PRESET_SPACES.map((preset) => [preset.id, preset.space] as const))('%s survives a JSON round trip', (_id, space) => {
    expect(validateSpace(JSON.parse(JSON.stringify(space)))).toEqual(space);
  });

  it.each(PRESET_SPACES.map((preset) => [preset.id, preset.space] as const))('%s has a cost on MNIST', (_id, space) => {
    const arch = sampleArchitecture(space, new Random(1));
    const cost = architectureCost(space, arch, MNIST_INPUT);
    const minimum = minimumCost(space, MNIST_INPUT);
    expect(cost.params).toBeGreaterThanOrEqual(minimum.params);
    expect(cost.flops).toBeGreaterThanOrEqual(minimum.flops);
  });
});

describe('validateSpace', () => {
  const sequential = PRESET_SPACES[0].space;
  const stages = PRESET_SPACES.find((preset) => preset.space.family === 'stages')!.space;
  const cell = PRESET_SPACES.find((preset) => preset.space.family === 'cell')!.space;
  const patch = (space: SearchSpace, changes: Record<string, unknown>): unknown => ({ ...space, ...changes });

  it.each([
    ['unknown family', patch(sequential, { family: 'graph' }), 'family', 'graph'],
    ['empty depths', patch(sequential, { depths: [] }), 'depths', []],
    ['duplicate width', patch(sequential, { widths: [16, 16] }), 'widths[1]', 16],
    ['fractional depth', patch(sequential, { depths: [6, 2.5] }), 'depths[1]', 2.5],
    ['zero width', patch(sequential, { widths: [0] }), 'widths[0]', 0],
    ['absurd width', patch(sequential, { widths: [4096] }), 'widths[0]', 4096],
    ['absurd depth', patch(sequential, { depths: [100] }), 'depths[0]', 100],
    ['unknown op', patch(sequential, { ops: ['conv3x3', 'conv7x7'] }), 'ops[1]', 'conv7x7'],
    ['missing stem', patch(sequential, { stemChannels: undefined }), 'stemChannels', undefined],
    ['unknown connectivity', patch(sequential, { connectivity: 'ring' }), 'connectivity', 'ring'],
    ['stride 3', patch(stages, { stages: [{ channels: 8, stride: 3, depths: [1] }] }), 'stages[0].stride', 3],
    ['negative channels', patch(stages, { stages: [{ channels: -8, stride: 1, depths: [1] }] }), 'stages[0].channels', -8],
    ['even kernel', patch(stages, { kernelSizes: [3, 4] }), 'kernelSizes[1]', 4],
    ['zero multiplier', patch(stages, { widthMultipliers: [0] }), 'widthMultipliers[0]', 0],
    ['unknown cell op', patch(cell, { ops: ['none', 'sep_conv_3x3'] }), 'ops[1]', 'sep_conv_3x3'],
    ['missing cells per stage', patch(cell, { cellsPerStage: undefined }), 'cellsPerStage', undefined],
  ])('rejects %s', (_case, value, field, fieldValue) => {
    let error: unknown;
    try {
      validateSpace(value);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe(field);
    expect((error as ValidationError).value).toEqual(fieldValue);
    expect((error as ValidationError).message).toContain(field);
  });

  it('rejects a non-object', () => {
    expect(() => validateSpace(null)).toThrow(ValidationError);
  });
});

describe('architectureCost input', () => {
  const space = PRESET_SPACES[0].space;
  const arch = sampleArchitecture(space, new Random(2));

  it.each([
    ['zero height', { inputShape: [0, 28, 1], numClasses: 10 }, 'inputShape[0]'],
    ['two dimensions', { inputShape: [28, 28], numClasses: 10 }, 'inputShape'],
    ['one class', { inputShape: [28, 28, 1], numClasses: 1 }, 'numClasses'],
  ])('rejects %s', (_case, input, field) => {
    expect(() => architectureCost(space, arch, input as never)).toThrow(ValidationError);
    try {
      architectureCost(space, arch, input as never);
    } catch (error) {
      expect((error as ValidationError).field).toBe(field);
    }
  });

  it('rejects an architecture of another family', () => {
    const cell = sampleArchitecture(PRESET_SPACES.find((preset) => preset.space.family === 'cell')!.space, new Random(2));
    expect(() => architectureCost(space, cell, MNIST_INPUT)).toThrow(/does not match/);
  });
});

describe('validateArchitecture', () => {
  const [sequential, cell, stages] = SMALL_SPACES;

  it.each([
    ['wrong depth', sequential, { family: 'sequential', layers: [] }, 'layers'],
    ['width on identity', sequential, { family: 'sequential', layers: [{ op: 'identity', width: 4, skipFrom: null }] }, 'layers[0].width'],
    ['width not in space', sequential, { family: 'sequential', layers: [{ op: 'conv3x3', width: 5, skipFrom: null }] }, 'layers[0].width'],
    [
      'skip from the previous layer',
      sequential,
      { family: 'sequential', layers: [0, 1, 2].map((i) => ({ op: 'conv3x3', width: 4, skipFrom: i === 2 ? 1 : null })) },
      'layers[2].skipFrom',
    ],
    ['op not in space', cell, { family: 'cell', edges: ['none', 'none', 'none', 'none', 'none', 'skip_connect'] }, 'edges[5]'],
    ['five edges', cell, { family: 'cell', edges: ['none', 'none', 'none', 'none', 'none'] }, 'edges'],
    ['too many blocks', stages, { family: 'stages', stages: [{ blocks: [1, 2, 3].map(() => ({ kernel: 3, expansion: 1, width: 1 })) }] }, 'stages[0].blocks'],
    ['kernel not in space', stages, { family: 'stages', stages: [{ blocks: [{ kernel: 7, expansion: 1, width: 1 }] }] }, 'stages[0].blocks[0].kernel'],
  ])('rejects %s', (_case, space, arch, field) => {
    expect(() => validateArchitecture(space, arch)).toThrow(ValidationError);
    try {
      validateArchitecture(space, arch);
    } catch (error) {
      expect((error as ValidationError).field).toBe(field);
    }
  });
});

describe('sampling', () => {
  it.each(SMALL_SPACES.map((space) => [space.family, space] as const))('%s draws uniformly (chi-square)', (_family, space) => {
    const count = Number(countArchitectures(space));
    const draws = count * 100;
    const random = new Random(12345);
    const seen = new Map<string, number>();
    for (let i = 0; i < draws; i++) {
      const key = canonicalJson(sampleArchitecture(space, random));
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    expect(seen.size).toBe(count);
    const expected = draws / count;
    const chiSquare = [...seen.values()].reduce((sum, observed) => sum + (observed - expected) ** 2 / expected, 0);
    // For these sizes (df = 164, 63 and 5) the bound 2 * df + 30 lies above
    // the 0.999 quantile of chi-square with df = count - 1 degrees of freedom.
    expect(chiSquare).toBeLessThan(2 * (count - 1) + 30);
  });
});

describe('moves', () => {
  it.each(ALL_SPACES.map((space) => [space.name, space] as const))('%s: mutation, crossover and neighbours stay valid', (_name, space) => {
    for (let seed = 0; seed < 25; seed++) {
      const random = new Random(seed);
      const a = sampleArchitecture(space, random);
      const b = sampleArchitecture(space, random);
      expect(validateArchitecture(space, a)).toEqual(a);

      const mutant = mutateArchitecture(space, a, random);
      expect(validateArchitecture(space, mutant)).toEqual(mutant);
      expect(hashArchitecture(space, mutant)).not.toBe(hashArchitecture(space, a));

      const child = crossoverArchitectures(space, a, b, random);
      expect(validateArchitecture(space, child)).toEqual(child);

      const neighbours = neighbourArchitectures(space, a);
      const hashes = neighbours.map((n) => hashArchitecture(space, n));
      expect(new Set(hashes).size).toBe(hashes.length);
      expect(hashes).not.toContain(hashArchitecture(space, a));
      for (const neighbour of neighbours) expect(validateArchitecture(space, neighbour)).toEqual(neighbour);
    }
  });

  it('mutation returns the only architecture of a one-point space', () => {
    const space: SearchSpace = { family: 'cell', name: 'one', ops: ['nor_conv_3x3'], cellsPerStage: 1, stemChannels: 4 };
    const arch = sampleArchitecture(space, new Random(3));
    expect(mutateArchitecture(space, arch, new Random(4))).toEqual(arch);
  });

  it('crossover of different depths takes a parent length', () => {
    const space = SMALL_SPACES[0] as SequentialSpace;
    const short = { family: 'sequential' as const, layers: [{ op: 'conv3x3' as const, width: 4, skipFrom: null }] };
    const long = sampleArchitecture({ ...space, depths: [3] }, new Random(8));
    for (let seed = 0; seed < 20; seed++) {
      const child = crossoverArchitectures(space, short, long, new Random(seed));
      expect([1, 3]).toContain((child as typeof short).layers.length);
    }
  });
});

describe('labels', () => {
  it('operations has one label per choice', () => {
    const [sequential, cell, stages] = SMALL_SPACES.map((space) => sampleArchitecture(space, new Random(5)));
    expect(architectureOperations(cell)).toHaveLength(6);
    expect(architectureOperations(sequential).length).toBeGreaterThan(0);
    expect(architectureOperations(stages).every((label) => /^k\de\d$/.test(label))).toBe(true);
  });

  it('describe is one line', () => {
    for (const space of ALL_SPACES) {
      expect(describeArchitecture(sampleArchitecture(space, new Random(9)))).not.toContain('\n');
    }
  });
});
