// Builds the stages family: a MobileNetV2-style network of inverted residual
// blocks grouped in stages, after a fixed stem and before the common head.
import type { StagesArch, StagesBlock, StagesSpace } from '../../core/space/types';
import { GraphBuilder, channels, type Node } from './layers';

/**
 * Adds the network for `arch` after `input` and returns the softmax output.
 * This is the model specified on stagesCost in src/core/space: the first
 * block of a stage uses the stage's stride, the others stride 1, and
 * `blockChannels` is the space's rounding rule for a block's output channels.
 */
export function buildStagesNetwork(
  builder: GraphBuilder,
  space: StagesSpace,
  arch: StagesArch,
  input: Node,
  numClasses: number,
  blockChannels: (stageChannels: number, widthMultiplier: number) => number,
): Node {
  let x = builder.conv(input, 'stem_conv', { filters: space.stemChannels, kernel: 3 });
  x = builder.batchNorm(x, 'stem_bn');
  x = builder.relu6(x, 'stem_relu6');

  arch.stages.forEach((stage, s) => {
    const spec = space.stages[s];
    stage.blocks.forEach((block, b) => {
      const stride = b === 0 ? spec.stride : 1;
      const outChannels = blockChannels(spec.channels, block.width);
      x = addInvertedResidual(builder, x, block, stride, outChannels, `s${s}_b${b}`);
    });
  });

  return builder.head(x, numClasses);
}

/**
 * Expand 1x1 + BN + ReLU6 (left out for expansion 1), depthwise k x k +
 * BN + ReLU6, project 1x1 + BN, and a residual Add when the stride is 1 and
 * the channel count is kept.
 */
function addInvertedResidual(
  builder: GraphBuilder,
  input: Node,
  block: StagesBlock,
  stride: number,
  outChannels: number,
  prefix: string,
): Node {
  const inChannels = channels(input);
  let x = input;
  if (block.expansion !== 1) {
    x = builder.conv(x, `${prefix}_expand`, { filters: inChannels * block.expansion, kernel: 1 });
    x = builder.batchNorm(x, `${prefix}_expand_bn`);
    x = builder.relu6(x, `${prefix}_expand_relu6`);
  }

  x = builder.depthwise(x, `${prefix}_dw`, block.kernel, stride);
  x = builder.batchNorm(x, `${prefix}_dw_bn`);
  x = builder.relu6(x, `${prefix}_dw_relu6`);

  x = builder.conv(x, `${prefix}_project`, { filters: outChannels, kernel: 1 });
  x = builder.batchNorm(x, `${prefix}_project_bn`);

  if (stride === 1 && inChannels === outChannels) {
    x = builder.add([input, x], `${prefix}_add`);
  }
  return x;
}
