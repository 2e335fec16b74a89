// The registry of search strategies: names, one-line summaries, option specs
// for the UI form, option validation and creation with the real space
// functions.
import { describeValue, ValidationError } from '../errors';
import type { StrategyConfig } from '../run/types';
import {
  countArchitectures,
  crossoverArchitectures,
  hashArchitecture,
  mutateArchitecture,
  sampleArchitecture,
} from '../space';
import { BANANAS_DEFINITION } from './bananas';
import { BAYESIAN_OPTIMISATION_DEFINITION } from './bayesian-optimisation';
import { RegularizedEvolution } from './evolution';
import { LOCAL_SEARCH_DEFINITION } from './local-search';
import { NSGA2_DEFINITION } from './nsga2';
import { RandomSearch } from './random-search';
import { REINFORCE_DEFINITION } from './reinforce';
import type {
  SpaceOperations,
  Strategy,
  StrategyContext,
  StrategyDefinition,
  StrategyOptions,
  StrategyOptionSpec,
} from './types';

export type * from './types';

export type StrategyName = StrategyConfig['name'];

/** The functions of src/core/space, which strategies use unless a test passes others. */
export const SPACE_OPERATIONS: SpaceOperations = {
  countArchitectures,
  sampleArchitecture,
  mutateArchitecture,
  crossoverArchitectures,
  hashArchitecture,
};

export const STRATEGIES: Record<StrategyName, StrategyDefinition> = {
  random: {
    label: 'Random search',
    summary: 'Uniform samples of the space without repeats, the baseline for other strategies.',
    options: [],
    create(context, _options, state) {
      return new RandomSearch(context.space, context.seed, context.spaceOperations ?? SPACE_OPERATIONS, state);
    },
  },
  evolution: {
    label: 'Regularized evolution',
    summary: 'Aging evolution (Real et al. 2019): mutate tournament winners, retire the oldest member.',
    options: [
      {
        name: 'populationSize',
        label: 'Population size',
        type: 'integer',
        default: 10,
        min: 2,
        max: 1000,
        help: 'Architectures kept in the aging population. The initial population is this many random samples.',
      },
      {
        name: 'sampleSize',
        label: 'Tournament size',
        type: 'integer',
        default: 3,
        min: 1,
        max: 1000,
        help: 'Population members drawn per tournament; the best of them becomes the parent. At most the population size.',
      },
      {
        name: 'crossoverRate',
        label: 'Crossover rate',
        type: 'number',
        default: 0,
        min: 0,
        max: 1,
        help: 'Probability from 0 to 1 that a child is the crossover of two tournament winners before mutation. 0 means mutation only.',
      },
    ],
    create(context, options, state) {
      const evolutionOptions = {
        populationSize: Number(options.populationSize),
        sampleSize: Number(options.sampleSize),
        crossoverRate: Number(options.crossoverRate),
      };
      const operations = context.spaceOperations ?? SPACE_OPERATIONS;
      return new RegularizedEvolution(context.space, context.seed, operations, evolutionOptions, state);
    },
  },
  local: LOCAL_SEARCH_DEFINITION,
  nsga2: NSGA2_DEFINITION,
  bo: BAYESIAN_OPTIMISATION_DEFINITION,
  bananas: BANANAS_DEFINITION,
  reinforce: REINFORCE_DEFINITION,
};

function isStrategyName(name: unknown): name is StrategyName {
  return typeof name === 'string' && Object.hasOwn(STRATEGIES, name);
}

/** Returns the fix for an option value out of its range, e.g. "set populationSize to an integer from 2 to 1000". */
function rangeFix(spec: StrategyOptionSpec, kind: string): string {
  if (spec.min !== undefined && spec.max !== undefined) return `set ${spec.name} to ${kind} from ${spec.min} to ${spec.max}`;
  if (spec.min !== undefined) return `set ${spec.name} to ${kind} of ${spec.min} or more`;
  if (spec.max !== undefined) return `set ${spec.name} to ${kind} of ${spec.max} or less`;
  return `set ${spec.name} to ${kind}`;
}

function validateOption(spec: StrategyOptionSpec, value: unknown, field: string): number | boolean {
  if (spec.type === 'boolean') {
    if (typeof value !== 'boolean') {
      throw new ValidationError(field, value, `${field} must be true or false, got ${describeValue(value)}: set it to true or false`);
    }
    return value;
  }

  const integer = spec.type === 'integer';
  const inRange =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!integer || Number.isInteger(value)) &&
    (spec.min === undefined || value >= spec.min) &&
    (spec.max === undefined || value <= spec.max);
  if (!inRange) {
    const kind = integer ? 'an integer' : 'a number';
    throw new ValidationError(
      field,
      value,
      `${field} must be ${kind} in [${spec.min ?? '-inf'}, ${spec.max ?? 'inf'}], got ${describeValue(value)}: ${rangeFix(spec, kind)}`,
    );
  }
  return value as number;
}

/**
 * Checks a strategy name and its options and returns the options with every
 * default filled in. Throws ValidationError naming the field
 * (`strategy.name`, `strategy.options.<option>`) for an unknown strategy, an
 * unknown option, a value of the wrong type or out of range, and a
 * tournament larger than the population.
 */
export function validateStrategyOptions(name: unknown, options: unknown): StrategyOptions {
  if (!isStrategyName(name)) {
    const known = Object.keys(STRATEGIES).join(', ');
    throw new ValidationError('strategy.name', name, `strategy.name must be one of ${known}, got ${describeValue(name)}: pick one of them`);
  }
  const given = options ?? {};
  if (typeof given !== 'object' || Array.isArray(given)) {
    throw new ValidationError(
      'strategy.options',
      options,
      `strategy.options must be an object of option values, got ${describeValue(options)}: pass {} for the defaults`,
    );
  }

  const specs = STRATEGIES[name].options;
  const result: StrategyOptions = {};
  for (const key of Object.keys(given)) {
    if (!specs.some((spec) => spec.name === key)) {
      const known = specs.map((spec) => spec.name).join(', ') || 'none';
      throw new ValidationError(
        `strategy.options.${key}`,
        (given as Record<string, unknown>)[key],
        `strategy.options.${key} is not an option of the ${name} strategy (options: ${known}): remove it`,
      );
    }
  }
  for (const spec of specs) {
    const value = (given as Record<string, unknown>)[spec.name];
    result[spec.name] = value === undefined ? spec.default : validateOption(spec, value, `strategy.options.${spec.name}`);
  }

  if (name === 'evolution' && Number(result.sampleSize) > Number(result.populationSize)) {
    throw new ValidationError(
      'strategy.options.sampleSize',
      result.sampleSize,
      `strategy.options.sampleSize must be at most populationSize (${result.populationSize}), got ${result.sampleSize}: lower sampleSize or raise populationSize`,
    );
  }
  return result;
}

/**
 * Validates `config` and creates its strategy, restored from `state` when
 * given. Throws ValidationError for invalid options or a state saved by
 * another strategy.
 */
export function createStrategy(config: StrategyConfig, context: StrategyContext, state?: unknown): Strategy {
  const options = validateStrategyOptions(config.name, config.options);
  return STRATEGIES[config.name].create(context, options, state);
}
