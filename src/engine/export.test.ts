import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import type { SavedModel, TrialMetrics } from '../core/run/types';
import type { CellSpace, CellArch } from '../core/space/types';
import { exportMetadata, savedModelToFiles } from './export';

const SAVED: SavedModel = {
  modelTopology: { class_name: 'Functional' },
  weightSpecs: [{ name: 'head_dense/kernel', shape: [2, 10], dtype: 'float32' }],
  weightData: new Float32Array(20).buffer,
};
const SPACE: CellSpace = { family: 'cell', name: 'nb201', ops: ['none', 'skip_connect'], cellsPerStage: 1, stemChannels: 4 };
const ARCH: CellArch = { family: 'cell', edges: ['skip_connect', 'none', 'none', 'none', 'none', 'skip_connect'] };
const METRICS: TrialMetrics = {
  validationAccuracy: 0.5,
  testAccuracy: 0.4,
  params: 100,
  flops: 1000,
  latency: { medianMs: 1, p90Ms: 2, runs: 30 },
  trainMs: 10,
  epochs: 1,
  backend: 'cpu',
  device: 'node',
  feasible: true,
};

describe('savedModelToFiles', () => {
  it('points the manifest at the weights file', () => {
    const files = savedModelToFiles(SAVED, 'best-model');
    expect(files.modelJson.format).toBe('layers-model');
    expect(files.modelJson.weightsManifest).toEqual([{ paths: ['best-model.weights.bin'], weights: SAVED.weightSpecs }]);
    expect(files.weights.byteLength).toBe(80);
  });
});

describe('exportMetadata', () => {
  it('describes input, classes and units', () => {
    const reference = { pixels: [[0, 255]], labels: [3], probabilities: [new Array(10).fill(0.1)] };
    const metadata = exportMetadata({
      space: SPACE,
      arch: ARCH,
      metrics: METRICS,
      inputShape: [28, 28, 1],
      numClasses: 10,
      reference,
      dataset: 'mnist',
    });
    expect(metadata.space).toEqual({ name: 'nb201', family: 'cell' });
    expect(metadata.normalization).toEqual({ scale: 1 / 255, offset: 0 });
    expect(metadata.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(metadata.flopsConvention).toBe('multiply-accumulates');
    expect(metadata.tfjsVersion).toBe(tf.version.tfjs);
    expect(metadata.reference).toBe(reference);
    expect(JSON.parse(JSON.stringify(metadata))).toEqual(metadata);
  });
});
