// Command-line options and result records of `npm run bench:train`, kept
// free of tfjs so the argument parsing and the JSON shape test fast.
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const ENVIRONMENTS = ['node', 'chromium'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** Backends each environment can measure. */
export const BACKENDS_BY_ENVIRONMENT: Record<Environment, readonly string[]> = {
  node: ['cpu', 'wasm'],
  chromium: ['cpu', 'wasm', 'webgl', 'webgpu'],
};

export interface BenchTrainOptions {
  environments: Environment[];
  /** Backends to measure; each environment skips the ones it does not have. */
  backends: string[];
  /** Model ids: 'reference' and preset space ids; empty means the default set, ['all'] every model. */
  models: string[];
  /** Images per training or inference batch. */
  batchSize: number;
  /** Images per batch on the cpu backend, which would take minutes per step of a large candidate at the full batch. */
  cpuBatchSize: number;
  /** Target duration of each timed measurement, in seconds; a slow backend still runs one batch. */
  seconds: number;
  /** File to write the JSON results to, or null. */
  jsonPath: string | null;
}

/**
 * Upper limits of --batch, --cpu-batch and --seconds. A batch above 1024
 * MNIST images is no batch size a search trains with, and a measurement
 * of 60 s per model and backend already makes the default run take hours.
 */
export const MAX_BATCH_SIZE = 1024;
export const MAX_SECONDS = 60;

export const DEFAULT_OPTIONS: BenchTrainOptions = {
  environments: ['node', 'chromium'],
  backends: ['cpu', 'wasm', 'webgl', 'webgpu'],
  models: [],
  batchSize: 64,
  cpuBatchSize: 8,
  seconds: 1,
  jsonPath: null,
};

export const USAGE = `Usage: npm run bench:train -- [options]

Measures training and inference throughput (images per second) per tfjs
backend on the reference MNIST net and one candidate of each preset space.
The default run takes about 5 minutes on an idle 2-core machine.

  --env LIST       environments, comma-separated: node, chromium (default both)
  --backends LIST  backends: cpu, wasm, webgl, webgpu (default all; node has cpu and wasm)
  --models LIST    model ids: reference and preset space ids, or all
                   (default all but cell-nb201, whose training step takes
                   minutes on the cpu, webgl and webgpu backends)
  --batch N        images per batch, 1 to 1024 (default 64)
  --cpu-batch N    images per batch on the cpu backend, 1 to 1024 (default 8)
  --seconds S      target seconds per measurement, above 0 and at most 60 (default 1)
  --json FILE      also write the results as JSON to FILE
  --help           print this help`;

/** An invalid command line; the message names the option, the value and the fix. */
export class UsageError extends Error {}

/**
 * Parses the arguments after `npm run bench:train --`. Returns null for
 * --help. Throws UsageError for an unknown option, a missing value or an
 * invalid one.
 */
export function parseBenchTrainArgs(argv: readonly string[]): BenchTrainOptions | null {
  const options: BenchTrainOptions = { ...DEFAULT_OPTIONS };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--help' || flag === '-h') return null;
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) {
      throw new UsageError(`option ${flag} is missing its value: see --help`);
    }
    i++;
    switch (flag) {
      case '--env':
        options.environments = parseList(flag, value, ENVIRONMENTS) as Environment[];
        break;
      case '--backends':
        options.backends = parseList(flag, value, BACKENDS_BY_ENVIRONMENT.chromium);
        break;
      case '--models':
        options.models = value.split(',').filter((id) => id !== '');
        break;
      case '--batch':
        options.batchSize = parsePositive(flag, value, true, MAX_BATCH_SIZE);
        break;
      case '--cpu-batch':
        options.cpuBatchSize = parsePositive(flag, value, true, MAX_BATCH_SIZE);
        break;
      case '--seconds':
        options.seconds = parsePositive(flag, value, false, MAX_SECONDS);
        break;
      case '--json':
        options.jsonPath = value;
        break;
      default:
        throw new UsageError(`unknown option ${flag}: see --help`);
    }
  }
  checkBackendsPerEnvironment(options);
  return options;
}

/** Throws UsageError when an environment of --env has none of the --backends, because it would print an empty table. */
function checkBackendsPerEnvironment(options: BenchTrainOptions): void {
  for (const environment of options.environments) {
    const available = BACKENDS_BY_ENVIRONMENT[environment];
    if (!options.backends.some((backend) => available.includes(backend))) {
      throw new UsageError(
        `--env ${environment} has none of --backends ${options.backends.join(',')}: ${environment} measures ${available.join(', ')}, so add one of them to --backends or drop ${environment} from --env`,
      );
    }
  }
}

/**
 * Throws UsageError when the directory of the --json file does not exist
 * or is not writable, so the run fails before minutes of measuring.
 */
export function checkJsonDirectory(jsonPath: string): void {
  if (jsonPath.trim() === '') throw new UsageError('--json needs a file path, got "": pass e.g. --json throughput.json');
  const target = resolve(jsonPath);
  if (existsSync(target) && statSync(target).isDirectory()) {
    throw new UsageError(`--json ${jsonPath} is a directory: pass a file path such as ${join(jsonPath, 'throughput.json')}`);
  }
  const directory = dirname(target);
  let isDirectory: boolean;
  try {
    isDirectory = statSync(directory).isDirectory();
  } catch {
    throw new UsageError(`--json ${jsonPath}: the directory ${directory} does not exist; create it or write to an existing directory`);
  }
  if (!isDirectory) {
    throw new UsageError(`--json ${jsonPath}: ${directory} is not a directory; choose a file in an existing directory`);
  }
  try {
    accessSync(directory, constants.W_OK);
  } catch {
    throw new UsageError(`--json ${jsonPath}: the directory ${directory} is not writable; choose a writable directory`);
  }
}

function parseList(flag: string, value: string, allowed: readonly string[]): string[] {
  const items = value.split(',').filter((item) => item !== '');
  const invalid = items.filter((item) => !allowed.includes(item));
  if (items.length === 0 || invalid.length > 0) {
    throw new UsageError(`${flag} must list values from ${allowed.join(', ')}, got "${value}"`);
  }
  return items;
}

function parsePositive(flag: string, value: string, integer: boolean, max: number): number {
  const number = Number(value);
  const valid = Number.isFinite(number) && number > 0 && (!integer || Number.isInteger(number));
  if (!valid) {
    throw new UsageError(`${flag} must be a positive ${integer ? 'integer' : 'number'}, got "${value}"`);
  }
  if (number > max) {
    throw new UsageError(`${flag} must be at most ${max}, got ${value}: set ${flag} to ${max} or less`);
  }
  return number;
}

/** Throughput of one model on one backend in one environment. */
export interface ThroughputRecord {
  /** Training images per second (forward, backward and optimizer step), wall clock. */
  trainImagesPerSecond: number;
  /** Inference images per second (forward pass only), wall clock. */
  inferImagesPerSecond: number;
  /** Estimated training GFLOP/s: 3 x forward multiply-accumulates x 2 per image. */
  gflops: number;
  /** gflops divided by the GFLOP/s of a large matrix product on the same backend. */
  peakRatio: number;
}

/** One measured row: where, which backend and model, and the numbers. */
export interface ThroughputRow extends ThroughputRecord {
  environment: Environment;
  backend: string;
  model: string;
}

/** Returns the JSON record of --json: keys `<environment>/<backend>/<model>`. */
export function toJsonRecord(rows: readonly ThroughputRow[]): Record<string, ThroughputRecord> {
  const record: Record<string, ThroughputRecord> = {};
  for (const row of rows) {
    const { environment, backend, model, ...numbers } = row;
    record[`${environment}/${backend}/${model}`] = numbers;
  }
  return record;
}

export { trainingFlopsPerImage } from './flops';
