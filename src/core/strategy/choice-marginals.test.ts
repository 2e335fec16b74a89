import { describe, expect, it } from 'vitest';
import { ChoiceMarginals, PRIOR_OBSERVATIONS } from './choice-marginals';

describe('ChoiceMarginals', () => {
  it('scores zero before any result', () => {
    expect(new ChoiceMarginals(4).score([1, 0, 1, 0])).toBe(0);
  });

  it('shrinks choice means to the overall mean', () => {
    const marginals = new ChoiceMarginals(4);
    // Two decisions of two options each: [a0, a1, b0, b1].
    marginals.add([1, 0, 1, 0], 0.8);
    marginals.add([0, 1, 1, 0], 0.4);
    const overall = (0.8 + 0.8 + 0.4 + 0.4) / 4;
    const shrunk = (sum: number, count: number): number => (sum + PRIOR_OBSERVATIONS * overall) / (count + PRIOR_OBSERVATIONS);

    expect(marginals.score([1, 0, 0, 0])).toBeCloseTo(shrunk(0.8, 1), 12);
    expect(marginals.score([0, 1, 0, 0])).toBeCloseTo(shrunk(0.4, 1), 12);
    expect(marginals.score([0, 0, 1, 0])).toBeCloseTo(shrunk(1.2, 2), 12);
    // An unseen choice scores the overall mean.
    expect(marginals.score([0, 0, 0, 1])).toBeCloseTo(overall, 12);
    expect(marginals.score([1, 0, 0, 1])).toBeCloseTo(shrunk(0.8, 1) + overall, 12);
  });

  it('ranks the better choice first', () => {
    const marginals = new ChoiceMarginals(4);
    marginals.add([1, 0, 1, 0], 0.8);
    marginals.add([0, 1, 1, 0], 0.4);
    expect(marginals.score([1, 0, 1, 0])).toBeGreaterThan(marginals.score([0, 1, 1, 0]));
  });

  it('restores from its state', () => {
    const marginals = new ChoiceMarginals(3);
    marginals.add([1, 0, 1], 0.6);
    marginals.add([0, 1, 1], 0.2);
    const restored = new ChoiceMarginals(3, marginals.state());
    expect(restored.state()).toEqual(marginals.state());
    expect(restored.score([1, 0, 0])).toBe(marginals.score([1, 0, 0]));
  });

  it('rejects state of another length', () => {
    expect(() => new ChoiceMarginals(3, { sums: [0, 0], counts: [0, 0] })).toThrow(/must have 3 sums and counts.*got 2 and 2/);
  });
});
