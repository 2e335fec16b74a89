import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import type { EvaluationRequest } from '../core/run/types';
import type { SequentialSpace } from '../core/space/types';
import { NodeEvaluator } from './nodeEvaluator';

const SPACE: SequentialSpace = {
  family: 'sequential',
  name: 'tiny',
  depths: [1],
  ops: ['conv3x3'],
  widths: [4],
  connectivity: 'sequential',
  stemChannels: 4,
  downsampleAfter: [0],
};

function request(trialId: string): EvaluationRequest {
  return {
    trialId,
    arch: { family: 'sequential', layers: [{ op: 'conv3x3', width: 4, skipFrom: null }] },
    space: SPACE,
    seed: 5,
    input: { inputShape: [28, 28, 1], numClasses: 10 },
    dataset: { name: 'mnist', trainSize: 8, validationSize: 4, testSize: 4 },
    training: { epochs: 1, batchSize: 4, optimizer: 'adam', learningRate: 0.01, momentum: 0, schedule: 'constant', patience: 0 },
    constraints: {},
  };
}

describe('NodeEvaluator', () => {
  it('auto probes cpu and wasm', async () => {
    const evaluator = new NodeEvaluator({ latencyRuns: 1 });

    const [backend] = await evaluator.prepare();
    const result = await evaluator.evaluate(request('auto-1'), new AbortController().signal);

    expect(result.error).toBeUndefined();
    expect(result.status).toBe('done');
    const probe = result.metrics?.backendProbe;
    expect(probe?.entries.map((entry) => entry.backend)).toEqual(['cpu', 'wasm']);
    expect(probe?.chosen).toBe(backend);
    expect(result.metrics?.backend).toBe(backend);
    expect(tf.getBackend()).toBe(backend);
    console.info(`[test] Node probe: ${JSON.stringify(probe)}`);
    evaluator.dispose();
  });

  it('keeps tensors flat between candidates', async () => {
    const evaluator = new NodeEvaluator({ backend: 'cpu', latencyRuns: 1 });
    const signal = new AbortController().signal;
    await evaluator.evaluate(request('warm-up'), signal);
    const baseline = tf.memory().numTensors;

    for (const trialId of ['flat-1', 'flat-2', 'flat-3']) {
      const result = await evaluator.evaluate(request(trialId), signal);
      expect(result.status).toBe('done');
      expect(tf.memory().numTensors).toBe(baseline);
    }

    evaluator.dispose();
    expect(tf.memory().numTensors).toBe(baseline - 6);
  });
});
