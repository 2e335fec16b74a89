import { describe, expect, it } from 'vitest';
import { mean, median, populationStd } from './statistics';

describe('statistics', () => {
  it('mean and population std divide by n', () => {
    expect(mean([1, 2, 3, 6])).toBe(3);
    expect(populationStd([1, 2, 3, 6])).toBeCloseTo(Math.sqrt(3.5), 12);
    expect(populationStd([7])).toBe(0);
  });

  it('empty lists give NaN', () => {
    expect(mean([])).toBeNaN();
    expect(populationStd([])).toBeNaN();
    expect(median([])).toBeNaN();
  });

  it.each([
    [[5, 1, 3], 3],
    [[4, 1, 3, 2], 2.5],
    [[1, Infinity, 2], 2],
    [[1, 2, Infinity, Infinity], Infinity],
    [[1, Infinity, Infinity], Infinity],
  ])('median of %j is %d', (values, expected) => {
    expect(median(values)).toBe(expected);
  });
});
