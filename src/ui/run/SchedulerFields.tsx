// Run-page section for the successive-halving / Hyperband scheduler and
// weight inheritance. Errors of validateRunConfig show at the field they name.
import { useId } from 'react';
import { SelectField, TextField } from '../common/fields';
import type { SchedulerFormValues } from './schedulerForm';

const KINDS = [
  { value: 'none', label: 'none' },
  { value: 'successive-halving', label: 'successive halving' },
  { value: 'hyperband', label: 'Hyperband' },
] as const;

interface SchedulerFieldsProps {
  values: SchedulerFormValues;
  /** Returns the error shown for the first of these RunConfig field paths that has one. */
  errorAt(...fields: string[]): string | undefined;
  onChange(patch: Partial<SchedulerFormValues>): void;
}

export function SchedulerFields({ values, errorAt, onChange }: SchedulerFieldsProps) {
  const checkboxId = useId();
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
          <label htmlFor={checkboxId}>
            <input
              id={checkboxId}
              type="checkbox"
              checked={values.weightInheritance}
              onChange={(event) => onChange({ weightInheritance: event.target.checked })}
            />{' '}
            Weight inheritance
          </label>
          <p className="field-hint">With regularized evolution, a mutated child starts its unchanged layers from its parent's trained weights.</p>
        </div>
      </div>
    </>
  );
}
