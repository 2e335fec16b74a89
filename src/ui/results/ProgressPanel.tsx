// Progress of the shown run: trials done out of the budget, a progress bar,
// and, while it runs, the elapsed time over every session of the run (a
// resume continues it) and the run loop's estimate of the time left.
import { useNow } from '../common/useNow';
import type { RunProgress } from '../store/resultsSlice';
import { formatDuration } from './format';
import type { EpochTotals } from './schedule';

interface ProgressPanelProps {
  done: number;
  budget: number;
  running: boolean;
  /** Latest progress event of the running search, or null. */
  progress: RunProgress | null;
  /** Epochs spent against full training, for a run with a scheduler. */
  epochs?: EpochTotals | null;
}

export function ProgressPanel({ done, budget, running, progress, epochs }: ProgressPanelProps) {
  const now = useNow(running);
  // Both times advance by the wall-clock time since the event arrived, so they move between events.
  const sinceEvent = progress === null ? 0 : Math.max(0, now - progress.at);
  const elapsedMs = progress === null ? null : progress.elapsedMs + sinceEvent;
  const remainingMs = progress?.etaMs == null ? null : Math.max(0, progress.etaMs - sinceEvent);
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
        <dd>{remainingText(remainingMs, running)}</dd>
        {epochs ? (
          <>
            <dt>Epochs trained</dt>
            <dd>
              {epochs.spent} of {epochs.full} for full training ({epochs.full > 0 ? Math.round((epochs.spent / epochs.full) * 100) : 0}%)
            </dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}

function remainingText(remainingMs: number | null, running: boolean): string {
  if (remainingMs !== null) return formatDuration(remainingMs);
  return running ? 'after the first trial' : '-';
}
