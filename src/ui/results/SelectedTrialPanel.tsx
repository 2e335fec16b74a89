// The selected trial: its architecture, metrics, learning curve and the
// "Export model" button (enabled for done trials with a stored model).
import { line, scaleLinear } from 'd3';
import type { CurvePoint, Trial } from '../../core/run/types';
import { BackendProbeTable } from './BackendProbeTable';
import { formatInteger, formatMs, formatPercent } from './format';
import { formatProxyScores } from './proxyScores';
import { describeInheritance, describeSchedule } from './schedule';

const WIDTH = 320;
const HEIGHT = 150;
const MARGIN = { top: 10, right: 10, bottom: 24, left: 40 };

interface SelectedTrialPanelProps {
  trial: Trial | null;
  description: string;
  canExport: boolean;
  exporting: boolean;
  onExport(): void;
}

export function SelectedTrialPanel({ trial, description, canExport, exporting, onExport }: SelectedTrialPanelProps) {
  if (trial === null) {
    return (
      <section className="panel selected-trial" aria-label="Selected trial">
        <h3>Selected trial</h3>
        <p className="muted">Click a point of the Pareto frontier or a row of the Trials table.</p>
      </section>
    );
  }
  const metrics = trial.metrics;
  return (
    <section className="panel selected-trial" aria-label="Selected trial">
      <h3>Trial {trial.index}</h3>
      <p className="architecture">{description}</p>
      <dl className="facts">
        <dt>Status</dt>
        <dd>{trial.status}</dd>
        {trial.schedule ? (
          <>
            <dt>Rung</dt>
            <dd>{describeSchedule(trial)}</dd>
          </>
        ) : null}
        {trial.schedule?.restartReason ? (
          <>
            <dt>Trained from scratch</dt>
            <dd>{trial.schedule.restartReason}</dd>
          </>
        ) : null}
        {trial.inheritance ? (
          <>
            <dt>Inherited weights</dt>
            <dd>{describeInheritance(trial)}</dd>
          </>
        ) : null}
        {trial.stopReason ? (
          <>
            <dt>Stopped</dt>
            <dd>{trial.stopReason}</dd>
          </>
        ) : null}
        {trial.proxies !== undefined ? (
          <>
            <dt>Zero-cost proxy</dt>
            <dd>{formatProxyScores(trial.proxies)}</dd>
          </>
        ) : null}
        {trial.predictedAccuracy !== undefined ? (
          <>
            <dt>Predicted final accuracy</dt>
            <dd>{formatPercent(trial.predictedAccuracy)}</dd>
          </>
        ) : null}
        {metrics ? (
          <>
            <dt>Validation / test accuracy</dt>
            <dd>
              {formatPercent(metrics.validationAccuracy)} / {formatPercent(metrics.testAccuracy)}
            </dd>
            <dt>Params</dt>
            <dd>{formatInteger(metrics.params)}</dd>
            <dt>FLOPs (MACs)</dt>
            <dd>{formatInteger(metrics.flops)}</dd>
            <dt>Latency median / p90</dt>
            <dd>
              {formatMs(metrics.latency.medianMs)} / {formatMs(metrics.latency.p90Ms)} ({metrics.backend})
            </dd>
            {metrics.backendFallback ? (
              <>
                <dt>Backend fallback</dt>
                <dd>
                  trained on {metrics.backendFallback.to} because {metrics.backendFallback.from} failed: {metrics.backendFallback.reason}
                </dd>
              </>
            ) : null}
          </>
        ) : null}
        {trial.error ? (
          <>
            <dt>Error</dt>
            <dd className="error-text">{trial.error.message}</dd>
          </>
        ) : null}
      </dl>
      {metrics?.backendProbe ? (
        <details className="trial-probe">
          <summary>Backend probe ({metrics.backendProbe.chosen} chosen)</summary>
          <BackendProbeTable probe={metrics.backendProbe} label={`Backend probe of trial ${trial.index}`} />
        </details>
      ) : null}
      <LearningCurve curve={trial.curve} />
      <button type="button" className="primary" disabled={!canExport || exporting} onClick={onExport}>
        Export model
      </button>
      {!canExport ? <p className="muted small">Only done trials with a stored model can be exported.</p> : null}
    </section>
  );
}

function LearningCurve({ curve }: { curve: CurvePoint[] }) {
  if (curve.length === 0) return <p className="muted small">No learning curve recorded.</p>;
  const x = scaleLinear()
    .domain([Math.min(...curve.map((point) => point.epoch)), Math.max(1, ...curve.map((point) => point.epoch))])
    .range([MARGIN.left, WIDTH - MARGIN.right]);
  const y = scaleLinear().domain([0, 1]).range([HEIGHT - MARGIN.bottom, MARGIN.top]);
  const trainPath = line<CurvePoint>()
    .x((point) => x(point.epoch))
    .y((point) => y(point.trainAccuracy))(curve);
  const validationPath = line<CurvePoint>()
    .x((point) => x(point.epoch))
    .y((point) => y(point.validationAccuracy))(curve);
  return (
    <figure className="learning-curve">
      <svg role="img" aria-label="Learning curve" viewBox={`0 0 ${WIDTH} ${HEIGHT}`}>
        <line className="axis-line" x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={HEIGHT - MARGIN.bottom} y2={HEIGHT - MARGIN.bottom} />
        <line className="axis-line" x1={MARGIN.left} x2={MARGIN.left} y1={MARGIN.top} y2={HEIGHT - MARGIN.bottom} />
        {[0, 0.5, 1].map((value) => (
          <text key={value} className="tick" x={MARGIN.left - 4} y={y(value)} dy="0.32em" textAnchor="end">
            {formatPercent(value)}
          </text>
        ))}
        <text className="tick" x={(MARGIN.left + WIDTH) / 2} y={HEIGHT - 4} textAnchor="middle">
          epoch
        </text>
        <path className="curve-train" d={trainPath ?? ''} />
        <path className="curve-validation" d={validationPath ?? ''} />
        {curve.map((point) => (
          <circle key={point.epoch} className="curve-dot" cx={x(point.epoch)} cy={y(point.validationAccuracy)} r={3} />
        ))}
      </svg>
      <details className="chart-data">
        <summary>Show data</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">Epoch</th>
              <th scope="col">Loss</th>
              <th scope="col">Train acc.</th>
              <th scope="col">Validation acc.</th>
            </tr>
          </thead>
          <tbody>
            {curve.map((point) => (
              <tr key={point.epoch}>
                <td>{point.epoch}</td>
                <td>{point.loss.toFixed(4)}</td>
                <td>{formatPercent(point.trainAccuracy)}</td>
                <td>{formatPercent(point.validationAccuracy)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      <figcaption className="small">
        <span className="swatch swatch-train" /> train <span className="swatch swatch-validation" /> validation accuracy
      </figcaption>
    </figure>
  );
}
