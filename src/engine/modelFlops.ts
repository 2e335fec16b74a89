// Counts the multiply-accumulates of a built model by walking its layers and
// their shapes, as an independent check of the analytic cost model.
import type * as tf from '@tensorflow/tfjs';

/**
 * Multiply-accumulates of one forward pass at batch 1: convolutions
 * (k * k * inChannels per output element), depthwise convolutions
 * (k * k per output element) and dense layers (inputs * units). Biases,
 * BatchNorm, activations, pools, adds and concatenations count 0.
 */
export function countModelFlops(model: tf.LayersModel): number {
  let total = 0;
  for (const layer of model.layers) {
    total += layerFlops(layer);
  }
  return total;
}

function layerFlops(layer: tf.layers.Layer): number {
  const className = layer.getClassName();
  const config = layer.getConfig();
  const inputShape = shapeOf(layer.input);
  const outputShape = shapeOf(layer.output);
  switch (className) {
    case 'Conv2D': {
      const [kh, kw] = config.kernelSize as number[];
      const inChannels = inputShape[3];
      return elements(outputShape) * kh * kw * inChannels;
    }
    case 'DepthwiseConv2D': {
      const [kh, kw] = config.kernelSize as number[];
      return elements(outputShape) * kh * kw;
    }
    case 'Dense':
      return inputShape[inputShape.length - 1] * (config.units as number);
    default:
      return 0;
  }
}

function shapeOf(tensor: tf.SymbolicTensor | tf.SymbolicTensor[]): number[] {
  const single = Array.isArray(tensor) ? tensor[0] : tensor;
  return single.shape.map((dim) => dim ?? 1);
}

/** Elements of one example: the product of all dimensions but the batch. */
function elements(shape: number[]): number {
  return shape.slice(1).reduce((product, dim) => product * dim, 1);
}
