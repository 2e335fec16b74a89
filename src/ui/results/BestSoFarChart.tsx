// "Best accuracy so far" chart: each done trial's validation accuracy as a
// dot and the running best as a step line, over the trial index, with the
// chance-level accuracy as a reference line.
import { curveStepAfter, line, max, scaleLinear } from 'd3';
import type { Trial } from '../../core/run/types';
import { Axis, CHART_HEIGHT, CHART_MARGIN, CHART_WIDTH, ChanceLine, ChartFrame } from './ChartFrame';
import { bestSoFar, type BestSoFarPoint } from './chartData';
import { formatPercent } from './format';

interface BestSoFarChartProps {
  trials: Trial[];
  budget: number;
  /** Accuracy of a uniform random guess, 1 / number of classes. */
  chanceAccuracy: number;
}

export function BestSoFarChart({ trials, budget, chanceAccuracy }: BestSoFarChartProps) {
  const points = bestSoFar(trials);
  const lastIndex = Math.max(budget - 1, max(points, (point) => point.index) ?? 0, 1);
  const x = scaleLinear()
    .domain([0, lastIndex])
    .range([CHART_MARGIN.left, CHART_WIDTH - CHART_MARGIN.right]);
  // The domain always includes chance level, so its reference line is drawn.
  const lowest = Math.min(chanceAccuracy, ...points.map((point) => point.accuracy));
  const y = scaleLinear()
    .domain([Math.max(0, lowest - 0.05), 1])
    .nice()
    .range([CHART_HEIGHT - CHART_MARGIN.bottom, CHART_MARGIN.top]);
  const path =
    line<BestSoFarPoint>()
      .x((point) => x(point.index))
      .y((point) => y(point.best))
      .curve(curveStepAfter)(points) ?? '';

  const xTicks = x
    .ticks(Math.min(6, lastIndex))
    .filter(Number.isInteger)
    .map((value) => ({ value, label: String(value), position: x(value) }));
  const yTicks = y.ticks(5).map((value) => ({ value, label: formatPercent(value), position: y(value) }));
  const best = points.at(-1)?.best;

  const table = (
    <table>
      <thead>
        <tr>
          <th scope="col">Trial</th>
          <th scope="col">Validation accuracy</th>
          <th scope="col">Best so far</th>
        </tr>
      </thead>
      <tbody>
        {points.map((point) => (
          <tr key={point.index}>
            <td>{point.index}</td>
            <td>{formatPercent(point.accuracy)}</td>
            <td>{formatPercent(point.best)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );

  return (
    <ChartFrame
      label="Best accuracy so far"
      description={
        (best === undefined
          ? 'No done trials yet.'
          : `Best validation accuracy after ${points.length} done trials: ${formatPercent(best)}.`) +
        ` A dashed line marks chance level, ${formatPercent(chanceAccuracy)}.`
      }
      dataTable={table}
      empty={points.length === 0 ? 'No done trials yet.' : null}
    >
      <Axis orientation="bottom" ticks={xTicks} title="Trial index" />
      <Axis orientation="left" ticks={yTicks} title="Validation accuracy" />
      <ChanceLine accuracy={chanceAccuracy} y={y(chanceAccuracy)} />
      <path className="best-line" d={path} />
      {points.map((point) => (
        <circle key={point.index} className="point point-muted" cx={x(point.index)} cy={y(point.accuracy)} r={3.5} />
      ))}
    </ChartFrame>
  );
}
