// The model a stages architecture describes (MobileNetV2 inverted-residual
// blocks) and its analytic cost. The engine builds exactly the model
// specified on stagesCost, so the two must change together.
import { addCost, denseHeadCost, emptyCost, minimizeOverKeys, paretoByKey } from './cost-common';
import type { KeyedCost } from './cost-common';
import type { ArchitectureCost, InputSpec, StagesArch, StagesBlock, StagesSpace } from './types';
import { validateInput } from './validate';

/**
 * Output channels of a block: round(channels * width) with halves rounded
 * up (Math.round), at least 1. The product is first rounded to 6 decimals so
 * that binary noise (24 * 0.35 = 8.399999...) cannot flip a result.
 */
export function blockChannels(channels: number, width: number): number {
  const product = Math.round(channels * width * 1e6) / 1e6;
  return Math.max(1, Math.round(product));
}

/**
 * Cost of the model below for `input` (batch 1). Params include BatchNorm's
 * 4 weights per channel; FLOPs are multiply-accumulates (conv k x k:
 * H_out*W_out*k*k*C_in*C_out, depthwise: H_out*W_out*k*k*C, dense: in*out;
 * BatchNorm, ReLU6 and additions count 0).
 *
 * The model, every convolution without bias and with padding 'same':
 * - stem: Conv2D 3x3 (stemChannels, stride 1) + BatchNorm + ReLU6.
 * - block i of stage s, reading `in` channels: out = blockChannels(
 *   stage.channels, block.width); stride = stage.stride for i = 0, else 1.
 *   Expand Conv2D 1x1 (in * expansion) + BatchNorm + ReLU6, left out when
 *   expansion is 1; DepthwiseConv2D (kernel, stride, depth multiplier 1) +
 *   BatchNorm + ReLU6; project Conv2D 1x1 (out) + BatchNorm, no activation;
 *   Add(input, output) when stride is 1 and in == out. A stride-2 block's
 *   output size is ceil(H / 2).
 * - head: GlobalAveragePooling2D, Dense(numClasses, softmax) with bias.
 * activationBytes = 4 bytes times the elements of the outputs of: the stem,
 * each block's expand, depthwise and project stages and residual add, GAP
 * and the dense layer.
 */
export function stagesCost(space: StagesSpace, arch: StagesArch, input: InputSpec): ArchitectureCost {
  validateInput(input);
  const [height, width] = input.inputShape;
  const cost = stemCost(space.stemChannels, input);
  let shape = { height, width, channels: space.stemChannels };
  arch.stages.forEach((stage, s) => {
    stage.blocks.forEach((block, i) => {
      const stride = i === 0 ? space.stages[s].stride : 1;
      const out = blockChannels(space.stages[s].channels, block.width);
      const result = blockCost(block, shape, out, stride);
      addCost(cost, result.cost);
      shape = result.shape;
    });
  });
  addCost(cost, denseHeadCost(shape.channels, input.numClasses));
  return cost;
}

/**
 * Computes the smallest params and the smallest FLOPs of any architecture of
 * the space, each minimised on its own, by dynamic programming over the channel
 * count between blocks (a block's cost grows with its input channels).
 */
export function minimumStagesCost(space: StagesSpace, input: InputSpec): { params: number; flops: number } {
  validateInput(input);
  const [height, width] = input.inputShape;
  const stem = stemCost(space.stemChannels, input);
  const minimize = (objective: 'params' | 'flops'): number => {
    let states: KeyedCost[] = [{ key: space.stemChannels, cost: stem[objective] }];
    let size = { height, width };
    for (const spec of space.stages) {
      const stageSize = size;
      const reduced = { height: Math.ceil(size.height / spec.stride), width: Math.ceil(size.width / spec.stride) };
      const step = (key: number, index: number): KeyedCost[] => {
        const stride = index === 0 ? spec.stride : 1;
        const at = { ...(index === 0 ? stageSize : reduced), channels: key };
        return blockChoices(space).map((block) => {
          const out = blockChannels(spec.channels, block.width);
          return { key: out, cost: blockCost(block, at, out, stride).cost[objective] };
        });
      };
      states = paretoByKey(spec.depths.flatMap((depth) => minimizeOverKeys(states, depth, step)));
      size = reduced;
    }
    return Math.min(...states.map((state) => state.cost + denseHeadCost(state.key, input.numClasses)[objective]));
  };
  return { params: minimize('params'), flops: minimize('flops') };
}

/** Lists every (kernel, expansion, width) choice of one block. */
export function blockChoices(space: StagesSpace): StagesBlock[] {
  return space.kernelSizes.flatMap((kernel) =>
    space.expansionRatios.flatMap((expansion) => space.widthMultipliers.map((width) => ({ kernel, expansion, width }))),
  );
}

function stemCost(channels: number, input: InputSpec): ArchitectureCost {
  const [height, width, inputChannels] = input.inputShape;
  return {
    params: 9 * inputChannels * channels + 4 * channels,
    flops: height * width * 9 * inputChannels * channels,
    activationBytes: 4 * height * width * channels,
  };
}

interface Shape {
  height: number;
  width: number;
  channels: number;
}

function blockCost(block: StagesBlock, input: Shape, out: number, stride: number): { cost: ArchitectureCost; shape: Shape } {
  const cost = emptyCost();
  const inChannels = input.channels;
  const hidden = inChannels * block.expansion;
  const inArea = input.height * input.width;
  if (block.expansion !== 1) {
    cost.params += inChannels * hidden + 4 * hidden;
    cost.flops += inArea * inChannels * hidden;
    cost.activationBytes += 4 * inArea * hidden;
  }
  const shape = { height: Math.ceil(input.height / stride), width: Math.ceil(input.width / stride), channels: out };
  const area = shape.height * shape.width;
  const taps = block.kernel * block.kernel;
  cost.params += taps * hidden + 4 * hidden + hidden * out + 4 * out;
  cost.flops += area * (taps * hidden + hidden * out);
  cost.activationBytes += 4 * area * (hidden + out);
  if (stride === 1 && inChannels === out) cost.activationBytes += 4 * area * out;
  return { cost, shape };
}
