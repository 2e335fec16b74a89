// Benchmarks page: runs search strategies for many seeds on a NAS-Bench-201
// table the user picks, as `nas-studio bench` does, with live regret curves
// while seeds finish and the CLI's numbers when the benchmark ends.
import { useMemo } from 'react';
import { STRATEGIES } from '../../core/strategy';
import { Field, SelectField, TextField } from '../common/fields';
import { useNow } from '../common/useNow';
import { benchService } from '../services/bench';
import { useStudioStore } from '../store';
import type { BenchFormValues } from './benchForm';
import { describeRejectedColumns } from './benchTable';
import { BenchProgress, BenchResults } from './BenchResults';
import { RegretChart } from './RegretChart';
import { regretSeries } from './regretData';

export function BenchPage() {
  const form = useStudioStore((state) => state.benchForm);
  const table = useStudioStore((state) => state.benchTable);
  const errors = useStudioStore((state) => state.benchErrors);
  const message = useStudioStore((state) => state.benchMessage);
  const status = useStudioStore((state) => state.benchStatus);
  const run = useStudioStore((state) => state.benchRun);
  const result = useStudioStore((state) => state.benchResult);
  const update = useStudioStore((state) => state.updateBenchForm);
  const running = status === 'running';
  const now = useNow(running);

  // A column that the table does not offer (none chosen yet, or rejected) shows as a placeholder option,
  // so the select never displays a column other than the one the form holds.
  const columnsFor = (chosen: string) =>
    table === null
      ? [{ value: '', label: 'choose a table first' }]
      : [
          ...(table.accuracyColumns.includes(chosen) ? [] : [{ value: chosen, label: chosen === '' ? 'choose a column' : `${chosen} (not offered)` }]),
          ...table.accuracyColumns.map((name) => ({ value: name, label: name })),
        ];
  const fractionHint = (chosen: string) =>
    table?.fractionColumns.includes(chosen) ? ` Warning: every value of ${chosen} is at most 1, so it looks like fractions, but the table must hold percentages.` : '';
  const text = (label: string, key: 'seeds' | 'budget' | 'firstSeed', hint: string) => (
    <TextField
      label={label}
      value={form[key]}
      error={errors[key]}
      hint={hint}
      inputMode="numeric"
      onChange={(value) => update({ [key]: value } as Partial<BenchFormValues>)}
    />
  );
  const rejectedHint =
    table === null || table.rejectedColumns.length === 0 ? '' : ` Columns not offered: ${describeRejectedColumns(table.rejectedColumns)}.`;
  const tableHint =
    table === null ? 'CSV with an arch column of cell strings and accuracy columns in percent.' : `${table.fileName}: ${table.rows} rows.${rejectedHint}`;
  const toggleStrategy = (name: string, ticked: boolean) =>
    update({ strategies: Object.keys(STRATEGIES).filter((option) => (option === name ? ticked : form.strategies.includes(option))) });

  // The clock redraws the page every second, but the run changes only when seeds finish.
  const series = useMemo(
    () => (run?.optimumReport === undefined ? [] : regretSeries(run.settings.strategies, run.curves, run.optimumReport)),
    [run],
  );

  return (
    <div className="page bench-page">
      <form
        className="panel"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          benchService.start();
        }}
      >
        <h2>Benchmark strategies on a table</h2>
        <p className="muted">
          Each strategy runs once per seed and evaluates up to Budget distinct NAS-Bench-201 cells by looking them up in the table. The search sees
          only the signal column, and the results show the report column of its best cell by signal, as <code>nas-studio bench</code> does.
        </p>
        <div className="field-grid">
          <Field label="Benchmark table" error={errors.table} hint={tableHint}>
            {(control) => (
              // The native input is invisible over a button: after navigating back it is a new,
              // empty input, so its own text would read "No file chosen" beside a loaded table.
              <div className="file-picker">
                <span className="button file-button">
                  Choose CSV file
                  <input
                    {...control}
                    type="file"
                    accept=".csv,text/csv"
                    onChange={(event) => void benchService.pickTable(event.target.files?.[0])}
                  />
                </span>
                <span className="file-name">{table === null ? 'No table loaded' : table.fileName}</span>
              </div>
            )}
          </Field>
          <SelectField
            label="Signal column"
            value={form.signal}
            options={columnsFor(form.signal)}
            error={errors.signal}
            hint={`The accuracy the search optimises.${fractionHint(form.signal)}`}
            onChange={(signal) => update({ signal })}
          />
          <SelectField
            label="Report column"
            value={form.report}
            options={columnsFor(form.report)}
            error={errors.report}
            hint={`The accuracy reported for the best cell by signal.${fractionHint(form.report)}`}
            onChange={(report) => update({ report })}
          />
          {text('Seeds', 'seeds', 'Runs per strategy.')}
          {text('Budget', 'budget', 'Distinct architectures each run evaluates.')}
          {text('First seed', 'firstSeed', 'Runs use seeds First seed to First seed + Seeds - 1.')}
          <fieldset
            className={errors.strategies ? 'field checklist field-invalid' : 'field checklist'}
            aria-invalid={Boolean(errors.strategies)}
            aria-describedby={errors.strategies ? 'bench-strategies-error' : undefined}
          >
            <legend>Strategies</legend>
            <div className="checklist-options">
              {Object.entries(STRATEGIES).map(([name, definition]) => (
                <label key={name} className="check" title={definition.summary}>
                  <input type="checkbox" checked={form.strategies.includes(name)} onChange={(event) => toggleStrategy(name, event.target.checked)} />
                  {definition.label}
                </label>
              ))}
            </div>
            {errors.strategies ? (
              <p className="field-error" id="bench-strategies-error" role="alert">
                {errors.strategies}
              </p>
            ) : null}
          </fieldset>
          <label className="check bench-toggle">
            <input type="checkbox" checked={form.hypervolume} onChange={(event) => update({ hypervolume: event.target.checked })} />
            Hypervolume (accuracy vs FLOPs)
          </label>
        </div>
        {message ? (
          <p className="field-error" role="alert">
            {message}
          </p>
        ) : null}
        <div className="button-row">
          <button type="submit" className="primary" disabled={running}>
            Run benchmark
          </button>
          <button type="button" className="danger" disabled={!running} onClick={() => benchService.stop()}>
            Stop benchmark
          </button>
        </div>
      </form>

      {run !== null ? <BenchProgress run={run} status={status} now={now} /> : null}

      {run !== null ? (
        <section className="panel" aria-label="Regret curves">
          <RegretChart series={series} budget={run.settings.budget} />
          <p className="muted">
            Regret after N queries is the table&apos;s highest report accuracy minus the report accuracy of the best cell by signal among the
            first N distinct cells a run evaluated, in percentage points. Each line is its mean over the seeds finished so far. The y axis is
            logarithmic, and a regret below 0.01 points is drawn at 0.01. Regret can rise with more queries, because the best cell is chosen by
            its signal accuracy, not its report accuracy: a new cell with a higher signal can have a lower report.
          </p>
        </section>
      ) : null}

      {result !== null && run !== null ? (
        <BenchResults
          result={result}
          tableName={run.tableName}
          signal={run.settings.signal}
          report={run.settings.report}
          onDownload={() => benchService.downloadJson()}
        />
      ) : null}
    </div>
  );
}
