// Ready-made search spaces the UI offers, sized for a demo search on MNIST
// (28x28x1) in which each candidate trains in seconds on a CPU.
import type { InputSpec, SearchSpace } from './types';

/** MNIST digits: 28x28 grey images, 10 classes. */
export const MNIST_INPUT: InputSpec = { inputShape: [28, 28, 1], numClasses: 10 };

/** A named preset space. */
export interface PresetSpace {
  id: string;
  label: string;
  description: string;
  space: SearchSpace;
}

/** At least one preset per family; validateSpace accepts each of them. */
export const PRESET_SPACES: PresetSpace[] = [
  {
    id: 'sequential-6x5',
    label: '6 layers x 5 ops',
    description: 'Six layers, each one of five ops, 16 channels, max pools after the first and third layers: 5^6 = 15,625 architectures.',
    space: {
      family: 'sequential',
      name: '6 layers x 5 ops',
      depths: [6],
      ops: ['conv3x3', 'conv5x5', 'sepconv3x3', 'maxpool3x3', 'identity'],
      widths: [16],
      connectivity: 'sequential',
      stemChannels: 8,
      downsampleAfter: [0, 2],
    },
  },
  {
    id: 'sequential-skip',
    label: 'Skip connections, 4-6 layers',
    description: 'Four to six layers of 8 or 16 channels; each layer may also read one earlier layer or the stem.',
    space: {
      family: 'sequential',
      name: 'Skip connections, 4-6 layers',
      depths: [4, 5, 6],
      ops: ['conv3x3', 'sepconv3x3', 'maxpool3x3', 'identity'],
      widths: [8, 16],
      connectivity: 'skip',
      stemChannels: 8,
      downsampleAfter: [0, 2],
    },
  },
  {
    id: 'cell-nb201-mini',
    label: 'NAS-Bench-201 cell, small skeleton',
    description: 'The NAS-Bench-201 cell (6 edges, 5 ops: 15,625 cells) with 1 cell per stage and 8/16/32 channels.',
    space: {
      family: 'cell',
      name: 'NAS-Bench-201 cell, small skeleton',
      ops: ['none', 'skip_connect', 'nor_conv_1x1', 'nor_conv_3x3', 'avg_pool_3x3'],
      cellsPerStage: 1,
      stemChannels: 8,
    },
  },
  {
    id: 'cell-nb201',
    label: 'NAS-Bench-201 (C=16, N=5)',
    description: "NAS-Bench-201's own skeleton, 5 cells per stage at 16/32/64 channels: slow to train in the browser, made for benchmark tables.",
    space: {
      family: 'cell',
      name: 'NAS-Bench-201 (C=16, N=5)',
      ops: ['none', 'skip_connect', 'nor_conv_1x1', 'nor_conv_3x3', 'avg_pool_3x3'],
      cellsPerStage: 5,
      stemChannels: 16,
    },
  },
  {
    id: 'stages-mobilenetv2-tiny',
    label: 'MobileNetV2, tiny',
    description: 'Three stages of inverted-residual blocks (16, 24, 24 channels), kernel 3 or 5, expansion 1, 3 or 6, width 0.5 or 1.',
    space: {
      family: 'stages',
      name: 'MobileNetV2, tiny',
      stemChannels: 8,
      stages: [
        { channels: 16, stride: 2, depths: [1, 2] },
        { channels: 24, stride: 2, depths: [1, 2, 3] },
        { channels: 24, stride: 1, depths: [1, 2] },
      ],
      kernelSizes: [3, 5],
      expansionRatios: [1, 3, 6],
      widthMultipliers: [0.5, 1],
    },
  },
];
