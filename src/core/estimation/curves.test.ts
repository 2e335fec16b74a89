import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors';
import { Random } from '../random';
import { normalSample } from '../strategy/mlp-ensemble';
import { CURVE_FAMILIES, type CurveFamilyName } from './curve-families';
import { CurveEnsemble, probabilityBelow } from './curves';
import { nelderMead } from './nelder-mead';

/** Synthetic curves over 20 epochs, one per family, written in plain parameters. */
const SYNTHETIC: Record<CurveFamilyName, (epoch: number) => number> = {
  pow3: (x) => 0.95 - 0.5 * x ** -1.2,
  exp3: (x) => 0.92 - 0.6 * Math.exp(-0.45 * (x - 1)),
  'log-power': (x) => 0.97 / (1 + (x / Math.exp(0.4)) ** -1.6),
  janoschek: (x) => 0.9 - 0.7 * Math.exp(-0.5 * x ** 0.9),
  weibull: (x) => 0.93 - 0.75 * Math.exp(-((0.35 * x) ** 1.1)),
  mmf: (x) => 0.96 - 0.8 / (1 + (0.6 * x) ** 1.5),
};

function sample(curve: (epoch: number) => number, epochs: number): number[] {
  return Array.from({ length: epochs }, (_, i) => curve(i + 1));
}

describe('nelderMead', () => {
  it('finds the minimum of a shifted quadratic', () => {
    const minimum = nelderMead(([x, y]) => (x - 1) ** 2 + 3 * (y + 2) ** 2, [0, 0]);
    expect(minimum.point[0]).toBeCloseTo(1, 4);
    expect(minimum.point[1]).toBeCloseTo(-2, 4);
  });

  it('treats NaN as worse than any value', () => {
    const minimum = nelderMead(([x]) => (x < 0 ? Number.NaN : (x - 2) ** 2), [0.5]);
    expect(minimum.point[0]).toBeCloseTo(2, 4);
  });
});

describe('curve families', () => {
  it.each(CURVE_FAMILIES.map((family) => [family.name, family] as const))('%s increases and stays below 1', (_name, family) => {
    for (const start of family.starts([0.3, 0.5, 0.6])) {
      const values = sample((x) => family.evaluate(start, x), 50);
      for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1] - 1e-12);
      expect(values[values.length - 1]).toBeLessThan(1);
    }
  });
});

describe('CurveEnsemble', () => {
  it.each(Object.keys(SYNTHETIC) as CurveFamilyName[])('recovers the final value of a %s curve', (name) => {
    const values = sample(SYNTHETIC[name], 20);
    const prediction = CurveEnsemble.fit(values.slice(0, 8)).predict(20);
    expect(Math.abs(prediction.mean - values[19])).toBeLessThan(0.03);
  });

  it('fits a whole curve closely', () => {
    const values = sample(SYNTHETIC.weibull, 20);
    const prediction = CurveEnsemble.fit(values).predict(20);
    expect(prediction.mean).toBeCloseTo(values[19], 2);
  });

  it('predicts a flat curve as flat', () => {
    const prediction = CurveEnsemble.fit([0.7, 0.7, 0.7, 0.7, 0.7]).predict(30);
    expect(Math.abs(prediction.mean - 0.7)).toBeLessThan(0.02);
  });

  it('keeps noisy curves within [0, 1]', () => {
    const random = new Random(7);
    for (let trial = 0; trial < 5; trial++) {
      const values = sample(SYNTHETIC.exp3, 6).map((v) => Math.min(Math.max(v + 0.05 * normalSample(random), 0), 1));
      const prediction = CurveEnsemble.fit(values).predict(40);
      expect(prediction.mean).toBeGreaterThanOrEqual(0);
      expect(prediction.mean).toBeLessThanOrEqual(1);
      for (const member of prediction.members) {
        expect(member.mean).toBeGreaterThanOrEqual(0);
        expect(member.mean).toBeLessThanOrEqual(1);
      }
      expect(prediction.std).toBeGreaterThan(0);
    }
  });

  it('handles a curve at 0 and a curve at 1', () => {
    expect(CurveEnsemble.fit([0, 0, 0]).predict(10).mean).toBeLessThan(0.05);
    expect(CurveEnsemble.fit([1, 1, 1]).predict(10).mean).toBeGreaterThan(0.95);
  });

  it('gives weights that sum to 1', () => {
    const ensemble = CurveEnsemble.fit(sample(SYNTHETIC.mmf, 10));
    const total = ensemble.members.reduce((sum, member) => sum + member.weight, 0);
    expect(total).toBeCloseTo(1, 12);
    expect(ensemble.members.map((member) => member.family)).toEqual(CURVE_FAMILIES.map((family) => family.name));
  });

  it('widens the prediction with the horizon', () => {
    const ensemble = CurveEnsemble.fit([0.5, 0.62, 0.7, 0.74]);
    expect(ensemble.predict(40).std).toBeGreaterThan(ensemble.predict(5).std);
  });

  it('widens the prediction after a drop', () => {
    const smooth = CurveEnsemble.fit([0.3, 0.5, 0.6, 0.65, 0.68]).predict(10);
    const dropped = CurveEnsemble.fit([0.3, 0.5, 0.4, 0.65, 0.68]).predict(10);
    expect(dropped.std).toBeGreaterThan(smooth.std);
    expect(dropped.std).toBeGreaterThanOrEqual(0.1 / Math.SQRT2 - 1e-9);
  });

  it('stays uncertain about two rising points', () => {
    // Two points cannot tell where the curve levels off: mean rise 0.3 over 2 more epochs.
    const prediction = CurveEnsemble.fit([0.3, 0.6]).predict(4);
    expect(prediction.std).toBeGreaterThan(0.25);
  });

  it('rejects a short curve and a value outside [0, 1]', () => {
    expect(() => CurveEnsemble.fit([0.5])).toThrow(ValidationError);
    expect(() => CurveEnsemble.fit([0.5, 1.2])).toThrow(/curve\[1\] must be an accuracy in \[0, 1\], got 1.2/);
  });
});

describe('probabilityBelow', () => {
  const values = sample(SYNTHETIC.exp3, 6);
  const final = SYNTHETIC.exp3(20);

  it('is near 1 far above the predicted final value', () => {
    expect(probabilityBelow(values, 20, final + 0.2)).toBeGreaterThan(0.95);
  });

  it('is near 0 far below the predicted final value', () => {
    expect(probabilityBelow(values, 20, final - 0.2)).toBeLessThan(0.05);
  });

  it('increases with the threshold', () => {
    const thresholds = [0.6, 0.8, 0.9, 0.95, 1];
    const probabilities = thresholds.map((threshold) => probabilityBelow(values, 20, threshold));
    for (let i = 1; i < probabilities.length; i++) expect(probabilities[i]).toBeGreaterThanOrEqual(probabilities[i - 1]);
  });
});
