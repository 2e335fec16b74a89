import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../core/errors';
import { defaultRunConfig, validateRunConfig } from '../../core/run/config';
import { PRESET_SPACES } from '../../core/space';
import { STRATEGIES } from '../../core/strategy';
import { configToForm, formToConfig } from './runForm';

const space = PRESET_SPACES[0].space;
const base = defaultRunConfig(space);

function fieldOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof ValidationError) return error.field;
    throw error;
  }
  return undefined;
}

describe('run form', () => {
  it('round trip keeps the config', () => {
    const config = validateRunConfig({ ...base, constraints: { maxParams: 5000 } });
    const again = formToConfig(configToForm(config), space, base, STRATEGIES);
    expect(validateRunConfig(again)).toEqual(config);
  });

  it('empty constraint fields mean no constraint', () => {
    const form = { ...configToForm(base), maxParams: '', maxFlops: ' ', maxLatencyMs: '' };
    expect(formToConfig(form, space, base, STRATEGIES).constraints).toEqual({});
  });

  it.each([
    ['budget', '0', 'budget'],
    ['budget', '-1', 'budget'],
    ['budget', '', 'budget'],
    ['epochs', '1.5', 'training.epochs'],
    ['trainSize', 'abc', 'dataset.trainSize'],
    ['maxParams', '-5', 'constraints.maxParams'],
  ] as const)('%s %j fails at %s', (key, text, field) => {
    const form = { ...configToForm(base), [key]: text };
    expect(fieldOf(() => validateRunConfig(formToConfig(form, space, base, STRATEGIES)))).toBe(field);
  });

  it.each([
    ['budget', 'abc'],
    ['budget', '0x10'],
    ['seed', 'NaN'],
    ['learningRate', '1e-3abc'],
    ['maxFlops', '1e400'],
  ] as const)('%s %j is rejected showing the text', (key, text) => {
    const form = { ...configToForm(base), [key]: text };
    let message = '';
    try {
      validateRunConfig(formToConfig(form, space, base, STRATEGIES));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(`got "${text}"`);
  });

  it('strategy options are typed by their spec', () => {
    const form = { ...configToForm(base), strategy: 'evolution', strategyOptions: { populationSize: '6', sampleSize: '3', crossoverRate: '0.5' } };
    expect(formToConfig(form, space, base, STRATEGIES).strategy).toEqual({
      name: 'evolution',
      options: { populationSize: 6, sampleSize: 3, crossoverRate: 0.5 },
    });
  });

  it('options of another strategy are dropped', () => {
    const form = { ...configToForm(base), strategy: 'random', strategyOptions: { populationSize: '6' } };
    expect(formToConfig(form, space, base, STRATEGIES).strategy).toEqual({ name: 'random', options: {} });
  });
});
