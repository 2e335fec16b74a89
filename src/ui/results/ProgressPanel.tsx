// Progress of the shown run: trials done out of the budget, a progress bar,
// elapsed time of the current session and the estimated remaining time.
import { useEffect, useState } from 'react';
import { formatDuration } from './format';

interface ProgressPanelProps {
  done: number;
  budget: number;
  running: boolean;
  /** Start of the current session, epoch milliseconds, or null when idle. */
  sessionStartedAt: number | null;
  /** Trials done when the session started. */
  sessionStartDone: number;
}

export function ProgressPanel({ done, budget, running, sessionStartedAt, sessionStartDone }: ProgressPanelProps) {
  const now = useNow(running);
  const elapsedMs = sessionStartedAt === null ? null : now - sessionStartedAt;
  const doneThisSession = done - sessionStartDone;
  // Estimate: the mean time per trial finished in this session times the trials left.
  const remainingMs =
    elapsedMs !== null && doneThisSession > 0 ? (elapsedMs / doneThisSession) * Math.max(0, budget - done) : null;
  const percent = budget > 0 ? Math.min(100, Math.round((done / budget) * 100)) : 0;

  return (
    <section className="panel progress-panel" aria-label="Progress">
      <h3>Progress</h3>
      <p className="progress-count">
        <strong>{done}</strong> / {budget} trials
      </p>
      <progress max={budget} value={Math.min(done, budget)} aria-label={`Trials done: ${percent}%`} />
      <dl className="facts">
        <dt>Elapsed</dt>
        <dd>{elapsedMs === null ? 'not running' : formatDuration(elapsedMs)}</dd>
        <dt>Remaining (estimate)</dt>
        <dd>{remainingMs === null ? (running ? 'after the first trial' : '-') : formatDuration(remainingMs)}</dd>
      </dl>
    </section>
  );
}

/** Current time in milliseconds, refreshed every second while `ticking`. */
function useNow(ticking: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [ticking]);
  return now;
}
