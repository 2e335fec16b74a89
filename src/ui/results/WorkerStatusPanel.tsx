// Worker status: each worker of the pool with its state, tfjs backend and
// the trial it is evaluating.
import type { WorkerView } from '../store/workersSlice';

export function WorkerStatusPanel({ workers }: { workers: WorkerView[] }) {
  return (
    <section className="panel" aria-label="Workers">
      <h3>Workers</h3>
      {workers.length === 0 ? (
        <p className="muted">No workers running.</p>
      ) : (
        <ul className="workers">
          {workers.map((worker) => (
            <li key={worker.id}>
              <span className="worker-id">Worker {worker.id}</span>
              <span className={`status status-${worker.state}`}>{worker.state}</span>
              <span>{worker.backend ?? 'backend pending'}</span>
              <span>{worker.trialIndex === undefined ? 'no trial' : `trial ${worker.trialIndex}`}</span>
              {worker.error ? <span className="error-text worker-error">{worker.error}</span> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
