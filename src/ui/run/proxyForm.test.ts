import { describe, expect, it } from 'vitest';
import { defaultRunConfig, validateRunConfig } from '../../core/run/config';
import { PRESET_SPACES } from '../../core/space';
import { STRATEGIES } from '../../core/strategy';
import { applyProxyForm, estimationToProxyForm } from './proxyForm';
import { configToForm, formToConfig } from './runForm';

const space = PRESET_SPACES[0].space;
const base = defaultRunConfig(space);

describe('proxy form', () => {
  it('round trip keeps a filter', () => {
    const estimation = { proxy: { name: 'naswot' as const, mode: 'filter' as const, keepFraction: 0.3 } };
    const config = validateRunConfig({ ...base, estimation });
    const again = formToConfig(configToForm(config), space, base, STRATEGIES);
    expect(validateRunConfig(again).estimation).toEqual(estimation);
  });

  it('record mode stores keepFraction 1', () => {
    const estimation = applyProxyForm(undefined, { name: 'snip', mode: 'record', keepFraction: '0.2' });
    expect(estimation).toEqual({ proxy: { name: 'snip', mode: 'record', keepFraction: 1 } });
  });

  it('none leaves no estimation', () => {
    const form = estimationToProxyForm(undefined);
    expect(form.name).toBe('none');
    expect(applyProxyForm(undefined, form)).toBeUndefined();
  });

  it('keeps other estimation settings', () => {
    const curveStop = { kthBest: 2, probability: 0.9, minEpochs: 2 };
    const estimation = applyProxyForm({ curveStop, proxy: { name: 'flops', mode: 'record', keepFraction: 1 } }, { name: 'none', mode: 'record', keepFraction: '0.5' });
    expect(estimation).toEqual({ curveStop });
  });

  it('invalid keep fraction names the field', () => {
    const form = { ...configToForm(base), proxy: { name: 'synflow' as const, mode: 'filter' as const, keepFraction: '2' } };
    expect(() => validateRunConfig(formToConfig(form, space, base, STRATEGIES))).toThrow(/estimation\.proxy\.keepFraction/);
  });
});
