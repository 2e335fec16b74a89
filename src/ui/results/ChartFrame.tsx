// Shared frame of every Results chart: a title, the SVG with role="img" and
// an aria-label, and a "Show data" disclosure with the numbers as a table.
import type { ReactNode } from 'react';

export const CHART_WIDTH = 460;
export const CHART_HEIGHT = 260;
export const CHART_MARGIN = { top: 12, right: 16, bottom: 40, left: 56 };

interface ChartFrameProps {
  /** Accessible name of the chart image, also its visible title. */
  label: string;
  /** One sentence describing what is shown, for the SVG's <desc>. */
  description: string;
  children: ReactNode;
  /** Table with the plotted numbers, shown under "Show data". */
  dataTable: ReactNode;
  /** HTML overlay positioned over the SVG (tooltips). */
  overlay?: ReactNode;
  empty?: string | null;
}

export function ChartFrame({ label, description, children, dataTable, overlay, empty }: ChartFrameProps) {
  return (
    <figure className="chart">
      <figcaption className="chart-title">{label}</figcaption>
      <div className="chart-canvas">
        <svg
          role="img"
          aria-label={label}
          viewBox={`0 0 ${CHART_WIDTH} ${CHART_HEIGHT}`}
          preserveAspectRatio="xMidYMid meet"
        >
          <desc>{description}</desc>
          {children}
        </svg>
        {empty ? <p className="chart-empty">{empty}</p> : null}
        {overlay}
      </div>
      <details className="chart-data">
        <summary>Show data</summary>
        {dataTable}
      </details>
    </figure>
  );
}

interface AxisProps {
  ticks: { value: number; label: string; position: number }[];
  orientation: 'bottom' | 'left';
  title: string;
}

/** Renders an axis from precomputed tick positions in SVG units. */
export function Axis({ ticks, orientation, title }: AxisProps) {
  const plotBottom = CHART_HEIGHT - CHART_MARGIN.bottom;
  if (orientation === 'bottom') {
    return (
      <g className="axis">
        <line x1={CHART_MARGIN.left} x2={CHART_WIDTH - CHART_MARGIN.right} y1={plotBottom} y2={plotBottom} />
        {ticks.map((tick) => (
          <g key={tick.label + tick.position} transform={`translate(${tick.position},${plotBottom})`}>
            <line y2={5} />
            <text y={17} textAnchor="middle">
              {tick.label}
            </text>
          </g>
        ))}
        <text className="axis-title" x={(CHART_MARGIN.left + CHART_WIDTH - CHART_MARGIN.right) / 2} y={CHART_HEIGHT - 4} textAnchor="middle">
          {title}
        </text>
      </g>
    );
  }
  return (
    <g className="axis">
      <line x1={CHART_MARGIN.left} x2={CHART_MARGIN.left} y1={CHART_MARGIN.top} y2={plotBottom} />
      {ticks.map((tick) => (
        <g key={tick.label + tick.position} transform={`translate(${CHART_MARGIN.left},${tick.position})`}>
          <line x2={-5} />
          <text x={-8} dy="0.32em" textAnchor="end">
            {tick.label}
          </text>
        </g>
      ))}
      <text
        className="axis-title"
        transform={`translate(14,${(CHART_MARGIN.top + plotBottom) / 2}) rotate(-90)`}
        textAnchor="middle"
      >
        {title}
      </text>
    </g>
  );
}

interface ChanceLineProps {
  /** Accuracy of guessing uniformly at random, 1 / number of classes, in [0, 1]. */
  accuracy: number;
  /** Vertical position of `accuracy` in SVG units. */
  y: number;
}

/** Draws a dashed horizontal reference at chance-level accuracy, labelled at its right end. */
export function ChanceLine({ accuracy, y }: ChanceLineProps) {
  const right = CHART_WIDTH - CHART_MARGIN.right;
  return (
    <g className="chance" aria-hidden="true">
      <line className="chance-line" x1={CHART_MARGIN.left} x2={right} y1={y} y2={y} />
      <text className="chance-label" x={right - 4} y={y - 4} textAnchor="end">
        chance {Math.round(accuracy * 1000) / 10}%
      </text>
    </g>
  );
}
