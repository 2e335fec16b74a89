// The table of runs stored in IndexedDB: status, creation time and trials
// done out of the budget. Each run can be opened, resumed, deleted or
// exported as a JSON bundle, and a bundle file can be imported.
import { useStudio } from '../services/context';
import { useStudioStore } from '../store';

const dateFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'short', timeStyle: 'medium' });

export function RunList() {
  const studio = useStudio();
  const runs = useStudioStore((state) => state.runs);
  const activeRunId = useStudioStore((state) => state.activeRunId);
  const shownRunId = useStudioStore((state) => state.shownRun?.id ?? null);

  return (
    <section className="panel run-list">
      <h2>Runs</h2>
      {runs.length === 0 ? <p className="muted">No stored runs yet.</p> : null}
      {runs.length > 0 ? (
        <div className="table-scroll">
          <table aria-label="Runs">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
                <th scope="col">Trials</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {runs.map(({ record, trialsDone }) => {
                const name = record.config.name;
                const active = record.id === activeRunId;
                const resumable = activeRunId === null && record.status !== 'completed' && record.status !== 'running';
                return (
                  <tr key={record.id} className={record.id === shownRunId ? 'selected' : undefined} data-run-id={record.id}>
                    <td>{name}</td>
                    <td>
                      <span className={`status status-${record.status}`}>{record.status}</span>
                      {record.message ? <div className="muted small">{record.message}</div> : null}
                    </td>
                    <td>{dateFormat.format(record.createdAt)}</td>
                    <td>
                      {trialsDone} / {record.config.budget}
                    </td>
                    <td className="button-row">
                      <button type="button" className="secondary" aria-label={`Open run ${name}`} onClick={() => void studio.openRun(record.id)}>
                        Open
                      </button>
                      <button
                        type="button"
                        className="secondary"
                        aria-label={`Resume run ${name}`}
                        disabled={!resumable}
                        onClick={() => void studio.resumeSearch(record.id)}
                      >
                        Resume
                      </button>
                      <button type="button" className="secondary" aria-label={`Export run ${name}`} onClick={() => void studio.exportRun(record.id)}>
                        Export
                      </button>
                      <button
                        type="button"
                        className="danger"
                        aria-label={`Delete run ${name}`}
                        disabled={active}
                        onClick={() => {
                          if (window.confirm(`Delete run ${name} with its trials and models?`)) void studio.deleteRun(record.id);
                        }}
                      >
                        Delete
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      <label className="button secondary file-button">
        Import run bundle
        <input
          type="file"
          accept="application/json,.json"
          onChange={async (event) => {
            const file = event.target.files?.[0];
            event.target.value = '';
            if (file) await studio.importRun(await file.text());
          }}
        />
      </label>
    </section>
  );
}
