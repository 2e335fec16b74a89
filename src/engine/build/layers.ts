// Small helpers that add one stock tfjs layer to a functional graph with a
// deterministic name and an initialiser seeded from the trial seed and that
// name, so the same (architecture, seed) always builds the same weights.
import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from '../../core/random';

export type Node = tf.SymbolicTensor;

/** BatchNorm momentum of the moving statistics; 0.9 lets short trainings settle them. */
const BN_MOMENTUM = 0.9;

export interface ConvOptions {
  filters: number;
  kernel: number;
  strides?: number;
  useBias?: boolean;
  activation?: 'relu';
}

/** Adds layers to a graph; every layer name must be unique within one model. */
export class GraphBuilder {
  constructor(private readonly seed: number) {}

  /** A Glorot-uniform initialiser seeded from the trial seed and the layer name. */
  private initializer(name: string): ReturnType<typeof tf.initializers.glorotUniform> {
    return tf.initializers.glorotUniform({ seed: deriveSeed(this.seed, name) });
  }

  conv(x: Node, name: string, options: ConvOptions): Node {
    const layer = tf.layers.conv2d({
      name,
      filters: options.filters,
      kernelSize: options.kernel,
      strides: options.strides ?? 1,
      padding: 'same',
      useBias: options.useBias ?? false,
      activation: options.activation,
      kernelInitializer: this.initializer(name),
    });
    return layer.apply(x) as Node;
  }

  depthwise(x: Node, name: string, kernel: number, strides = 1): Node {
    const layer = tf.layers.depthwiseConv2d({
      name,
      kernelSize: kernel,
      strides,
      padding: 'same',
      useBias: false,
      depthwiseInitializer: this.initializer(name),
    });
    return layer.apply(x) as Node;
  }

  batchNorm(x: Node, name: string): Node {
    return tf.layers.batchNormalization({ name, momentum: BN_MOMENTUM }).apply(x) as Node;
  }

  relu(x: Node, name: string): Node {
    return tf.layers.reLU({ name }).apply(x) as Node;
  }

  relu6(x: Node, name: string): Node {
    return tf.layers.reLU({ name, maxValue: 6 }).apply(x) as Node;
  }

  maxPool(x: Node, name: string, pool: number, strides: number, padding: 'same' | 'valid'): Node {
    return tf.layers.maxPooling2d({ name, poolSize: pool, strides, padding }).apply(x) as Node;
  }

  avgPool(x: Node, name: string, pool: number, strides: number, padding: 'same' | 'valid'): Node {
    return tf.layers.averagePooling2d({ name, poolSize: pool, strides, padding }).apply(x) as Node;
  }

  /** Concatenates on channels; a single input is returned unchanged. */
  concat(inputs: Node[], name: string): Node {
    if (inputs.length === 1) return inputs[0];
    return tf.layers.concatenate({ name, axis: -1 }).apply(distinctInputs(inputs, name)) as Node;
  }

  /** Sums element-wise; a single input is returned unchanged. */
  add(inputs: Node[], name: string): Node {
    if (inputs.length === 1) return inputs[0];
    return tf.layers.add({ name }).apply(distinctInputs(inputs, name)) as Node;
  }

  /** A stock layer whose output is all zeros with the shape of its input. */
  zero(x: Node, name: string): Node {
    return tf.layers.rescaling({ name, scale: 0, offset: 0 }).apply(x) as Node;
  }

  /** Global average pooling, then a softmax Dense layer over the classes. */
  head(x: Node, numClasses: number): Node {
    const pooled = tf.layers.globalAveragePooling2d({ name: 'head_gap' }).apply(x) as Node;
    const dense = tf.layers.dense({
      name: 'head_dense',
      units: numClasses,
      activation: 'softmax',
      kernelInitializer: this.initializer('head_dense'),
    });
    return dense.apply(pooled) as Node;
  }
}

/**
 * Returns `inputs` with each repeated node passed through a linear
 * activation layer (`${name}_copy<i>`), which outputs its input unchanged.
 * NOTE: tfjs-layers 4.22 disposes a tensor too early when one merge layer
 * lists it twice ("Tensor is disposed" in predict), which happens for two
 * skip edges from one cell node or a concatenation after an identity layer.
 */
function distinctInputs(inputs: Node[], name: string): Node[] {
  return inputs.map((node, i) =>
    inputs.indexOf(node) === i ? node : (tf.layers.activation({ name: `${name}_copy${i}`, activation: 'linear' }).apply(node) as Node),
  );
}

/** Channel count of a node. */
export function channels(x: Node): number {
  return x.shape[3] as number;
}
