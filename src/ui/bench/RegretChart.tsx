// "Mean regret by queries" chart of the Benchmarks page: one step line per
// strategy on a log-scale y axis, redrawn as seeds finish, with the numbers
// in a data table as its text alternative.
import { curveStepAfter, line, scaleLinear, scaleLog, schemeTableau10 } from 'd3';
import { STRATEGIES, type StrategyName } from '../../core/strategy';
import { Axis, CHART_HEIGHT, CHART_MARGIN, CHART_WIDTH, ChartFrame } from '../results/ChartFrame';
import { drawnRegret, REGRET_FLOOR, regretTableRows, type RegretPoint, type RegretSeries } from './regretData';

interface RegretChartProps {
  series: RegretSeries[];
  budget: number;
}

/** Returns a strategy's line colour, fixed by its place in the registry so it stays the same between runs. */
export function strategyColour(strategy: string): string {
  const index = Object.keys(STRATEGIES).indexOf(strategy);
  return schemeTableau10[Math.max(0, index) % schemeTableau10.length];
}

export function strategyLabel(strategy: string): string {
  return STRATEGIES[strategy as StrategyName]?.label ?? strategy;
}

/** Formats a regret fraction in percentage points, e.g. 0.00523 as "0.523". */
export function formatRegret(regret: number | undefined): string {
  return regret === undefined ? '-' : (regret * 100).toFixed(3);
}

/** Formats a log-axis tick in percentage points with at most two significant digits. */
function formatTick(value: number): string {
  return String(Number((value * 100).toPrecision(2)));
}

export function RegretChart({ series, budget }: RegretChartProps) {
  const drawn = series.flatMap((line) => line.points.map((point) => drawnRegret(point.regret)));
  const low = drawn.length > 0 ? Math.min(...drawn) : REGRET_FLOOR;
  const high = drawn.length > 0 ? Math.max(...drawn) : 0.1;
  const x = scaleLinear()
    .domain([1, Math.max(budget, 2)])
    .range([CHART_MARGIN.left, CHART_WIDTH - CHART_MARGIN.right]);
  const y = scaleLog()
    .domain([low, high > low ? high : low * 10])
    .nice()
    .range([CHART_HEIGHT - CHART_MARGIN.bottom, CHART_MARGIN.top]);
  const path = line<RegretPoint>()
    .x((point) => x(point.queries))
    .y((point) => y(drawnRegret(point.regret)))
    .curve(curveStepAfter);

  const xTicks = x
    .ticks(6)
    .filter(Number.isInteger)
    .map((value) => ({ value, label: String(value), position: x(value) }));
  // Within a few decades d3 ticks every digit (1, 2, ..., 9 per decade), so only 1, 2 and 5 keep a label.
  const yTicks = y
    .ticks(4)
    .filter((value) => ['1', '2', '5'].includes(value.toExponential(0)[0]))
    .map((value) => ({ value, label: formatTick(value), position: y(value) }));

  const rows = regretTableRows(series, budget);
  const table = (
    <table aria-label="Mean regret by queries, data">
      <thead>
        <tr>
          <th scope="col">Queries</th>
          {series.map((line) => (
            <th key={line.strategy} scope="col">
              {strategyLabel(line.strategy)} ({line.seeds} seeds), points
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.queries}>
            <td>{row.queries}</td>
            {row.regrets.map((regret, column) => (
              <td key={series[column].strategy}>{formatRegret(regret)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );

  const summary = series
    .map((line) => `${strategyLabel(line.strategy)} ${formatRegret(line.points.at(-1)?.regret)} points over ${line.seeds} seeds`)
    .join(', ');

  return (
    <ChartFrame
      label="Mean regret by queries"
      description={series.length === 0 ? 'No seed has finished yet.' : `Mean regret after the last query: ${summary}.`}
      dataTable={table}
      empty={series.length === 0 ? 'No seed has finished yet.' : null}
    >
      <Axis orientation="bottom" ticks={xTicks} title="Queries (distinct architectures)" />
      <Axis orientation="left" ticks={yTicks} title="Mean regret (points, log)" />
      {series.map((line) => (
        <path
          key={line.strategy}
          className="regret-line"
          data-strategy={line.strategy}
          d={path(line.points) ?? ''}
          fill="none"
          stroke={strategyColour(line.strategy)}
          strokeWidth={2}
        />
      ))}
      <g className="legend" transform={`translate(${CHART_WIDTH - CHART_MARGIN.right - 150},${CHART_MARGIN.top + 4})`}>
        {series.map((line, index) => (
          <g key={line.strategy} transform={`translate(0,${index * 14})`}>
            <line x2={14} y1={-4} y2={-4} stroke={strategyColour(line.strategy)} strokeWidth={2} />
            <text x={18}>{strategyLabel(line.strategy)}</text>
          </g>
        ))}
      </g>
    </ChartFrame>
  );
}
