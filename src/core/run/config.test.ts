import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors';
import { PRESET_SPACES } from '../space';
import { checkFeasibility, defaultRunConfig, validateRunConfig } from './config';
import type { RunConfig } from './types';

function withField(path: string, value: unknown): unknown {
  const config = structuredClone(defaultRunConfig(undefined, 2)) as unknown as Record<string, unknown>;
  const keys = path.split('.');
  let target = config;
  for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
  target[keys.at(-1) as string] = value;
  return config;
}

describe('validateRunConfig', () => {
  it('accepts the default config', () => {
    const config = defaultRunConfig(undefined, 2);
    expect(validateRunConfig(config)).toEqual(config);
  });

  it('accepts every preset space', () => {
    for (const { space } of PRESET_SPACES) {
      expect(validateRunConfig(defaultRunConfig(space, 1)).space).toEqual(space);
    }
  });

  it('fills in strategy defaults', () => {
    const config = validateRunConfig(withField('strategy.options', {}));
    expect(config.strategy.options).toEqual({ populationSize: 10, sampleSize: 3, crossoverRate: 0 });
  });

  it('rejects a scheduler minEpochs of full training', () => {
    const config = withField('estimation', { scheduler: { kind: 'successive-halving', minEpochs: 2, eta: 2 } });
    expect(() => validateRunConfig(config)).toThrow(
      'estimation.scheduler.minEpochs must be less than training.epochs (2), got 2: lower minEpochs or raise training.epochs',
    );
  });

  it('rejects budget 0 with the fix', () => {
    expect(() => validateRunConfig(withField('budget', 0))).toThrow(
      'budget must be a positive integer, got 0: set budget to 1 or more',
    );
  });

  it.each([
    ['budget', -3],
    ['budget', 2.5],
    ['seed', -1],
    ['seed', 2 ** 32],
    ['workers', 0],
    ['backend', 'gpu'],
    ['costObjective', 'accuracy'],
    ['dataset.name', 'cifar10'],
    ['dataset.trainSize', 0],
    ['dataset.trainSize', 9_600],
    ['dataset.trainSize', 20_000],
    ['dataset.validationSize', 9_800],
    ['dataset.testSize', 10_001],
    ['training.epochs', 0],
    ['training.batchSize', 0],
    ['training.optimizer', 'rmsprop'],
    ['training.learningRate', 0],
    ['training.learningRate', Number.NaN],
    ['training.momentum', 1],
    ['training.schedule', 'linear'],
    ['training.patience', -1],
    ['constraints.maxParams', 0],
    ['constraints.maxFlops', -5],
    ['constraints.maxLatencyMs', 'fast'],
    ['constraints.maxMemory', 10],
    ['strategy.name', 'bayesian'],
    ['strategy.options.populationSize', 1],
    ['strategy.options.sampleSize', 11],
    ['strategy.options.crossoverRate', 1.5],
    ['strategy.options.mutationRate', 0.5],
    ['space.family', 'transformer'],
  ])('rejects %s = %s naming the field', (field, value) => {
    let error: unknown;
    try {
      validateRunConfig(withField(field, value));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field.startsWith(field.split('.').slice(0, 2).join('.'))).toBe(true);
    expect((error as ValidationError).message).toContain(field.split('.')[0]);
  });

  it('rejects a budget above the space size', () => {
    const config = withField('budget', 20_000);
    expect(() => validateRunConfig(config)).toThrow(ValidationError);
    expect(() => validateRunConfig(config)).toThrow(/budget must be at most the 15625 architectures .*got 20000: set budget to 15625 or less/);
  });

  it('accepts a budget equal to the space size', () => {
    expect(validateRunConfig(withField('budget', 15_625)).budget).toBe(15_625);
  });

  it('rejects a non-object config', () => {
    expect(() => validateRunConfig(null)).toThrow(/config must be an object/);
  });
});

describe('checkFeasibility', () => {
  const base: RunConfig = defaultRunConfig(undefined, 1);

  it('accepts a config without constraints', () => {
    expect(checkFeasibility(base)).toBeUndefined();
  });

  it.each(['maxParams', 'maxFlops'] as const)('names %s below the minimum', (field) => {
    const error = checkFeasibility({ ...base, constraints: { [field]: 1 } });
    expect(error?.code).toBe('infeasible');
    expect(error?.message).toMatch(new RegExp(`constraints\\.${field} is 1, but the smallest architecture of space .* has \\d+`));
  });

  it('accepts a generous limit', () => {
    expect(checkFeasibility({ ...base, constraints: { maxParams: 1e12, maxFlops: 1e15 } })).toBeUndefined();
  });
});
