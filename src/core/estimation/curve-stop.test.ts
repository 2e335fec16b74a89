import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors';
import { validateCurveStopConfig, validatePredictorFilterConfig } from './config';
import { decideCurveStop } from './curve-stop';

const rule = { kthBest: 2, probability: 0.9, minEpochs: 3, threshold: 0.95 };
/** A curve saturating near 0.8, far below the threshold 0.95. */
const poor = [0.5, 0.65, 0.72, 0.76, 0.78];
/** A curve still rising fast towards about 0.97. */
const promising = [0.6, 0.8, 0.88, 0.92];

describe('decideCurveStop', () => {
  it('stops a curve that saturates below the threshold', () => {
    const decision = decideCurveStop(poor, 20, rule, 1000);
    expect(decision?.stop).toBe(true);
    expect(decision?.probability).toBeGreaterThanOrEqual(0.9);
    expect(decision?.predictedAccuracy).toBeLessThan(0.9);
    expect(decision?.reason).toMatch(/^curve stop after 5 of 20 epochs: predicted final accuracy \d+\.\d% is below the 2nd best 95\.0%/);
  });

  it('keeps a curve that may still reach the threshold', () => {
    const decision = decideCurveStop(promising, 20, { ...rule, threshold: 0.93 }, 1000);
    expect(decision?.stop).toBe(false);
    expect(decision?.reason).toBeUndefined();
  });

  it('keeps a curve whose best epoch reached the threshold', () => {
    const decision = decideCurveStop([0.5, 0.96, 0.6], 20, rule, 1000);
    expect(decision).toEqual(expect.objectContaining({ stop: false, probability: 0 }));
  });

  it('waits for minEpochs', () => {
    expect(decideCurveStop(poor.slice(0, 2), 20, rule)).toBeUndefined();
  });

  it('does nothing at the final epoch', () => {
    expect(decideCurveStop(poor, 5, rule)).toBeUndefined();
  });
});

describe('validateCurveStopConfig', () => {
  it('accepts a valid config', () => {
    expect(validateCurveStopConfig({ kthBest: 3, probability: 0.95, minEpochs: 2 })).toEqual({ kthBest: 3, probability: 0.95, minEpochs: 2 });
  });

  it.each([
    [{ kthBest: 0, probability: 0.9, minEpochs: 2 }, 'estimation.curveStop.kthBest'],
    [{ kthBest: 1, probability: 1, minEpochs: 2 }, 'estimation.curveStop.probability'],
    [{ kthBest: 1, probability: 0.9, minEpochs: 1 }, 'estimation.curveStop.minEpochs'],
    [{ kthBest: 1, probability: 0.9, minEpochs: 2, k: 1 }, 'estimation.curveStop.k'],
    ['yes', 'estimation.curveStop'],
  ])('rejects %j naming %s', (value, field) => {
    try {
      validateCurveStopConfig(value);
      expect.unreachable('no error was thrown');
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe(field);
    }
  });
});

describe('validatePredictorFilterConfig', () => {
  it('accepts a valid config', () => {
    const config = { model: 'gp', minTrials: 5, keepFraction: 1 };
    expect(validatePredictorFilterConfig(config)).toEqual(config);
  });

  it.each([
    [{ model: 'svm', minTrials: 5, keepFraction: 0.5 }, 'estimation.predictorFilter.model'],
    [{ model: 'mlp', minTrials: 1, keepFraction: 0.5 }, 'estimation.predictorFilter.minTrials'],
    [{ model: 'mlp', minTrials: 5, keepFraction: 0 }, 'estimation.predictorFilter.keepFraction'],
    [null, 'estimation.predictorFilter'],
  ])('rejects %j naming %s', (value, field) => {
    expect(() => validatePredictorFilterConfig(value)).toThrow(ValidationError);
    try {
      validatePredictorFilterConfig(value);
    } catch (error) {
      expect((error as ValidationError).field).toBe(field);
    }
  });
});
