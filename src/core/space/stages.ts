// The stages family: MobileNetV2-style stages of inverted-residual blocks,
// each block choosing its depthwise kernel, expansion ratio and width
// multiplier (model and cost in stages-cost.ts). This module owns
// validation, counting, sampling and the moves; the canonical form is the
// architecture itself.
import { ValidationError, describeValue } from '../errors';
import type { Random } from '../random';
import { canonicalJson, fnv1a64 } from './hash';
import { distinctByHash, either, mixLists, pickNeighbour, weightedIndex } from './moves';
import type { SpaceFamilyOps } from './ops';
import { blockChannels, blockChoices, minimumStagesCost, stagesCost } from './stages-cost';
import type { StageSpec, StagesArch, StagesBlock, StagesSpace } from './types';
import { MAX_CHANNELS, MAX_DEPTH, expectFamily, expectInteger, expectList, expectName, expectRecord } from './validate';

/** Limits of a stages space: stage count, depthwise kernel size, expansion ratio and width multiplier. */
const MAX_STAGES = 16;
const MAX_KERNEL = 11;
const MAX_EXPANSION = 8;
const MAX_WIDTH_MULTIPLIER = 4;

function expectKernel(value: unknown, field: string): number {
  const kernel = expectInteger(value, field, 1, MAX_KERNEL, 'a kernel size');
  if (kernel % 2 === 0) {
    throw new ValidationError(field, value, `${field} must be an odd kernel size so 'same' padding is symmetric, got ${kernel}: use ${kernel - 1} or ${kernel + 1}`);
  }
  return kernel;
}

function expectWidthMultiplier(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_WIDTH_MULTIPLIER) {
    throw new ValidationError(field, value, `${field} must be a number above 0 and at most ${MAX_WIDTH_MULTIPLIER}, got ${describeValue(value)}: use e.g. 0.5, 0.75 or 1`);
  }
  return value;
}

function validateStage(value: unknown, path: string, widths: number[]): StageSpec {
  const record = expectRecord(value, path);
  const channels = expectInteger(record.channels, `${path}.channels`, 1, MAX_CHANNELS, 'a channel count');
  const widest = blockChannels(channels, Math.max(...widths));
  if (widest > MAX_CHANNELS) {
    throw new ValidationError(
      `${path}.channels`,
      channels,
      `${path}.channels times the largest width multiplier gives ${widest} channels, above the limit of ${MAX_CHANNELS}: lower the channels or the multiplier`,
    );
  }
  const stride = record.stride;
  if (stride !== 1 && stride !== 2) {
    throw new ValidationError(`${path}.stride`, stride, `${path}.stride must be 1 or 2, got ${describeValue(stride)}`);
  }
  const depths = expectList(record.depths, `${path}.depths`, (item, field) => expectInteger(item, field, 1, MAX_DEPTH, 'a block count'));
  return { channels, stride, depths };
}

function validateSpace(value: unknown): StagesSpace {
  const record = expectRecord(value, 'space');
  expectFamily(record, 'stages', '');
  const name = expectName(record.name, 'name');
  const stemChannels = expectInteger(record.stemChannels, 'stemChannels', 1, MAX_CHANNELS, 'a channel count');
  const kernelSizes = expectList(record.kernelSizes, 'kernelSizes', expectKernel);
  const expansionRatios = expectList(record.expansionRatios, 'expansionRatios', (item, field) =>
    expectInteger(item, field, 1, MAX_EXPANSION, 'an expansion ratio'),
  );
  const widthMultipliers = expectList(record.widthMultipliers, 'widthMultipliers', expectWidthMultiplier);
  const stages = expectList(record.stages, 'stages', (item, field) => validateStage(item, field, widthMultipliers));
  if (stages.length > MAX_STAGES) {
    throw new ValidationError('stages', stages.length, `stages must have at most ${MAX_STAGES} entries, got ${stages.length}: merge stages`);
  }
  return { family: 'stages', name, stemChannels, stages, kernelSizes, expansionRatios, widthMultipliers };
}

function validateBlock(space: StagesSpace, value: unknown, path: string): StagesBlock {
  const record = expectRecord(value, path);
  const check = (key: keyof StagesBlock, allowed: number[]): number => {
    const item = record[key];
    if (typeof item !== 'number' || !allowed.includes(item)) {
      throw new ValidationError(`${path}.${key}`, item, `${path}.${key} must be one of ${allowed.join(', ')}, got ${describeValue(item)}`);
    }
    return item;
  };
  return {
    kernel: check('kernel', space.kernelSizes),
    expansion: check('expansion', space.expansionRatios),
    width: check('width', space.widthMultipliers),
  };
}

function validateArchitecture(space: StagesSpace, value: unknown): StagesArch {
  const record = expectRecord(value, 'arch');
  expectFamily(record, 'stages', '');
  const stages = record.stages;
  if (!Array.isArray(stages) || stages.length !== space.stages.length) {
    throw new ValidationError('stages', stages, `stages must be an array of ${space.stages.length} stages like the space's, got ${describeValue(stages)}`);
  }
  return {
    family: 'stages',
    stages: stages.map((stage, s) => {
      const path = `stages[${s}]`;
      const blocks = expectRecord(stage, path).blocks;
      const depths = space.stages[s].depths;
      if (!Array.isArray(blocks) || !depths.includes(blocks.length)) {
        throw new ValidationError(
          `${path}.blocks`,
          blocks,
          `${path}.blocks must be an array of ${depths.join(' or ')} blocks (the stage's depths), got ${describeValue(blocks)}`,
        );
      }
      return { blocks: blocks.map((block, b) => validateBlock(space, block, `${path}.blocks[${b}]`)) };
    }),
  };
}

function depthCounts(space: StagesSpace, spec: StageSpec): bigint[] {
  const perBlock = BigInt(blockChoices(space).length);
  return spec.depths.map((depth) => perBlock ** BigInt(depth));
}

function sample(space: StagesSpace, random: Random): StagesArch {
  const choices = blockChoices(space);
  return {
    family: 'stages',
    stages: space.stages.map((spec) => {
      const depth = spec.depths[weightedIndex(depthCounts(space, spec), random)];
      return { blocks: Array.from({ length: depth }, () => ({ ...random.choice(choices) })) };
    }),
  };
}

/** Hashes the architecture's sorted-key JSON with FNV-1a 64, because the canonical form is the architecture itself. */
export function hashStages(arch: StagesArch): string {
  return fnv1a64(canonicalJson(arch));
}

function withBlocks(arch: StagesArch, stage: number, blocks: StagesBlock[]): StagesArch {
  return { family: 'stages', stages: arch.stages.map((item, s) => ({ blocks: s === stage ? blocks : item.blocks.map((b) => ({ ...b })) })) };
}

/**
 * Lists the one-choice changes: the kernel, expansion or width of one block, and per
 * stage a move to the next smaller allowed depth (dropping trailing blocks)
 * or the next larger one (appending copies of one block choice).
 */
function neighbours(space: StagesSpace, arch: StagesArch): StagesArch[] {
  const candidates: StagesArch[] = [];
  const options: [keyof StagesBlock, number[]][] = [
    ['kernel', space.kernelSizes],
    ['expansion', space.expansionRatios],
    ['width', space.widthMultipliers],
  ];
  arch.stages.forEach((stage, s) => {
    stage.blocks.forEach((block, b) => {
      for (const [key, values] of options) {
        for (const value of values) {
          if (value === block[key]) continue;
          const blocks = stage.blocks.slice();
          blocks[b] = { ...block, [key]: value };
          candidates.push(withBlocks(arch, s, blocks));
        }
      }
    });
    const depth = stage.blocks.length;
    const depths = space.stages[s].depths;
    const smaller = Math.max(0, ...depths.filter((d) => d < depth));
    if (smaller > 0) candidates.push(withBlocks(arch, s, stage.blocks.slice(0, smaller)));
    const larger = Math.min(Infinity, ...depths.filter((d) => d > depth));
    if (Number.isFinite(larger)) {
      for (const choice of blockChoices(space)) {
        const added = Array.from({ length: larger - depth }, () => ({ ...choice }));
        candidates.push(withBlocks(arch, s, [...stage.blocks, ...added]));
      }
    }
  });
  return distinctByHash(candidates, hashStages(arch), hashStages);
}

function crossover(_space: StagesSpace, a: StagesArch, b: StagesArch, random: Random): StagesArch {
  return {
    family: 'stages',
    stages: a.stages.map((stage, s) => ({
      blocks: mixLists(stage.blocks, b.stages[s].blocks, random, (x, y) => ({
        kernel: either(x.kernel, y.kernel, random),
        expansion: either(x.expansion, y.expansion, random),
        width: either(x.width, y.width, random),
      })).map((block) => ({ ...block })),
    })),
  };
}

/** The stages family's implementation of the space contract. */
export const stagesOps: SpaceFamilyOps<StagesSpace, StagesArch> = {
  validateSpace,
  validateArchitecture,
  count: (space) =>
    space.stages.reduce((product, spec) => product * depthCounts(space, spec).reduce((sum, count) => sum + count, 0n), 1n),
  sample,
  mutate: (space, arch, random) => pickNeighbour(neighbours(space, arch), arch, random),
  crossover,
  neighbours,
  // NOTE: two width multipliers that round to the same channel count for a
  // stage (0.5 and 0.55 of 8 both give 4) build the same model but keep
  // different canonical forms and hashes.
  canonicalize: (_space, arch) => ({ family: 'stages', stages: arch.stages.map((stage) => ({ blocks: stage.blocks.map((b) => ({ ...b })) })) }),
  cost: stagesCost,
  minimumCost: minimumStagesCost,
  operations: (arch) => arch.stages.flatMap((stage) => stage.blocks.map((block) => `k${block.kernel}e${block.expansion}`)),
  describe: (arch) =>
    arch.stages
      .map((stage, s) => `s${s + 1}: ${stage.blocks.map((block) => `k${block.kernel}e${block.expansion}w${block.width}`).join(' ')}`)
      .join(' | '),
};
