// The backend probe of one worker as a compact table: each probed backend,
// whether it passed, its step time and throughput or the reason it failed,
// with the chosen backend marked. It scrolls sideways in a narrow card.
import type { BackendProbe } from '../../core/run/types';
import { formatMs } from './format';

export function BackendProbeTable({ probe, label }: { probe: BackendProbe; label: string }) {
  return (
    <div className="table-scroll probe-scroll">
      <table className="probe-table" aria-label={label}>
        <caption className="muted small">Training step of {probe.batchSize} images</caption>
        <thead>
          <tr>
            <th scope="col">Backend</th>
            <th scope="col">Passed</th>
            <th scope="col">Step</th>
            <th scope="col">Images/s</th>
          </tr>
        </thead>
        <tbody>
          {probe.entries.map((entry) => (
            <tr key={entry.backend} className={entry.backend === probe.chosen ? 'probe-chosen' : undefined}>
              <th scope="row">
                {entry.backend}
                {entry.backend === probe.chosen ? ' (chosen)' : ''}
              </th>
              <td>{entry.passed ? 'yes' : 'no'}</td>
              {entry.passed && entry.msPerStep !== undefined ? (
                <>
                  <td>{formatMs(entry.msPerStep)}</td>
                  <td>{Math.round(entry.imagesPerSecond ?? 0)}</td>
                </>
              ) : (
                <td colSpan={2} className="probe-failed">
                  {entry.reason ?? 'no reason given'}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
