// Run-page section for the successive-halving / Hyperband scheduler and
// weight inheritance. Errors of validateRunConfig show at the field they name.
import { useId } from 'react';
import { SelectField, TextField } from '../common/fields';
import type { SchedulerFormValues } from './schedulerForm';
import type { SettingWarnings } from './settingWarnings';

const KINDS = [
  { value: 'none', label: 'none' },
  { value: 'successive-halving', label: 'successive halving' },
  { value: 'hyperband', label: 'Hyperband' },
] as const;

interface SchedulerFieldsProps {
  values: SchedulerFormValues;
  /** Returns the error shown for the first of these RunConfig field paths that has one. */
  errorAt(...fields: string[]): string | undefined;
  /** Warnings for settings that cannot act with the rest of the form. */
  warnings: SettingWarnings;
  onChange(patch: Partial<SchedulerFormValues>): void;
}

export function SchedulerFields({ values, errorAt, warnings, onChange }: SchedulerFieldsProps) {
  const checkboxId = useId();
  const warningId = `${checkboxId}-warning`;
  return (
    <>
      <h3>Scheduler and weight inheritance</h3>
      <div className="field-grid">
        <SelectField
          label="Scheduler"
          value={values.kind}
          options={KINDS}
          hint="Trains every candidate briefly first and continues only the best, from their weights, up to the full epochs."
          error={errorAt('estimation.scheduler', 'estimation.scheduler.kind')}
          onChange={(kind) => onChange({ kind })}
        />
        {values.kind !== 'none' ? (
          <>
            <TextField
              label="Min epochs"
              value={values.minEpochs}
              hint="Epochs of the lowest rung; less than the training epochs."
              inputMode="numeric"
              error={errorAt('estimation.scheduler.minEpochs')}
              onChange={(minEpochs) => onChange({ minEpochs })}
            />
            <TextField
              label="Reduction factor"
              value={values.eta}
              hint="eta: the best 1/eta of a rung train eta times as many epochs."
              inputMode="numeric"
              error={errorAt('estimation.scheduler.eta')}
              onChange={(eta) => onChange({ eta })}
            />
          </>
        ) : null}
        <div className="field">
          <label htmlFor={checkboxId} className="check">
            <input
              id={checkboxId}
              type="checkbox"
              checked={values.weightInheritance}
              aria-describedby={warnings.weightInheritance ? warningId : undefined}
              onChange={(event) => onChange({ weightInheritance: event.target.checked })}
            />
            Weight inheritance
          </label>
          <p className="field-hint">With regularized evolution, a mutated child starts its unchanged layers from its parent's trained weights.</p>
          {warnings.weightInheritance ? (
            <p className="field-warning" id={warningId} role="status">
              {warnings.weightInheritance}
            </p>
          ) : null}
        </div>
      </div>
    </>
  );
}
