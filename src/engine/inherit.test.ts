import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { NasError } from '../core/errors';
import type { SavedModel } from '../core/run/types';
import type { SequentialArch, SequentialSpace } from '../core/space/types';
import { buildModel } from './build';
import { inheritWeights } from './inherit';

const SPACE: SequentialSpace = {
  family: 'sequential',
  name: 'tiny',
  depths: [2],
  ops: ['conv3x3', 'sepconv3x3', 'maxpool3x3'],
  widths: [4],
  connectivity: 'sequential',
  stemChannels: 4,
  downsampleAfter: [0],
};
const PARENT: SequentialArch = {
  family: 'sequential',
  layers: [
    { op: 'conv3x3', width: 4, skipFrom: null },
    { op: 'conv3x3', width: 4, skipFrom: null },
  ],
};
/** The parent with its first layer mutated. */
const CHILD: SequentialArch = {
  family: 'sequential',
  layers: [
    { op: 'sepconv3x3', width: 4, skipFrom: null },
    { op: 'conv3x3', width: 4, skipFrom: null },
  ],
};
const INPUT = { inputShape: [28, 28, 1] as [number, number, number], numClasses: 10 };

async function saveModel(model: tf.LayersModel): Promise<SavedModel> {
  let saved: SavedModel | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = {
        modelTopology: artifacts.modelTopology as object,
        weightSpecs: (artifacts.weightSpecs ?? []).map(({ name, shape, dtype }) => ({ name, shape, dtype })),
        weightData: tf.io.CompositeArrayBuffer.join(artifacts.weightData),
      };
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  return saved as SavedModel;
}

async function weightValues(model: tf.LayersModel, name: string): Promise<number[]> {
  const weight = model.weights.find((candidate) => candidate.originalName === name);
  if (weight === undefined) throw new Error(`no weight ${name}`);
  return Array.from(await weight.read().data());
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('inheritWeights', () => {
  it('copies the unchanged layers only', async () => {
    const parent = buildModel(SPACE, PARENT, INPUT, 1);
    const child = buildModel(SPACE, CHILD, INPUT, 2);
    const fresh = buildModel(SPACE, CHILD, INPUT, 2);
    try {
      const before = tf.memory().numTensors;
      const inherited = inheritWeights(child, await saveModel(parent));
      expect(tf.memory().numTensors).toBe(before);

      expect(inherited.total).toBe(child.weights.length);
      expect(inherited.tensors).toBeGreaterThan(0);
      expect(inherited.tensors).toBeLessThan(inherited.total);
      expect(await weightValues(child, 'l1_conv3x3_conv/kernel')).toEqual(await weightValues(parent, 'l1_conv3x3_conv/kernel'));
      expect(await weightValues(child, 'l1_conv3x3_conv/kernel')).not.toEqual(await weightValues(fresh, 'l1_conv3x3_conv/kernel'));
      expect(await weightValues(child, 'l0_sepconv3x3_pw/kernel')).toEqual(await weightValues(fresh, 'l0_sepconv3x3_pw/kernel'));
    } finally {
      parent.dispose();
      child.dispose();
      fresh.dispose();
    }
  });

  it('rejects truncated parent weights', async () => {
    const parent = buildModel(SPACE, PARENT, INPUT, 1);
    const child = buildModel(SPACE, CHILD, INPUT, 2);
    try {
      const saved = await saveModel(parent);
      const truncated = { ...saved, weightData: saved.weightData.slice(0, saved.weightData.byteLength - 3) };
      expect(() => inheritWeights(child, truncated)).toThrow(NasError);
      expect(() => inheritWeights(child, truncated)).toThrow(/the parent model's weights are damaged: the data ends before tensor/);
    } finally {
      parent.dispose();
      child.dispose();
    }
  });
});

