// Search-space and architecture types shared by every layer. A space is plain
// JSON (it is stored, exported and edited by the UI); an architecture is one
// point of a space, also plain JSON.

/** Operations of a sequential layer. Convolutions use 'same' padding, stride 1. */
export const SEQUENTIAL_OPS = [
  'conv3x3',
  'conv5x5',
  'sepconv3x3', // depthwise-separable: depthwise k x k then pointwise 1 x 1
  'sepconv5x5',
  'maxpool3x3', // stride 1, 'same' padding: keeps the channel count
  'avgpool3x3',
  'identity',
] as const;
export type SequentialOp = (typeof SEQUENTIAL_OPS)[number];

/**
 * How layers connect. `sequential`: each layer reads the previous one.
 * `skip`: each layer may also read the output of one earlier layer (or the
 * stem), concatenated on channels. `dense`: each layer reads the
 * concatenation of the stem and every earlier layer (DenseNet style).
 */
export const CONNECTIVITIES = ['sequential', 'skip', 'dense'] as const;
export type Connectivity = (typeof CONNECTIVITIES)[number];

export interface SequentialSpace {
  family: 'sequential';
  name: string;
  /** Allowed numbers of searched layers, e.g. [6] or [2, 3, 4]. */
  depths: number[];
  /** Allowed operations of each layer. */
  ops: SequentialOp[];
  /** Allowed output channels of convolution layers; pools and identity keep their input's channels. */
  widths: number[];
  connectivity: Connectivity;
  /** Output channels of the fixed stem (conv 3x3, stride 1, ReLU). */
  stemChannels: number;
  /**
   * Searched-layer indices after which the fixed skeleton halves the spatial
   * size with a 2x2 max pool, e.g. [1, 3]. Indices beyond the chosen depth
   * are ignored.
   */
  downsampleAfter: number[];
}

export interface SequentialLayer {
  op: SequentialOp;
  /** Output channels for convolutions; null for pools and identity. */
  width: number | null;
  /**
   * With `skip` connectivity: index of the extra input, -1 for the stem,
   * j >= 0 for layer j (j < own index - 1), null for none. Always null for the
   * other connectivities.
   */
  skipFrom: number | null;
}

export interface SequentialArch {
  family: 'sequential';
  layers: SequentialLayer[];
}

/** NAS-Bench-201 edge operations; conv edges are ReLU-conv-BN. */
export const CELL_OPS = ['none', 'skip_connect', 'nor_conv_1x1', 'nor_conv_3x3', 'avg_pool_3x3'] as const;
export type CellOp = (typeof CELL_OPS)[number];

export interface CellSpace {
  family: 'cell';
  name: string;
  /** Allowed edge operations. */
  ops: CellOp[];
  /** Cells per stage (NAS-Bench-201 uses 5). */
  cellsPerStage: number;
  /** Output channels of the stem conv; stages use C, 2C, 4C (NAS-Bench-201 uses 16). */
  stemChannels: number;
}

/**
 * The six edge operations in NAS-Bench-201 string order:
 * [1<-0, 2<-0, 2<-1, 3<-0, 3<-1, 3<-2], i.e. `|e0~0|+|e1~0|e2~1|+|e3~0|e4~1|e5~2|`.
 */
export interface CellArch {
  family: 'cell';
  edges: [CellOp, CellOp, CellOp, CellOp, CellOp, CellOp];
}

export interface StageSpec {
  /** Output channels of the stage before the block's width multiplier. */
  channels: number;
  /** Stride of the stage's first block (1 or 2). */
  stride: number;
  /** Allowed numbers of blocks, e.g. [1, 2, 3]. */
  depths: number[];
}

export interface StagesSpace {
  family: 'stages';
  name: string;
  /** Output channels of the fixed stem (conv 3x3, stride 1, BN, ReLU6). */
  stemChannels: number;
  stages: StageSpec[];
  /** Allowed depthwise kernel sizes, e.g. [3, 5, 7]. */
  kernelSizes: number[];
  /** Allowed expansion ratios of the inverted residual block, e.g. [3, 4, 6]. */
  expansionRatios: number[];
  /** Allowed width multipliers of a block's output channels, e.g. [0.5, 1]. */
  widthMultipliers: number[];
}

/** One MobileNetV2 inverted-residual block. */
export interface StagesBlock {
  kernel: number;
  expansion: number;
  width: number;
}

export interface StagesArch {
  family: 'stages';
  /** Per stage, its chosen blocks; the stage's depth is blocks.length. */
  stages: { blocks: StagesBlock[] }[];
}

export type SearchSpace = SequentialSpace | CellSpace | StagesSpace;
export type Architecture = SequentialArch | CellArch | StagesArch;
export type SpaceFamily = SearchSpace['family'];

/** Shape of one input example and the number of classes of the head. */
export interface InputSpec {
  /** [height, width, channels], e.g. [28, 28, 1] for MNIST. */
  inputShape: [number, number, number];
  numClasses: number;
}

/** Analytic cost of an architecture for an InputSpec. */
export interface ArchitectureCost {
  /** All weights of the built tfjs model, BatchNorm moving statistics included (= model.countParams()). */
  params: number;
  /** Multiply-accumulate operations of one forward pass at batch 1 (the NAS-Bench-201 convention for "FLOPs"). */
  flops: number;
  /** Bytes of float32 activations of one forward pass at batch 1 (sum over layer outputs). */
  activationBytes: number;
}
