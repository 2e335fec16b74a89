import { describe, expect, it } from 'vitest';
import { theoreticalPeak } from './cpu-peak';

describe('theoreticalPeak', () => {
  it('counts 16 lanes with AVX-512', () => {
    const peak = theoreticalPeak(2, 2500, 'sse avx avx2 fma avx512f');
    expect(peak.fmaLanes).toBe(16);
    expect(peak.gflops).toBeCloseTo(2 * 2.5 * 2 * 16 * 2);
  });

  it('counts 8 lanes with AVX2 and FMA', () => {
    expect(theoreticalPeak(4, 3000, 'sse avx avx2 fma').gflops).toBeCloseTo(4 * 3 * 2 * 8 * 2);
  });

  it('halves the peak without FMA', () => {
    expect(theoreticalPeak(1, 1000, 'sse sse2').gflops).toBeCloseTo(1 * 1 * 2 * 4 * 1);
  });
});
