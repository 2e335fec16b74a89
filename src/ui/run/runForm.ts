// Conversion between the Run page's text fields and a RunConfig. Numbers are
// parsed but not checked here: validateRunConfig checks them and names the
// field, so "0", "-1" and "" reach it unchanged.
import type { RunConfig, StrategyConfig } from '../../core/run/types';
import type { SearchSpace } from '../../core/space/types';
import type { StrategyDefinition } from '../../core/strategy/types';
import { parseNumber } from '../common/fields';
import type { RunFormValues } from '../store/runSlice';
import { applySchedulerForm, estimationToSchedulerForm } from './schedulerForm';
import { applyStopFilterForm, estimationToStopFilterForm } from './stopFilterForm';
import { applyProxyForm, estimationToProxyForm } from './proxyForm';

/** Fills the form from a run config; `spaceId` names the saved space it came from ('' for the Space page's space). */
export function configToForm(config: RunConfig, spaceId = ''): RunFormValues {
  return {
    name: config.name,
    dataset: config.dataset.name,
    spaceId,
    strategy: config.strategy.name,
    strategyOptions: Object.fromEntries(
      Object.entries(config.strategy.options).map(([name, value]) => [name, String(value)]),
    ),
    budget: String(config.budget),
    epochs: String(config.training.epochs),
    workers: String(config.workers),
    seed: String(config.seed),
    trainSize: String(config.dataset.trainSize),
    validationSize: String(config.dataset.validationSize),
    testSize: String(config.dataset.testSize),
    batchSize: String(config.training.batchSize),
    optimizer: config.training.optimizer,
    learningRate: String(config.training.learningRate),
    costObjective: config.costObjective,
    maxParams: optionalText(config.constraints.maxParams),
    maxFlops: optionalText(config.constraints.maxFlops),
    maxLatencyMs: optionalText(config.constraints.maxLatencyMs),
    backend: config.backend,
    stopFilter: estimationToStopFilterForm(config.estimation),
    proxy: estimationToProxyForm(config.estimation),
    scheduler: estimationToSchedulerForm(config.estimation),
  };
}

/**
 * Builds an unvalidated RunConfig from the form. Fields the form does not
 * show (momentum, schedule, patience) come from `base`. An empty constraint
 * field means no constraint.
 */
export function formToConfig(
  form: RunFormValues,
  space: SearchSpace,
  base: RunConfig,
  strategies: Record<string, StrategyDefinition>,
): RunConfig {
  return {
    ...base,
    name: form.name.trim() === '' ? base.name : form.name.trim(),
    dataset: {
      name: form.dataset,
      trainSize: parseNumber(form.trainSize),
      validationSize: parseNumber(form.validationSize),
      testSize: parseNumber(form.testSize),
    },
    space,
    strategy: strategyConfig(form, strategies),
    training: {
      ...base.training,
      epochs: parseNumber(form.epochs),
      batchSize: parseNumber(form.batchSize),
      optimizer: form.optimizer,
      learningRate: parseNumber(form.learningRate),
    },
    costObjective: form.costObjective,
    constraints: {
      ...optionalNumber('maxParams', form.maxParams),
      ...optionalNumber('maxFlops', form.maxFlops),
      ...optionalNumber('maxLatencyMs', form.maxLatencyMs),
    },
    budget: parseNumber(form.budget),
    seed: parseNumber(form.seed),
    workers: parseNumber(form.workers),
    backend: form.backend,
    estimation: applyProxyForm(applySchedulerForm(applyStopFilterForm(base.estimation, form.stopFilter), form.scheduler), form.proxy),
  };
}

/** Options of the chosen strategy typed by its option specs; options of other strategies are dropped. */
function strategyConfig(form: RunFormValues, strategies: Record<string, StrategyDefinition>): StrategyConfig {
  const definition = strategies[form.strategy];
  const options: StrategyConfig['options'] = {};
  for (const spec of definition?.options ?? []) {
    const text = form.strategyOptions[spec.name];
    if (text === undefined) continue;
    options[spec.name] = spec.type === 'boolean' ? text === 'true' : parseNumber(text);
  }
  return { name: form.strategy as StrategyConfig['name'], options };
}

function optionalText(value: number | undefined): string {
  return value === undefined ? '' : String(value);
}

function optionalNumber<K extends string>(key: K, text: string): Partial<Record<K, number>> {
  if (text.trim() === '') return {};
  return { [key]: parseNumber(text) } as Partial<Record<K, number>>;
}
