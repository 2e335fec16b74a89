// Family-independent entry points of the search-space layer: each function
// dispatches on `space.family` to the family's SpaceFamilyOps. The rest of
// the code imports spaces, architectures, hashes and costs from here.
import { ValidationError, describeValue } from '../errors';
import type { Random } from '../random';
import { cellOps, hashCell } from './cell';
import type { SpaceFamilyOps } from './ops';
import { hashSequential, sequentialOps } from './sequential';
import { hashStages, stagesOps } from './stages';
import type { Architecture, ArchitectureCost, InputSpec, SearchSpace } from './types';
import { expectOneOf, expectRecord } from './validate';

export { cellArchFromString, cellArchToString } from './cell-string';
export { cellEdgesToBuild } from './cell-cost';
export {
  CELL_PATH_ENCODING_LENGTH,
  PATH_OPS,
  architectureFromDecisions,
  architectureToDecisions,
  cellPathEncoding,
  oneHotEncoding,
  oneHotLength,
  spaceDecisions,
} from './encoding';
export type { SpaceDecision } from './encoding';
export { blockChannels } from './stages-cost';
export { MNIST_INPUT, PRESET_SPACES } from './presets';
export type { PresetSpace } from './presets';
export type * from './types';
export { CELL_OPS, CONNECTIVITIES, SEQUENTIAL_OPS } from './types';

const FAMILIES = ['sequential', 'cell', 'stages'] as const;

function familyOps(space: SearchSpace): SpaceFamilyOps<SearchSpace, Architecture> {
  const ops = { sequential: sequentialOps, cell: cellOps, stages: stagesOps }[space.family];
  if (ops === undefined) {
    throw new ValidationError('family', space.family, `family must be one of ${FAMILIES.join(', ')}, got ${describeValue(space.family)}`);
  }
  return ops as unknown as SpaceFamilyOps<SearchSpace, Architecture>;
}

/** Throws ValidationError unless `arch` belongs to the family of `space`. */
function checkFamily(space: SearchSpace, arch: Architecture): void {
  if (arch?.family !== space.family) {
    throw new ValidationError('family', arch?.family, `architecture family ${describeValue(arch?.family)} does not match the space's family "${space.family}"`);
  }
}

/**
 * Checks untrusted JSON and returns it as a SearchSpace (a clean copy).
 * Throws ValidationError whose `field` is the dotted path of the first
 * invalid field, e.g. `stages[1].channels`.
 */
export function validateSpace(value: unknown): SearchSpace {
  const record = expectRecord(value, 'space');
  const family = expectOneOf(record.family, 'family', FAMILIES);
  return familyOps({ family } as SearchSpace).validateSpace(value);
}

/** Checks that untrusted `arch` is a point of `space`; returns a clean copy or throws ValidationError naming the field. */
export function validateArchitecture(space: SearchSpace, arch: unknown): Architecture {
  return familyOps(space).validateArchitecture(space, arch);
}

/** Exact number of architectures (encodings) of the space. */
export function countArchitectures(space: SearchSpace): bigint {
  return familyOps(space).count(space);
}

/** Draws uniformly over the countArchitectures(space) encodings. */
export function sampleArchitecture(space: SearchSpace, random: Random): Architecture {
  return familyOps(space).sample(space, random);
}

/** Returns a neighbour of `arch` with a different hash, chosen uniformly; `arch` itself when the space has one architecture. */
export function mutateArchitecture(space: SearchSpace, arch: Architecture, random: Random): Architecture {
  checkFamily(space, arch);
  return familyOps(space).mutate(space, arch, random);
}

/** Returns a valid child taking each choice from a random parent; depths come from one parent. */
export function crossoverArchitectures(space: SearchSpace, a: Architecture, b: Architecture, random: Random): Architecture {
  checkFamily(space, a);
  checkFamily(space, b);
  return familyOps(space).crossover(space, a, b, random);
}

/** Lists every architecture one choice away from `arch`, distinct by hash and without `arch`'s own hash. */
export function neighbourArchitectures(space: SearchSpace, arch: Architecture): Architecture[] {
  checkFamily(space, arch);
  return familyOps(space).neighbours(space, arch);
}

/** Returns the canonical form, which is equal for architectures with equal hashes. */
export function canonicalArchitecture(space: SearchSpace, arch: Architecture): Architecture {
  checkFamily(space, arch);
  return familyOps(space).canonicalize(space, arch);
}

/**
 * Hashes the canonical form to 16 lowercase hex chars (64-bit FNV-1a), the
 * same on every machine and in every session. For cells it is the hash of
 * NAS-Bench-201's output-node expression.
 */
export function hashArchitecture(space: SearchSpace, arch: Architecture): string {
  checkFamily(space, arch);
  switch (arch.family) {
    case 'sequential':
      return hashSequential(space as typeof space & { family: 'sequential' }, arch);
    case 'cell':
      return hashCell(arch);
    case 'stages':
      return hashStages(arch);
  }
}

/**
 * Params, FLOPs (multiply-accumulates, batch 1) and activation bytes of the
 * model the engine builds for `arch` and `input`; equal for equal hashes.
 * Throws ValidationError for an invalid input or one too small for the
 * space's downsampling.
 */
export function architectureCost(space: SearchSpace, arch: Architecture, input: InputSpec): ArchitectureCost {
  checkFamily(space, arch);
  return familyOps(space).cost(space, arch, input);
}

/** Computes the exact smallest params and smallest FLOPs over the space for `input`, each minimised on its own. */
export function minimumCost(space: SearchSpace, input: InputSpec): { params: number; flops: number } {
  return familyOps(space).minimumCost(space, input);
}

/** Operation labels of `arch`, one per searched choice: `conv3x3`, `nor_conv_3x3`, `k5e6`. */
export function architectureOperations(arch: Architecture): string[] {
  return familyOps({ family: arch.family } as SearchSpace).operations(arch);
}

/** Summarises `arch` on one line, e.g. `conv3x3(16) > maxpool3x3 > identity`. */
export function describeArchitecture(arch: Architecture): string {
  return familyOps({ family: arch.family } as SearchSpace).describe(arch);
}
