// The model a sequential architecture describes and its analytic cost
// (params, multiply-accumulates, activation bytes). The engine builds exactly
// the model specified on sequentialCost, so the two must change together.
import { ValidationError } from '../errors';
import { addCost, denseHeadCost, emptyCost } from './cost-common';
import type { ArchitectureCost, InputSpec, SequentialArch, SequentialLayer, SequentialOp, SequentialSpace } from './types';
import { validateInput } from './validate';

/** A recorded output: its shape and how many skeleton max pools precede it. */
interface Output {
  height: number;
  width: number;
  channels: number;
  level: number;
}

/** Kernel size of each convolution op; pools and identity are absent. */
export const CONV_KERNELS: Partial<Record<SequentialOp, number>> = { conv3x3: 3, conv5x5: 5, sepconv3x3: 3, sepconv5x5: 5 };

/** Returns true for ops that have a searched output width (conv and sepconv). */
export function isConvOp(op: SequentialOp): boolean {
  return CONV_KERNELS[op] !== undefined;
}

/**
 * Computes the cost of the model below for `input` (batch 1). Params count every weight
 * of the built tfjs model: conv kernels, the stem's bias, BatchNorm's gamma,
 * beta, moving mean and moving variance (4 per channel) and the dense layer.
 * FLOPs are multiply-accumulates: conv k x k costs H_out*W_out*k*k*C_in*C_out,
 * depthwise k x k costs H_out*W_out*k*k*C, dense costs in*out. Biases, pools,
 * BatchNorm, activations, concatenations and additions count as 0.
 *
 * The model, all convolutions with padding 'same' and stride 1:
 * - stem: Conv2D 3x3, stemChannels filters, with bias, ReLU.
 * - layer i reads its input (below) and applies its op:
 *   convKxK = Conv2D(width, K, no bias) + BatchNorm + ReLU;
 *   sepconvKxK = DepthwiseConv2D(K, depth multiplier 1, no bias) +
 *   Conv2D 1x1 (width, no bias) + BatchNorm + ReLU;
 *   maxpool3x3 / avgpool3x3 = pool 3x3, stride 1, padding 'same';
 *   identity = no layer, the output is the input.
 *   Pools and identity output as many channels as their input has.
 * - if i is in downsampleAfter: MaxPooling2D 2x2, stride 2, padding 'valid'
 *   (sizes floor(H / 2)). "The output of layer i" below is the tensor after
 *   this pool, i.e. the one layer i + 1 reads as its previous output.
 * - input of layer i: `sequential`, the previous output (the stem's for
 *   i = 0); `skip`, the previous output, or with skipFrom set, the channel
 *   concatenation [previous output, output of skipFrom (-1 = stem)];
 *   `dense`, the concatenation [stem, output 0, ..., output i - 1].
 *   A source that has passed k fewer skeleton max pools than the previous
 *   output is first reduced with AveragePooling2D(pool = stride = 2^k,
 *   padding 'valid'), whose output size floor(H / 2^k) equals the previous
 *   output's size.
 * - head: GlobalAveragePooling2D on the last layer's output, then
 *   Dense(numClasses, softmax) with bias.
 * activationBytes = 4 bytes times the elements of the outputs of: the stem,
 * every source reduction pool, every concatenation, every layer except
 * identity, every skeleton max pool, GAP and the dense layer.
 * Throws ValidationError when a max pool would reduce a spatial size below 1.
 */
export function sequentialCost(space: SequentialSpace, arch: SequentialArch, input: InputSpec): ArchitectureCost {
  validateInput(input);
  const [height, width, inputChannels] = input.inputShape;
  const cost = emptyCost();
  const stem: Output = { height, width, channels: space.stemChannels, level: 0 };
  addCost(cost, {
    params: 9 * inputChannels * stem.channels + stem.channels,
    flops: height * width * 9 * inputChannels * stem.channels,
    activationBytes: 4 * height * width * stem.channels,
  });

  const outputs: Output[] = [];
  const downsample = new Set(space.downsampleAfter);
  let previous = stem;
  arch.layers.forEach((layer, i) => {
    const sources = layerSources(space, layer, stem, outputs, previous);
    const inChannels = sources.reduce((sum, source) => sum + source.channels, 0);
    const area = previous.height * previous.width;
    for (const source of sources) {
      if (source.level < previous.level) cost.activationBytes += 4 * area * source.channels;
    }
    if (sources.length > 1) cost.activationBytes += 4 * area * inChannels;

    const layerCost = searchedLayerCost(layer, inChannels, area);
    const outChannels = layerCost.outChannels;
    cost.params += layerCost.params;
    cost.flops += layerCost.flops;
    if (layer.op !== 'identity') cost.activationBytes += 4 * area * outChannels;
    let output: Output = { ...previous, channels: outChannels };
    if (downsample.has(i)) {
      output = { height: Math.floor(output.height / 2), width: Math.floor(output.width / 2), channels: outChannels, level: output.level + 1 };
      if (output.height < 1 || output.width < 1) {
        throw new ValidationError(
          'downsampleAfter',
          space.downsampleAfter,
          `the max pool after layer ${i} would shrink the ${height}x${width} input below 1x1: remove that index from downsampleAfter or use a larger input`,
        );
      }
      cost.activationBytes += 4 * output.height * output.width * outChannels;
    }
    outputs.push(output);
    previous = output;
  });

  addCost(cost, denseHeadCost(previous.channels, input.numClasses));
  return cost;
}

function layerSources(space: SequentialSpace, layer: SequentialLayer, stem: Output, outputs: Output[], previous: Output): Output[] {
  if (space.connectivity === 'dense') return [stem, ...outputs];
  if (space.connectivity === 'skip' && layer.skipFrom !== null) {
    return [previous, layer.skipFrom === -1 ? stem : outputs[layer.skipFrom]];
  }
  return [previous];
}

/** Computes params, FLOPs and output channels of one searched layer reading `inChannels` at `area` = H * W. */
export function searchedLayerCost(
  layer: Pick<SequentialLayer, 'op' | 'width'>,
  inChannels: number,
  area: number,
): { params: number; flops: number; outChannels: number } {
  const kernel = CONV_KERNELS[layer.op];
  if (kernel === undefined || layer.width === null) return { params: 0, flops: 0, outChannels: inChannels };
  const out = layer.width;
  const taps = kernel * kernel;
  if (layer.op.startsWith('sep')) {
    return {
      params: taps * inChannels + inChannels * out + 4 * out,
      flops: area * (taps * inChannels + inChannels * out),
      outChannels: out,
    };
  }
  return { params: taps * inChannels * out + 4 * out, flops: area * taps * inChannels * out, outChannels: out };
}

/**
 * Computes the spatial size (H * W) that each layer of a `depth`-layer
 * architecture reads and the size of the last output. Returns null when a
 * max pool would shrink a side below 1.
 */
export function layerAreas(space: SequentialSpace, depth: number, input: InputSpec): { areas: number[]; finalArea: number } | null {
  let [height, width] = input.inputShape;
  const areas: number[] = [];
  for (let i = 0; i < depth; i++) {
    areas.push(height * width);
    if (space.downsampleAfter.includes(i)) {
      height = Math.floor(height / 2);
      width = Math.floor(width / 2);
      if (height < 1 || width < 1) return null;
    }
  }
  return { areas, finalArea: height * width };
}
