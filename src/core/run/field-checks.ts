// Field checks for stored run data (run records and trials read back from a
// bundle or a run directory). Each check throws ValidationError naming the
// field path, the rule, the value and the caller's fix.
import { describeValue, ValidationError } from '../errors';

/** Joins a field path and a member name, or returns the name alone when the path is empty. */
export function fieldPath(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

/** Returns a ValidationError reading `<field> <rule>, got <value>: <fix>`. */
export function invalidField(field: string, value: unknown, rule: string, fix: string): ValidationError {
  return new ValidationError(field, value, `${field} ${rule}, got ${describeValue(value)}: ${fix}`);
}

/** Checks the fields of stored data, every message ending with the same fix. */
export class FieldChecker {
  readonly fix: string;

  constructor(fix: string) {
    this.fix = fix;
  }

  fail(field: string, value: unknown, rule: string): never {
    throw invalidField(field, value, rule, this.fix);
  }

  object(value: unknown, field: string): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(field, value, 'must be an object');
    return value as Record<string, unknown>;
  }

  array(value: unknown, field: string, items: string): unknown[] {
    if (!Array.isArray(value)) this.fail(field, value, `must be an array of ${items}`);
    return value;
  }

  string(value: unknown, field: string): string {
    if (typeof value !== 'string') this.fail(field, value, 'must be a string');
    return value;
  }

  nonEmptyString(value: unknown, field: string): string {
    if (typeof value !== 'string' || value.length === 0) this.fail(field, value, 'must be a non-empty string');
    return value;
  }

  boolean(value: unknown, field: string): boolean {
    if (typeof value !== 'boolean') this.fail(field, value, 'must be true or false');
    return value;
  }

  finiteNumber(value: unknown, field: string): number {
    if (typeof value !== 'number' || !Number.isFinite(value)) this.fail(field, value, 'must be a finite number');
    return value;
  }

  nonNegativeNumber(value: unknown, field: string): number {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) this.fail(field, value, 'must be a non-negative finite number');
    return value;
  }

  fraction(value: unknown, field: string): number {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) this.fail(field, value, 'must be a number from 0 to 1');
    return value;
  }

  nonNegativeInteger(value: unknown, field: string): number {
    if (!Number.isSafeInteger(value) || (value as number) < 0) this.fail(field, value, 'must be a non-negative integer');
    return value as number;
  }

  /** Checks an integer in [min, max]. */
  integerInRange(value: unknown, field: string, min: number, max: number): number {
    if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max) {
      this.fail(field, value, `must be an integer from ${min} to ${max}`);
    }
    return value as number;
  }

  oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
    if (!allowed.includes(value as T)) this.fail(field, value, `must be one of ${allowed.join(', ')}`);
    return value as T;
  }

  /** Runs `check` on `value` unless it is undefined, because the field is optional. */
  optional<T>(value: unknown, field: string, check: (value: unknown, field: string) => T): T | undefined {
    return value === undefined ? undefined : check.call(this, value, field);
  }
}
