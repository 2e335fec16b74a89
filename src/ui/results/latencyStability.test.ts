import { describe, expect, it } from 'vitest';
import { isLatencyUnstable } from './latencyStability';

describe('isLatencyUnstable', () => {
  it('p90 above twice the median is unstable', () => {
    expect(isLatencyUnstable(2, 4.01)).toBe(true);
  });

  it('p90 at twice the median is stable', () => {
    expect(isLatencyUnstable(2, 4)).toBe(false);
  });

  it('close p90 is stable', () => {
    expect(isLatencyUnstable(2, 2.5)).toBe(false);
  });

  it('zero or non-finite inputs are not judged', () => {
    expect(isLatencyUnstable(0, 5)).toBe(false);
    expect(isLatencyUnstable(Number.NaN, 5)).toBe(false);
    expect(isLatencyUnstable(2, Number.POSITIVE_INFINITY)).toBe(false);
  });
});
