// Space page: choose a preset of each family, edit its parameters with the
// exact architecture count updating live, import and export the space as
// JSON, and save spaces to IndexedDB.
import { useState } from 'react';
import { ValidationError } from '../../core/errors';
import { countArchitectures, PRESET_SPACES, validateSpace } from '../../core/space';
import type { SearchSpace } from '../../core/space/types';
import { downloadFile, fileStem } from '../common/download';
import { formatInteger } from '../results/format';
import { useStudio } from '../services/context';
import { useStudioStore } from '../store';
import { SpaceEditor } from './SpaceEditor';

const FAMILY_LABELS: Record<SearchSpace['family'], string> = {
  sequential: 'Sequential',
  cell: 'Cell',
  stages: 'Stages',
};

export function SpacePage() {
  const space = useStudioStore((state) => state.space);
  const presetId = useStudioStore((state) => state.presetId);
  const revision = useStudioStore((state) => state.spaceRevision);
  const loadSpace = useStudioStore((state) => state.loadSpace);

  if (space === null) return <p className="muted">Loading the space...</p>;
  const preset = PRESET_SPACES.find((candidate) => candidate.id === presetId);

  return (
    <div className="page space-page">
      <section className="panel">
        <h2>Search space</h2>
        <div className="space-header">
          <div className="field">
            <label htmlFor="preset-select">Preset</label>
            <select
              id="preset-select"
              value={presetId ?? ''}
              onChange={(event) => {
                const chosen = PRESET_SPACES.find((candidate) => candidate.id === event.target.value);
                if (chosen) loadSpace(structuredClone(chosen.space), chosen.id);
              }}
            >
              {presetId === null ? <option value="">Custom ({space.family})</option> : null}
              {PRESET_SPACES.map((candidate) => (
                <option key={candidate.id} value={candidate.id}>
                  {FAMILY_LABELS[candidate.space.family]}: {candidate.label}
                </option>
              ))}
            </select>
            {preset ? <p className="field-hint">{preset.description}</p> : null}
          </div>
          <ArchitectureCount space={space} />
        </div>
        <SpaceEditor key={revision} initial={space} />
      </section>
      <div className="side-column">
        <SpaceJsonPanel space={space} />
        <SavedSpacesPanel space={space} />
      </div>
    </div>
  );
}

function ArchitectureCount({ space }: { space: SearchSpace }) {
  let text: string;
  try {
    text = formatInteger(countArchitectures(space));
  } catch (error) {
    text = error instanceof Error ? `not countable: ${error.message}` : 'not countable';
  }
  return (
    <div className="count" aria-live="polite">
      <span className="count-label">Architectures</span>
      <output className="count-value" aria-label="Architecture count">
        {text}
      </output>
    </div>
  );
}

/** Import and export of the space as JSON; an invalid import keeps the current space. */
function SpaceJsonPanel({ space }: { space: SearchSpace }) {
  const loadSpace = useStudioStore((state) => state.loadSpace);
  const importError = useStudioStore((state) => state.importError);
  const setImportError = useStudioStore((state) => state.setImportError);
  const [text, setText] = useState('');

  const importText = (json: string) => {
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      setImportError({ field: 'json', message: `The space is not valid JSON (${reason}): paste the file's full text.` });
      return;
    }
    try {
      loadSpace(validateSpace(value), null);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      setImportError({ field: error.field, message: error.message });
    }
  };

  const errorId = 'space-import-error';
  return (
    <section className="panel">
      <h3>Import and export</h3>
      <div className={importError ? 'field field-invalid' : 'field'}>
        <label htmlFor="space-json">Space JSON</label>
        <textarea
          id="space-json"
          rows={6}
          value={text}
          placeholder='{"family": "sequential", ...}'
          aria-invalid={importError !== null}
          aria-describedby={importError ? errorId : undefined}
          onChange={(event) => setText(event.target.value)}
        />
        {importError ? (
          <p className="field-error" id={errorId} role="alert">
            <strong>{importError.field}</strong>: {importError.message}
          </p>
        ) : null}
      </div>
      <div className="button-row">
        <button type="button" onClick={() => importText(text)}>
          Import JSON
        </button>
        <label className="button secondary file-button">
          Import file
          <input
            type="file"
            accept="application/json,.json"
            aria-invalid={importError !== null}
            aria-describedby={importError ? errorId : undefined}
            onChange={async (event) => {
              const file = event.target.files?.[0];
              event.target.value = '';
              if (file) importText(await file.text());
            }}
          />
        </label>
        <button
          type="button"
          className="secondary"
          onClick={() => downloadFile(`${fileStem(space.name)}.space.json`, JSON.stringify(space, null, 2))}
        >
          Export JSON
        </button>
        <button type="button" className="secondary" onClick={() => setText(JSON.stringify(space, null, 2))}>
          Copy current space here
        </button>
      </div>
    </section>
  );
}

function SavedSpacesPanel({ space }: { space: SearchSpace }) {
  const studio = useStudio();
  const savedSpaces = useStudioStore((state) => state.savedSpaces);
  const loadSpace = useStudioStore((state) => state.loadSpace);
  return (
    <section className="panel">
      <h3>Saved spaces</h3>
      <button type="button" onClick={() => void studio.saveSpace(space)}>
        Save space
      </button>
      <p className="field-hint">Saving under the name of a saved space replaces it.</p>
      {savedSpaces.length === 0 ? (
        <p className="muted">No saved spaces yet.</p>
      ) : (
        <ul className="saved-list" aria-label="Saved spaces">
          {savedSpaces.map((saved) => (
            <li key={saved.id}>
              <span>
                <strong>{saved.name}</strong> <span className="muted">({saved.space.family})</span>
              </span>
              <span className="button-row">
                <button type="button" className="secondary" onClick={() => loadSpace(structuredClone(saved.space), null)}>
                  Load
                </button>
                <button type="button" className="secondary" onClick={() => void studio.deleteSpace(saved.id)}>
                  Delete
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
