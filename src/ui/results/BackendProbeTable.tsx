// The backend probe of one worker as a small table: each probed backend with
// its step time and throughput, or the reason it failed, and the choice marked.
import type { BackendProbe } from '../../core/run/types';
import { formatMs } from './format';

export function BackendProbeTable({ probe, label }: { probe: BackendProbe; label: string }) {
  return (
    <table className="probe-table" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">Backend</th>
          <th scope="col">Training step ({probe.batchSize} images)</th>
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
            {entry.passed && entry.msPerStep !== undefined ? (
              <>
                <td>{formatMs(entry.msPerStep)}</td>
                <td>{Math.round(entry.imagesPerSecond ?? 0)}</td>
              </>
            ) : (
              <td colSpan={2} className="probe-failed">
                failed: {entry.reason ?? 'no reason given'}
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
