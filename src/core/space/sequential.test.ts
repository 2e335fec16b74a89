import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors';
import { canonicalJson } from './hash';
import {
  MNIST_INPUT,
  PRESET_SPACES,
  architectureCost,
  canonicalArchitecture,
  countArchitectures,
  hashArchitecture,
  minimumCost,
  validateArchitecture,
} from './index';
import type { Connectivity, InputSpec, SequentialArch, SequentialLayer, SequentialSpace } from './types';

function space(overrides: Partial<SequentialSpace> = {}): SequentialSpace {
  return {
    family: 'sequential',
    name: 'test',
    depths: [1, 2, 3],
    ops: ['conv3x3', 'sepconv3x3', 'maxpool3x3', 'identity'],
    widths: [2, 3],
    connectivity: 'sequential',
    stemChannels: 4,
    downsampleAfter: [0],
    ...overrides,
  };
}

function layer(op: SequentialLayer['op'], width: number | null = null, skipFrom: number | null = null): SequentialLayer {
  return { op, width, skipFrom };
}

/** Lists every encoding the validator accepts, found by trying all ops, widths and skip sources. */
function enumerate(s: SequentialSpace): SequentialArch[] {
  const results: SequentialArch[] = [];
  const candidates: SequentialLayer[][] = [];
  const maxDepth = Math.max(...s.depths);
  for (let i = 0; i < maxDepth; i++) {
    const options: SequentialLayer[] = [];
    for (const op of s.ops) {
      for (const width of [null, ...s.widths]) {
        for (let skipFrom = -2; skipFrom < maxDepth; skipFrom++) options.push(layer(op, width, skipFrom === -2 ? null : skipFrom));
      }
    }
    candidates.push(options);
  }
  const extend = (layers: SequentialLayer[]): void => {
    if (s.depths.includes(layers.length)) {
      const arch: SequentialArch = { family: 'sequential', layers };
      try {
        validateArchitecture(s, arch);
        results.push(arch);
      } catch {
        // Not a point of the space.
      }
    }
    if (layers.length === maxDepth) return;
    for (const option of candidates[layers.length]) {
      const prefix: SequentialArch = { family: 'sequential', layers: [...layers, option] };
      if (isValidPrefix(s, prefix)) extend(prefix.layers);
    }
  };
  extend([]);
  return results;
}

function isValidPrefix(s: SequentialSpace, arch: SequentialArch): boolean {
  try {
    validateArchitecture({ ...s, depths: [arch.layers.length] }, arch);
    return true;
  } catch {
    return false;
  }
}

describe('sequential counting', () => {
  it('counts 15,625 for the 6 x 5 preset', () => {
    const preset = PRESET_SPACES.find((p) => p.id === 'sequential-6x5');
    expect(preset).toBeDefined();
    expect(countArchitectures(preset!.space)).toBe(15_625n);
  });

  it.each<Connectivity>(['sequential', 'skip', 'dense'])('count with %s connectivity equals brute force', (connectivity) => {
    const s = space({ connectivity, depths: [1, 3, 4], ops: ['conv3x3', 'identity'], widths: [2, 5] });
    expect(countArchitectures(s)).toBe(BigInt(enumerate(s).length));
  });

  it('count with several depths sums them', () => {
    // 2 conv ops x 2 widths + 2 others = 6 choices per layer.
    expect(countArchitectures(space())).toBe(6n + 36n + 216n);
  });
});

describe('sequential canonical form', () => {
  const skip = space({ connectivity: 'skip', depths: [5], downsampleAfter: [] });

  it('merges skip sources behind identity layers', () => {
    const base = [layer('conv3x3', 2), layer('identity'), layer('identity'), layer('conv3x3', 3)];
    const fromLayer2 = { family: 'sequential' as const, layers: [...base, layer('conv3x3', 2, 2)] };
    const fromLayer0 = { family: 'sequential' as const, layers: [...base, layer('conv3x3', 2, 0)] };
    expect(hashArchitecture(skip, fromLayer2)).toBe(hashArchitecture(skip, fromLayer0));
    expect(canonicalArchitecture(skip, fromLayer2)).toEqual(fromLayer0);
  });

  it('keeps skip sources behind a max pool apart', () => {
    const pooled = { ...skip, downsampleAfter: [1] };
    const base = [layer('conv3x3', 2), layer('identity'), layer('conv3x3', 3)];
    const fromLayer1 = { family: 'sequential' as const, layers: [...base, layer('conv3x3', 2, 1), layer('identity')] };
    const fromLayer0 = { family: 'sequential' as const, layers: [...base, layer('conv3x3', 2, 0), layer('identity')] };
    expect(hashArchitecture(pooled, fromLayer1)).not.toBe(hashArchitecture(pooled, fromLayer0));
  });

  it('resolves a chain of identities to the stem', () => {
    const arch = { family: 'sequential' as const, layers: [layer('identity'), layer('identity'), layer('conv3x3', 2), layer('conv3x3', 2, 1), layer('identity')] };
    expect((canonicalArchitecture(skip, arch) as SequentialArch).layers[3].skipFrom).toBe(-1);
  });
});

describe('sequential cost', () => {
  const input: InputSpec = { inputShape: [8, 8, 1], numClasses: 3 };
  const layers = [layer('conv3x3', 2), layer('maxpool3x3'), layer('sepconv3x3', 3)];

  it('matches a hand-computed sequential model', () => {
    const cost = architectureCost(space({ depths: [3] }), { family: 'sequential', layers }, input);
    expect(cost).toEqual({ params: 168, flops: 7305, activationBytes: 2008 });
  });

  it('matches a hand-computed skip from the stem', () => {
    const s = space({ depths: [3], connectivity: 'skip' });
    const arch: SequentialArch = { family: 'sequential', layers: [layers[0], layers[1], layer('sepconv3x3', 3, -1)] };
    const cost = architectureCost(s, arch, input);
    expect(cost.params).toBe(216);
    expect(cost.flops).toBe(8073);
  });

  it('matches a hand-computed dense model', () => {
    const s = space({ depths: [2], connectivity: 'dense', stemChannels: 2, downsampleAfter: [] });
    const arch: SequentialArch = { family: 'sequential', layers: [layer('conv3x3', 2), layer('identity')] };
    const cost = architectureCost(s, arch, { inputShape: [4, 4, 1], numClasses: 2 });
    expect(cost.params).toBe(74);
    expect(cost.flops).toBe(872);
  });

  it('rejects an input too small for the max pools', () => {
    const s = space({ depths: [3], downsampleAfter: [0, 1, 2] });
    expect(() => architectureCost(s, { family: 'sequential', layers }, { inputShape: [4, 4, 1], numClasses: 2 })).toThrow(ValidationError);
  });

  it('gives equal costs for equal hashes', () => {
    const s = space({ connectivity: 'skip', depths: [4], ops: ['conv3x3', 'identity'], widths: [2] });
    const costByHash = new Map<string, string>();
    for (const arch of enumerate(s)) {
      const cost = canonicalJson(architectureCost(s, arch, MNIST_INPUT));
      const hash = hashArchitecture(s, arch);
      expect(costByHash.get(hash) ?? cost).toBe(cost);
      costByHash.set(hash, cost);
    }
  });

  it.each<Connectivity>(['sequential', 'skip', 'dense'])('minimum with %s connectivity equals brute force', (connectivity) => {
    const s = space({ connectivity, depths: [1, 2, 3], widths: [2, 7], downsampleAfter: [0, 1] });
    const costs = enumerate(s).map((arch) => architectureCost(s, arch, input));
    expect(minimumCost(s, input)).toEqual({
      params: Math.min(...costs.map((cost) => cost.params)),
      flops: Math.min(...costs.map((cost) => cost.flops)),
    });
  });

  it('minimum leaves out depths the input cannot fit', () => {
    const s = space({ depths: [1, 4], downsampleAfter: [0, 1, 2, 3] });
    const tiny: InputSpec = { inputShape: [4, 4, 1], numClasses: 2 };
    const shallow = enumerate({ ...s, depths: [1] }).map((arch) => architectureCost(s, arch, tiny));
    expect(minimumCost(s, tiny).params).toBe(Math.min(...shallow.map((cost) => cost.params)));
  });
});
