// Run-page section for the successive-halving / Hyperband scheduler. Errors
// of validateRunConfig show at the field they name.
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
  return (
    <>
      <h3>Scheduler</h3>
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
      </div>
    </>
  );
}
