// Field checks shared by the space families. Each check takes the dotted path
// of the field (`stages[1].depths`) so that a ValidationError names it, and
// each message states the rule, the value found and the fix.
import { ValidationError, describeValue } from '../errors';
import type { InputSpec } from './types';

/** Largest width or channel count a space may ask for. */
export const MAX_CHANNELS = 1024;
/** Largest number of searched layers or blocks of one stage. */
export const MAX_DEPTH = 32;

/** Returns `value` as a plain object or throws ValidationError naming `field`. */
export function expectRecord(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError(field, value, `${field} must be an object, got ${describeValue(value)}: pass a JSON object`);
  }
  return value as Record<string, unknown>;
}

/** Throws ValidationError unless `record.family` is `family`. */
export function expectFamily(record: Record<string, unknown>, family: string, path: string): void {
  const field = joinPath(path, 'family');
  if (record.family !== family) {
    throw new ValidationError(field, record.family, `${field} must be "${family}", got ${describeValue(record.family)}`);
  }
}

/** Returns a non-empty string or throws ValidationError naming `field`. */
export function expectName(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ValidationError(field, value, `${field} must be a non-empty string, got ${describeValue(value)}: give the space a name`);
  }
  return value;
}

/**
 * Returns an integer in [min, max] or throws ValidationError naming `field`.
 * `what` names the quantity in the message, e.g. "a depth".
 */
export function expectInteger(value: unknown, field: string, min: number, max: number, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const reason = value === undefined ? 'is missing' : `got ${describeValue(value)}`;
    throw new ValidationError(
      field,
      value,
      `${field} must be ${what}, an integer from ${min} to ${max}, ${reason}: set it within that range`,
    );
  }
  return value;
}

/** Returns `value` if it is one of `allowed`, else throws ValidationError listing them. */
export function expectOneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    const reason = value === undefined ? 'is missing' : `got ${describeValue(value)}`;
    throw new ValidationError(field, value, `${field} must be one of ${allowed.join(', ')}, ${reason}`);
  }
  return value as T;
}

/**
 * Returns a copy of a list of choices after checking each item with
 * `checkItem(item, itemField)`. The list must be an array, non-empty unless
 * `allowEmpty`, and without duplicates.
 */
export function expectList<T>(
  value: unknown,
  field: string,
  checkItem: (item: unknown, itemField: string) => T,
  allowEmpty = false,
): T[] {
  if (!Array.isArray(value)) {
    const reason = value === undefined ? 'is missing' : `got ${describeValue(value)}`;
    throw new ValidationError(field, value, `${field} must be an array, ${reason}: list the allowed choices`);
  }
  if (value.length === 0 && !allowEmpty) {
    throw new ValidationError(field, value, `${field} must list at least one choice, got []: add a choice`);
  }
  const items = value.map((item, index) => checkItem(item, `${field}[${index}]`));
  const seen = new Set<T>();
  items.forEach((item, index) => {
    if (seen.has(item)) {
      throw new ValidationError(
        `${field}[${index}]`,
        item,
        `${field}[${index}] repeats the choice ${describeValue(item)}, but ${field} must not list a choice twice: remove the duplicate`,
      );
    }
    seen.add(item);
  });
  return items;
}

/** Checks an InputSpec: positive integer height, width, channels and at least 2 classes. */
export function validateInput(input: InputSpec): void {
  const shape: unknown = input?.inputShape;
  if (!Array.isArray(shape) || shape.length !== 3) {
    throw new ValidationError('inputShape', shape, `inputShape must be [height, width, channels], got ${describeValue(shape)}`);
  }
  shape.forEach((size, index) => expectInteger(size, `inputShape[${index}]`, 1, 65536, 'a size'));
  expectInteger(input.numClasses, 'numClasses', 2, 1_000_000, 'a class count');
}

/** Joins a parent path and a key into a dotted field path. */
export function joinPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}
