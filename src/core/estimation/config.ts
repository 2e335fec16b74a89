// Validation of the curve-stop and predictor-filter settings of
// RunConfig.estimation; estimation-config.ts calls these for its fields.
import { describeValue, ValidationError } from '../errors';
import type { CurveStopConfig, PredictorFilterConfig } from '../run/types';

const PREDICTOR_MODELS: readonly PredictorFilterConfig['model'][] = ['gp', 'mlp', 'trees'];

function asRecord(field: string, value: unknown, example: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError(field, value, `${field} must be an object, got ${describeValue(value)}: use e.g. ${example} or remove it`);
  }
  return value as Record<string, unknown>;
}

function rejectUnknown(field: string, record: Record<string, unknown>, known: readonly string[]): void {
  for (const key of Object.keys(record)) {
    if (!known.includes(key)) {
      throw new ValidationError(`${field}.${key}`, record[key], `${field}.${key} is an unknown setting: use ${known.join(', ')}`);
    }
  }
}

function integerAtLeast(field: string, value: unknown, minimum: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum) {
    throw new ValidationError(field, value, `${field} must be an integer of at least ${minimum}, got ${describeValue(value)}: set it to ${minimum} or more`);
  }
  return value;
}

/**
 * Validates `estimation.curveStop`: kthBest an integer >= 1, probability in
 * (0, 1), minEpochs an integer >= 2 (a curve needs two points to fit).
 * Throws ValidationError naming the field.
 */
export function validateCurveStopConfig(value: unknown): CurveStopConfig {
  const field = 'estimation.curveStop';
  const record = asRecord(field, value, '{"kthBest": 3, "probability": 0.95, "minEpochs": 2}');
  rejectUnknown(field, record, ['kthBest', 'probability', 'minEpochs']);
  const kthBest = integerAtLeast(`${field}.kthBest`, record.kthBest, 1);
  const probability = record.probability;
  if (typeof probability !== 'number' || !(probability > 0 && probability < 1)) {
    throw new ValidationError(
      `${field}.probability`,
      probability,
      `${field}.probability must be a number in (0, 1), got ${describeValue(probability)}: try 0.95`,
    );
  }
  const minEpochs = integerAtLeast(`${field}.minEpochs`, record.minEpochs, 2);
  return { kthBest, probability, minEpochs };
}

/**
 * Validates `estimation.predictorFilter`: model one of gp, mlp, trees;
 * minTrials an integer >= 2; keepFraction in (0, 1]. Throws ValidationError
 * naming the field.
 */
export function validatePredictorFilterConfig(value: unknown): PredictorFilterConfig {
  const field = 'estimation.predictorFilter';
  const record = asRecord(field, value, '{"model": "trees", "minTrials": 10, "keepFraction": 0.5}');
  rejectUnknown(field, record, ['model', 'minTrials', 'keepFraction']);
  const model = record.model;
  if (!PREDICTOR_MODELS.includes(model as PredictorFilterConfig['model'])) {
    throw new ValidationError(`${field}.model`, model, `${field}.model must be one of ${PREDICTOR_MODELS.join(', ')}, got ${describeValue(model)}`);
  }
  const minTrials = integerAtLeast(`${field}.minTrials`, record.minTrials, 2);
  const keepFraction = record.keepFraction;
  if (typeof keepFraction !== 'number' || !(keepFraction > 0 && keepFraction <= 1)) {
    throw new ValidationError(
      `${field}.keepFraction`,
      keepFraction,
      `${field}.keepFraction must be a number in (0, 1], got ${describeValue(keepFraction)}: try 0.5`,
    );
  }
  return { model: model as PredictorFilterConfig['model'], minTrials, keepFraction };
}
