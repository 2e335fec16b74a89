// "Pareto frontier" chart: validation accuracy against the run's cost
// objective, the front drawn as a step line and chance-level accuracy as a
// dashed reference. D3 computes scales and the path
// string; React renders the SVG. Hover or focus shows a trial, click selects.
import { useState } from 'react';
import { curveStepAfter, extent, line, scaleLinear, scaleLog, type ScaleContinuousNumeric } from 'd3';
import type { CostObjective } from '../../core/run/types';
import { Axis, CHART_HEIGHT, CHART_MARGIN, CHART_WIDTH, ChanceLine, ChartFrame } from './ChartFrame';
import { COST_LABELS, costOf, type MeasuredTrial } from './chartData';
import { formatCost, formatPercent } from './format';

interface ParetoChartProps {
  trials: MeasuredTrial[];
  frontIds: string[];
  objective: CostObjective;
  selectedTrialId: string | null;
  onSelect(trialId: string): void;
  describe(trial: MeasuredTrial): string;
  /** Accuracy of a uniform random guess, 1 / number of classes. */
  chanceAccuracy: number;
}

export function ParetoChart({ trials, frontIds, objective, selectedTrialId, onSelect, describe, chanceAccuracy }: ParetoChartProps) {
  const [hoveredId, setHoveredId] = useState<string | null>(null);
  const front = new Set(frontIds);
  const costs = trials.map((trial) => costOf(trial.metrics, objective));
  const x = costScale(costs, objective);
  const y = scaleLinear()
    .domain(accuracyDomain(trials, chanceAccuracy))
    .nice()
    .range([CHART_HEIGHT - CHART_MARGIN.bottom, CHART_MARGIN.top]);

  const frontTrials = trials
    .filter((trial) => front.has(trial.id))
    .sort((a, b) => costOf(a.metrics, objective) - costOf(b.metrics, objective));
  const stepPath =
    line<MeasuredTrial>()
      .x((trial) => x(costOf(trial.metrics, objective)))
      .y((trial) => y(trial.metrics.validationAccuracy))
      .curve(curveStepAfter)(frontTrials) ?? '';

  const hovered = trials.find((trial) => trial.id === hoveredId) ?? null;
  const xTicks = costTicks(x).map((value) => ({ value, label: shortCost(value, objective), position: x(value) }));
  const yTicks = y.ticks(5).map((value) => ({ value, label: formatPercent(value), position: y(value) }));

  const table = (
    <table>
      <thead>
        <tr>
          <th scope="col">Trial</th>
          <th scope="col">{COST_LABELS[objective]}</th>
          <th scope="col">Validation accuracy</th>
          <th scope="col">On front</th>
        </tr>
      </thead>
      <tbody>
        {trials.map((trial) => (
          <tr key={trial.id}>
            <td>{trial.index}</td>
            <td>{formatCost(costOf(trial.metrics, objective), objective)}</td>
            <td>{formatPercent(trial.metrics.validationAccuracy)}</td>
            <td>{front.has(trial.id) ? 'yes' : 'no'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );

  const hoveredLeft = hovered ? x(costOf(hovered.metrics, objective)) / CHART_WIDTH : 0;
  const hoveredTop = hovered ? y(hovered.metrics.validationAccuracy) / CHART_HEIGHT : 0;
  // The tooltip opens below points in the upper half so it never covers the chart title.
  const tooltipClass = hoveredTop < 0.5 ? 'chart-tooltip chart-tooltip-below' : 'chart-tooltip';
  const overlay = hovered ? (
    <div className={tooltipClass} role="status" style={{ left: `${hoveredLeft * 100}%`, top: `${hoveredTop * 100}%` }}>
      <strong>Trial {hovered.index}</strong>
      <span>{describe(hovered)}</span>
      <span>
        Accuracy {formatPercent(hovered.metrics.validationAccuracy)}, {COST_LABELS[objective]}{' '}
        {formatCost(costOf(hovered.metrics, objective), objective)}
      </span>
    </div>
  ) : null;

  return (
    <ChartFrame
      label="Pareto frontier"
      description={
        `Validation accuracy against ${COST_LABELS[objective]} for ${trials.length} done trials; ${frontTrials.length} are on the front. ` +
        `A dashed line marks chance level, ${formatPercent(chanceAccuracy)}.`
      }
      dataTable={table}
      overlay={overlay}
      empty={trials.length === 0 ? 'No done trials yet.' : null}
    >
      <Axis orientation="bottom" ticks={xTicks} title={COST_LABELS[objective]} />
      <Axis orientation="left" ticks={yTicks} title="Validation accuracy" />
      <ChanceLine accuracy={chanceAccuracy} y={y(chanceAccuracy)} />
      <path className="front-line" d={stepPath} />
      {trials.map((trial) => {
        const onFront = front.has(trial.id);
        const selected = trial.id === selectedTrialId;
        const className = ['point', onFront ? 'point-front' : '', selected ? 'point-selected' : ''].join(' ').trim();
        return (
          <circle
            key={trial.id}
            className={className}
            data-trial-index={trial.index}
            cx={x(costOf(trial.metrics, objective))}
            cy={y(trial.metrics.validationAccuracy)}
            r={selected ? 7 : 5}
            tabIndex={0}
            aria-label={`Trial ${trial.index}`}
            onMouseEnter={() => setHoveredId(trial.id)}
            onMouseLeave={() => setHoveredId(null)}
            onFocus={() => setHoveredId(trial.id)}
            onBlur={() => setHoveredId(null)}
            onClick={() => onSelect(trial.id)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' || event.key === ' ') {
                event.preventDefault();
                onSelect(trial.id);
              }
            }}
          />
        );
      })}
    </ChartFrame>
  );
}

/** Log scale for params and FLOPs when they span more than a decade, linear otherwise. */
function costScale(costs: number[], objective: CostObjective): ScaleContinuousNumeric<number, number> {
  const range: [number, number] = [CHART_MARGIN.left, CHART_WIDTH - CHART_MARGIN.right];
  const [low, high] = extent(costs) as [number | undefined, number | undefined];
  if (low === undefined || high === undefined) return scaleLinear().domain([0, 1]).range(range);
  if (objective !== 'latency' && low > 0 && high / low > 10) {
    return scaleLog().domain([low / 1.2, high * 1.2]).range(range).nice();
  }
  const pad = high === low ? Math.max(1, Math.abs(high) * 0.1) : (high - low) * 0.08;
  return scaleLinear()
    .domain([Math.max(0, low - pad), high + pad])
    .range(range)
    .nice();
}

/** Tick values of the cost axis. A log scale keeps only 1, 2 and 5 times a power of ten, so labels do not overlap. */
function costTicks(x: ScaleContinuousNumeric<number, number>): number[] {
  const ticks = x.ticks(5);
  if (!isLogScale(x)) return ticks;
  return ticks.filter((value) => [1, 2, 5].includes(Math.round(value / 10 ** Math.floor(Math.log10(value)))));
}

function isLogScale(x: ScaleContinuousNumeric<number, number>): boolean {
  return 'base' in x;
}

/** Accuracy range of the y axis, padded by 5 points and always including chance level so its line is drawn. */
function accuracyDomain(trials: MeasuredTrial[], chanceAccuracy: number): [number, number] {
  if (trials.length === 0) return [0, 1];
  const accuracies = trials.map((trial) => trial.metrics.validationAccuracy);
  const low = Math.min(chanceAccuracy, ...accuracies);
  const high = Math.max(...accuracies);
  return [Math.max(0, low - 0.05), Math.min(1, high + 0.05)];
}

function shortCost(value: number, objective: CostObjective): string {
  if (objective === 'latency') return `${Number(value.toPrecision(3))}`;
  if (value >= 1e6) return `${Number((value / 1e6).toPrecision(3))}M`;
  if (value >= 1e3) return `${Number((value / 1e3).toPrecision(3))}k`;
  return `${Number(value.toPrecision(3))}`;
}
