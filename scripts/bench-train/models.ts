// The models `npm run bench:train` measures: the reference MNIST net and,
// for each preset space, the sampled candidate with the median FLOPs.
import * as tf from '@tensorflow/tfjs';
import { Random } from '../../src/core/random';
import { MNIST_INPUT, PRESET_SPACES, architectureCost, describeArchitecture, sampleArchitecture } from '../../src/core/space';
import { buildModel } from '../../src/engine/build';
import { countModelFlops } from '../../src/engine/modelFlops';

export const REFERENCE_MODEL_ID = 'reference';

/** Every model id, the reference net first. */
export const BENCH_MODEL_IDS: string[] = [REFERENCE_MODEL_ID, ...PRESET_SPACES.map((preset) => preset.id)];

/** Models measured when --models is not given: all but the full NAS-Bench-201 skeleton, which is slow on cpu and software GPUs. */
export const DEFAULT_MODEL_IDS: string[] = BENCH_MODEL_IDS.filter((id) => id !== 'cell-nb201');

export interface BenchModel {
  id: string;
  /** One line saying what the model is. */
  description: string;
  /** Multiply-accumulates of one forward pass of one image. */
  forwardMacs: number;
  model: tf.LayersModel;
}

/** Candidates sampled per preset; the one with the median FLOPs is measured. */
const SAMPLES_PER_PRESET = 21;

/**
 * Builds the model `id` on the active backend; the caller disposes it.
 * Throws an Error naming the valid ids for an unknown one.
 */
export function buildBenchModel(id: string): BenchModel {
  if (id === REFERENCE_MODEL_ID) return buildReferenceNet();
  const preset = PRESET_SPACES.find((candidate) => candidate.id === id);
  if (preset === undefined) {
    throw new Error(`unknown model "${id}": use one of ${BENCH_MODEL_IDS.join(', ')}`);
  }
  const random = new Random(1);
  const samples = Array.from({ length: SAMPLES_PER_PRESET }, () => sampleArchitecture(preset.space, random));
  samples.sort((a, b) => architectureCost(preset.space, a, MNIST_INPUT).flops - architectureCost(preset.space, b, MNIST_INPUT).flops);
  const arch = samples[Math.floor(SAMPLES_PER_PRESET / 2)];
  const model = buildModel(preset.space, arch, MNIST_INPUT, 1);
  return { id, description: describeArchitecture(arch), forwardMacs: countModelFlops(model), model };
}

/**
 * Builds the reference net: 28x28x1 input, conv 3x3 x16 (ReLU), max pool 2,
 * conv 3x3 x32 (ReLU), max pool 2, flatten, dense 10 (softmax).
 */
function buildReferenceNet(): BenchModel {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: MNIST_INPUT.inputShape, filters: 16, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: MNIST_INPUT.numClasses, activation: 'softmax' }),
    ],
  });
  return {
    id: REFERENCE_MODEL_ID,
    description: 'conv3x3(16) > maxpool2 > conv3x3(32) > maxpool2 > dense(10)',
    forwardMacs: countModelFlops(model),
    model,
  };
}
