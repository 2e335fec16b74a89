// "Hypervolume" chart: the hypervolume of the Pareto front after each
// finished trial, as stored in the run state by the run loop.
import { line, scaleLinear } from 'd3';
import { Axis, CHART_HEIGHT, CHART_MARGIN, CHART_WIDTH, ChartFrame } from './ChartFrame';

interface HypervolumePoint {
  /** Trials finished when the value was computed. */
  trials: number;
  value: number;
}

export function HypervolumeChart({ points }: { points: HypervolumePoint[] }) {
  const lastTrials = Math.max(1, ...points.map((point) => point.trials));
  const highest = Math.max(0, ...points.map((point) => point.value));
  const x = scaleLinear()
    .domain([0, lastTrials])
    .range([CHART_MARGIN.left, CHART_WIDTH - CHART_MARGIN.right]);
  const y = scaleLinear()
    .domain([0, highest > 0 ? highest : 1])
    .nice()
    .range([CHART_HEIGHT - CHART_MARGIN.bottom, CHART_MARGIN.top]);
  const path =
    line<HypervolumePoint>()
      .x((point) => x(point.trials))
      .y((point) => y(point.value))(points) ?? '';
  const xTicks = x
    .ticks(Math.min(6, lastTrials))
    .filter(Number.isInteger)
    .map((value) => ({ value, label: String(value), position: x(value) }));
  const yTicks = y.ticks(4).map((value) => ({ value, label: value.toPrecision(2), position: y(value) }));
  const latest = points.at(-1);

  return (
    <ChartFrame
      label="Hypervolume"
      description={
        latest === undefined ? 'No hypervolume yet.' : `Hypervolume ${latest.value.toPrecision(4)} after ${latest.trials} trials.`
      }
      dataTable={
        <table>
          <thead>
            <tr>
              <th scope="col">Trials finished</th>
              <th scope="col">Hypervolume</th>
            </tr>
          </thead>
          <tbody>
            {points.map((point) => (
              <tr key={point.trials}>
                <td>{point.trials}</td>
                <td>{point.value.toPrecision(4)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
      empty={points.length === 0 ? 'No hypervolume yet.' : null}
    >
      <Axis orientation="bottom" ticks={xTicks} title="Trials finished" />
      <Axis orientation="left" ticks={yTicks} title="Hypervolume" />
      <path className="best-line" d={path} />
      {points.map((point) => (
        <circle key={point.trials} className="point point-muted" cx={x(point.trials)} cy={y(point.value)} r={3} />
      ))}
    </ChartFrame>
  );
}
