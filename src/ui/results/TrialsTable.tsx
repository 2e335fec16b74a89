// The "Trials" table: every trial of the shown run with its status (and the
// error message when it failed), accuracies, costs, latency (marked when its
// spread is too wide to trust), backend, training time, zero-cost proxy
// score, the trial whose result it reused and the trial whose weights it
// inherited. Clicking a row selects the trial.
import type { Trial } from '../../core/run/types';
import { formatInteger, formatMs, formatPercent } from './format';
import { isLatencyUnstable, UNSTABLE_LATENCY_RATIO } from './latencyStability';
import { formatProxyScores } from './proxyScores';
import { describeSchedule } from './schedule';

interface TrialsTableProps {
  trials: Trial[];
  /** False when no search in this page runs the trials' run: stored 'running' or 'queued' trials then show as interrupted. */
  live: boolean;
  selectedTrialId: string | null;
  onSelect(trialId: string): void;
}

export function TrialsTable({ trials, live, selectedTrialId, onSelect }: TrialsTableProps) {
  const indexById = new Map(trials.map((trial) => [trial.id, trial.index]));
  return (
    <div className="table-scroll">
      <table className="trials" aria-label="Trials">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Status</th>
            <th scope="col">Validation acc.</th>
            <th scope="col">Test acc.</th>
            <th scope="col">Params</th>
            <th scope="col">FLOPs (MACs)</th>
            <th scope="col">Latency median / p90</th>
            <th scope="col">Backend</th>
            <th scope="col">Training time</th>
            <th scope="col">Proxy score</th>
            <th scope="col">Reused from</th>
            <th scope="col">Inherited from</th>
          </tr>
        </thead>
        <tbody>
          {trials.length === 0 ? (
            <tr>
              <td colSpan={12} className="muted">
                No trials yet.
              </td>
            </tr>
          ) : null}
          {trials.map((trial) => {
            const metrics = trial.metrics;
            const selected = trial.id === selectedTrialId;
            const reusedIndex = trial.reusedFrom === undefined ? undefined : indexById.get(trial.reusedFrom);
            const parentId = trial.inheritance?.parentTrialId;
            const parentIndex = parentId === undefined ? undefined : indexById.get(parentId);
            return (
              <tr
                key={trial.id}
                className={selected ? 'selected' : undefined}
                aria-selected={selected}
                data-status={trial.status}
                onClick={() => onSelect(trial.id)}
              >
                <td>
                  <button type="button" className="link" aria-label={`Select trial ${trial.index}`} onClick={() => onSelect(trial.id)}>
                    {trial.index}
                  </button>
                </td>
                <td>
                  <span className={`status status-${trial.status}`}>{shownStatus(trial, live)}</span>
                  {trial.error ? <div className="error-text">{trial.error.message}</div> : null}
                  {trial.schedule ? <div className="muted">{describeSchedule(trial)}</div> : null}
                  {trial.stopReason ? <div className="muted">{trial.stopReason}</div> : null}
                  {metrics && !metrics.feasible ? <div className="muted">over the latency limit</div> : null}
                </td>
                <td>{metrics ? formatPercent(metrics.validationAccuracy) : ''}</td>
                <td>{metrics ? formatPercent(metrics.testAccuracy) : ''}</td>
                <td>{metrics ? formatInteger(metrics.params) : ''}</td>
                <td>{metrics ? formatInteger(metrics.flops) : ''}</td>
                <td>{metrics ? <LatencyCell medianMs={metrics.latency.medianMs} p90Ms={metrics.latency.p90Ms} /> : ''}</td>
                <td>{metrics?.backend ?? ''}</td>
                <td>{metrics ? formatMs(metrics.trainMs) : ''}</td>
                <td>{formatProxyScores(trial.proxies)}</td>
                <td>{reusedLabel(trial.reusedFrom, reusedIndex)}</td>
                <td title={trial.inheritance?.note}>
                  {reusedLabel(parentId, parentIndex)}
                  {trial.inheritance?.note ? ' (not applied)' : ''}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Renders "median / p90", with a warning marker when the p90 is so far above the median that machine load likely skewed it. */
function LatencyCell({ medianMs, p90Ms }: { medianMs: number; p90Ms: number }) {
  const text = `${formatMs(medianMs)} / ${formatMs(p90Ms)}`;
  if (!isLatencyUnstable(medianMs, p90Ms)) return <>{text}</>;
  const explanation = `Unstable: p90 is more than ${UNSTABLE_LATENCY_RATIO} times the median, so machine load likely skewed this latency.`;
  return (
    <>
      {text}{' '}
      <span className="latency-unstable" title={explanation}>
        <span aria-hidden="true">⚠</span>
        <span className="visually-hidden">{explanation}</span>
      </span>
    </>
  );
}

/** Labels a related trial (reused or inheritance parent): its index when it is in the table, else its id. */
function reusedLabel(reusedFrom: string | undefined, reusedIndex: number | undefined): string {
  if (reusedFrom === undefined) return '';
  if (reusedIndex === undefined) return reusedFrom;
  return `#${reusedIndex}`;
}

/** Returns the status to show: a trial left running or queued by a search that no longer runs is interrupted, and Resume trains it again. */
function shownStatus(trial: Trial, live: boolean): string {
  if (!live && (trial.status === 'running' || trial.status === 'queued')) return 'interrupted';
  return trial.status;
}

