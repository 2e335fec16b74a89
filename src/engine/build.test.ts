import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { MNIST_INPUT, PRESET_SPACES, architectureCost, sampleArchitecture } from '../core/space';
import { Random } from '../core/random';
import { CELL_OPS, SEQUENTIAL_OPS } from '../core/space/types';
import type {
  Architecture,
  CellArch,
  CellOp,
  CellSpace,
  InputSpec,
  SearchSpace,
  SequentialArch,
  SequentialOp,
  SequentialSpace,
  StagesArch,
  StagesSpace,
} from '../core/space/types';
import { buildModel } from './build';
import { countModelFlops } from './modelFlops';

const INPUT: InputSpec = { inputShape: [28, 28, 1], numClasses: 10 };
const SEED = 7;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function sequentialSpace(connectivity: SequentialSpace['connectivity']): SequentialSpace {
  return {
    family: 'sequential',
    name: `sequential-${connectivity}`,
    depths: [3],
    ops: [...SEQUENTIAL_OPS],
    widths: [4, 6],
    connectivity,
    stemChannels: 4,
    downsampleAfter: [0, 2],
  };
}

function sequentialArch(op: SequentialOp, skips: (number | null)[] = [null, null, null]): SequentialArch {
  const width = op.includes('conv') ? 6 : null;
  return { family: 'sequential', layers: skips.map((skipFrom) => ({ op, width, skipFrom })) };
}

const CELL_SPACE: CellSpace = { family: 'cell', name: 'cell', ops: [...CELL_OPS], cellsPerStage: 1, stemChannels: 4 };

function cellArch(op: CellOp): CellArch {
  return { family: 'cell', edges: [op, op, op, op, op, op] };
}

const STAGES_SPACE: StagesSpace = {
  family: 'stages',
  name: 'stages',
  stemChannels: 4,
  stages: [
    { channels: 4, stride: 1, depths: [1, 2] },
    { channels: 8, stride: 2, depths: [1] },
  ],
  kernelSizes: [3, 5, 7],
  expansionRatios: [1, 3],
  widthMultipliers: [0.5, 1],
};

function stagesArch(kernel: number, expansion: number, width: number): StagesArch {
  return {
    family: 'stages',
    stages: [
      { blocks: [{ kernel, expansion, width }, { kernel, expansion, width }] },
      { blocks: [{ kernel, expansion, width }] },
    ],
  };
}

interface Case {
  label: string;
  space: SearchSpace;
  arch: Architecture;
}

const CASES: Case[] = [
  ...SEQUENTIAL_OPS.map((op) => ({ label: `sequential ${op}`, space: sequentialSpace('sequential'), arch: sequentialArch(op) })),
  ...SEQUENTIAL_OPS.map((op) => ({ label: `skip ${op}`, space: sequentialSpace('skip'), arch: sequentialArch(op, [null, -1, 0]) })),
  ...SEQUENTIAL_OPS.map((op) => ({ label: `dense ${op}`, space: sequentialSpace('dense'), arch: sequentialArch(op) })),
  {
    label: 'dense identity without downsampling',
    space: { ...sequentialSpace('dense'), downsampleAfter: [] },
    arch: sequentialArch('identity'),
  },
  {
    label: 'skip past an identity layer',
    space: { ...sequentialSpace('skip'), downsampleAfter: [] },
    arch: { family: 'sequential', layers: [{ op: 'conv3x3', width: 4, skipFrom: null }, { op: 'identity', width: null, skipFrom: null }, { op: 'identity', width: null, skipFrom: 0 }] },
  },
  ...CELL_OPS.map((op) => ({ label: `cell ${op}`, space: CELL_SPACE, arch: cellArch(op) })),
  {
    label: 'cell mixed with a zero node',
    space: CELL_SPACE,
    arch: { family: 'cell', edges: ['none', 'nor_conv_3x3', 'avg_pool_3x3', 'skip_connect', 'nor_conv_1x1', 'nor_conv_3x3'] },
  },
  {
    label: 'cell with a dead node',
    space: CELL_SPACE,
    arch: { family: 'cell', edges: ['nor_conv_3x3', 'nor_conv_1x1', 'none', 'skip_connect', 'none', 'none'] },
  },
  ...[3, 5, 7].flatMap((kernel) =>
    [1, 3].flatMap((expansion) =>
      [0.5, 1].map((width) => ({
        label: `stages k${kernel} e${expansion} w${width}`,
        space: STAGES_SPACE,
        arch: stagesArch(kernel, expansion, width),
      })),
    ),
  ),
];

describe('buildModel', () => {
  it.each(CASES)('$label runs forward to class probabilities', ({ space, arch }) => {
    const model = buildModel(space, arch, INPUT, SEED);
    const output = tf.tidy(() => model.predict(tf.ones([2, 28, 28, 1])) as tf.Tensor);
    expect(output.shape).toEqual([2, 10]);
    const sums = tf.tidy(() => tf.sum(output, -1).arraySync() as number[]);
    expect(sums[0]).toBeCloseTo(1, 5);
    output.dispose();
    model.dispose();
  });

  it.each(CASES)('$label params equal the analytic count', ({ space, arch }) => {
    const model = buildModel(space, arch, INPUT, SEED);
    expect(model.countParams()).toBe(architectureCost(space, arch, INPUT).params);
    model.dispose();
  });

  it.each(CASES)('$label FLOPs within 1% of the analytic count', ({ space, arch }) => {
    const model = buildModel(space, arch, INPUT, SEED);
    const analytic = architectureCost(space, arch, INPUT).flops;
    expect(Math.abs(countModelFlops(model) - analytic)).toBeLessThanOrEqual(0.01 * analytic);
    model.dispose();
  });

  it('gives equal weights for equal seeds', () => {
    const { space, arch } = CASES[0];
    const first = buildModel(space, arch, INPUT, SEED);
    const second = buildModel(space, arch, INPUT, SEED);
    const third = buildModel(space, arch, INPUT, SEED + 1);
    const kernel = (model: tf.LayersModel): number[] =>
      Array.from(model.getLayer('l0_conv3x3_conv').getWeights()[0].dataSync());
    expect(kernel(second)).toEqual(kernel(first));
    expect(kernel(third)).not.toEqual(kernel(first));
    [first, second, third].forEach((model) => model.dispose());
  });

  it('names layers deterministically', () => {
    const model = buildModel(STAGES_SPACE, stagesArch(3, 3, 1), INPUT, SEED);
    const names = model.layers.map((layer) => layer.name);
    expect(names).toContain('s0_b0_expand');
    expect(names).toContain('s0_b1_add');
    expect(names).not.toContain('s1_b0_add');
    model.dispose();
  });

  it('outputs a zero cell through a rescaling layer', () => {
    const model = buildModel(CELL_SPACE, cellArch('none'), INPUT, SEED);
    expect(model.getLayer('c0_0_zero').getClassName()).toBe('Rescaling');
    const probabilities = tf.tidy(() => (model.predict(tf.ones([1, 28, 28, 1])) as tf.Tensor).arraySync() as number[][]);
    for (const probability of probabilities[0]) expect(probability).toBeCloseTo(0.1, 6);
    model.dispose();
  });

  it('rejects an arch of another family', () => {
    expect(() => buildModel(CELL_SPACE, sequentialArch('conv3x3'), INPUT, SEED)).toThrow(/arch.family must match/);
  });

  it('leaks no tensors after dispose', () => {
    const before = tf.memory().numTensors;
    for (const { space, arch } of CASES) buildModel(space, arch, INPUT, SEED).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('buildModel on preset spaces', () => {
  it.each(PRESET_SPACES)('$id samples match the analytic cost', ({ space }) => {
    const random = new Random(2024);
    for (let i = 0; i < 4; i++) {
      const arch = sampleArchitecture(space, random);
      const model = buildModel(space, arch, MNIST_INPUT, i);
      const cost = architectureCost(space, arch, MNIST_INPUT);
      const label = JSON.stringify(arch);
      expect(model.countParams(), label).toBe(cost.params);
      expect(Math.abs(countModelFlops(model) - cost.flops), label).toBeLessThanOrEqual(0.01 * cost.flops);
      model.dispose();
    }
  });
});

describe('saved model', () => {
  it.each(CASES.filter((_, i) => i % 4 === 0))('$label loads back with equal predictions', async ({ space, arch }) => {
    const model = buildModel(space, arch, INPUT, SEED);
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (saved) => {
        artifacts = saved;
        return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(saved) };
      }),
    );
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts!));
    const input = tf.randomUniform([3, 28, 28, 1], 0, 1, 'float32', 11);
    const expected = model.predict(input) as tf.Tensor;
    const actual = loaded.predict(input) as tf.Tensor;
    expect(Array.from(actual.dataSync())).toEqual(Array.from(expected.dataSync()));
    tf.dispose([input, expected, actual]);
    model.dispose();
    loaded.dispose();
  });
});
