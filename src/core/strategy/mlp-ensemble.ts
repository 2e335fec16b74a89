// A small ensemble of fully connected regression networks in plain
// TypeScript, for BANANAS: binary inputs given as the indices of their ones,
// ReLU hidden layers, a linear output, mean squared error and Adam.
import type { Random } from '../random';

/** Shape and training settings of every network of an ensemble. */
export interface EnsembleSettings {
  /** Length of the binary input vectors. */
  inputSize: number;
  /** Units of each hidden layer, e.g. [32, 32]. */
  hiddenSizes: number[];
  /** Networks in the ensemble. */
  members: number;
  /** Adam steps per network per training call. */
  steps: number;
  /** Examples per Adam step (fewer when the data set is smaller). */
  batchSize: number;
  /** Adam step size. */
  learningRate: number;
}

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-8;

/** Draws a standard normal value by the Box-Muller transform. */
export function normalSample(random: Random): number {
  const u = 1 - random.next();
  const v = random.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** One dense layer: weights are [input][output] row-major, then biases. */
interface Layer {
  inputs: number;
  outputs: number;
  weights: Float64Array;
  biases: Float64Array;
}

/** One network with its Adam moments. */
class Network {
  readonly layers: Layer[];
  private readonly parameters: Float64Array[];
  private readonly gradients: Float64Array[];
  private readonly firstMoments: Float64Array[];
  private readonly secondMoments: Float64Array[];
  private step = 0;

  constructor(sizes: number[], random: Random) {
    this.layers = [];
    for (let l = 0; l + 1 < sizes.length; l++) {
      const inputs = sizes[l];
      const outputs = sizes[l + 1];
      // He initialisation for the ReLU layers, with biases at zero.
      const scale = Math.sqrt(2 / inputs);
      const weights = Float64Array.from({ length: inputs * outputs }, () => normalSample(random) * scale);
      this.layers.push({ inputs, outputs, weights, biases: new Float64Array(outputs) });
    }
    this.parameters = this.layers.flatMap((layer) => [layer.weights, layer.biases]);
    this.gradients = this.parameters.map((values) => new Float64Array(values.length));
    this.firstMoments = this.parameters.map((values) => new Float64Array(values.length));
    this.secondMoments = this.parameters.map((values) => new Float64Array(values.length));
  }

  /** Forward pass; returns the activations of every layer (the input layer excluded) and the output. */
  forward(active: readonly number[]): Float64Array[] {
    const activations: Float64Array[] = [];
    const first = this.layers[0];
    let current = Float64Array.from(first.biases);
    for (const index of active) {
      const row = index * first.outputs;
      for (let o = 0; o < first.outputs; o++) current[o] += first.weights[row + o];
    }
    for (let l = 1; l < this.layers.length; l++) {
      for (let o = 0; o < current.length; o++) if (current[o] < 0) current[o] = 0;
      activations.push(current);
      const layer = this.layers[l];
      const next = Float64Array.from(layer.biases);
      for (let i = 0; i < layer.inputs; i++) {
        const value = current[i];
        if (value === 0) continue;
        const row = i * layer.outputs;
        for (let o = 0; o < layer.outputs; o++) next[o] += value * layer.weights[row + o];
      }
      current = next;
    }
    activations.push(current);
    return activations;
  }

  predict(active: readonly number[]): number {
    const activations = this.forward(active);
    return activations[activations.length - 1][0];
  }

  /** Takes one Adam step on the mean squared error of a minibatch. */
  train(batch: readonly (readonly number[])[], targets: readonly number[], learningRate: number): void {
    for (const gradient of this.gradients) gradient.fill(0);
    const scale = 2 / batch.length;
    batch.forEach((active, example) => {
      const activations = this.forward(active);
      let delta = Float64Array.of(scale * (activations[activations.length - 1][0] - targets[example]));
      for (let l = this.layers.length - 1; l >= 0; l--) {
        const layer = this.layers[l];
        const weightGradient = this.gradients[2 * l];
        const biasGradient = this.gradients[2 * l + 1];
        for (let o = 0; o < layer.outputs; o++) biasGradient[o] += delta[o];
        if (l === 0) {
          for (const index of active) {
            const row = index * layer.outputs;
            for (let o = 0; o < layer.outputs; o++) weightGradient[row + o] += delta[o];
          }
          break;
        }
        const input = activations[l - 1];
        const previous = new Float64Array(layer.inputs);
        for (let i = 0; i < layer.inputs; i++) {
          if (input[i] === 0) continue; // ReLU: no gradient through inactive units
          const row = i * layer.outputs;
          let sum = 0;
          for (let o = 0; o < layer.outputs; o++) {
            weightGradient[row + o] += input[i] * delta[o];
            sum += layer.weights[row + o] * delta[o];
          }
          previous[i] = sum;
        }
        delta = previous;
      }
    });

    this.step += 1;
    const correction1 = 1 - BETA1 ** this.step;
    const correction2 = 1 - BETA2 ** this.step;
    this.parameters.forEach((values, p) => {
      const gradient = this.gradients[p];
      const first = this.firstMoments[p];
      const second = this.secondMoments[p];
      for (let i = 0; i < values.length; i++) {
        first[i] = BETA1 * first[i] + (1 - BETA1) * gradient[i];
        second[i] = BETA2 * second[i] + (1 - BETA2) * gradient[i] * gradient[i];
        values[i] -= (learningRate * (first[i] / correction1)) / (Math.sqrt(second[i] / correction2) + EPSILON);
      }
    });
  }
}

/** Lists the positions of the ones of a 0/1 vector. */
export function activeIndices(vector: readonly number[]): number[] {
  const indices: number[] = [];
  vector.forEach((value, index) => {
    if (value !== 0) indices.push(index);
  });
  return indices;
}

/**
 * An ensemble of networks trained from scratch on one data set, each with
 * its own initialisation and minibatch order drawn from `random`.
 */
export class MlpEnsemble {
  private readonly networks: Network[];

  private constructor(networks: Network[]) {
    this.networks = networks;
  }

  /**
   * Trains `settings.members` networks on `inputs` (binary vectors as the
   * indices of their ones) and `targets`, each for `settings.steps` Adam steps
   * on minibatches drawn with replacement.
   */
  static train(inputs: readonly (readonly number[])[], targets: ArrayLike<number>, settings: EnsembleSettings, random: Random): MlpEnsemble {
    const sizes = [settings.inputSize, ...settings.hiddenSizes, 1];
    const batchSize = Math.min(settings.batchSize, inputs.length);
    const networks: Network[] = [];
    for (let m = 0; m < settings.members; m++) {
      const network = new Network(sizes, random);
      const batch: (readonly number[])[] = new Array(batchSize);
      const batchTargets: number[] = new Array(batchSize);
      for (let step = 0; step < settings.steps; step++) {
        for (let b = 0; b < batchSize; b++) {
          const example = random.int(inputs.length);
          batch[b] = inputs[example];
          batchTargets[b] = targets[example];
        }
        network.train(batch, batchTargets, settings.learningRate);
      }
      networks.push(network);
    }
    return new MlpEnsemble(networks);
  }

  /** Returns every member's prediction for one input (indices of its ones). */
  predictAll(active: readonly number[]): number[] {
    return this.networks.map((network) => network.predict(active));
  }
}
