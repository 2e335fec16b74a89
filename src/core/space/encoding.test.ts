import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors';
import { Random } from '../random';
import {
  CELL_PATH_ENCODING_LENGTH,
  PRESET_SPACES,
  architectureFromDecisions,
  architectureToDecisions,
  cellArchFromString,
  cellPathEncoding,
  hashArchitecture,
  oneHotEncoding,
  oneHotLength,
  sampleArchitecture,
  spaceDecisions,
  validateArchitecture,
} from './index';
import type { SearchSpace, SequentialSpace, StagesSpace } from './types';

const SKIP_SPACE: SequentialSpace = {
  family: 'sequential',
  name: 'small skip',
  depths: [1, 3],
  ops: ['conv3x3', 'identity'],
  widths: [4, 8],
  connectivity: 'skip',
  stemChannels: 4,
  downsampleAfter: [0],
};
const STAGES_SPACE: StagesSpace = {
  family: 'stages',
  name: 'small stages',
  stemChannels: 4,
  stages: [
    { channels: 4, stride: 2, depths: [1, 2] },
    { channels: 8, stride: 1, depths: [1] },
  ],
  kernelSizes: [3, 5],
  expansionRatios: [1, 6],
  widthMultipliers: [1],
};
const ALL_SPACES: [string, SearchSpace][] = [
  ['small skip', SKIP_SPACE],
  ['small stages', STAGES_SPACE],
  ...PRESET_SPACES.map((preset): [string, SearchSpace] => [preset.id, preset.space]),
];

describe('spaceDecisions', () => {
  it('lists depth first, then the deepest layout for a skip space', () => {
    const decisions = spaceDecisions(SKIP_SPACE);
    expect(decisions.map((d) => d.name)).toEqual([
      'depth',
      'layers[0]',
      'layers[1]',
      'layers[1].skipFrom',
      'layers[2]',
      'layers[2].skipFrom',
    ]);
    expect(decisions[1].options).toEqual(['conv3x3(4)', 'conv3x3(8)', 'identity']);
    expect(decisions[5].options).toEqual(['none', 'stem', 'layer 0']);
  });

  it('lists per stage a depth only when it varies', () => {
    const names = spaceDecisions(STAGES_SPACE).map((d) => d.name);
    expect(names[0]).toBe('stages[0].depth');
    expect(names).not.toContain('stages[1].depth');
    expect(names).toHaveLength(1 + 2 * 3 + 3);
  });

  it('lists six edges for a cell', () => {
    const decisions = spaceDecisions(PRESET_SPACES.find((p) => p.space.family === 'cell')!.space);
    expect(decisions).toHaveLength(6);
    expect(decisions[0].options).toContain('none');
  });
});

describe('decision round trip', () => {
  it.each(ALL_SPACES)('%s round-trips sampled architectures', (_name, space) => {
    const random = new Random(7);
    const decisions = spaceDecisions(space);
    for (let trial = 0; trial < 50; trial++) {
      const arch = sampleArchitecture(space, random);
      const choices = architectureToDecisions(space, arch);
      expect(choices).toHaveLength(decisions.length);
      const rebuilt = architectureFromDecisions(space, choices);
      expect(validateArchitecture(space, rebuilt)).toEqual(rebuilt);
      expect(rebuilt).toEqual(arch);
    }
  });

  it.each(ALL_SPACES)('%s builds valid architectures from random choices', (_name, space) => {
    const random = new Random(3);
    const decisions = spaceDecisions(space);
    for (let trial = 0; trial < 50; trial++) {
      const choices = decisions.map((d) => random.int(d.options.length));
      const arch = architectureFromDecisions(space, choices);
      expect(() => validateArchitecture(space, arch)).not.toThrow();
    }
  });

  it('ignores unused trailing choices', () => {
    const shallow = architectureFromDecisions(SKIP_SPACE, [0, 1, 2, 1, 0, 2]);
    expect(shallow).toEqual({ family: 'sequential', layers: [{ op: 'conv3x3', width: 8, skipFrom: null }] });
    expect(architectureToDecisions(SKIP_SPACE, shallow)).toEqual([0, 1, 0, 0, 0, 0]);
  });

  it('rejects a wrong length or index', () => {
    expect(() => architectureFromDecisions(SKIP_SPACE, [0, 1])).toThrow(ValidationError);
    expect(() => architectureFromDecisions(SKIP_SPACE, [0, 3, 0, 0, 0, 0])).toThrow(/choices\[1\]/);
  });
});

describe('oneHotEncoding', () => {
  it.each(ALL_SPACES)('%s has a fixed length', (_name, space) => {
    const random = new Random(11);
    for (let trial = 0; trial < 20; trial++) {
      const vector = oneHotEncoding(space, sampleArchitecture(space, random));
      expect(vector).toHaveLength(oneHotLength(space));
      expect(vector.every((value) => value === 0 || value === 1)).toBe(true);
    }
  });

  it('zeroes decisions beyond the depth', () => {
    const arch = { family: 'sequential' as const, layers: [{ op: 'identity' as const, width: null, skipFrom: null }] };
    // depth (2 options) then layer 0 (3 options); the rest are unused.
    expect(oneHotEncoding(SKIP_SPACE, arch)).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });
});

describe('cellPathEncoding', () => {
  it('sets one bit per unbroken path', () => {
    const arch = cellArchFromString('|nor_conv_3x3~0|+|none~0|skip_connect~1|+|avg_pool_3x3~0|nor_conv_1x1~1|none~2|');
    const vector = cellPathEncoding(arch);
    expect(vector).toHaveLength(CELL_PATH_ENCODING_LENGTH);
    // Paths 0->3 (avg_pool) and 0->1->3 (conv3x3, conv1x1) survive; 0->2->3 and 0->1->2->3 end in none.
    expect(vector.reduce((a, b) => a + b, 0)).toBe(2);
  });

  it('is all zeros for an all-none cell', () => {
    const arch = cellArchFromString('|none~0|+|none~0|none~1|+|none~0|none~1|none~2|');
    expect(cellPathEncoding(arch).every((bit) => bit === 0)).toBe(true);
  });

  it('rarely merges distinct cells', () => {
    const space = PRESET_SPACES.find((p) => p.space.family === 'cell')!.space;
    const random = new Random(5);
    const byEncoding = new Map<string, string>();
    let clashes = 0;
    for (let trial = 0; trial < 300; trial++) {
      const arch = sampleArchitecture(space, random);
      if (arch.family !== 'cell') throw new Error('expected a cell');
      const key = cellPathEncoding(arch).join('');
      const hash = hashArchitecture(space, arch);
      if (byEncoding.has(key) && byEncoding.get(key) !== hash) clashes += 1;
      byEncoding.set(key, hash);
    }
    // Path encodings are not injective (e.g. node 2 fed by two parallel paths), but clashes are rare.
    expect(clashes).toBeLessThan(30);
  });
});
