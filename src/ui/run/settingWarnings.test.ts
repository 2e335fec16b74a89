import { describe, expect, it } from 'vitest';
import { defaultRunConfig } from '../../core/run/config';
import { PRESET_SPACES } from '../../core/space';
import type { RunFormValues } from '../store/runSlice';
import { configToForm } from './runForm';
import { unreachableSettingWarnings } from './settingWarnings';

const base = configToForm(defaultRunConfig(PRESET_SPACES[0].space));

function formWith(patch: Partial<RunFormValues>): RunFormValues {
  return { ...base, ...patch };
}

describe('unreachable setting warnings', () => {
  it('default form has none', () => {
    expect(unreachableSettingWarnings(base)).toEqual({});
  });

  it('curve stop at the epoch count warns', () => {
    const form = formWith({ epochs: '3', stopFilter: { ...base.stopFilter, curveStop: true, curveMinEpochs: '3' } });
    const warning = unreachableSettingWarnings(form).curveMinEpochs;
    expect(warning).toContain('predicts after 3 epochs, but trials train 3');
    expect(warning).toContain('below 3');
  });

  it('curve stop below the epoch count is fine', () => {
    const form = formWith({ epochs: '4', stopFilter: { ...base.stopFilter, curveStop: true, curveMinEpochs: '3' } });
    expect(unreachableSettingWarnings(form).curveMinEpochs).toBeUndefined();
  });

  it('curve stop switched off never warns', () => {
    const form = formWith({ epochs: '2', stopFilter: { ...base.stopFilter, curveStop: false, curveMinEpochs: '5' } });
    expect(unreachableSettingWarnings(form).curveMinEpochs).toBeUndefined();
  });

  it('predictor min trials at budget warns', () => {
    const form = formWith({ budget: '10', stopFilter: { ...base.stopFilter, predictorModel: 'gp', predictorMinTrials: '10' } });
    expect(unreachableSettingWarnings(form).predictorMinTrials).toContain('waits for 10 finished trials, but the budget is 10');
  });

  it('predictor below budget or off is fine', () => {
    const below = formWith({ budget: '11', stopFilter: { ...base.stopFilter, predictorModel: 'mlp', predictorMinTrials: '10' } });
    const off = formWith({ budget: '2', stopFilter: { ...base.stopFilter, predictorModel: 'none', predictorMinTrials: '10' } });
    expect(unreachableSettingWarnings(below).predictorMinTrials).toBeUndefined();
    expect(unreachableSettingWarnings(off).predictorMinTrials).toBeUndefined();
  });

  it('inheritance without evolution warns', () => {
    const form = formWith({ strategy: 'random', scheduler: { ...base.scheduler, weightInheritance: true } });
    expect(unreachableSettingWarnings(form).weightInheritance).toContain('only Regularized evolution');
  });

  it('inheritance with evolution is fine', () => {
    const form = formWith({ strategy: 'evolution', scheduler: { ...base.scheduler, weightInheritance: true } });
    expect(unreachableSettingWarnings(form).weightInheritance).toBeUndefined();
  });

  it('non-numeric entries are left to validation', () => {
    const form = formWith({ epochs: 'x', budget: '', stopFilter: { ...base.stopFilter, curveStop: true, predictorModel: 'gp' } });
    expect(unreachableSettingWarnings(form)).toEqual({});
  });
});
