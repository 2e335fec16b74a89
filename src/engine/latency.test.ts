import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { ValidationError } from '../core/errors';
import { buildModel } from './build';
import { measureLatency } from './latency';

const INPUT = { inputShape: [28, 28, 1] as [number, number, number], numClasses: 10 };

function tinyModel(): tf.LayersModel {
  return buildModel(
    { family: 'sequential', name: 'tiny', depths: [1], ops: ['conv3x3'], widths: [4], connectivity: 'sequential', stemChannels: 4, downsampleAfter: [] },
    { family: 'sequential', layers: [{ op: 'conv3x3', width: 4, skipFrom: null }] },
    INPUT,
    1,
  );
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('measureLatency', () => {
  it('returns ordered statistics over the timed runs', async () => {
    const model = tinyModel();
    const stats = await measureLatency(model, INPUT.inputShape, { warmup: 1, runs: 5 });
    expect(stats.runs).toBe(5);
    expect(stats.medianMs).toBeGreaterThan(0);
    expect(stats.p90Ms).toBeGreaterThanOrEqual(stats.medianMs);
    model.dispose();
  });

  it('leaks no tensors', async () => {
    const model = tinyModel();
    const before = tf.memory().numTensors;
    await measureLatency(model, INPUT.inputShape, { warmup: 2, runs: 3 });
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('rejects zero runs', async () => {
    const model = tinyModel();
    await expect(measureLatency(model, INPUT.inputShape, { runs: 0 })).rejects.toBeInstanceOf(ValidationError);
    model.dispose();
  });
});
