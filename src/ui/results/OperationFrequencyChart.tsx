// "Operation frequency" chart: the share of each operation among the top-k
// trials by validation accuracy next to its share among all done trials.
import { scaleBand, scaleLinear } from 'd3';
import type { Trial } from '../../core/run/types';
import { Axis, CHART_HEIGHT, CHART_MARGIN, CHART_WIDTH, ChartFrame } from './ChartFrame';
import { operationFrequency } from './chartData';
import { formatPercent } from './format';

interface OperationFrequencyChartProps {
  trials: Trial[];
  topK: number;
  operationsOf(trial: Trial): string[];
}

export function OperationFrequencyChart({ trials, topK, operationsOf }: OperationFrequencyChartProps) {
  const shares = operationFrequency(trials, topK, operationsOf);
  const top = CHART_MARGIN.top + 16;
  const bottom = CHART_HEIGHT - CHART_MARGIN.bottom;
  const x = scaleLinear()
    .domain([0, Math.max(0.05, ...shares.flatMap((share) => [share.topShare, share.allShare]))])
    .nice()
    .range([CHART_MARGIN.left + 56, CHART_WIDTH - CHART_MARGIN.right]);
  const y = scaleBand<string>()
    .domain(shares.map((share) => share.operation))
    .range([top, bottom])
    .padding(0.2);
  const barHeight = y.bandwidth() / 2;
  const xTicks = x.ticks(4).map((value) => ({ value, label: formatPercent(value), position: x(value) }));

  const table = (
    <table>
      <thead>
        <tr>
          <th scope="col">Operation</th>
          <th scope="col">Share in top {topK}</th>
          <th scope="col">Share in all trials</th>
        </tr>
      </thead>
      <tbody>
        {shares.map((share) => (
          <tr key={share.operation}>
            <td>{share.operation}</td>
            <td>{formatPercent(share.topShare)}</td>
            <td>{formatPercent(share.allShare)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );

  return (
    <ChartFrame
      label="Operation frequency"
      description={`Share of each operation among the top ${topK} trials by validation accuracy and among all done trials.`}
      dataTable={table}
      empty={shares.length === 0 ? 'No done trials yet.' : null}
    >
      <g className="legend" transform={`translate(${CHART_MARGIN.left + 56},${CHART_MARGIN.top + 4})`}>
        <rect className="bar-top" width={10} height={10} y={-6} />
        <text x={14} dy="0.32em">
          top {topK}
        </text>
        <rect className="bar-all" x={70} width={10} height={10} y={-6} />
        <text x={84} dy="0.32em">
          all trials
        </text>
      </g>
      <Axis orientation="bottom" ticks={xTicks} title="Share of operation choices" />
      {shares.map((share) => {
        const rowTop = y(share.operation) ?? 0;
        return (
          <g key={share.operation}>
            <text className="bar-label" x={CHART_MARGIN.left + 50} y={rowTop + barHeight} dy="0.32em" textAnchor="end">
              {share.operation}
            </text>
            <rect className="bar-top" x={x(0)} y={rowTop} width={x(share.topShare) - x(0)} height={barHeight} />
            <rect className="bar-all" x={x(0)} y={rowTop + barHeight} width={x(share.allShare) - x(0)} height={barHeight} />
          </g>
        );
      })}
    </ChartFrame>
  );
}
