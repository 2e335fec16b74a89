import { describe, expect, it } from 'vitest';
import { architectureCost, MNIST_INPUT, PRESET_SPACES, sampleArchitecture } from '../space';
import { Random } from '../random';
import { defaultRunConfig } from './config';
import { chooseReferenceCost, computeFront, sampledReferenceCost, trialCost, trialPoints } from './front';
import type { Trial, TrialMetrics, TrialStatus } from './types';

const space = PRESET_SPACES[0].space;
const arch = sampleArchitecture(space, new Random(1));

function trial(index: number, status: TrialStatus, accuracy: number, params: number, extra: Partial<TrialMetrics> = {}): Trial {
  const metrics: TrialMetrics = {
    validationAccuracy: accuracy,
    testAccuracy: accuracy,
    params,
    flops: params * 10,
    latency: { medianMs: params / 100, p90Ms: params / 90, runs: 5 },
    trainMs: 1,
    epochs: 1,
    backend: 'cpu',
    device: 'test',
    feasible: true,
    ...extra,
  };
  return { id: `t${index}`, runId: 'run', index, arch, hash: `h${index}`, seed: index, epochs: 1, status, curve: [], metrics };
}

describe('trialCost', () => {
  it.each([
    ['params', 500],
    ['flops', 5000],
    ['latency', 5],
  ] as const)('reads %s', (objective, expected) => {
    expect(trialCost(trial(0, 'done', 0.9, 500), objective)).toBe(expected);
  });

  it('is undefined without metrics', () => {
    expect(trialCost({ ...trial(0, 'failed', 0, 1), metrics: undefined }, 'params')).toBeUndefined();
  });
});

describe('computeFront', () => {
  it('keeps only done, feasible trials', () => {
    const trials = [
      trial(0, 'done', 0.9, 100),
      trial(1, 'failed', 0.99, 10),
      trial(2, 'done', 0.99, 10, { feasible: false }),
      trial(3, 'diverged', 0.95, 10),
      trial(4, 'done', Number.NaN, 10),
      trial(5, 'done', 0.8, 50),
    ];
    expect(trialPoints(trials, 'params').map((point) => point.id)).toEqual(['t0', 't5']);
    expect(computeFront(trials, 'params').map((point) => point.id)).toEqual(['t0', 't5']);
  });

  it('keeps tied trials on the front', () => {
    const trials = [trial(0, 'done', 0.9, 10), trial(1, 'done', 0.9, 10), trial(2, 'done', 0.9, 12), trial(3, 'done', 0.85, 5)];
    expect(computeFront(trials, 'params').map((point) => point.id)).toEqual(['t0', 't1', 't3']);
  });

  it('uses median latency for the latency objective', () => {
    const trials = [trial(0, 'done', 0.9, 100, { latency: { medianMs: 0.2, p90Ms: 9, runs: 5 } }), trial(1, 'done', 0.95, 50)];
    expect(computeFront(trials, 'latency').map((point) => point.cost)).toEqual([0.2, 0.5]);
  });
});

describe('chooseReferenceCost', () => {
  const config = defaultRunConfig(space, 1);

  it('samples the space for params', () => {
    const reference = chooseReferenceCost(config, undefined, MNIST_INPUT) as number;
    expect(reference).toBe(sampledReferenceCost(space, 'params', config.seed, MNIST_INPUT));
    expect(reference).toBeGreaterThan(architectureCost(space, arch, MNIST_INPUT).params * 0.5);
    expect(chooseReferenceCost(structuredClone(config), undefined, MNIST_INPUT)).toBe(reference);
  });

  it('lowers the reference to a tighter maxFlops', () => {
    const flopsConfig = { ...config, costObjective: 'flops' as const };
    const sampled = sampledReferenceCost(space, 'flops', config.seed, MNIST_INPUT);
    expect(chooseReferenceCost({ ...flopsConfig, constraints: { maxFlops: sampled / 2 } }, undefined, MNIST_INPUT)).toBe(sampled / 2);
    expect(chooseReferenceCost({ ...flopsConfig, constraints: { maxFlops: sampled * 2 } }, undefined, MNIST_INPUT)).toBe(sampled);
  });

  it('uses maxLatencyMs or twice the first latency', () => {
    const latencyConfig = { ...config, costObjective: 'latency' as const };
    expect(chooseReferenceCost({ ...latencyConfig, constraints: { maxLatencyMs: 7 } }, undefined, MNIST_INPUT)).toBe(7);
    expect(chooseReferenceCost(latencyConfig, undefined, MNIST_INPUT)).toBeUndefined();
    expect(chooseReferenceCost(latencyConfig, trial(0, 'done', 0.9, 300), MNIST_INPUT)).toBe(6);
  });
});
