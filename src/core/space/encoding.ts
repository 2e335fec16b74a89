// Fixed-length encodings of architectures for model-based strategies: the
// categorical decisions of a space (with their round trip), the one-hot
// vector of those decisions and the BANANAS path encoding of cells.
import { ValidationError, describeValue } from '../errors';
import { cellOps } from './cell';
import { CELL_EDGES } from './cell-string';
import { isConvOp } from './sequential-cost';
import { sequentialOps, skipChoices } from './sequential';
import { stagesOps } from './stages';
import { CELL_OPS } from './types';
import type {
  Architecture,
  CellArch,
  CellOp,
  CellSpace,
  SearchSpace,
  SequentialArch,
  SequentialLayer,
  SequentialSpace,
  StagesArch,
  StagesSpace,
} from './types';

/** One categorical choice of a space: a dotted field name and its option labels. */
export interface SpaceDecision {
  name: string;
  options: string[];
}

/** Lists the (op, width) choices of one sequential layer in space order: conv ops times widths, then the others. */
function layerChoices(space: SequentialSpace): Pick<SequentialLayer, 'op' | 'width'>[] {
  return space.ops.flatMap((op): Pick<SequentialLayer, 'op' | 'width'>[] =>
    isConvOp(op) ? space.widths.map((width) => ({ op, width })) : [{ op, width: null }],
  );
}

function layerLabel(choice: Pick<SequentialLayer, 'op' | 'width'>): string {
  return choice.width === null ? choice.op : `${choice.op}(${choice.width})`;
}

function skipLabel(source: number | null): string {
  if (source === null) return 'none';
  return source === -1 ? 'stem' : `layer ${source}`;
}

function sequentialDecisions(space: SequentialSpace): SpaceDecision[] {
  const decisions: SpaceDecision[] = [];
  if (space.depths.length > 1) decisions.push({ name: 'depth', options: space.depths.map(String) });
  const layerOptions = layerChoices(space).map(layerLabel);
  const deepest = Math.max(...space.depths);
  for (let i = 0; i < deepest; i++) {
    decisions.push({ name: `layers[${i}]`, options: layerOptions });
    const sources = skipChoices(space, i);
    if (sources.length > 1) decisions.push({ name: `layers[${i}].skipFrom`, options: sources.map(skipLabel) });
  }
  return decisions;
}

function stagesDecisions(space: StagesSpace): SpaceDecision[] {
  const decisions: SpaceDecision[] = [];
  space.stages.forEach((spec, s) => {
    if (spec.depths.length > 1) decisions.push({ name: `stages[${s}].depth`, options: spec.depths.map(String) });
    const deepest = Math.max(...spec.depths);
    for (let b = 0; b < deepest; b++) {
      const path = `stages[${s}].blocks[${b}]`;
      decisions.push({ name: `${path}.kernel`, options: space.kernelSizes.map(String) });
      decisions.push({ name: `${path}.expansion`, options: space.expansionRatios.map(String) });
      decisions.push({ name: `${path}.width`, options: space.widthMultipliers.map(String) });
    }
  });
  return decisions;
}

function cellDecisions(space: CellSpace): SpaceDecision[] {
  return CELL_EDGES.map((edge, index) => ({ name: `edges[${index}] (${edge.to}<-${edge.from})`, options: [...space.ops] }));
}

/**
 * Lists the categorical decisions of a space in a fixed order. Sequential:
 * a depth decision when the space allows several depths, then per layer of
 * the deepest layout its (op, width) choice and, with skip connectivity from
 * layer 1 on, its skip source. Cell: the six edges' ops in NAS-Bench-201
 * order. Stages: per stage a depth decision when several depths are allowed,
 * then per block of the deepest layout its kernel, expansion and width.
 */
export function spaceDecisions(space: SearchSpace): SpaceDecision[] {
  switch (space.family) {
    case 'sequential':
      return sequentialDecisions(space);
    case 'cell':
      return cellDecisions(space);
    case 'stages':
      return stagesDecisions(space);
  }
}

/**
 * Returns the option index of each decision of spaceDecisions(space) for
 * `arch`. Decisions of layers or blocks beyond the chosen depth get 0. Throws
 * ValidationError when `arch` is not a point of `space`.
 */
export function architectureToDecisions(space: SearchSpace, arch: Architecture): number[] {
  switch (space.family) {
    case 'sequential':
      return sequentialToDecisions(space, sequentialOps.validateArchitecture(space, arch));
    case 'cell':
      return cellOps.validateArchitecture(space, arch).edges.map((op) => space.ops.indexOf(op));
    case 'stages':
      return stagesToDecisions(space, stagesOps.validateArchitecture(space, arch));
  }
}

function sequentialToDecisions(space: SequentialSpace, arch: SequentialArch): number[] {
  const choices = layerChoices(space);
  const result: number[] = [];
  if (space.depths.length > 1) result.push(space.depths.indexOf(arch.layers.length));
  const deepest = Math.max(...space.depths);
  for (let i = 0; i < deepest; i++) {
    const layer: SequentialLayer | undefined = arch.layers[i];
    result.push(layer === undefined ? 0 : choices.findIndex((c) => c.op === layer.op && c.width === layer.width));
    const sources = skipChoices(space, i);
    if (sources.length > 1) result.push(layer === undefined ? 0 : sources.indexOf(layer.skipFrom));
  }
  return result;
}

function stagesToDecisions(space: StagesSpace, arch: StagesArch): number[] {
  const result: number[] = [];
  space.stages.forEach((spec, s) => {
    const blocks = arch.stages[s].blocks;
    if (spec.depths.length > 1) result.push(spec.depths.indexOf(blocks.length));
    const deepest = Math.max(...spec.depths);
    for (let b = 0; b < deepest; b++) {
      const block = blocks[b];
      result.push(block === undefined ? 0 : space.kernelSizes.indexOf(block.kernel));
      result.push(block === undefined ? 0 : space.expansionRatios.indexOf(block.expansion));
      result.push(block === undefined ? 0 : space.widthMultipliers.indexOf(block.width));
    }
  });
  return result;
}

/** Reads decision values one at a time, checking each index against its decision's option count. */
class DecisionReader {
  private position = 0;

  constructor(
    private readonly decisions: SpaceDecision[],
    private readonly choices: readonly number[],
  ) {
    if (!Array.isArray(choices) || choices.length !== decisions.length) {
      throw new ValidationError(
        'choices',
        choices,
        `choices must hold one option index per decision of the space (${decisions.length}), got ${describeValue(choices)}: build them with architectureToDecisions`,
      );
    }
  }

  next(): number {
    const decision = this.decisions[this.position];
    const value = this.choices[this.position];
    if (!Number.isInteger(value) || value < 0 || value >= decision.options.length) {
      throw new ValidationError(
        `choices[${this.position}]`,
        value,
        `choices[${this.position}] (${decision.name}) must be an integer from 0 to ${decision.options.length - 1}, got ${describeValue(value)}`,
      );
    }
    this.position += 1;
    return value;
  }
}

/**
 * Builds the architecture whose decisions are `choices` (option indices in
 * spaceDecisions order). Choices of layers or blocks beyond the chosen depth
 * are checked but ignored. Throws ValidationError naming the first index out
 * of range or a length that does not match the space.
 */
export function architectureFromDecisions(space: SearchSpace, choices: readonly number[]): Architecture {
  const reader = new DecisionReader(spaceDecisions(space), choices);
  switch (space.family) {
    case 'sequential':
      return sequentialFromDecisions(space, reader);
    case 'cell':
      return { family: 'cell', edges: CELL_EDGES.map(() => space.ops[reader.next()]) as CellArch['edges'] };
    case 'stages':
      return stagesFromDecisions(space, reader);
  }
}

function sequentialFromDecisions(space: SequentialSpace, reader: DecisionReader): SequentialArch {
  const choices = layerChoices(space);
  const depth = space.depths.length > 1 ? space.depths[reader.next()] : space.depths[0];
  const deepest = Math.max(...space.depths);
  const layers: SequentialLayer[] = [];
  for (let i = 0; i < deepest; i++) {
    const choice = choices[reader.next()];
    const sources = skipChoices(space, i);
    const skipFrom = sources.length > 1 ? sources[reader.next()] : null;
    if (i < depth) layers.push({ op: choice.op, width: choice.width, skipFrom });
  }
  return { family: 'sequential', layers };
}

function stagesFromDecisions(space: StagesSpace, reader: DecisionReader): StagesArch {
  return {
    family: 'stages',
    stages: space.stages.map((spec) => {
      const depth = spec.depths.length > 1 ? spec.depths[reader.next()] : spec.depths[0];
      const deepest = Math.max(...spec.depths);
      const blocks = [];
      for (let b = 0; b < deepest; b++) {
        const kernel = space.kernelSizes[reader.next()];
        const expansion = space.expansionRatios[reader.next()];
        const width = space.widthMultipliers[reader.next()];
        if (b < depth) blocks.push({ kernel, expansion, width });
      }
      return { blocks };
    }),
  };
}

/** Length of oneHotEncoding for `space`: the sum of the decisions' option counts. */
export function oneHotLength(space: SearchSpace): number {
  return spaceDecisions(space).reduce((sum, decision) => sum + decision.options.length, 0);
}

/**
 * Encodes `arch` as the concatenated one-hot vectors of its decisions
 * (spaceDecisions order), of length oneHotLength(space). Decisions of layers
 * or blocks beyond the chosen depth are all zeros, so unused positions do not
 * look like a choice. Throws ValidationError when `arch` is not in `space`.
 */
export function oneHotEncoding(space: SearchSpace, arch: Architecture): number[] {
  const decisions = spaceDecisions(space);
  const values = architectureToDecisions(space, arch);
  const used = usedDecisions(space, arch);
  const vector: number[] = [];
  decisions.forEach((decision, index) => {
    for (let option = 0; option < decision.options.length; option++) {
      vector.push(used[index] && option === values[index] ? 1 : 0);
    }
  });
  return vector;
}

/** Marks per decision whether it affects `arch`: false for layers or blocks beyond the chosen depth. */
function usedDecisions(space: SearchSpace, arch: Architecture): boolean[] {
  if (space.family === 'cell') return CELL_EDGES.map(() => true);
  if (space.family === 'sequential') {
    const depth = (arch as SequentialArch).layers.length;
    const used: boolean[] = [];
    if (space.depths.length > 1) used.push(true);
    for (let i = 0; i < Math.max(...space.depths); i++) {
      used.push(i < depth);
      if (skipChoices(space, i).length > 1) used.push(i < depth);
    }
    return used;
  }
  const used: boolean[] = [];
  space.stages.forEach((spec, s) => {
    const depth = (arch as StagesArch).stages[s].blocks.length;
    if (spec.depths.length > 1) used.push(true);
    for (let b = 0; b < Math.max(...spec.depths); b++) used.push(b < depth, b < depth, b < depth);
  });
  return used;
}

/** Ops that can sit on a path of the path encoding: every cell op except none. */
export const PATH_OPS: readonly CellOp[] = CELL_OPS.filter((op) => op !== 'none');

/**
 * Input-to-output paths of the NAS-Bench-201 cell as lists of edge indices
 * into CELL_EDGES, shortest first: nodes 0->3, 0->1->3, 0->2->3, 0->1->2->3.
 */
const CELL_PATHS: readonly number[][] = [[3], [0, 4], [1, 5], [0, 2, 5]];

/** Length of cellPathEncoding: one bit per path and op sequence over PATH_OPS (4 + 16 + 16 + 64 = 100 for the four ops). */
export const CELL_PATH_ENCODING_LENGTH = PATH_OPS.length + 2 * PATH_OPS.length ** 2 + PATH_OPS.length ** 3;

/**
 * Encodes a cell with the path encoding of White, Neiswanger and Savani
 * (2021, "BANANAS: Bayesian Optimization with Neural Architectures for
 * Neural Architecture Search"): one bit per possible input-to-output path
 * labelled with its op sequence, set when the cell contains that path. An
 * edge with op none breaks every path through it. The two 2-edge paths
 * (through node 1 and through node 2) get separate bits. Length
 * CELL_PATH_ENCODING_LENGTH, independent of the space's op list.
 */
export function cellPathEncoding(arch: CellArch): number[] {
  const vector = new Array<number>(CELL_PATH_ENCODING_LENGTH).fill(0);
  const base = PATH_OPS.length;
  // Each path of CELL_PATHS owns a block of base^length bits, in CELL_PATHS order.
  const offsets = [0, base, base + base ** 2, base + 2 * base ** 2];
  CELL_PATHS.forEach((path, pathIndex) => {
    let index = 0;
    for (const edge of path) {
      const opIndex = PATH_OPS.indexOf(arch.edges[edge]);
      if (opIndex < 0) return; // none or unknown op: the path is broken
      index = index * base + opIndex;
    }
    vector[offsets[pathIndex] + index] = 1;
  });
  return vector;
}
