// The Benchmarks page's progress line and the finished benchmark's tables,
// which show the same numbers, in the same formats, as `nas-studio bench`.
import type { ReactNode } from 'react';
import type { BenchmarkResult } from '../../core/bench/harness';
import { formatAccuracySummary, formatHypervolumeSummary, formatQueriesToBest, percent } from '../../core/bench/report';
import { formatDuration } from '../results/format';
import type { BenchRunView, BenchStatus } from '../store/benchSlice';
import { strategyLabel } from './RegretChart';

interface BenchProgressProps {
  run: BenchRunView;
  status: BenchStatus;
  /** Date.now() of this render, so elapsed time moves between seeds. */
  now: number;
}

/** Shows seeds done per strategy, the elapsed time and, while running, an estimate of the time left. */
export function BenchProgress({ run, status, now }: BenchProgressProps) {
  const elapsed = (run.endedAt ?? now) - run.startedAt;
  // Estimate: the remaining runs take the mean time of the finished ones, although strategies differ in speed.
  const remaining = run.runsDone === 0 ? undefined : Math.max(0, (run.elapsedAtLastSeedMs / run.runsDone) * run.runsTotal - elapsed);
  const seeds = run.settings.seeds;
  return (
    <section className="panel" aria-label="Benchmark progress">
      <p role="status">
        <span className={`status status-${status}`}>{status}</span> {run.runsDone} of {run.runsTotal} runs done, {formatDuration(elapsed)} elapsed
        {status === 'running' && remaining !== undefined ? `, about ${formatDuration(remaining)} left (estimate)` : ''}
      </p>
      <ul className="bench-seeds">
        {run.settings.strategies.map((strategy) => (
          <li key={strategy}>
            {strategyLabel(strategy)}: {run.curves[strategy]?.length ?? 0} / {seeds} seeds
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Renders a header row: Strategy, one N=queries column per checkpoint, then `children`. */
function CheckpointHeader({ checkpoints, children }: { checkpoints: number[]; children?: ReactNode }) {
  return (
    <tr>
      <th scope="col">Strategy</th>
      {checkpoints.map((queries) => (
        <th key={queries} scope="col">
          N={queries}
        </th>
      ))}
      {children}
    </tr>
  );
}

interface BenchResultsProps {
  result: BenchmarkResult;
  tableName: string;
  signal: string;
  report: string;
  onDownload(): void;
}

/** Shows the finished benchmark: checkpoints, queries to best, proposal time and, with FLOPs, the hypervolume. */
export function BenchResults({ result, tableName, signal, report, onDownload }: BenchResultsProps) {
  const { budget, checkpoints } = result;
  const cost = result.objectives[1];
  return (
    <section className="panel" aria-label="Benchmark results">
      <h2>Results</h2>
      <p>
        Benchmark on {tableName}: search signal {signal}, report {report}. {result.seeds} seeds ({result.firstSeed} to{' '}
        {result.firstSeed + result.seeds - 1}), budget {budget} distinct architectures per run. The table&apos;s highest signal is{' '}
        {percent(result.bestSignal).toFixed(2)}% and its highest report {percent(result.optimumReport).toFixed(2)}%.
      </p>
      <div className="table-scroll">
        <table aria-label="Report accuracy by queries">
          <caption>Report accuracy (%) of the best cell by signal after N queries, mean ± std over seeds (population std)</caption>
          <thead>
            <CheckpointHeader checkpoints={checkpoints}>
              <th scope="col">Queries to best (median)</th>
              <th scope="col">ms per proposal</th>
            </CheckpointHeader>
          </thead>
          <tbody>
            {result.strategies.map((summary) => (
              <tr key={summary.strategy} data-strategy={summary.strategy}>
                <th scope="row">{summary.strategy}</th>
                {summary.checkpoints.map((checkpoint) => (
                  <td key={checkpoint.queries}>{formatAccuracySummary(checkpoint)}</td>
                ))}
                <td>{formatQueriesToBest(summary, budget)}</td>
                <td>{summary.proposalMs.toFixed(3)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {result.strategies
        .filter((summary) => summary.seedsStoppedEarly > 0)
        .map((summary) => (
          <p key={summary.strategy} className="muted">
            {summary.strategy}: {summary.seedsStoppedEarly} of {result.seeds} seeds stopped proposing before the budget; their last best counts for later
            checkpoints.
          </p>
        ))}

      {cost !== undefined && result.referenceCost !== undefined ? (
        <div className="table-scroll">
          <table aria-label="Hypervolume by queries">
            <caption>
              Hypervolume of report accuracy against {cost} of the evaluated cells, mean ± std over seeds (reference point: accuracy 0, {cost}{' '}
              {result.referenceCost.toExponential(4)}; 1 is the whole box)
            </caption>
            <thead>
              <CheckpointHeader checkpoints={checkpoints} />
            </thead>
            <tbody>
              {result.strategies.map((summary) => (
                <tr key={summary.strategy} data-strategy={summary.strategy}>
                  <th scope="row">{summary.strategy}</th>
                  {(summary.hypervolume ?? []).map((checkpoint) => (
                    <td key={checkpoint.queries}>{formatHypervolumeSummary(checkpoint)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}

      <h3>Strategy options</h3>
      <ul>
        {result.strategies.map((summary) => (
          <li key={summary.strategy}>
            {strategyLabel(summary.strategy)}: <code className="options-json">{JSON.stringify(summary.options)}</code>
          </li>
        ))}
      </ul>
      <div className="button-row">
        <button type="button" onClick={onDownload}>
          Download JSON
        </button>
      </div>
    </section>
  );
}
