// Progress of the shown run: trials done out of the budget, a progress bar,
// the elapsed time over every session of the run (a resume continues it),
// and, while it runs, the run loop's estimate of the time left. Under a
// scheduler the bar follows epochs trained against the schedule's plan,
// because trials become final only at their last rung.
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
  /** Epochs spent against the plan and full training, for a run with a scheduler. */
  epochs?: EpochTotals | null;
  /** Elapsed time stored with the run as of its last save, milliseconds; shown when it is not running. */
  storedElapsedMs?: number;
}

export function ProgressPanel({ done, budget, running, progress, epochs, storedElapsedMs }: ProgressPanelProps) {
  const now = useNow(running);
  // Both times advance by the wall-clock time since the event arrived, so they move between events.
  const sinceEvent = progress === null ? 0 : Math.max(0, now - progress.at);
  const elapsedMs = progress === null ? (storedElapsedMs ?? null) : progress.elapsedMs + sinceEvent;
  const remainingMs = progress?.etaMs == null ? null : Math.max(0, progress.etaMs - sinceEvent);
  const bar = epochs ? { value: epochs.spent, max: epochs.planned, label: 'Planned epochs trained' } : { value: done, max: budget, label: 'Trials done' };
  const percent = bar.max > 0 ? Math.min(100, Math.round((bar.value / bar.max) * 100)) : 0;

  return (
    <section className="panel progress-panel" aria-label="Progress">
      <h3>Progress</h3>
      <p className="progress-count">
        <strong>{done}</strong> / {budget} trials {epochs ? 'final' : null}
      </p>
      <progress max={bar.max} value={Math.min(bar.value, bar.max)} aria-label={`${bar.label}: ${percent}%`} />
      <dl className="facts">
        <dt>Elapsed</dt>
        <dd>{elapsedMs === null ? 'not running' : formatDuration(elapsedMs)}</dd>
        <dt>Remaining (estimate)</dt>
        <dd>{remainingText(remainingMs, running, epochs != null)}</dd>
        {epochs ? (
          <>
            <dt>Epochs trained</dt>
            <dd>
              {epochs.spent} of {epochs.planned} planned ({percent}%); {epochs.full} would train every candidate fully
            </dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}

function remainingText(remainingMs: number | null, running: boolean, scheduled: boolean): string {
  if (remainingMs !== null) return formatDuration(remainingMs);
  if (!running) return '-';
  return scheduled ? 'after the first rung' : 'after the first trial';
}
