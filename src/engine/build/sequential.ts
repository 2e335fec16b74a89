// Builds the sequential family: a fixed stem, the searched layers with their
// sequential, skip or dense connections, fixed 2x2 max-pool downsampling and
// the common head.
import type { SequentialArch, SequentialLayer, SequentialSpace } from '../../core/space/types';
import { GraphBuilder, type Node } from './layers';

/** A layer output with the number of skeleton max pools before it. */
interface Output {
  node: Node;
  level: number;
  label: string;
}

/**
 * Adds the layers of `arch` after `input` and returns the softmax output.
 * This is the model specified on sequentialCost in src/core/space: a
 * layer's output, as seen by later layers and the head, is taken after the
 * downsampling max pool that follows it, and a source that passed k fewer
 * max pools is reduced by AveragePooling2D(pool = stride = 2^k, 'valid').
 */
export function buildSequential(
  builder: GraphBuilder,
  space: SequentialSpace,
  arch: SequentialArch,
  input: Node,
  numClasses: number,
): Node {
  const stemNode = builder.conv(input, 'stem_conv', {
    filters: space.stemChannels,
    kernel: 3,
    useBias: true,
    activation: 'relu',
  });
  const stem: Output = { node: stemNode, level: 0, label: 'stem' };

  const outputs: Output[] = [];
  let previous = stem;
  arch.layers.forEach((layer, i) => {
    const sources = layerSources(space, layer, stem, outputs, previous);
    const reduced = sources.map((source) => reduceTo(builder, source, previous.level, `l${i}_reduce_${source.label}`));
    const layerInput = builder.concat(reduced, `l${i}_concat`);

    let node = addOperation(builder, layer, layerInput, `l${i}_${layer.op}`);
    let level = previous.level;
    if (space.downsampleAfter.includes(i)) {
      node = builder.maxPool(node, `l${i}_downsample`, 2, 2, 'valid');
      level++;
    }
    previous = { node, level, label: `l${i}` };
    outputs.push(previous);
  });

  return builder.head(previous.node, numClasses);
}

/** The inputs of a layer in concatenation order. */
function layerSources(
  space: SequentialSpace,
  layer: SequentialLayer,
  stem: Output,
  outputs: Output[],
  previous: Output,
): Output[] {
  if (space.connectivity === 'dense') return [stem, ...outputs];
  if (space.connectivity === 'skip' && layer.skipFrom !== null) {
    return [previous, layer.skipFrom === -1 ? stem : outputs[layer.skipFrom]];
  }
  return [previous];
}

/** Average-pools a source that passed fewer max pools down to `level`. */
function reduceTo(builder: GraphBuilder, source: Output, level: number, name: string): Node {
  if (source.level === level) return source.node;
  const ratio = 2 ** (level - source.level);
  return builder.avgPool(source.node, name, ratio, ratio, 'valid');
}

function addOperation(builder: GraphBuilder, layer: SequentialLayer, x: Node, prefix: string): Node {
  switch (layer.op) {
    case 'conv3x3':
    case 'conv5x5': {
      const kernel = layer.op === 'conv3x3' ? 3 : 5;
      const conv = builder.conv(x, `${prefix}_conv`, { filters: requireWidth(layer), kernel });
      return builder.relu(builder.batchNorm(conv, `${prefix}_bn`), `${prefix}_relu`);
    }
    case 'sepconv3x3':
    case 'sepconv5x5': {
      const kernel = layer.op === 'sepconv3x3' ? 3 : 5;
      const depthwise = builder.depthwise(x, `${prefix}_dw`, kernel);
      const pointwise = builder.conv(depthwise, `${prefix}_pw`, { filters: requireWidth(layer), kernel: 1 });
      return builder.relu(builder.batchNorm(pointwise, `${prefix}_bn`), `${prefix}_relu`);
    }
    case 'maxpool3x3':
      return builder.maxPool(x, `${prefix}_pool`, 3, 1, 'same');
    case 'avgpool3x3':
      return builder.avgPool(x, `${prefix}_pool`, 3, 1, 'same');
    case 'identity':
      return x;
  }
}

function requireWidth(layer: SequentialLayer): number {
  // validateArchitecture guarantees a width for convolutions; this guards direct callers.
  if (layer.width === null) throw new Error(`layer ${layer.op} needs a width, got null`);
  return layer.width;
}
