import { describe, expect, it } from 'vitest';
import { defaultRunConfig, validateRunConfig } from '../../core/run/config';
import { PRESET_SPACES } from '../../core/space';
import { STRATEGIES } from '../../core/strategy';
import { configToForm, formToConfig } from './runForm';
import { applyStopFilterForm, estimationToStopFilterForm } from './stopFilterForm';

const space = PRESET_SPACES[0].space;
const base = defaultRunConfig(space);

describe('stop and filter form', () => {
  it('round trip keeps both settings', () => {
    const estimation = {
      curveStop: { kthBest: 2, probability: 0.9, minEpochs: 3 },
      predictorFilter: { model: 'mlp' as const, minTrials: 6, keepFraction: 0.25 },
    };
    const config = validateRunConfig({ ...base, estimation });
    const again = formToConfig(configToForm(config), space, base, STRATEGIES);
    expect(validateRunConfig(again).estimation).toEqual(estimation);
  });

  it('switched off leaves no estimation', () => {
    const form = estimationToStopFilterForm(undefined);
    expect(form.curveStop).toBe(false);
    expect(form.predictorModel).toBe('none');
    expect(applyStopFilterForm(undefined, form)).toBeUndefined();
  });

  it('keeps other estimation settings', () => {
    const scheduler = { kind: 'hyperband' as const, minEpochs: 1, eta: 3 };
    const form = { ...estimationToStopFilterForm(undefined), curveStop: true };
    expect(applyStopFilterForm({ scheduler }, form)).toEqual({ scheduler, curveStop: { kthBest: 3, probability: 0.95, minEpochs: 2 } });
  });

  it('invalid keep fraction fails at its field', () => {
    const form = { ...configToForm(base), stopFilter: { ...estimationToStopFilterForm(undefined), predictorModel: 'gp' as const, predictorKeepFraction: '0' } };
    expect(() => validateRunConfig(formToConfig(form, space, base, STRATEGIES))).toThrow(/estimation\.predictorFilter\.keepFraction must be a number in \(0, 1\]/);
  });
});
