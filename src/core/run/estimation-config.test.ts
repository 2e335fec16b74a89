import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors';
import { validateEstimation } from './estimation-config';

describe('validateEstimation', () => {
  it('keeps undefined and a scheduler', () => {
    expect(validateEstimation(undefined)).toBeUndefined();
    const scheduler = { kind: 'hyperband', minEpochs: 1, eta: 3 };
    expect(validateEstimation({ scheduler })).toEqual({ scheduler });
  });

  it('keeps weightInheritance and rejects a non-boolean', () => {
    expect(validateEstimation({ weightInheritance: true })).toEqual({ weightInheritance: true });
    expect(() => validateEstimation({ weightInheritance: 'yes' })).toThrow(/estimation\.weightInheritance must be true or false, got "yes"/);
  });

  it.each([
    [{ kind: 'bohb', minEpochs: 1, eta: 3 }, /estimation\.scheduler\.kind must be one of successive-halving, hyperband, got "bohb"/],
    [{ kind: 'hyperband', minEpochs: 0, eta: 3 }, /estimation\.scheduler\.minEpochs must be an integer in \[1, 1000\], got 0/],
    [{ kind: 'hyperband', minEpochs: 1, eta: 1 }, /estimation\.scheduler\.eta must be an integer in \[2, 100\], got 1/],
    [{ kind: 'hyperband', minEpochs: 1, eta: 3, rungs: 4 }, /estimation\.scheduler\.rungs is an unknown setting/],
    ['hyperband', /estimation\.scheduler must be an object/],
  ])('rejects scheduler %j', (scheduler, message) => {
    expect(() => validateEstimation({ scheduler })).toThrow(message);
  });

  it('keeps a curve stop and a predictor filter', () => {
    const curveStop = { kthBest: 3, probability: 0.95, minEpochs: 2 };
    const predictorFilter = { model: 'trees', minTrials: 10, keepFraction: 0.5 };
    expect(validateEstimation({ curveStop, predictorFilter })).toEqual({ curveStop, predictorFilter });
  });

  it('rejects an invalid curve stop', () => {
    expect(() => validateEstimation({ curveStop: { kthBest: 3, probability: 2, minEpochs: 2 } })).toThrow(
      /estimation\.curveStop\.probability must be a number in \(0, 1\), got 2/,
    );
  });

  it('names an unknown field', () => {
    expect(() => validateEstimation({ shortcut: 1 })).toThrow(/estimation\.shortcut is an unknown setting/);
  });

  it('rejects a non-object with the field name', () => {
    const error = (() => {
      try {
        validateEstimation([]);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('estimation');
  });
});
