// Error hierarchy shared by every layer. Each error carries a machine-readable
// code; errors that cross a worker boundary travel as plain {code, message}
// objects (toPlainError) and are rebuilt on the other side (fromPlainError).

export type ErrorCode =
  | 'invalid_config' // a space, run config or other input fails validation
  | 'infeasible' // constraints that no architecture of the space meets
  | 'evaluation_failed' // a candidate threw while building, training or measuring
  | 'worker_crashed' // a worker died (uncaught error, out of memory)
  | 'cancelled' // the user stopped the run
  | 'storage_quota' // IndexedDB refused a write because the quota is full
  | 'storage_failed' // any other IndexedDB failure
  | 'not_found'
  | 'internal';

export class NasError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NasError';
    this.code = code;
  }
}

/**
 * Invalid input. `field` is the dotted path of the offending field
 * (`stages[1].depths`), `value` the value found there; the message states the
 * rule and the fix.
 */
export class ValidationError extends NasError {
  readonly field: string;
  readonly value: unknown;

  constructor(field: string, value: unknown, message: string) {
    super('invalid_config', message);
    this.name = 'ValidationError';
    this.field = field;
    this.value = value;
  }
}

/** An error as plain data, safe to structured-clone or store. */
export interface PlainError {
  code: ErrorCode;
  message: string;
  field?: string;
}

export function toPlainError(error: unknown): PlainError {
  if (error instanceof ValidationError) {
    return { code: error.code, message: error.message, field: error.field };
  }
  if (error instanceof NasError) {
    return { code: error.code, message: error.message };
  }
  if (error instanceof Error) {
    return { code: 'internal', message: `${error.name}: ${error.message}` };
  }
  return { code: 'internal', message: String(error) };
}

export function fromPlainError(plain: PlainError): NasError {
  if (plain.code === 'invalid_config' && plain.field !== undefined) {
    return new ValidationError(plain.field, undefined, plain.message);
  }
  return new NasError(plain.code, plain.message);
}

/** Formats a value for an error message: short, JSON where possible. */
export function describeValue(value: unknown): string {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    const text = JSON.stringify(value);
    if (text === undefined) return String(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return String(value);
  }
}
