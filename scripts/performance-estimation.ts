// Measures performance estimation on the MNIST architecture fixture. It
// reports the rank correlation of each surrogate predictor with trained
// accuracy, and the training that early stopping, successive halving, the
// curve stop and the predictor filter spend against full training, replayed
// from the stored learning curves. Prints Markdown or writes it into docs/benchmarks.md.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { kendall, spearman } from '../src/core/bench/correlation';
import { mean, populationStd } from '../src/core/bench/statistics';
import { createPredictor, PREDICTOR_LABELS, type PredictorName } from '../src/core/estimation/predictors';
import {
  bestWithin,
  replayCurveStop,
  replayFullTraining,
  replayPatience,
  replayPredictorFilter,
  replaySuccessiveHalving,
  rungEpochs,
  type ReplayResult,
  type StoredCurve,
} from '../src/core/estimation/simulate';
import { deriveSeed, Random } from '../src/core/random';
import type { CurvePoint } from '../src/core/run/types';
import { oneHotEncoding, oneHotLength } from '../src/core/space';
import type { Architecture, SearchSpace } from '../src/core/space/types';

/** The fields of the fixture this report reads (see scripts/proxy-fixture.ts for the whole layout). */
export interface EstimationFixture {
  version: number;
  command: string;
  commit: string;
  backend: string;
  device: string;
  complete?: boolean;
  settings: { dataset: { trainSize: number; validationSize: number }; training: { epochs: number } };
  spaces: Record<string, SearchSpace>;
  architectures: { spaceId: string; arch: Architecture; status: string; curve: CurvePoint[]; validationAccuracy: number }[];
}

export interface ReportOptions {
  /** Random training/test splits per training-set size. */
  splits: number;
  /** Random training orders for the replays that depend on order. */
  orders: number;
  seed: number;
}

const PREDICTORS: PredictorName[] = ['gp', 'mlp', 'trees'];
const TRAINING_SIZES = [10, 20, 40];
/** Smallest held-out set a correlation is computed on. */
const MIN_TEST = 5;
/** Patience values of the early-stopping rows, in epochs without a new best validation accuracy. */
export const PATIENCES = [2, 3];
/** Curve-stop rule of the report: stop below the 3rd best with probability 0.95, checked from epoch 3 of 9. */
export const CURVE_STOP = { kthBest: 3, probability: 0.95, minEpochs: 3 };
/** Successive halving of the report: rungs minEpochs * eta^k, so 1, 3 and 9 epochs for 9-epoch curves. */
export const HALVING = { minEpochs: 1, eta: 3 };
const HALVING_METHOD = `successive halving, eta ${HALVING.eta}, min epochs ${HALVING.minEpochs}`;

/** Largest gap, in accuracy points, between successive halving's pick and full training's best that meets the target. */
export const TARGET_GAP_POINTS = 0.3;
/** Largest fraction of full training's images that successive halving may process to meet the target. */
export const TARGET_IMAGE_FRACTION = 0.4;

const BEGIN = '<!-- estimation-report:begin -->';
const END = '<!-- estimation-report:end -->';
const DEFAULT_FIXTURE = 'fixtures/mnist-archs-v2.json';
const DOCS_NAME = 'docs/benchmarks.md';
/** docs/benchmarks.md of this script's repository, wherever the command runs from. */
const DOCS = fileURLToPath(new URL(`../${DOCS_NAME}`, import.meta.url));

/**
 * Encodes architectures of several spaces in one vector: per space (in
 * sorted id order) an indicator bit followed by that space's one-hot
 * encoding, all zeros for the other spaces.
 */
export function encodeAcrossSpaces(fixture: EstimationFixture): number[][] {
  const ids = Object.keys(fixture.spaces).sort();
  return fixture.architectures.map((entry) =>
    ids.flatMap((id) => {
      const space = fixture.spaces[id];
      if (id !== entry.spaceId) return new Array<number>(1 + oneHotLength(space)).fill(0);
      return [1, ...oneHotEncoding(space, entry.arch)];
    }),
  );
}

interface CorrelationRow {
  predictor: PredictorName;
  trainingSize: number;
  spearman: number[];
  kendall: number[];
}

/** Fits each predictor on `trainingSize` random architectures and ranks the rest, over `splits` seeded splits. */
export function predictorCorrelations(fixture: EstimationFixture, options: ReportOptions): CorrelationRow[] {
  const encodings = encodeAcrossSpaces(fixture);
  const accuracies = fixture.architectures.map((entry) => entry.validationAccuracy);
  const rows: CorrelationRow[] = [];
  for (const trainingSize of TRAINING_SIZES) {
    if (accuracies.length < trainingSize + MIN_TEST) continue;
    for (const predictor of PREDICTORS) {
      const row: CorrelationRow = { predictor, trainingSize, spearman: [], kendall: [] };
      for (let split = 0; split < options.splits; split++) {
        const order = new Random(deriveSeed(options.seed, 'split', trainingSize, split)).shuffle(accuracies.map((_, i) => i));
        const train = order.slice(0, trainingSize);
        const test = order.slice(trainingSize);
        const model = createPredictor(predictor, deriveSeed(options.seed, 'predictor', predictor, trainingSize, split));
        model.fit(
          train.map((i) => encodings[i]),
          train.map((i) => accuracies[i]),
        );
        const predicted = test.map((i) => model.predict(encodings[i]).mean);
        const actual = test.map((i) => accuracies[i]);
        row.spearman.push(spearman(predicted, actual));
        row.kendall.push(kendall(predicted, actual));
      }
      rows.push(row);
    }
  }
  return rows;
}

interface ReplayRow {
  method: string;
  /** Per order: images processed, accuracy of the pick after full training, stopped count. */
  images: number[];
  pickedAccuracy: number[];
  stopped: number[];
}

/** Replays every method; order-dependent ones over `orders` seeded orders. */
export function replayMethods(fixture: EstimationFixture, options: ReportOptions): { full: ReplayRow; rows: ReplayRow[] } {
  const curves: StoredCurve[] = fixture.architectures.map((entry) => entry.curve.map((point) => point.validationAccuracy));
  const finalAccuracy = (index: number): number => (index < 0 ? Number.NaN : bestWithin(curves[index], curves[index].length));
  const { trainSize, validationSize } = fixture.settings.dataset;
  const maxEpochs = fixture.settings.training.epochs;
  const encodings = encodeAcrossSpaces(fixture);

  const row = (method: string, results: ReplayResult[]): ReplayRow => ({
    method,
    images: results.map((result) => result.epochs * trainSize),
    pickedAccuracy: results.map((result) => finalAccuracy(result.picked)),
    stopped: results.map((result) => result.stopped),
  });
  const orders = Array.from({ length: options.orders }, (_, k) => new Random(deriveSeed(options.seed, 'order', k)).shuffle(curves.map((_, i) => i)));

  const full = row('full training', [replayFullTraining(curves)]);
  const rows = [
    full,
    ...PATIENCES.map((patience) => row(`early stopping, patience ${patience}`, [replayPatience(curves, patience)])),
    row(HALVING_METHOD, [replaySuccessiveHalving(curves, HALVING.minEpochs, HALVING.eta, maxEpochs)]),
    row(
      `curve stop, 3rd best, p ${CURVE_STOP.probability}, min epochs ${CURVE_STOP.minEpochs}`,
      orders.map((order) => replayCurveStop(curves, order, CURVE_STOP, maxEpochs, validationSize)),
    ),
    ...PREDICTORS.map((model) =>
      row(
        `predictor filter, ${PREDICTOR_LABELS[model]}, 10 trials, keep 0.5`,
        orders.map((order, k) => replayPredictorFilter(curves, encodings, order, { model, minTrials: 10, keepFraction: 0.5 }, deriveSeed(options.seed, 'filter', k))),
      ),
    ),
  ];
  return { full, rows };
}

function formatSpread(values: readonly number[], digits: number): string {
  if (values.length === 1) return values[0].toFixed(digits);
  return `${mean(values).toFixed(digits)} ± ${populationStd(values).toFixed(digits)}`;
}

/** Returns the Markdown section "Performance estimation" for `fixture`. */
export function formatEstimationReport(fixture: EstimationFixture, fixturePath: string, options: ReportOptions, command: string): string {
  const count = fixture.architectures.length;
  const { trainSize, validationSize } = fixture.settings.dataset;
  const epochs = fixture.settings.training.epochs;
  const lines: string[] = ['## Performance estimation', ''];
  // A fixture made in parts stores every command joined by '; ', which is too long to quote here.
  const made = fixture.command.includes('; ') ? `${fixture.command.split('; ')[0]}\` and later parts merged into it, see its \`command\` field,` : `${fixture.command}\``;
  lines.push(
    `Fixture \`${fixturePath}\` (version ${fixture.version}, made by \`${made}`,
    `at commit ${fixture.commit.slice(0, 7)} on ${fixture.device}): ${count} MNIST architectures${fixture.complete === false ? ' (the fixture is not complete yet)' : ''},`,
    `each trained ${epochs} epochs on ${trainSize} images and validated on ${validationSize}. Command: \`${command}\`.`,
    'Nothing is trained: the replays read the stored per-epoch curves. That is valid for successive halving because',
    'promoted candidates resume from their weights, so a promoted curve is the full-training curve.',
    'Splits, orders and predictor fits are seeded, so the numbers do not depend on the machine.',
    '',
  );

  lines.push('### Surrogate predictors', '');
  lines.push(
    `Spearman and Kendall tau-b between predicted and trained best validation accuracy on the held-out architectures, mean ± standard deviation over ${options.splits} seeded random splits.`,
    'Encoding: per space an indicator bit and the one-hot encoding of the decisions.',
    '',
  );
  const correlations = predictorCorrelations(fixture, options);
  if (correlations.length === 0) {
    lines.push(`Not measured: ${count} architectures are too few for ${TRAINING_SIZES[0]} training points and ${MIN_TEST} held out.`, '');
  } else {
    lines.push('| predictor | training points | held out | Spearman | Kendall |', '| --- | --: | --: | --: | --: |');
    for (const row of correlations) {
      lines.push(`| ${PREDICTOR_LABELS[row.predictor]} | ${row.trainingSize} | ${count - row.trainingSize} | ${formatSpread(row.spearman, 3)} | ${formatSpread(row.kendall, 3)} |`);
    }
    const skipped = TRAINING_SIZES.filter((size) => count < size + MIN_TEST);
    if (skipped.length > 0) lines.push('', `Not measured for ${skipped.join(', ')} training points: too few architectures.`);
    lines.push('');
  }

  lines.push('### Training spent against full training', '');
  lines.push(
    `Images processed (epochs trained times ${trainSize}) and the trained validation accuracy of the architecture each method picks.`,
    `Settings for ${epochs}-epoch curves: early stopping with patience ${PATIENCES.join(' and ')} epochs, because a single dip of a noisy curve`,
    `would stop patience 1. Successive halving uses rungs of ${rungEpochs(HALVING.minEpochs, HALVING.eta, epochs).join(', ')} epochs, and the curve stop checks from epoch ${CURVE_STOP.minEpochs},`,
    'because its curve fit needs a few points before it extrapolates.',
    `The curve stop and the predictor filter see the architectures one at a time; their rows are mean ± standard deviation over ${options.orders} seeded orders.`,
    '',
  );
  const { full, rows } = replayMethods(fixture, options);
  const fullImages = full.images[0];
  const fullBest = full.pickedAccuracy[0];
  lines.push('| method | images | of full | stopped or skipped | picked accuracy | gap to full (points) |', '| --- | --: | --: | --: | --: | --: |');
  for (const row of rows) {
    const gaps = row.pickedAccuracy.map((accuracy) => 100 * (fullBest - accuracy));
    const fractions = row.images.map((images) => (100 * images) / fullImages);
    lines.push(
      `| ${row.method} | ${formatSpread(row.images, 0)} | ${formatSpread(fractions, 1)}% | ${formatSpread(row.stopped, 1)} | ` +
        `${formatSpread(row.pickedAccuracy.map((value) => 100 * value), 2)}% | ${formatSpread(gaps, 2)} |`,
    );
  }
  const halving = rows.find((candidate) => candidate.method === HALVING_METHOD) as ReplayRow;
  const halvingGap = 100 * (fullBest - halving.pickedAccuracy[0]);
  const halvingFraction = halving.images[0] / fullImages;
  const met = halvingGap <= TARGET_GAP_POINTS && halvingFraction <= TARGET_IMAGE_FRACTION;
  lines.push(
    '',
    `Target: successive halving within ${TARGET_GAP_POINTS} points of full training's best while processing at most ${100 * TARGET_IMAGE_FRACTION}% of its images.`,
    `Result: ${halvingGap.toFixed(2)} points and ${(100 * halvingFraction).toFixed(1)}% of the images, so the target is ${met ? 'met' : 'not met'}.`,
  );
  const images = Math.round((halvingGap / 100) * validationSize);
  lines.push(
    `One validation image is ${(100 / validationSize).toFixed(2)} points, so the gap is ${images} image${images === 1 ? '' : 's'}.`,
  );
  if (halvingGap > TARGET_GAP_POINTS) lines.push(...explainHalvingGap(fixture));
  if (!met && halvingFraction > TARGET_IMAGE_FRACTION) {
    lines.push(
      `The rungs are ${rungEpochs(HALVING.minEpochs, HALVING.eta, epochs).join(', ')} epochs. The images one bracket processes depend only on these rungs, eta and the`,
      `number of architectures, not on the accuracies, so no set of accuracies meets the image target on a fixture of ${epochs}-epoch`,
      'curves. Longer curves (more rungs) would lower the fraction.',
    );
  }
  lines.push('');
  return lines.join('\n');
}

/**
 * Explains a successive-halving gap: at each rung below the top, the rank
 * of full training's best architecture among the rung's members by their
 * best accuracy so far, and whether it was promoted.
 */
export function explainHalvingGap(fixture: EstimationFixture): string[] {
  const curves: StoredCurve[] = fixture.architectures.map((entry) => entry.curve.map((point) => point.validationAccuracy));
  const maxEpochs = fixture.settings.training.epochs;
  const best = replayFullTraining(curves).picked;
  const rungs = rungEpochs(HALVING.minEpochs, HALVING.eta, maxEpochs);
  let members = curves.map((_, i) => i);
  const steps: string[] = [];
  for (const target of rungs.slice(0, -1)) {
    const ranked = [...members].sort((a, b) => bestWithin(curves[b], target) - bestWithin(curves[a], target) || a - b);
    const promoted = Math.max(1, Math.floor(members.length / HALVING.eta));
    const rank = ranked.indexOf(best) + 1;
    steps.push(
      `after ${target} epoch${target === 1 ? '' : 's'} it ranks ${rank} of ${members.length} with ${(100 * bestWithin(curves[best], target)).toFixed(2)}% ` +
        `(the ${promoted} best go on, the last of them at ${(100 * bestWithin(curves[ranked[promoted - 1]], target)).toFixed(2)}%)`,
    );
    members = ranked.slice(0, promoted);
    if (rank > promoted) break;
  }
  return [
    `Full training's best architecture (index ${best}, ${(100 * bestWithin(curves[best], maxEpochs)).toFixed(2)}%): ${steps.join('; ')}.`,
  ];
}

/** Replaces the section between the report markers of `path`, or appends the markers and the section. */
export function writeSection(path: string, section: string): void {
  const text = readFileSync(path, 'utf8');
  const block = `${BEGIN}\n${section}${END}\n`;
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  const updated = start >= 0 && end > start ? text.slice(0, start) + block + text.slice(end + END.length + 1) : `${text.trimEnd()}\n\n${block}`;
  writeFileSync(path, updated);
}

const USAGE = `Usage: node scripts/estimation-report.mjs [options]

Prints the "Performance estimation" section for the MNIST architecture
fixture: each surrogate predictor's rank correlation with trained accuracy
at 10, 20 and 40 training points, and the images that early stopping,
successive halving, the curve stop and the predictor filter process against
full training, replayed from the stored curves.

Options:
  --fixture PATH   fixture file (default ${DEFAULT_FIXTURE})
  --splits N       random train/test splits per training size (default 10)
  --orders N       random orders for the curve stop and the filter (default 5)
  --seed N         seed of the splits, orders and predictors (default 7)
  --write          write the section into ${DOCS_NAME} instead of printing it
  --help           print this help`;

function parseFlags(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      fixture: { type: 'string' },
      splits: { type: 'string' },
      orders: { type: 'string' },
      seed: { type: 'string' },
      write: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  }).values;
}

function readCount(text: string | undefined, name: string, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`--${name} must be a positive integer, got ${JSON.stringify(text)}`);
  return value;
}

/** Runs the command; returns the exit code (0 success, 1 unreadable fixture, 2 bad arguments). */
export function main(argv: string[]): number {
  let values: ReturnType<typeof parseFlags>;
  let options: ReportOptions;
  try {
    values = parseFlags(argv);
    if (values.help) {
      console.info(USAGE);
      return 0;
    }
    options = { splits: readCount(values.splits, 'splits', 10), orders: readCount(values.orders, 'orders', 5), seed: readCount(values.seed, 'seed', 7) };
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const fixturePath = values.fixture ?? DEFAULT_FIXTURE;
  let fixture: EstimationFixture;
  try {
    fixture = JSON.parse(readFileSync(fixturePath, 'utf8')) as EstimationFixture;
  } catch (error) {
    console.error(`reading the fixture ${fixturePath} failed: ${(error as Error).message}; make it with node scripts/make-proxy-fixture.mjs or pass --fixture PATH`);
    return 1;
  }
  const command = ['node scripts/estimation-report.mjs', ...argv.filter((arg) => arg !== '--write')].join(' ');
  const section = formatEstimationReport(fixture, fixturePath, options, command);
  if (values.write) {
    writeSection(DOCS, section);
    console.info(`wrote the "Performance estimation" section of ${DOCS_NAME}`);
  } else {
    console.info(section);
  }
  return 0;
}
