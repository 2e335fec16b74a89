// Validation of RunConfig.estimation.scheduler on its own, and of how it
// fits the training epochs of the run config.
import { describeValue, ValidationError } from '../errors';
import type { SchedulerConfig } from './types';

export const SCHEDULER_KINDS: readonly SchedulerConfig['kind'][] = ['successive-halving', 'hyperband'];

/** Largest reduction factor accepted; a larger one promotes almost nothing. */
const MAX_ETA = 100;

/**
 * Validates an untrusted `estimation.scheduler` value. Throws
 * ValidationError naming `estimation.scheduler.<field>` for an unknown
 * field, a kind other than successive-halving or hyperband, minEpochs below
 * 1 or eta outside [2, 100] (both integers).
 */
export function validateSchedulerConfig(value: unknown): SchedulerConfig {
  const field = 'estimation.scheduler';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError(
      field,
      value,
      `${field} must be an object such as {"kind": "hyperband", "minEpochs": 1, "eta": 3}, got ${describeValue(value)}`,
    );
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (key !== 'kind' && key !== 'minEpochs' && key !== 'eta') {
      throw new ValidationError(`${field}.${key}`, record[key], `${field}.${key} is an unknown setting: use kind, minEpochs and eta`);
    }
  }

  const kind = record.kind;
  if (typeof kind !== 'string' || !SCHEDULER_KINDS.includes(kind as SchedulerConfig['kind'])) {
    throw new ValidationError(
      `${field}.kind`,
      kind,
      `${field}.kind must be one of ${SCHEDULER_KINDS.join(', ')}, got ${describeValue(kind)}: pick one of them`,
    );
  }
  const minEpochs = readInteger(record.minEpochs, `${field}.minEpochs`, 1, 1000, 'set it to 1 or more epochs');
  const eta = readInteger(record.eta, `${field}.eta`, 2, MAX_ETA, 'use 3, the usual reduction factor, or 2');
  return { kind: kind as SchedulerConfig['kind'], minEpochs, eta };
}

/**
 * Rejects a scheduler whose lowest rung is not shorter than full training,
 * because it would have a single rung and promote nothing. Throws
 * ValidationError naming `estimation.scheduler.minEpochs`.
 */
export function checkSchedulerFitsTraining(scheduler: SchedulerConfig, trainingEpochs: number): void {
  if (scheduler.minEpochs >= trainingEpochs) {
    throw new ValidationError(
      'estimation.scheduler.minEpochs',
      scheduler.minEpochs,
      `estimation.scheduler.minEpochs must be less than training.epochs (${trainingEpochs}), got ${scheduler.minEpochs}: ` +
        `lower minEpochs or raise training.epochs`,
    );
  }
}

function readInteger(value: unknown, field: string, min: number, max: number, fix: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(field, value, `${field} must be an integer in [${min}, ${max}], got ${describeValue(value)}: ${fix}`);
  }
  return value;
}
