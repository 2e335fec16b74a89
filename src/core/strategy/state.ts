// Checks for serialised strategy state read back from storage, so a state
// that belongs to another strategy or was damaged fails with a clear error
// instead of a wrong search.
import { describeValue, ValidationError } from '../errors';
import type { Random, RandomState } from '../random';

/**
 * Returns `state` as an object whose `kind` equals `kind`.
 * Throws ValidationError naming `strategyState` otherwise.
 */
export function readStateObject(state: unknown, kind: string): Record<string, unknown> {
  if (typeof state !== 'object' || state === null || (state as { kind?: unknown }).kind !== kind) {
    throw new ValidationError(
      'strategyState',
      state,
      `strategyState must be the saved state of the ${kind} strategy, got ${describeValue(state)}: start a new run or restore the state saved by this strategy`,
    );
  }
  return state as Record<string, unknown>;
}

/**
 * Returns the generator state as four uint32 words. Random.state() may return
 * a word as a signed int32, which the Random constructor accepts but
 * readRandomState does not.
 */
export function saveRandomState(random: Random): RandomState {
  return random.state().map((word) => word >>> 0) as RandomState;
}

/** Returns `value` as four uint32 words of generator state; throws ValidationError naming `field` otherwise. */
export function readRandomState(value: unknown, field: string): RandomState {
  const valid =
    Array.isArray(value) &&
    value.length === 4 &&
    value.every((word) => Number.isInteger(word) && word >= 0 && word <= 0xffffffff);
  if (!valid) {
    throw new ValidationError(
      field,
      value,
      `${field} must be four uint32 words of generator state, got ${describeValue(value)}: restore the state saved by this strategy`,
    );
  }
  return value as RandomState;
}

/** Returns `value` as an array; throws ValidationError naming `field` otherwise. */
export function readArray(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) {
    throw new ValidationError(
      field,
      value,
      `${field} must be an array, got ${describeValue(value)}: restore the state saved by this strategy`,
    );
  }
  return value;
}

/** Builds the ValidationError for a saved-state field that is not `expected`. */
export function invalidStateField(field: string, value: unknown, expected: string): ValidationError {
  return new ValidationError(
    field,
    value,
    `${field} must be ${expected}, got ${describeValue(value)}: restore the state saved by this strategy`,
  );
}

/** Returns `value` as a non-negative integer; throws ValidationError naming `field` otherwise. */
export function readCount(value: unknown, field: string): number {
  if (!Number.isInteger(value) || (value as number) < 0) throw invalidStateField(field, value, 'a non-negative integer');
  return value as number;
}
