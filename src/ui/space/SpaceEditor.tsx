// Edit form of a search space. The form keeps its own draft, which may be
// invalid while the user types, and stores the space only after
// validateSpace accepts it. So the store's space is always valid. The space
// model does not depend on this form.
import { useState } from 'react';
import { ValidationError } from '../../core/errors';
import { validateSpace } from '../../core/space';
import type { SearchSpace } from '../../core/space/types';
import { useStudioStore } from '../store';
import { CellFields, SequentialFields, StagesFields } from './familyFields';

/** Typed text of list and number controls, keyed by field path, so "2, " survives re-renders. */
export type DraftTexts = Record<string, string>;

/** Applies one control's change: `text` is what the user typed (null for checkboxes and selects). */
export type UpdateDraft = (field: string, text: string | null, next: SearchSpace) => void;

/**
 * Returns the error message to show at the control of `field`. An error on
 * an item (`depths[0]`, `stages[1].stride`) shows at the control of its
 * list or stage field unless `exact` is set.
 */
export type ErrorAt = (field: string, exact?: boolean) => string | undefined;

export interface FamilyFieldsProps<S extends SearchSpace> {
  draft: S;
  texts: DraftTexts;
  errorAt: ErrorAt;
  update: UpdateDraft;
}

export function SpaceEditor({ initial }: { initial: SearchSpace }) {
  const editSpace = useStudioStore((state) => state.editSpace);
  const [draft, setDraft] = useState<SearchSpace>(initial);
  const [texts, setTexts] = useState<DraftTexts>({});
  const [error, setError] = useState<ValidationError | null>(null);

  const update: UpdateDraft = (field, text, next) => {
    if (text !== null) setTexts((current) => ({ ...current, [field]: text }));
    // Adding or removing a stage shifts the stage indices, so typed stage text no longer matches its row.
    if (field === 'stages') setTexts((current) => dropStageTexts(current));
    setDraft(next);
    try {
      editSpace(validateSpace(next));
      setError(null);
    } catch (caught) {
      if (!(caught instanceof ValidationError)) throw caught;
      setError(caught);
    }
  };

  const errorAt: ErrorAt = (field, exact = false) => {
    if (error === null) return undefined;
    if (error.field === field) return error.message;
    const within = error.field.startsWith(`${field}[`) || error.field.startsWith(`${field}.`);
    return !exact && within ? error.message : undefined;
  };
  const props = { texts, errorAt, update };
  return (
    <form className="space-editor" noValidate onSubmit={(event) => event.preventDefault()}>
      {error ? (
        <p className="form-message warning" role="status">
          This edit is not applied because {error.field} is invalid; the Run page keeps the last valid space.
        </p>
      ) : null}
      {draft.family === 'sequential' ? <SequentialFields draft={draft} {...props} /> : null}
      {draft.family === 'cell' ? <CellFields draft={draft} {...props} /> : null}
      {draft.family === 'stages' ? <StagesFields draft={draft} {...props} /> : null}
    </form>
  );
}

function dropStageTexts(texts: DraftTexts): DraftTexts {
  return Object.fromEntries(Object.entries(texts).filter(([field]) => !field.startsWith('stages[')));
}
