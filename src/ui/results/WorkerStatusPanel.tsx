// Worker status: each worker of the pool with its state, tfjs backend, the
// trial it is evaluating with that trial's epoch progress, and the backend
// probe that chose the backend (or a note while the probe runs).
import type { WorkerView } from '../store/workersSlice';
import { BackendProbeTable } from './BackendProbeTable';
import { formatPercent } from './format';

interface WorkerStatusPanelProps {
  workers: WorkerView[];
  /** True when the run's backend is 'auto', so a worker still initialising is probing backends. */
  autoBackend: boolean;
}

export function WorkerStatusPanel({ workers, autoBackend }: WorkerStatusPanelProps) {
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
              {autoBackend && worker.state === 'initialising' && worker.backend === undefined ? (
                <span className="worker-detail muted" role="status">
                  Probing webgpu, webgl, wasm and cpu (about 20 s).
                </span>
              ) : null}
              <TrialProgress worker={worker} />
              {worker.fallback ? (
                <span className="worker-detail worker-fallback">
                  Switched from {worker.fallback.from} to {worker.fallback.to} after: {worker.fallback.reason}
                </span>
              ) : null}
              {worker.probe ? (
                <div className="worker-detail">
                  <BackendProbeTable probe={worker.probe} label={`Backend probe of worker ${worker.id}`} />
                </div>
              ) : null}
              {worker.error ? <span className="error-text worker-error">{worker.error}</span> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function TrialProgress({ worker }: { worker: WorkerView }) {
  const progress = worker.progress;
  if (progress === undefined) return null;
  const trial = worker.trialIndex === undefined ? 'trial' : `trial ${worker.trialIndex}`;
  const accuracy =
    progress.validationAccuracy === undefined ? 'no validation accuracy yet' : `last validation accuracy ${formatPercent(progress.validationAccuracy)}`;
  return (
    <div className="worker-detail worker-progress">
      <span>
        epoch {Math.min(progress.epoch, progress.epochs)} of {progress.epochs}
      </span>
      <progress max={1} value={progress.fraction} aria-label={`Training of ${trial}: ${formatPercent(progress.fraction)}`} />
      <span>{formatPercent(progress.fraction)}</span>
      <span>{accuracy}</span>
    </div>
  );
}
