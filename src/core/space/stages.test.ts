import { describe, expect, it } from 'vitest';
import { architectureCost, blockChannels, countArchitectures, minimumCost } from './index';
import type { InputSpec, StagesArch, StagesBlock, StagesSpace } from './types';

function space(overrides: Partial<StagesSpace> = {}): StagesSpace {
  return {
    family: 'stages',
    name: 'test',
    stemChannels: 4,
    stages: [
      { channels: 4, stride: 2, depths: [1, 2] },
      { channels: 6, stride: 1, depths: [1, 3] },
    ],
    kernelSizes: [3, 5],
    expansionRatios: [1, 2],
    widthMultipliers: [0.5, 1],
    ...overrides,
  };
}

function blocksOf(s: StagesSpace): StagesBlock[] {
  return s.kernelSizes.flatMap((kernel) =>
    s.expansionRatios.flatMap((expansion) => s.widthMultipliers.map((width) => ({ kernel, expansion, width }))),
  );
}

/** Lists every architecture, built stage by stage and block by block. */
function enumerate(s: StagesSpace): StagesArch[] {
  const blocks = blocksOf(s);
  const sequences = (depth: number): StagesBlock[][] =>
    depth === 0 ? [[]] : sequences(depth - 1).flatMap((prefix) => blocks.map((block) => [...prefix, block]));
  let archs: StagesArch[] = [{ family: 'stages', stages: [] }];
  for (const spec of s.stages) {
    const options = spec.depths.flatMap(sequences);
    archs = archs.flatMap((arch) => options.map((option) => ({ family: 'stages' as const, stages: [...arch.stages, { blocks: option }] })));
  }
  return archs;
}

describe('stages counting', () => {
  it('count with several depths equals brute force', () => {
    const s = space({ kernelSizes: [3], expansionRatios: [1, 2], widthMultipliers: [1] });
    expect(countArchitectures(s)).toBe(BigInt(enumerate(s).length));
  });

  it('count is the product over stages of summed powers', () => {
    // 8 block choices: (8 + 64) * (8 + 512).
    expect(countArchitectures(space())).toBe(72n * 520n);
  });

  it('count stays exact beyond 2^53', () => {
    const s = space({ stages: [{ channels: 8, stride: 1, depths: [32] }] });
    expect(countArchitectures(s)).toBe(8n ** 32n);
  });
});

describe('stages cost', () => {
  it.each([
    [16, 0.5, 8],
    [24, 0.35, 8],
    [15, 0.5, 8],
    [3, 0.1, 1],
    [24, 0.75, 18],
  ])('blockChannels(%d, %d) is %d', (channels, width, expected) => {
    expect(blockChannels(channels, width)).toBe(expected);
  });

  it('matches a hand-computed model', () => {
    const s = space({ stages: [{ channels: 4, stride: 2, depths: [2] }], kernelSizes: [3], expansionRatios: [1, 2] });
    const arch: StagesArch = {
      family: 'stages',
      stages: [{ blocks: [{ kernel: 3, expansion: 2, width: 1 }, { kernel: 3, expansion: 1, width: 0.5 }] }],
    };
    const cost = architectureCost(s, arch, { inputShape: [4, 4, 1], numClasses: 2 });
    expect(cost.params).toBe(342);
    expect(cost.flops).toBe(1684);
  });

  it('minimum equals brute force', () => {
    const s = space({ kernelSizes: [3, 5], expansionRatios: [1, 3], widthMultipliers: [0.5, 1] });
    const input: InputSpec = { inputShape: [7, 7, 2], numClasses: 3 };
    const costs = enumerate(s).map((arch) => architectureCost(s, arch, input));
    expect(minimumCost(s, input)).toEqual({
      params: Math.min(...costs.map((cost) => cost.params)),
      flops: Math.min(...costs.map((cost) => cost.flops)),
    });
  });
});
