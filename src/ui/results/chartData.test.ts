import { describe, expect, it } from 'vitest';
import type { Trial, TrialMetrics } from '../../core/run/types';
import { bestSoFar, costOf, operationFrequency } from './chartData';

function metrics(validationAccuracy: number, params = 100): TrialMetrics {
  return {
    validationAccuracy,
    testAccuracy: validationAccuracy,
    params,
    flops: params * 10,
    latency: { medianMs: params / 100, p90Ms: params / 50, runs: 5 },
    trainMs: 1000,
    epochs: 1,
    backend: 'cpu',
    device: 'test',
    feasible: true,
  };
}

function trial(index: number, status: Trial['status'], accuracy?: number, ops: string[] = []): Trial {
  return {
    id: `t${index}`,
    runId: 'r1',
    index,
    arch: { family: 'sequential', layers: ops.map((op) => ({ op: op as 'conv3x3', width: 8, skipFrom: null })) },
    hash: `h${index}`,
    seed: index,
    epochs: 1,
    status,
    metrics: accuracy === undefined ? undefined : metrics(accuracy),
    curve: [],
  };
}

const operationsOf = (t: Trial) => (t.arch.family === 'sequential' ? t.arch.layers.map((layer) => layer.op) : []);

describe('costOf', () => {
  it.each([
    ['latency', 2],
    ['params', 200],
    ['flops', 2000],
  ] as const)('cost for %s', (objective, expected) => {
    expect(costOf(metrics(0.5, 200), objective)).toBe(expected);
  });
});

describe('bestSoFar', () => {
  it('keeps running maximum in index order', () => {
    const points = bestSoFar([trial(2, 'done', 0.4), trial(0, 'done', 0.5), trial(1, 'done', 0.7)]);
    expect(points.map((point) => point.index)).toEqual([0, 1, 2]);
    expect(points.map((point) => point.best)).toEqual([0.5, 0.7, 0.7]);
  });

  it('skips failed and running trials', () => {
    const points = bestSoFar([trial(0, 'failed'), trial(1, 'running'), trial(2, 'done', 0.3)]);
    expect(points).toEqual([{ index: 2, accuracy: 0.3, best: 0.3 }]);
  });
});

describe('operationFrequency', () => {
  const trials = [
    trial(0, 'done', 0.9, ['conv3x3', 'conv3x3']),
    trial(1, 'done', 0.5, ['identity', 'conv3x3']),
    trial(2, 'done', 0.1, ['identity', 'identity']),
    trial(3, 'failed', undefined, ['maxpool3x3', 'maxpool3x3']),
  ];

  it('top-k shares come from best trials', () => {
    const shares = operationFrequency(trials, 1, operationsOf);
    const conv = shares.find((share) => share.operation === 'conv3x3');
    const identity = shares.find((share) => share.operation === 'identity');
    expect(conv?.topShare).toBe(1);
    expect(identity?.topShare).toBe(0);
  });

  it('all-trial shares ignore failed trials', () => {
    const shares = operationFrequency(trials, 1, operationsOf);
    expect(shares.map((share) => share.operation).sort()).toEqual(['conv3x3', 'identity']);
    expect(shares.find((share) => share.operation === 'conv3x3')?.allShare).toBeCloseTo(0.5);
  });

  it('returns nothing without done trials', () => {
    expect(operationFrequency([trial(0, 'queued')], 3, operationsOf)).toEqual([]);
  });
});
