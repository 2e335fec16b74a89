import { describe, expect, it } from 'vitest';
import {
  bestWithin,
  replayCurveStop,
  replayFullTraining,
  replayPatience,
  replayPredictorFilter,
  replaySuccessiveHalving,
  rungEpochs,
} from './simulate';

/** Nine saturating curves over 9 epochs whose final accuracy grows with the index. */
const curves = Array.from({ length: 9 }, (_, i) => Array.from({ length: 9 }, (_, e) => (0.5 + 0.04 * i) * (1 - 0.6 * Math.exp(-0.6 * (e + 1)))));

describe('replays', () => {
  it('bestWithin reads only the first epochs', () => {
    expect(bestWithin([0.1, 0.5, 0.3], 1)).toBe(0.1);
    expect(bestWithin([0.1, 0.5, 0.3], 5)).toBe(0.5);
    expect(bestWithin([], 3)).toBe(-1);
  });

  it('full training trains every epoch', () => {
    expect(replayFullTraining(curves)).toEqual({ epochs: 81, picked: 8, stopped: 0 });
  });

  it('patience stops a flat curve', () => {
    const result = replayPatience([[0.5, 0.5, 0.5, 0.5], [0.2, 0.3, 0.4, 0.6]], 2);
    expect(result).toEqual({ epochs: 3 + 4, picked: 1, stopped: 1 });
  });

  it('rungs grow by eta up to the maximum', () => {
    expect(rungEpochs(1, 3, 9)).toEqual([1, 3, 9]);
    expect(rungEpochs(1, 3, 3)).toEqual([1, 3]);
    expect(rungEpochs(2, 2, 5)).toEqual([2, 4, 5]);
  });

  it('successive halving counts resumed epochs once', () => {
    // Rungs 1, 3, 9: 9 x 1 epoch, then 3 x 2 more, then 1 x 6 more.
    expect(replaySuccessiveHalving(curves, 1, 3, 9)).toEqual({ epochs: 9 + 6 + 6, picked: 8, stopped: 8 });
  });

  it('curve stop prunes curves far below the best', () => {
    const order = [8, 7, 6, 0, 1, 2, 3, 4, 5];
    const result = replayCurveStop(curves, order, { kthBest: 2, probability: 0.9, minEpochs: 3 }, 9, 1000);
    expect(result.picked).toBe(8);
    expect(result.stopped).toBeGreaterThan(0);
    expect(result.epochs).toBeLessThan(81);
  });

  it('predictor filter skips predicted poor candidates', () => {
    // The encoding is the binary form of the index, so a model can learn the order.
    const encodings = curves.map((_, i) => [i & 1, (i >> 1) & 1, (i >> 2) & 1, (i >> 3) & 1].map(Number));
    const order = [8, 0, 7, 1, 6, 2, 3, 4, 5];
    const result = replayPredictorFilter(curves, encodings, order, { model: 'gp', minTrials: 5, keepFraction: 0.5 }, 1);
    expect(result.picked).toBe(8);
    expect(result.stopped).toBeGreaterThan(0);
    expect(result.epochs).toBe(9 * (9 - result.stopped));
  });
});
