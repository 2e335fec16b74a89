import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors';
import { validateEstimation } from './estimation-config';

describe('validateEstimation', () => {
  it('keeps undefined and weightInheritance', () => {
    expect(validateEstimation(undefined)).toBeUndefined();
    expect(validateEstimation({ weightInheritance: true })).toEqual({ weightInheritance: true });
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
