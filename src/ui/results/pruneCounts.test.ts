import { describe, expect, it } from 'vitest';
import { pruneCounts } from './pruneCounts';

describe('pruneCounts', () => {
  it('tells filtered and curve-stopped trials apart', () => {
    const trials = [
      { status: 'pruned', curve: [] },
      { status: 'pruned', curve: [1, 2] },
      { status: 'pruned', curve: [1, 2, 3] },
      { status: 'done', curve: [1] },
      { status: 'failed', curve: [] },
    ];
    expect(pruneCounts(trials, 10)).toEqual({ curveStopped: 2, epochsSaved: 15, filtered: 1 });
  });
});
