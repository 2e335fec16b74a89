// Run page: the search settings (dataset, space, strategy, budget, training,
// objective, constraints, backend), the Start / Stop / Resume buttons, and
// the list of stored runs. Errors from validateRunConfig show at the field;
// nothing starts while any is shown.
import { STRATEGIES } from '../../core/strategy';
import { SelectField, TextField } from '../common/fields';
import { useStudio } from '../services/context';
import { useStudioStore } from '../store';
import type { RunFormValues } from '../store/runSlice';
import { RunList } from './RunList';
import { SchedulerFields } from './SchedulerFields';
import { StopFilterFields } from './StopFilterFields';
import { ProxyFields } from './ProxyFields';
import { unreachableSettingWarnings } from './settingWarnings';

const BACKENDS = [
  { value: 'auto', label: 'auto (fastest backend that passes a probe)' },
  { value: 'webgpu', label: 'webgpu' },
  { value: 'webgl', label: 'webgl' },
  { value: 'wasm', label: 'wasm' },
  { value: 'cpu', label: 'cpu' },
] as const;

const COST_OBJECTIVES = [
  { value: 'latency', label: 'Latency (ms, measured)' },
  { value: 'params', label: 'Params' },
  { value: 'flops', label: 'FLOPs (multiply-accumulates)' },
] as const;

export function RunPage() {
  const studio = useStudio();
  const form = useStudioStore((state) => state.runForm);
  const errors = useStudioStore((state) => state.runErrors);
  const message = useStudioStore((state) => state.runFormMessage);
  const savedSpaces = useStudioStore((state) => state.savedSpaces);
  const space = useStudioStore((state) => state.space);
  const activeRunId = useStudioStore((state) => state.activeRunId);
  const shownRun = useStudioStore((state) => state.shownRun);
  const update = useStudioStore((state) => state.updateRunForm);

  if (form === null) return <p className="muted">Loading...</p>;

  const errorAt = (...fields: string[]): string | undefined => fields.map((field) => errors[field]).find(Boolean);
  const text = (label: string, key: keyof RunFormValues, fields: string[], hint?: string) => (
    <TextField
      label={label}
      value={form[key] as string}
      error={errorAt(...fields)}
      hint={hint}
      inputMode="decimal"
      onChange={(value) => update({ [key]: value } as Partial<RunFormValues>)}
    />
  );
  const strategy = STRATEGIES[form.strategy as keyof typeof STRATEGIES];
  const warnings = unreachableSettingWarnings(form);
  const resumable =
    shownRun !== null && activeRunId === null && shownRun.status !== 'completed' && shownRun.status !== 'running';

  return (
    <div className="page run-page">
      <form
        className="panel run-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void studio.startSearch();
        }}
      >
        <h2>New search</h2>
        <div className="field-grid">
          <TextField label="Run name" value={form.name} error={errorAt('name')} onChange={(name) => update({ name })} />
          <SelectField
            label="Dataset"
            value={form.dataset}
            options={[{ value: 'mnist', label: 'MNIST (built in, 28x28 grey digits)' }]}
            error={errorAt('dataset', 'dataset.name')}
            onChange={(dataset) => update({ dataset })}
          />
          <SelectField
            label="Search space"
            value={form.spaceId}
            options={[
              { value: '', label: `Space page: ${space?.name ?? 'none'} (${space?.family ?? '-'})` },
              ...savedSpaces.map((saved) => ({ value: saved.id, label: `Saved: ${saved.name} (${saved.space.family})` })),
            ]}
            error={errorAt('space')}
            onChange={(spaceId) => update({ spaceId })}
          />
          <SelectField
            label="Strategy"
            value={form.strategy}
            options={Object.entries(STRATEGIES).map(([value, definition]) => ({ value, label: definition.label }))}
            hint={strategy?.summary}
            error={errorAt('strategy', 'strategy.name')}
            onChange={(name) => update({ strategy: name })}
          />
          {strategy?.options.map((spec) =>
            spec.type === 'boolean' ? (
              <SelectField
                key={spec.name}
                label={spec.label}
                value={form.strategyOptions[spec.name] ?? String(spec.default)}
                options={[
                  { value: 'true', label: 'yes' },
                  { value: 'false', label: 'no' },
                ]}
                hint={spec.help}
                error={errorAt(`strategy.options.${spec.name}`, spec.name)}
                onChange={(value) => update({ strategyOptions: { ...form.strategyOptions, [spec.name]: value } })}
              />
            ) : (
              <TextField
                key={spec.name}
                label={spec.label}
                value={form.strategyOptions[spec.name] ?? String(spec.default)}
                hint={spec.help}
                inputMode="decimal"
                error={errorAt(`strategy.options.${spec.name}`, spec.name)}
                onChange={(value) => update({ strategyOptions: { ...form.strategyOptions, [spec.name]: value } })}
              />
            ),
          )}
          {text('Budget', 'budget', ['budget'], 'Distinct architectures to evaluate.')}
          {text('Epochs', 'epochs', ['training.epochs', 'epochs'])}
          {text('Workers', 'workers', ['workers'], 'Parallel evaluations, one Web Worker each.')}
          {text('Seed', 'seed', ['seed'])}
        </div>

        <h3>Training</h3>
        <div className="field-grid">
          {text('Training subset size', 'trainSize', ['dataset.trainSize', 'trainSize'], 'Training images per candidate.')}
          {text('Validation size', 'validationSize', ['dataset.validationSize', 'validationSize'])}
          {text('Test size', 'testSize', ['dataset.testSize', 'testSize'])}
          {text('Batch size', 'batchSize', ['training.batchSize', 'batchSize'])}
          <SelectField
            label="Optimizer"
            value={form.optimizer}
            options={[
              { value: 'adam', label: 'Adam' },
              { value: 'sgd', label: 'SGD' },
            ]}
            error={errorAt('training.optimizer', 'optimizer')}
            onChange={(optimizer) => update({ optimizer })}
          />
          {text('Learning rate', 'learningRate', ['training.learningRate', 'learningRate'])}
        </div>

        <h3>Objective and constraints</h3>
        <div className="field-grid">
          <SelectField
            label="Cost objective"
            value={form.costObjective}
            options={COST_OBJECTIVES}
            hint="Plotted against validation accuracy; lower is better."
            error={errorAt('costObjective')}
            onChange={(costObjective) => update({ costObjective })}
          />
          {text('Max params', 'maxParams', ['constraints.maxParams', 'maxParams'], 'Empty for no limit.')}
          {text('Max FLOPs (multiply-accumulates)', 'maxFlops', ['constraints.maxFlops', 'maxFlops'], 'Empty for no limit.')}
          {text('Max latency (ms)', 'maxLatencyMs', ['constraints.maxLatencyMs', 'maxLatencyMs'], 'Median at batch 1; empty for no limit.')}
          <SelectField
            label="Backend"
            value={form.backend}
            options={BACKENDS}
            hint="With auto, each worker times webgpu, webgl, wasm and cpu on a small network (about 20 s) and trains on the fastest that passes."
            error={errorAt('backend')}
            onChange={(backend) => update({ backend })}
          />
        </div>

        <SchedulerFields
          values={form.scheduler}
          errorAt={errorAt}
          warnings={warnings}
          onChange={(patch) => update({ scheduler: { ...form.scheduler, ...patch } })}
        />

        <StopFilterFields
          values={form.stopFilter}
          errorAt={errorAt}
          warnings={warnings}
          onChange={(patch) => update({ stopFilter: { ...form.stopFilter, ...patch } })}
        />

        <ProxyFields values={form.proxy} errorAt={errorAt} onChange={(patch) => update({ proxy: { ...form.proxy, ...patch } })} />

        {message ? (
          <p className="form-message error" role="alert">
            {message}
          </p>
        ) : null}
        <div className="button-row">
          <button type="submit" className="primary" disabled={activeRunId !== null}>
            Start search
          </button>
          <button type="button" disabled={activeRunId === null} onClick={() => studio.stopSearch()}>
            Stop search
          </button>
          <button
            type="button"
            disabled={!resumable}
            onClick={() => {
              if (shownRun) void studio.resumeSearch(shownRun.id);
            }}
          >
            Resume search
          </button>
        </div>
        {shownRun ? (
          <p className="muted small">
            Resume applies to the open run, {shownRun.config.name} ({shownRun.status}).
          </p>
        ) : null}
      </form>
      <RunList />
    </div>
  );
}
