// Run-page section for the curve stop and the predictor filter. Errors of
// validateRunConfig show at the field they name.
import { useId } from 'react';
import { SelectField, TextField } from '../common/fields';
import type { SettingWarnings } from './settingWarnings';
import type { StopFilterFormValues } from './stopFilterForm';

const PREDICTOR_OPTIONS = [
  { value: 'none', label: 'none' },
  { value: 'gp', label: 'GP' },
  { value: 'mlp', label: 'MLP ensemble' },
  { value: 'trees', label: 'tree ensemble' },
] as const;

interface StopFilterFieldsProps {
  values: StopFilterFormValues;
  /** Returns the error shown for the first of these RunConfig field paths that has one. */
  errorAt(...fields: string[]): string | undefined;
  /** Warnings for settings that cannot act with the rest of the form. */
  warnings: SettingWarnings;
  onChange(patch: Partial<StopFilterFormValues>): void;
}

export function StopFilterFields({ values, errorAt, warnings, onChange }: StopFilterFieldsProps) {
  const checkboxId = useId();
  const field = (label: string, key: keyof StopFilterFormValues, path: string, hint: string) => (
    <TextField
      label={label}
      value={values[key] as string}
      hint={hint}
      warning={key === 'curveMinEpochs' || key === 'predictorMinTrials' ? warnings[key] : undefined}
      inputMode="decimal"
      error={errorAt(path)}
      onChange={(value) => onChange({ [key]: value })}
    />
  );
  return (
    <>
      <h3>Curve stop and predictor filter</h3>
      <div className="field-grid">
        <div className="field">
          <label htmlFor={checkboxId} className="check">
            <input
              id={checkboxId}
              type="checkbox"
              checked={values.curveStop}
              onChange={(event) => onChange({ curveStop: event.target.checked })}
            />
            Curve stop
          </label>
          <p className="field-hint">Stops a trial whose extrapolated learning curve ends below the k-th best, with high probability.</p>
        </div>
        {values.curveStop ? (
          <>
            {field('k-th best', 'kthBest', 'estimation.curveStop.kthBest', 'Rank of the finished trial to beat, from 1.')}
            {field('Stop probability', 'stopProbability', 'estimation.curveStop.probability', 'Stop when the trial ends below the k-th best with at least this probability, in (0, 1).')}
            {field('Min epochs before predicting', 'curveMinEpochs', 'estimation.curveStop.minEpochs', 'Epochs observed before the first prediction, at least 2.')}
          </>
        ) : null}
        <SelectField
          label="Predictor filter"
          value={values.predictorModel}
          options={PREDICTOR_OPTIONS}
          hint="Surrogate trained on finished trials; skips candidates predicted to be poor, without training them."
          error={errorAt('estimation.predictorFilter', 'estimation.predictorFilter.model')}
          onChange={(predictorModel) => onChange({ predictorModel })}
        />
        {values.predictorModel !== 'none' ? (
          <>
            {field('Min trials', 'predictorMinTrials', 'estimation.predictorFilter.minTrials', 'Finished trials before the filter acts, at least 2.')}
            {field('Keep fraction', 'predictorKeepFraction', 'estimation.predictorFilter.keepFraction', 'Fraction of candidates, by predicted accuracy, that train, in (0, 1].')}
          </>
        ) : null}
      </div>
    </>
  );
}
