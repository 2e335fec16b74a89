import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors';
import { averageRanks, kendall, spearman } from './correlation';

describe('averageRanks', () => {
  it('ranks distinct values from 1', () => {
    expect(averageRanks([30, 10, 20])).toEqual([3, 1, 2]);
  });

  it('gives ties the mean rank', () => {
    expect(averageRanks([10, 20, 20, 5, 20])).toEqual([2, 4, 4, 1, 4]);
  });

  it('rejects NaN', () => {
    expect(() => averageRanks([1, Number.NaN])).toThrow(ValidationError);
  });
});

describe('spearman', () => {
  it('is 1 for any increasing map', () => {
    expect(spearman([1, 2, 3, 4], [1, 8, 27, 64])).toBeCloseTo(1, 12);
  });

  it('is -1 for a reversed order', () => {
    expect(spearman([1, 2, 3, 4], [9, 7, 5, 1])).toBeCloseTo(-1, 12);
  });

  it('matches 1 - 6 sum d^2 / (n(n^2-1)) without ties', () => {
    // Ranks of y: [2, 1, 4, 3, 5]; d = [-1, 1, -1, 1, 0], sum d^2 = 4.
    expect(spearman([1, 2, 3, 4, 5], [20, 10, 40, 30, 50])).toBeCloseTo(1 - (6 * 4) / (5 * 24), 12);
  });

  it('uses average ranks with ties', () => {
    // Ranks x: [1, 2.5, 2.5, 4], y: [1, 2, 3, 4]; Pearson of those by hand.
    const rx = [1, 2.5, 2.5, 4];
    const ry = [1, 2, 3, 4];
    const mean = 2.5;
    const covariance = rx.reduce((sum, r, i) => sum + (r - mean) * (ry[i] - mean), 0);
    const vx = rx.reduce((sum, r) => sum + (r - mean) ** 2, 0);
    const vy = ry.reduce((sum, r) => sum + (r - mean) ** 2, 0);
    expect(spearman([1, 5, 5, 9], [1, 2, 3, 4])).toBeCloseTo(covariance / Math.sqrt(vx * vy), 12);
  });

  it('is NaN for a constant side', () => {
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNaN();
  });

  it('is NaN for one pair', () => {
    expect(spearman([1], [2])).toBeNaN();
  });

  it('rejects unequal lengths', () => {
    expect(() => spearman([1, 2], [1])).toThrow(ValidationError);
  });
});

describe('kendall', () => {
  it('is 1 and -1 for monotone pairs', () => {
    expect(kendall([1, 2, 3, 4], [2, 4, 8, 16])).toBe(1);
    expect(kendall([1, 2, 3, 4], [16, 8, 4, 2])).toBe(-1);
  });

  it('counts concordant minus discordant pairs', () => {
    // Pairs of pairs: 10; discordant: (1,2) and (3,4); tau = (8 - 2) / 10.
    expect(kendall([1, 2, 3, 4, 5], [20, 10, 40, 30, 50])).toBeCloseTo(0.6, 12);
  });

  it('applies the tau-b tie correction', () => {
    // x ties once (pair 2,3); y has no ties. n0 = 6, concordant 5, discordant 0.
    expect(kendall([1, 5, 5, 9], [1, 2, 3, 4])).toBeCloseTo(5 / Math.sqrt(5 * 6), 12);
  });

  it('is NaN for a constant side', () => {
    expect(kendall([3, 3, 3], [1, 2, 3])).toBeNaN();
  });

  it('rejects NaN and unequal lengths', () => {
    expect(() => kendall([1, Number.NaN], [1, 2])).toThrow(ValidationError);
    expect(() => kendall([1, 2, 3], [1, 2])).toThrow(ValidationError);
  });
});
