import { describe, expect, it } from 'vitest';
import {
  GaussianProcess,
  cholesky,
  expectedImprovement,
  hammingDistance,
  normalCdf,
  packBits,
  solveLower,
  solveUpper,
} from './gaussian-process';

describe('linear algebra', () => {
  it('cholesky reconstructs the matrix', () => {
    const matrix = Float64Array.of(4, 2, 0.4, 2, 5, 1, 0.4, 1, 3);
    const lower = cholesky(matrix, 3) as Float64Array;
    expect(lower).not.toBeNull();
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let sum = 0;
        for (let k = 0; k < 3; k++) sum += lower[i * 3 + k] * lower[j * 3 + k];
        expect(sum).toBeCloseTo(matrix[i * 3 + j], 12);
      }
    }
  });

  it('cholesky rejects an indefinite matrix', () => {
    expect(cholesky(Float64Array.of(1, 2, 2, 1), 2)).toBeNull();
  });

  it('triangular solves invert the factor', () => {
    const matrix = Float64Array.of(4, 2, 2, 3);
    const lower = cholesky(matrix, 2) as Float64Array;
    const x = solveUpper(lower, 2, solveLower(lower, 2, [2, 1]));
    expect(4 * x[0] + 2 * x[1]).toBeCloseTo(2, 12);
    expect(2 * x[0] + 3 * x[1]).toBeCloseTo(1, 12);
  });
});

describe('hammingDistance', () => {
  it('counts differing bits across words', () => {
    const a = Array.from({ length: 70 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const b = a.map((bit, i) => (i === 5 || i === 33 || i === 69 ? 1 - bit : bit));
    expect(hammingDistance(packBits(a), packBits(b))).toBe(3);
    expect(hammingDistance(packBits(a), packBits(a))).toBe(0);
  });
});

describe('expectedImprovement', () => {
  it('matches the closed form at zero gain', () => {
    // With mean == best and xi = 0, EI = sigma * phi(0).
    expect(expectedImprovement(1, 2, 1, 0)).toBeCloseTo(2 / Math.sqrt(2 * Math.PI), 6);
  });

  it('is the gain without uncertainty', () => {
    expect(expectedImprovement(3, 0, 1, 0.5)).toBe(1.5);
    expect(expectedImprovement(0, 0, 1, 0)).toBe(0);
  });

  it('normalCdf matches known values', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.96)).toBeCloseTo(0.975, 4);
    expect(normalCdf(-1)).toBeCloseTo(0.158655, 5);
  });
});

describe('GaussianProcess', () => {
  const inputs = [
    [1, 0, 0, 0, 1, 0],
    [0, 1, 0, 0, 1, 0],
    [0, 0, 1, 0, 0, 1],
    [1, 0, 0, 0, 0, 1],
    [0, 1, 0, 1, 0, 0],
    [0, 0, 1, 1, 0, 0],
  ].map(packBits);
  // Target: +1 for the first bit, -1 for the third, plus a small term for bit 4.
  const targets = [1.2, 0.2, -1, 0.8, -0.2, -1.2];

  it('fits the training points closely', () => {
    const process = GaussianProcess.fit(inputs, targets) as GaussianProcess;
    expect(process).not.toBeNull();
    const posterior = process.predict(inputs);
    targets.forEach((target, i) => expect(Math.abs(posterior.means[i] - target)).toBeLessThan(0.5));
  });

  it('is less certain far from the data', () => {
    const process = GaussianProcess.fit(inputs, targets) as GaussianProcess;
    const far = packBits([1, 1, 1, 1, 1, 1]);
    const posterior = process.predict([inputs[0], far]);
    expect(posterior.variances[1]).toBeGreaterThan(posterior.variances[0]);
  });

  it('fantasies shrink variances', () => {
    const process = GaussianProcess.fit(inputs, targets) as GaussianProcess;
    const candidates = [packBits([1, 1, 0, 0, 0, 0]), packBits([1, 1, 0, 0, 0, 1]), packBits([0, 0, 0, 1, 1, 1])];
    const posterior = process.predict(candidates);
    const before = Array.from(posterior.variances);
    const means = Array.from(posterior.means);
    posterior.addFantasy(0);
    // Conditioning on a noisy observation at x leaves var(x) * noise / (var(x) + noise) there.
    const { noiseRatio, signalVariance } = process.hyperparameters;
    const noise = noiseRatio * signalVariance;
    expect(posterior.variances[0]).toBeCloseTo((before[0] * noise) / (before[0] + noise), 9);
    for (let c = 1; c < candidates.length; c++) expect(posterior.variances[c]).toBeLessThanOrEqual(before[c]);
    expect(Array.from(posterior.means)).toEqual(means);
  });

  it('fits duplicate inputs', () => {
    const process = GaussianProcess.fit([inputs[0], inputs[0], inputs[1]], [1, 0.9, -1]);
    expect(process).not.toBeNull();
  });
});
