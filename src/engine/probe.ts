// Chooses a training backend by measurement. Each candidate backend trains a
// fixed tiny network for a few steps. A backend passes when its first loss and
// gradients match the cpu backend's, and the fastest that passes is chosen.
import * as tf from '@tensorflow/tfjs';
import type { BackendName, BackendProbe, BackendProbeEntry } from '../core/run/types';
import type { InputSpec, SequentialArch, SequentialSpace } from '../core/space/types';
import { NasError } from '../core/errors';
import { createLogger } from '../core/log';
import { Random } from '../core/random';
import { trySetBackend } from './backend';
import { buildModel } from './build';
import { crossEntropy } from './train';

const log = createLogger('engine');

/**
 * Images per probe step. The cpu backend of tfjs 4.22 needs about 0.4 s per
 * step of 8 images here (Node 20, 2 cores), so the probe stays a few seconds.
 */
export const PROBE_BATCH_SIZE = 8;

/**
 * Largest accepted relative difference of the first loss from cpu's. float32
 * kernels that sum in another order differ by about 1e-6; a wrong kernel
 * differs by far more.
 */
export const LOSS_TOLERANCE = 1e-3;

/**
 * Largest accepted relative L2 difference of all gradients from cpu's. It is
 * looser than the loss tolerance because WebGL may store float16 textures.
 */
export const GRADIENT_TOLERANCE = 1e-2;

/** The probe network: stem conv 3x3 (4), conv 3x3 (4), 2x2 max pool, max pool 3x3, global average pool, dense softmax. */
const PROBE_SPACE: SequentialSpace = {
  family: 'sequential',
  name: 'backend-probe',
  depths: [2],
  ops: ['conv3x3', 'maxpool3x3'],
  widths: [4],
  connectivity: 'sequential',
  stemChannels: 4,
  downsampleAfter: [0],
};

const PROBE_ARCH: SequentialArch = {
  family: 'sequential',
  layers: [
    { op: 'conv3x3', width: 4, skipFrom: null },
    { op: 'maxpool3x3', width: null, skipFrom: null },
  ],
};

const PROBE_INPUT: InputSpec = { inputShape: [28, 28, 1], numClasses: 10 };
const PROBE_SEED = 7;

export interface ProbeOptions {
  /** Untimed steps after the checked step, which compile the optimizer's shaders before timing; default 1. */
  warmupSteps?: number;
  /** Timed steps whose mean is the step time; default 3. */
  timedSteps?: number;
}

/** The first loss and the gradients of every trainable weight, flattened in weight order. */
interface StepResult {
  loss: number;
  gradients: Float32Array;
}

/** Fixed probe inputs and initial weights, as plain arrays so every backend gets identical values. */
interface ProbeFixture {
  images: Float32Array;
  labels: Int32Array;
  weights: { values: Float32Array; shape: number[] }[];
}

/**
 * Probes `backends` in order and leaves the fastest that passed active.
 * A backend passes when it initialises, trains without an error, and its
 * first loss and gradients are within LOSS_TOLERANCE and GRADIENT_TOLERANCE
 * of the cpu backend's. cpu is the reference, so it passes whenever it is
 * probed. Every tensor the probe creates is disposed, except as noted below.
 * NOTE: when a kernel throws during the backward pass, tfjs 4.22 keeps the
 * tensors it saved for that pass (about 50 for the probe network), so each
 * backend that fails this way leaks them once, on its own backend.
 * Throws NasError('internal') when the cpu backend cannot initialise or no
 * backend passed.
 */
export async function probeBackends(backends: readonly BackendName[], options: ProbeOptions = {}): Promise<BackendProbe> {
  if (backends.length === 0) {
    throw new NasError('internal', 'probeBackends got no backends to probe: pass at least one, e.g. ["cpu"]');
  }
  if (!(await trySetBackend('cpu'))) {
    throw new NasError('internal', 'the cpu backend, which the probe compares against, could not be initialised');
  }
  const fixture = await createFixture();
  const reference = await trainFirstStep(fixture);

  const entries: BackendProbeEntry[] = [];
  for (const backend of backends) {
    entries.push(await probeOne(backend, fixture, reference, options));
  }

  const passed = entries.filter((entry) => entry.passed && entry.msPerStep !== undefined);
  if (passed.length === 0) {
    const reasons = entries.map((entry) => `${entry.backend}: ${entry.reason ?? 'failed'}`).join('; ');
    throw new NasError('internal', `no backend passed the training probe (${reasons})`);
  }
  const chosen = passed.reduce((best, entry) => (entry.msPerStep! < best.msPerStep! ? entry : best)).backend;
  if (!(await trySetBackend(chosen))) {
    throw new NasError('internal', `backend ${chosen} passed the probe but could not be made active again`);
  }
  log.info(`training backend ${chosen} chosen by probe: ${describeProbe({ chosen, entries, batchSize: PROBE_BATCH_SIZE })}`);
  return { chosen, entries, batchSize: PROBE_BATCH_SIZE };
}

/**
 * Returns the backends that passed `probe`, fastest first: the order in
 * which a worker falls back after a failure.
 */
export function passedBackendsBySpeed(probe: BackendProbe): BackendName[] {
  return probe.entries
    .filter((entry) => entry.passed && entry.msPerStep !== undefined)
    .sort((a, b) => a.msPerStep! - b.msPerStep!)
    .map((entry) => entry.backend);
}

/** Formats a probe as one line for logs, e.g. `wasm 12.1 ms/step, cpu 80.3 ms/step, webgl failed (...)`. */
export function describeProbe(probe: BackendProbe): string {
  return probe.entries
    .map((entry) =>
      entry.passed && entry.msPerStep !== undefined
        ? `${entry.backend} ${entry.msPerStep.toFixed(1)} ms/step`
        : `${entry.backend} failed (${entry.reason ?? 'no reason given'})`,
    )
    .join(', ');
}

async function probeOne(
  backend: BackendName,
  fixture: ProbeFixture,
  reference: StepResult,
  options: ProbeOptions,
): Promise<BackendProbeEntry> {
  if (!(await trySetBackend(backend))) {
    return { backend, passed: false, reason: `backend ${backend} is not available here` };
  }
  try {
    const step = await trainFirstStep(fixture);
    const mismatch = compareWithReference(step, reference);
    if (mismatch !== null) return { backend, passed: false, reason: mismatch };

    const msPerStep = await timeSteps(fixture, options.warmupSteps ?? 1, options.timedSteps ?? 3);
    return { backend, passed: true, msPerStep, imagesPerSecond: (PROBE_BATCH_SIZE * 1000) / msPerStep };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.debug(`backend ${backend} failed the probe`, error);
    return { backend, passed: false, reason: `training failed: ${message}` };
  }
}

/** Returns null when `step` matches `reference` within the tolerances, else the reason it does not. */
function compareWithReference(step: StepResult, reference: StepResult): string | null {
  const lossError = Math.abs(step.loss - reference.loss) / Math.max(Math.abs(reference.loss), 1e-12);
  if (!(lossError <= LOSS_TOLERANCE)) {
    return `loss ${step.loss} differs from cpu's ${reference.loss} by ${lossError.toExponential(2)} (relative), over ${LOSS_TOLERANCE}`;
  }
  if (step.gradients.length !== reference.gradients.length) {
    return `gradients have ${step.gradients.length} values, cpu's have ${reference.gradients.length}`;
  }
  let differenceSquared = 0;
  let referenceSquared = 0;
  for (let i = 0; i < reference.gradients.length; i++) {
    differenceSquared += (step.gradients[i] - reference.gradients[i]) ** 2;
    referenceSquared += reference.gradients[i] ** 2;
  }
  const gradientError = Math.sqrt(differenceSquared) / Math.max(Math.sqrt(referenceSquared), 1e-12);
  if (!(gradientError <= GRADIENT_TOLERANCE)) {
    return `gradients differ from cpu's by ${gradientError.toExponential(2)} (relative L2), over ${GRADIENT_TOLERANCE}`;
  }
  return null;
}

/** Builds the probe inputs from a seeded generator and takes the initial weights from the cpu backend. */
async function createFixture(): Promise<ProbeFixture> {
  const random = new Random(PROBE_SEED);
  const [height, width, channels] = PROBE_INPUT.inputShape;
  const images = Float32Array.from({ length: PROBE_BATCH_SIZE * height * width * channels }, () => random.next());
  const labels = Int32Array.from({ length: PROBE_BATCH_SIZE }, (_, i) => i % PROBE_INPUT.numClasses);

  const model = buildModel(PROBE_SPACE, PROBE_ARCH, PROBE_INPUT, PROBE_SEED);
  try {
    const weights = await Promise.all(
      model.getWeights().map(async (weight) => ({ values: (await weight.data()) as Float32Array, shape: weight.shape })),
    );
    return { images, labels, weights };
  } finally {
    model.dispose();
  }
}

/** Builds the probe model on the active backend with the fixture's weights; the caller disposes it. */
function createProbeModel(fixture: ProbeFixture): tf.LayersModel {
  const model = buildModel(PROBE_SPACE, PROBE_ARCH, PROBE_INPUT, PROBE_SEED);
  const weights = fixture.weights.map(({ values, shape }) => tf.tensor(values, shape, 'float32'));
  try {
    model.setWeights(weights);
  } finally {
    tf.dispose(weights);
  }
  return model;
}

function createBatch(fixture: ProbeFixture): { xs: tf.Tensor4D; oneHot: tf.Tensor2D } {
  const [height, width, channels] = PROBE_INPUT.inputShape;
  return tf.tidy(() => ({
    xs: tf.tensor4d(fixture.images, [PROBE_BATCH_SIZE, height, width, channels]),
    oneHot: tf.oneHot(tf.tensor1d(fixture.labels, 'int32'), PROBE_INPUT.numClasses) as tf.Tensor2D,
  }));
}

/** Loss and gradients of the first training step on the active backend. */
async function trainFirstStep(fixture: ProbeFixture): Promise<StepResult> {
  const model = createProbeModel(fixture);
  const { xs, oneHot } = createBatch(fixture);
  try {
    const variables = model.trainableWeights.map((weight) => weight.read() as tf.Variable);
    // tidy disposes the intermediate tensors when a kernel throws half way through the backward pass.
    const { value, grads } = tf.tidy(() =>
      tf.variableGrads(() => crossEntropy(oneHot, model.apply(xs, { training: true }) as tf.Tensor), variables),
    );
    try {
      const loss = (await value.data())[0];
      const parts = await Promise.all(variables.map((variable) => grads[variable.name].data()));
      const gradients = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
      let offset = 0;
      for (const part of parts) {
        gradients.set(part as Float32Array, offset);
        offset += part.length;
      }
      return { loss, gradients };
    } finally {
      tf.dispose([value, ...Object.values(grads)]);
    }
  } finally {
    tf.dispose([xs, oneHot]);
    model.dispose();
  }
}

/** Mean wall-clock time of `timedSteps` SGD steps after `warmupSteps` untimed ones, milliseconds. */
async function timeSteps(fixture: ProbeFixture, warmupSteps: number, timedSteps: number): Promise<number> {
  const model = createProbeModel(fixture);
  const { xs, oneHot } = createBatch(fixture);
  const optimizer = tf.train.sgd(0.01);
  const step = async (): Promise<void> => {
    const loss = tf.tidy(() => {
      const cost = optimizer.minimize(() => crossEntropy(oneHot, model.apply(xs, { training: true }) as tf.Tensor), true);
      if (cost === null) throw new NasError('internal', 'optimizer.minimize returned no loss in the backend probe');
      return cost;
    });
    // Reading the loss waits for the step, so GPU backends are timed to completion.
    await loss.data();
    loss.dispose();
  };
  try {
    for (let i = 0; i < warmupSteps; i++) await step();
    const start = performance.now();
    for (let i = 0; i < Math.max(1, timedSteps); i++) await step();
    return (performance.now() - start) / Math.max(1, timedSteps);
  } finally {
    optimizer.dispose();
    tf.dispose([xs, oneHot]);
    model.dispose();
  }
}
