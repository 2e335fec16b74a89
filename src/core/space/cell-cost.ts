// The model a cell architecture describes (the NAS-Bench-201 skeleton) and
// its analytic cost. The engine builds exactly the model specified on
// cellCost, so the two must change together.
import { addCost, denseHeadCost, emptyCost } from './cost-common';
import { liveCellEdges } from './cell-string';
import type { ArchitectureCost, CellArch, CellOp, CellSpace, InputSpec } from './types';
import { validateInput } from './validate';

const CONV_KERNEL: Partial<Record<CellOp, number>> = { nor_conv_1x1: 1, nor_conv_3x3: 3 };

/** A stage's feature-map size and channel count. */
interface StageShape {
  area: number;
  channels: number;
}

/**
 * The edges the model builds: the cell's edges with every edge that
 * liveCellEdges marks dead set to none. Build the cell from these edges of
 * the canonical form, and the built model's size matches cellCost.
 */
export function cellEdgesToBuild(arch: CellArch): CellArch['edges'] {
  const live = liveCellEdges(arch.edges);
  return arch.edges.map((op, index) => (live[index] ? op : 'none')) as CellArch['edges'];
}

/**
 * Computes the cost of the model below for `input` (batch 1) on the canonical
 * form the caller passes in. Params include BatchNorm's 4 weights per
 * channel; FLOPs are multiply-accumulates (conv k x k: H_out*W_out*k*k*C_in*C_out,
 * dense: in*out; pools, BatchNorm, ReLU and additions count 0).
 *
 * The model (C = stemChannels, N = cellsPerStage, convolutions without bias):
 * - stem: Conv2D 3x3 (C, stride 1, 'same') + BatchNorm.
 * - stage 1: N cells at C; reduction block to 2C; stage 2: N cells at 2C;
 *   reduction block to 4C; stage 3: N cells at 4C.
 * - cell: node 0 is the cell's input, node j the sum of its live incoming
 *   edges (cellEdgesToBuild), the output is node 3. Edge ops: skip_connect =
 *   identity; nor_conv_KxK = ReLU + Conv2D(C, K, stride 1, 'same') +
 *   BatchNorm; avg_pool_3x3 = AveragePooling2D 3x3, stride 1, 'same'. A node
 *   without live inputs is zero; when that is node 3 the cell outputs
 *   tf.layers.rescaling({scale: 0}) of its input (0 params).
 * - reduction block (NAS-Bench-201's ResNet basic block, stride 2):
 *   ReLU + Conv2D 3x3 (2C, stride 2, 'same') + BatchNorm, then ReLU +
 *   Conv2D 3x3 (2C, stride 1, 'same') + BatchNorm; shortcut
 *   AveragePooling2D 2x2 (stride 2, padding 'same') + Conv2D 1x1 (2C, no
 *   BatchNorm); the two are added. Both paths output ceil(H / 2), which is
 *   H / 2 as in NAS-Bench-201 when H is even.
 * - head: BatchNorm + ReLU, GlobalAveragePooling2D, Dense(numClasses,
 *   softmax) with bias.
 * activationBytes = 4 bytes times the elements of the outputs of: the stem,
 * every live conv or pool edge, every cell, each reduction block's two
 * convs, shortcut pool, shortcut conv and sum, the final BatchNorm and
 * ReLU, GAP and the dense layer.
 */
export function cellCost(space: CellSpace, arch: CellArch, input: InputSpec): ArchitectureCost {
  validateInput(input);
  const edges = cellEdgesToBuild(arch);
  const cost = fixedCellSkeletonCost(space, input);
  for (const stage of stageShapes(space, input)) {
    const cell = cellCostAt(edges, stage);
    cost.params += space.cellsPerStage * cell.params;
    cost.flops += space.cellsPerStage * cell.flops;
    cost.activationBytes += space.cellsPerStage * cell.activationBytes;
  }
  return cost;
}

/**
 * The smallest params and the smallest FLOPs of any cell architecture. The
 * skeleton is fixed and every live edge costs at least 0, so a cell costs 0
 * when the ops include one without weights (none, skip_connect,
 * avg_pool_3x3: put it on every edge), and otherwise all six edges are live
 * convs and the cheapest conv op on each is the minimum.
 */
export function minimumCellCost(space: CellSpace, input: InputSpec): { params: number; flops: number } {
  validateInput(input);
  const fixed = fixedCellSkeletonCost(space, input);
  const convOnly = space.ops.every((op) => CONV_KERNEL[op] !== undefined);
  let params = fixed.params;
  let flops = fixed.flops;
  if (convOnly) {
    for (const stage of stageShapes(space, input)) {
      const perOp = space.ops.map((op) => cellCostAt([op, op, op, op, op, op], stage));
      params += space.cellsPerStage * Math.min(...perOp.map((cell) => cell.params));
      flops += space.cellsPerStage * Math.min(...perOp.map((cell) => cell.flops));
    }
  }
  return { params, flops };
}

/** Size and channels of stages 1-3: C at H x W, 2C at ceil(H / 2), 4C at ceil(H / 4). */
function stageShapes(space: CellSpace, input: InputSpec): StageShape[] {
  let [height, width] = input.inputShape;
  const shapes: StageShape[] = [];
  for (let stage = 0; stage < 3; stage++) {
    shapes.push({ area: height * width, channels: space.stemChannels * 2 ** stage });
    height = Math.ceil(height / 2);
    width = Math.ceil(width / 2);
  }
  return shapes;
}

/** One cell's cost; `edges` must already be the edges to build. */
function cellCostAt(edges: readonly CellOp[], stage: StageShape): ArchitectureCost {
  const { area, channels } = stage;
  const cost = emptyCost();
  for (const op of edges) {
    const kernel = CONV_KERNEL[op];
    if (kernel !== undefined) {
      cost.params += kernel * kernel * channels * channels + 4 * channels;
      cost.flops += area * kernel * kernel * channels * channels;
    }
    if (kernel !== undefined || op === 'avg_pool_3x3') cost.activationBytes += 4 * area * channels;
  }
  cost.activationBytes += 4 * area * channels;
  return cost;
}

/** Everything except the cells: stem, the two reduction blocks and the head. */
function fixedCellSkeletonCost(space: CellSpace, input: InputSpec): ArchitectureCost {
  const inputChannels = input.inputShape[2];
  const stages = stageShapes(space, input);
  const stem = stages[0];
  const cost = emptyCost();
  addCost(cost, {
    params: 9 * inputChannels * stem.channels + 4 * stem.channels,
    flops: stem.area * 9 * inputChannels * stem.channels,
    activationBytes: 4 * stem.area * stem.channels,
  });
  for (let stage = 1; stage < 3; stage++) {
    const inChannels = stages[stage - 1].channels;
    const { area, channels } = stages[stage];
    addCost(cost, {
      params: 9 * inChannels * channels + 4 * channels + 9 * channels * channels + 4 * channels + inChannels * channels,
      flops: area * (9 * inChannels * channels + 9 * channels * channels + inChannels * channels),
      activationBytes: 4 * area * (4 * channels + inChannels),
    });
  }
  const last = stages[2];
  addCost(cost, { params: 4 * last.channels, flops: 0, activationBytes: 4 * 2 * last.area * last.channels });
  addCost(cost, denseHeadCost(last.channels, input.numClasses));
  return cost;
}
