import { describe, expect, it } from 'vitest';
import { logAbsDeterminant } from './log-determinant';

describe('logAbsDeterminant', () => {
  it('matches ad - bc for 2 x 2', () => {
    expect(logAbsDeterminant([4, 1, 2, 3], 2)).toBeCloseTo(Math.log(10), 12);
  });

  it('needs pivoting for a zero first entry', () => {
    // det [[0, 2], [3, 1]] = -6.
    expect(logAbsDeterminant([0, 2, 3, 1], 2)).toBeCloseTo(Math.log(6), 12);
  });

  it('sums the logs of a diagonal', () => {
    expect(logAbsDeterminant([2, 0, 0, 0, 5, 0, 0, 0, 7], 3)).toBeCloseTo(Math.log(70), 12);
  });

  it('is -Infinity for a singular matrix', () => {
    expect(logAbsDeterminant([1, 2, 2, 4], 2)).toBe(Number.NEGATIVE_INFINITY);
    expect(logAbsDeterminant([0, 0, 0, 0], 2)).toBe(Number.NEGATIVE_INFINITY);
  });

  it('rejects a wrong value count', () => {
    expect(() => logAbsDeterminant([1, 2, 3], 2)).toThrow(RangeError);
  });
});
