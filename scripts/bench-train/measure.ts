// Timed training and inference loops on the active tfjs backend, shared by
// the Node run and the Chromium bench page. A training step is the one the
// engine takes: Adam on the softmax cross-entropy, reading the loss back.
import * as tf from '@tensorflow/tfjs';
import { buildBenchModel } from './models';
import { trainingFlopsPerImage } from './flops';
import type { ThroughputRecord } from './options';

/** Images per second of one loop, by wall clock and, where the runtime reports it, by process CPU time. */
export interface Rate {
  imagesPerSecond: number;
  /** Images per second of process CPU time (Node only), which stays steady when other processes share the cores. */
  cpuImagesPerSecond: number | null;
}

export interface ModelMeasurement extends ThroughputRecord {
  model: string;
  batchSize: number;
  description: string;
  forwardMacs: number;
  trainCpuImagesPerSecond: number | null;
}

/**
 * Lets queued events run, such as a page's load event or Playwright's
 * polling, which a loop of resolved promises would hold back. A message
 * channel is used because browsers delay nested zero timeouts by 4 ms.
 */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** Seconds of process CPU time so far, or null outside Node. */
function cpuSeconds(): number | null {
  if (typeof process === 'undefined' || typeof process.cpuUsage !== 'function') return null;
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

/** Warm-up steps before timing, so the JIT has compiled the kernels' JavaScript loops. */
const WARM_UP_STEPS = 3;

/**
 * Runs `step` to warm up (WARM_UP_STEPS times, or fewer once a quarter of
 * `seconds` has passed, at least once), then repeatedly until `seconds` have
 * passed (at least once), and returns the rate for `imagesPerStep` images per step.
 */
async function timeLoop(step: () => Promise<void>, imagesPerStep: number, seconds: number): Promise<Rate> {
  const warmUpStart = performance.now();
  for (let i = 0; i < WARM_UP_STEPS; i++) {
    await step();
    if (performance.now() - warmUpStart > (seconds * 1000) / 4) break;
  }
  const cpuStart = cpuSeconds();
  const start = performance.now();
  let steps = 0;
  do {
    await step();
    steps++;
  } while (performance.now() - start < seconds * 1000);
  const elapsed = (performance.now() - start) / 1000;
  const cpuEnd = cpuSeconds();
  const images = steps * imagesPerStep;
  return {
    imagesPerSecond: images / elapsed,
    cpuImagesPerSecond: cpuStart === null || cpuEnd === null ? null : images / (cpuEnd - cpuStart),
  };
}

/** Training rate of `model` on random images at `batchSize`, with Adam at learning rate 0.001. */
export async function measureTraining(model: tf.LayersModel, batchSize: number, seconds: number): Promise<Rate> {
  const [height, width, channels] = model.inputs[0].shape.slice(1) as number[];
  const classes = model.outputs[0].shape[1] as number;
  const xs = tf.randomUniform([batchSize, height, width, channels], 0, 1, 'float32', 1);
  const labels = tf.oneHot(tf.tensor1d(Array.from({ length: batchSize }, (_, i) => i % classes), 'int32'), classes);
  const optimizer = tf.train.adam(0.001);
  try {
    return await timeLoop(
      async () => {
        const loss = optimizer.minimize(() => {
          const probabilities = model.apply(xs, { training: true }) as tf.Tensor;
          const clipped = tf.clipByValue(probabilities, 1e-7, 1);
          return tf.neg(tf.mean(tf.sum(tf.mul(labels, tf.log(clipped)), -1))) as tf.Scalar;
        }, true) as tf.Scalar;
        await loss.data();
        loss.dispose();
      },
      batchSize,
      seconds,
    );
  } finally {
    optimizer.dispose();
    tf.dispose([xs, labels]);
  }
}

/** Inference rate of `model` on random images at `batchSize`. */
export async function measureInference(model: tf.LayersModel, batchSize: number, seconds: number): Promise<Rate> {
  const [height, width, channels] = model.inputs[0].shape.slice(1) as number[];
  const xs = tf.randomUniform([batchSize, height, width, channels], 0, 1, 'float32', 2);
  try {
    return await timeLoop(
      async () => {
        const probabilities = model.predict(xs) as tf.Tensor;
        await probabilities.data();
        probabilities.dispose();
      },
      batchSize,
      seconds,
    );
  } finally {
    xs.dispose();
  }
}

/**
 * GFLOP/s of a square float32 matrix product on the active backend, as the
 * practical peak the model rates are compared with. The side is 1024, or 256
 * on the cpu backend, whose plain JavaScript product would take seconds.
 */
export async function measurePeakGflops(seconds: number): Promise<number> {
  const side = tf.getBackend() === 'cpu' ? 256 : 1024;
  const a = tf.randomUniform([side, side], -1, 1, 'float32', 3);
  const b = tf.randomUniform([side, side], -1, 1, 'float32', 4);
  try {
    const rate = await timeLoop(
      async () => {
        const product = tf.matMul(a, b);
        await product.data();
        product.dispose();
      },
      1,
      seconds,
    );
    return (rate.imagesPerSecond * 2 * side ** 3) / 1e9;
  } finally {
    tf.dispose([a, b]);
  }
}

/**
 * Measures each model of `modelIds` on the active backend: training and
 * inference rates, the estimated training GFLOP/s, and its ratio to `peakGflops`.
 */
export async function measureModels(
  modelIds: readonly string[],
  batchSize: number,
  seconds: number,
  peakGflops: number,
  onResult?: (measurement: ModelMeasurement) => void,
): Promise<ModelMeasurement[]> {
  const measurements: ModelMeasurement[] = [];
  for (const id of modelIds) {
    const bench = buildBenchModel(id);
    try {
      const training = await measureTraining(bench.model, batchSize, seconds);
      const inference = await measureInference(bench.model, batchSize, seconds);
      const gflops = (training.imagesPerSecond * trainingFlopsPerImage(bench.forwardMacs)) / 1e9;
      const measurement: ModelMeasurement = {
        model: id,
        batchSize,
        description: bench.description,
        forwardMacs: bench.forwardMacs,
        trainImagesPerSecond: training.imagesPerSecond,
        inferImagesPerSecond: inference.imagesPerSecond,
        gflops,
        peakRatio: gflops / peakGflops,
        trainCpuImagesPerSecond: training.cpuImagesPerSecond,
      };
      measurements.push(measurement);
      onResult?.(measurement);
      await yieldToEventLoop();
    } finally {
      bench.model.dispose();
    }
  }
  return measurements;
}
