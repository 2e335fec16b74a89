import { describe, expect, it } from 'vitest';
import { defaultRunConfig } from './config';
import type { RunConfig } from './types';
import { findUnreachableSettings } from './unreachable-settings';

function config(changes: Partial<RunConfig>, epochs = 4): RunConfig {
  const base = defaultRunConfig();
  return { ...base, budget: 8, training: { ...base.training, epochs }, ...changes };
}

describe('findUnreachableSettings', () => {
  it('accepts settings that can act', () => {
    const estimation = { curveStop: { kthBest: 7, probability: 0.95, minEpochs: 3 }, predictorFilter: { model: 'gp' as const, minTrials: 7, keepFraction: 0.5 } };
    expect(findUnreachableSettings(config({ estimation }))).toEqual([]);
  });

  it('finds curve minEpochs at training epochs', () => {
    const found = findUnreachableSettings(config({ estimation: { curveStop: { kthBest: 3, probability: 0.95, minEpochs: 50 } } }, 2));
    expect(found.map((setting) => setting.field)).toEqual(['estimation.curveStop.minEpochs']);
    expect(found[0].value).toBe(50);
    expect(found[0].message).toMatch(/must be less than training\.epochs \(2\).*got 50: lower minEpochs or raise training\.epochs/);
  });

  it('finds kthBest at the budget', () => {
    const found = findUnreachableSettings(config({ estimation: { curveStop: { kthBest: 8, probability: 0.95, minEpochs: 2 } } }));
    expect(found.map((setting) => setting.field)).toEqual(['estimation.curveStop.kthBest']);
    expect(found[0].message).toMatch(/must be less than budget \(8\).*got 8/);
  });

  it('finds predictor minTrials at the budget', () => {
    const estimation = { predictorFilter: { model: 'trees' as const, minTrials: 1000, keepFraction: 0.5 } };
    const found = findUnreachableSettings(config({ budget: 3, estimation }));
    expect(found.map((setting) => setting.field)).toEqual(['estimation.predictorFilter.minTrials']);
    expect(found[0].message).toMatch(/must be less than budget \(3\).*got 1000/);
  });
});
