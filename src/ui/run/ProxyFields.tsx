// Run-page section for the zero-cost proxy: which proxy scores each untrained
// candidate, whether it only records the score or also filters, and the keep
// fraction. Errors of validateRunConfig show at the field they name.
import { SelectField, TextField } from '../common/fields';
import type { ProxyFormValues } from './proxyForm';

const PROXY_OPTIONS = [
  { value: 'none', label: 'none' },
  { value: 'synflow', label: 'synflow' },
  { value: 'naswot', label: 'NASWOT' },
  { value: 'snip', label: 'snip' },
  { value: 'grad_norm', label: 'grad_norm' },
  { value: 'params', label: 'params (baseline)' },
  { value: 'flops', label: 'FLOPs (baseline)' },
] as const;

const MODE_OPTIONS = [
  { value: 'record', label: 'record' },
  { value: 'filter', label: 'filter' },
] as const;

interface ProxyFieldsProps {
  values: ProxyFormValues;
  /** Returns the error shown for the first of these RunConfig field paths that has one. */
  errorAt(...fields: string[]): string | undefined;
  onChange(patch: Partial<ProxyFormValues>): void;
}

export function ProxyFields({ values, errorAt, onChange }: ProxyFieldsProps) {
  return (
    <>
      <h3>Zero-cost proxy</h3>
      <div className="field-grid">
        <SelectField
          label="Zero-cost proxy"
          value={values.name}
          options={PROXY_OPTIONS}
          hint="Score of the untrained network, stored with each trial: naswot uses 128 training images, snip and grad_norm 64, synflow none."
          error={errorAt('estimation.proxy', 'estimation.proxy.name')}
          onChange={(name) => onChange({ name })}
        />
        {values.name !== 'none' ? (
          <SelectField
            label="Proxy mode"
            value={values.mode}
            options={MODE_OPTIONS}
            hint="record: every candidate trains. filter: candidates ranked low among earlier scores are pruned untrained."
            error={errorAt('estimation.proxy.mode')}
            onChange={(mode) => onChange({ mode })}
          />
        ) : null}
        {values.name !== 'none' && values.mode === 'filter' ? (
          <TextField
            label="Keep fraction"
            value={values.keepFraction}
            hint="Fraction of candidates, by proxy rank, that train, in (0, 1]."
            inputMode="decimal"
            error={errorAt('estimation.proxy.keepFraction')}
            onChange={(keepFraction) => onChange({ keepFraction })}
          />
        ) : null}
      </div>
    </>
  );
}
