// Validation of RunConfig.estimation: the shape of the object and its known
// fields. Each field's own rules live beside the feature that uses it and
// are called from here.
import { describeValue, ValidationError } from '../errors';
import { validateCurveStopConfig, validatePredictorFilterConfig } from '../estimation/config';
import { validateProxyConfig } from './proxy-config';
import { validateSchedulerConfig } from './scheduler-config';
import type { EstimationConfig } from './types';

const FIELDS: readonly (keyof EstimationConfig)[] = [
  'scheduler',
  'curveStop',
  'proxy',
  'predictorFilter',
  'weightInheritance',
];

/**
 * Validates an untrusted `estimation` value. Undefined stays undefined.
 * Throws ValidationError naming `estimation.<field>` for an unknown field or
 * a value that breaks its rule.
 */
export function validateEstimation(value: unknown): EstimationConfig | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError(
      'estimation',
      value,
      `estimation must be an object, got ${describeValue(value)}: remove it or set it to {}`,
    );
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!FIELDS.includes(key as keyof EstimationConfig)) {
      throw new ValidationError(
        `estimation.${key}`,
        record[key],
        `estimation.${key} is an unknown setting: use one of ${FIELDS.join(', ')}`,
      );
    }
  }

  const result: EstimationConfig = {};
  if (record.scheduler !== undefined) result.scheduler = validateSchedulerConfig(record.scheduler);
  if (record.curveStop !== undefined) result.curveStop = validateCurveStopConfig(record.curveStop);
  if (record.predictorFilter !== undefined) result.predictorFilter = validatePredictorFilterConfig(record.predictorFilter);
  if (record.proxy !== undefined) result.proxy = validateProxyConfig(record.proxy);
  if (record.weightInheritance !== undefined) {
    if (typeof record.weightInheritance !== 'boolean') {
      throw new ValidationError(
        'estimation.weightInheritance',
        record.weightInheritance,
        `estimation.weightInheritance must be true or false, got ${describeValue(record.weightInheritance)}: set it to true or false`,
      );
    }
    result.weightInheritance = record.weightInheritance;
  }
  return result;
}
