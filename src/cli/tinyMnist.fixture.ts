// A run configuration small enough to train on MNIST with tfjs's cpu backend
// in a test: the smallest cell preset cut to 4 stem channels and cheap edge
// operations, 64 training images, one epoch.
import { defaultRunConfig } from '../core/run/config';
import type { RunConfig } from '../core/run/types';
import type { CellSpace } from '../core/space/types';
import { PRESET_SPACES } from '../core/space';

export function tinyMnistConfig(): RunConfig {
  const preset = PRESET_SPACES.find((candidate) => candidate.id === 'cell-nb201-mini')?.space as CellSpace;
  const space: CellSpace = { ...preset, name: 'tiny cell', stemChannels: 4, ops: ['none', 'skip_connect', 'nor_conv_1x1', 'avg_pool_3x3'] };
  const base = defaultRunConfig(space);
  return {
    ...base,
    name: 'tiny mnist',
    dataset: { name: 'mnist', trainSize: 64, validationSize: 16, testSize: 16 },
    strategy: { name: 'random', options: {} },
    training: { ...base.training, epochs: 1, batchSize: 32 },
    budget: 2,
    backend: 'cpu',
  };
}
