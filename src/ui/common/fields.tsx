// Form controls that show a ValidationError at the field: the message sits
// next to the control, which gets aria-invalid and aria-describedby pointing
// at it.
import { useId, type ReactNode } from 'react';

interface FieldProps {
  label: string;
  /** Error message shown under the control, or undefined when valid. */
  error?: string;
  /** Help text under the control. */
  hint?: string;
  /** Warning under the control about a valid value that has no effect. It does not block submitting. */
  warning?: string;
  children(control: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }): ReactNode;
}

/** A labelled control; the render prop receives the id and ARIA attributes the control must spread. */
export function Field({ label, error, hint, warning, children }: FieldProps) {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const warningId = `${id}-warning`;
  const describedBy = [error ? errorId : null, warning ? warningId : null, hint ? hintId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': Boolean(error), 'aria-describedby': describedBy })}
      {hint ? (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {warning ? (
        <p className="field-warning" id={warningId} role="status">
          {warning}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={errorId} role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

interface TextFieldProps {
  label: string;
  value: string;
  onChange(value: string): void;
  error?: string;
  hint?: string;
  warning?: string;
  inputMode?: 'numeric' | 'decimal' | 'text';
  placeholder?: string;
}

/** Renders a labelled text input. Numbers are typed as text, so any entry reaches validation unchanged. */
export function TextField({ label, value, onChange, error, hint, warning, inputMode = 'text', placeholder }: TextFieldProps) {
  return (
    <Field label={label} error={error} hint={hint} warning={warning}>
      {(control) => (
        <input
          {...control}
          type="text"
          inputMode={inputMode}
          value={value}
          placeholder={placeholder}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Field>
  );
}

interface SelectFieldProps<T extends string> {
  label: string;
  value: T;
  options: readonly { value: T; label: string }[];
  onChange(value: T): void;
  error?: string;
  hint?: string;
  warning?: string;
}

export function SelectField<T extends string>({ label, value, options, onChange, error, hint, warning }: SelectFieldProps<T>) {
  return (
    <Field label={label} error={error} hint={hint} warning={warning}>
      {(control) => (
        <select {...control} value={value} onChange={(event) => onChange(event.target.value as T)}>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

interface ChecklistFieldProps<T extends string> {
  label: string;
  options: readonly T[];
  selected: readonly T[];
  onChange(selected: T[]): void;
  error?: string;
}

/** Renders a group of checkboxes. The group, not a single box, carries the error. */
export function ChecklistField<T extends string>({ label, options, selected, onChange, error }: ChecklistFieldProps<T>) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <fieldset
      className={error ? 'field checklist field-invalid' : 'field checklist'}
      aria-invalid={Boolean(error)}
      aria-describedby={error ? errorId : undefined}
    >
      <legend>{label}</legend>
      <div className="checklist-options">
        {options.map((option) => (
          <label key={option} className="check">
            <input
              type="checkbox"
              checked={selected.includes(option)}
              onChange={(event) =>
                onChange(event.target.checked ? options.filter((o) => o === option || selected.includes(o)) : selected.filter((o) => o !== option))
              }
            />
            {option}
          </label>
        ))}
      </div>
      {error ? (
        <p className="field-error" id={errorId} role="alert">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

/**
 * Parses "2, 3, 4" into [2, 3, 4]. A token that is not a number is kept as
 * its text, as parseNumber does, so the validation message quotes it
 * (`got "x"`).
 */
export function parseNumberList(text: string): number[] {
  const tokens = text
    .split(/[\s,]+/)
    .map((token) => token.trim())
    .filter((token) => token.length > 0);
  return tokens.map((token) => parseNumber(token));
}

/** Formats a number list for a text control: "2, 3, 4". */
export function formatNumberList(values: readonly number[]): string {
  return values.join(', ');
}

/** A decimal number as people type it: sign, digits, optional fraction and exponent. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parses a numeric form entry. An entry that is not a finite decimal number
 * (empty, "abc", "0x10", "1e400") is returned as the trimmed text, typed as a
 * number, so that validation rejects it and its message shows what was typed.
 */
export function parseNumber(text: string): number {
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (DECIMAL.test(trimmed) && Number.isFinite(value)) return value;
  return trimmed as unknown as number;
}
