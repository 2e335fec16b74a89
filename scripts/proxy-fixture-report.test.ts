// The fixture's architecture sample and its correlation report, on the
// committed fixture and on small hand-made entries.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CurvePoint } from '../src/core/run/types';
import type { Fixture, FixtureArchitecture } from './proxy-fixture';
import { describeFixture, sampleFixtureArchitectures } from './proxy-fixture';
import { correlationRows, curveSettling, formatProxyReport } from './proxy-fixture-report';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/mnist-archs-v2.json', import.meta.url), 'utf8')) as Fixture;

function curveOf(accuracies: number[]): CurvePoint[] {
  return accuracies.map((validationAccuracy, epoch) => ({ epoch, loss: 1, trainAccuracy: 0, validationAccuracy }));
}

function entry(index: number, validationAccuracy: number, synflow: number | null): FixtureArchitecture {
  const proxies = { synflow, naswot: index, snip: -index, grad_norm: 1, params: index, flops: index };
  return { ...fixture.architectures[0], index, validationAccuracy, testAccuracy: validationAccuracy, proxies };
}

describe('proxy fixture', () => {
  it('sample matches the stored architectures', () => {
    const drawn = sampleFixtureArchitectures(fixture.settings);
    expect(drawn.map((item) => item.hash)).toEqual(fixture.architectures.map((item) => item.hash));
    expect(drawn.map((item) => item.spaceId)).toEqual(fixture.architectures.map((item) => item.spaceId));
  });

  it('stores 60 complete architectures', () => {
    expect(fixture.version).toBe(2);
    expect(fixture.complete).toBe(true);
    expect(fixture.architectures).toHaveLength(60);
    for (const item of fixture.architectures) expect(item.curve).toHaveLength(fixture.settings.training.epochs);
  });

  it('v2 trains 9 epochs with cosine', () => {
    expect(fixture.settings.training).toMatchObject({ epochs: 9, learningRate: 0.003, schedule: 'cosine', patience: 0 });
    expect(fixture.settings.dataset).toMatchObject({ trainSize: 2048, validationSize: 1024, testSize: 1024 });
  });

  it('settling measures the last epochs', () => {
    expect(curveSettling(curveOf([0.5, 0.9]))).toBeUndefined();
    const settling = curveSettling(curveOf([0.1, 0.9, 0.95, 0.97]));
    expect(settling?.lastEpoch).toBeCloseTo(2, 9);
    expect(settling?.lastTwoEpochs).toBeCloseTo(7, 9);
  });

  it('description reports the settling', () => {
    const two = { ...fixture, architectures: [{ ...fixture.architectures[0], curve: curveOf([0.1, 0.9, 0.95, 0.97]) }] };
    expect(describeFixture(two)).toContain('change from the second-to-last epoch to the last, median 2.00, largest 2.00 points');
    expect(describeFixture({ ...fixture, architectures: [] })).toContain('not measured yet');
  });

  it('rows leave out null scores', () => {
    const rows = correlationRows([entry(0, 0.1, 1), entry(1, 0.2, null), entry(2, 0.3, 3), entry(3, 0.4, 4)]);
    const synflow = rows.find((row) => row.proxy === 'synflow');
    expect(synflow?.count).toBe(3);
    expect(synflow?.spearmanValidation).toBeCloseTo(1, 12);
    expect(rows.find((row) => row.proxy === 'snip')?.kendallValidation).toBe(-1);
    expect(rows.find((row) => row.proxy === 'grad_norm')?.spearmanValidation).toBeNaN();
  });

  it('report checks the target', () => {
    const report = formatProxyReport({ ...fixture, architectures: [entry(0, 0.1, 1), entry(1, 0.2, 2), entry(2, 0.3, 3)] });
    expect(report).toContain('| naswot | 3 | 1.000 | 1.000 | 1.000 | 1.000 |');
    expect(report).toContain('| grad_norm | 3 | n/a |');
    expect(report).toMatch(/Best zero-cost proxy by Spearman with validation accuracy: synflow at 1\.000, which meets the target of 0\.6/);
    expect(report).toMatch(/Best zero-cost proxy by Spearman with test accuracy: synflow at 1\.000, which meets/);
  });
});
