// The LSTM policy of the REINFORCE strategy. It owns the parameters as plain
// number arrays, their seeded initialisation, batched sampling of one choice
// per decision and the policy-gradient loss with its gradients in tfjs-core.
// The Adam step runs in plain TypeScript, so its state serialises exactly.
import * as tf from '@tensorflow/tfjs-core';
import { NasError } from '../errors';
import type { Random } from '../random';

/** Half-width of the uniform distribution that initial weights are drawn from. */
export const INIT_SCALE = 0.1;

/** Sizes of a controller. */
export interface ControllerShape {
  /** Number of options of each decision, in decision order, each at least 1. */
  cardinalities: number[];
  /** Units of the LSTM's hidden and cell state, and the size of the choice embeddings. */
  hiddenSize: number;
}

/** Adam moments of every parameter array, and the number of steps taken (t in Kingma and Ba 2015). */
export interface AdamState {
  step: number;
  /** First-moment estimates, one array per parameter, shaped like the weights. */
  m: number[][];
  /** Second-moment estimates, one array per parameter. */
  v: number[][];
}

/**
 * Returns the shape of every parameter, in the order of the weight arrays.
 * The first three are the first input [1, H], the LSTM kernel [2H, 4H] and
 * the LSTM bias [4H]. The kernel's rows are the input then the hidden state,
 * and its columns the input, forget, candidate and output gates. Then follow,
 * per decision t, its softmax kernel [H, k_t] and bias [k_t] and, for every
 * decision but the last, the embedding [k_t, H] of its choice, which is the
 * next step's input.
 */
export function parameterShapes(shape: ControllerShape): number[][] {
  const hidden = shape.hiddenSize;
  const shapes: number[][] = [[1, hidden], [2 * hidden, 4 * hidden], [4 * hidden]];
  shape.cardinalities.forEach((options, t) => {
    shapes.push([hidden, options], [options]);
    if (t < shape.cardinalities.length - 1) shapes.push([options, hidden]);
  });
  return shapes;
}

function sizeOf(shape: number[]): number {
  return shape.reduce((product, dimension) => product * dimension, 1);
}

/** Draws every weight uniformly from [-INIT_SCALE, INIT_SCALE) with `random`, so equal seeds give equal controllers. */
export function initialWeights(shape: ControllerShape, random: Random): number[][] {
  return parameterShapes(shape).map((parameter) =>
    Array.from({ length: sizeOf(parameter) }, () => (2 * random.next() - 1) * INIT_SCALE),
  );
}

/** Returns zero Adam moments for the controller of `shape`. */
export function initialAdamState(shape: ControllerShape): AdamState {
  const zeros = (): number[][] => parameterShapes(shape).map((parameter) => new Array<number>(sizeOf(parameter)).fill(0));
  return { step: 0, m: zeros(), v: zeros() };
}

/**
 * Applies one Adam step with bias correction (Kingma and Ba 2015, "Adam: A
 * Method for Stochastic Optimization") to `weights` and `adam` in place, with
 * beta1 0.9, beta2 0.999 and epsilon 1e-8. `gradients` are of the loss to minimise.
 */
export function adamStep(weights: number[][], gradients: ArrayLike<number>[], adam: AdamState, learningRate: number): void {
  const beta1 = 0.9;
  const beta2 = 0.999;
  const epsilon = 1e-8;
  adam.step++;
  const correction1 = 1 - beta1 ** adam.step;
  const correction2 = 1 - beta2 ** adam.step;
  weights.forEach((parameter, p) => {
    const gradient = gradients[p];
    const m = adam.m[p];
    const v = adam.v[p];
    for (let i = 0; i < parameter.length; i++) {
      m[i] = beta1 * m[i] + (1 - beta1) * gradient[i];
      v[i] = beta2 * v[i] + (1 - beta2) * gradient[i] * gradient[i];
      parameter[i] -= (learningRate * (m[i] / correction1)) / (Math.sqrt(v[i] / correction2) + epsilon);
    }
  });
}

/**
 * Resolves once tfjs-core has an initialised backend. tfjs-core registers no
 * backend itself: in Node the caller imports '@tensorflow/tfjs-backend-cpu'
 * (or '@tensorflow/tfjs', which registers cpu). Throws NasError('internal')
 * when no backend is registered.
 */
export async function ensureBackend(): Promise<void> {
  try {
    await tf.ready();
  } catch (error) {
    throw new NasError(
      'internal',
      'the reinforce strategy needs a tfjs backend, but none is registered: import "@tensorflow/tfjs-backend-cpu" or "@tensorflow/tfjs" before creating the strategy',
      { cause: error },
    );
  }
}

/** Draws an index with probability proportional to `weights[i]`, using one number from `random`. */
export function drawCategorical(weights: ArrayLike<number>, random: Random): number {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i];
  const target = random.next() * total;
  let cumulative = 0;
  for (let i = 0; i < weights.length; i++) {
    cumulative += weights[i];
    if (target < cumulative) return i;
  }
  // Rounding can leave the target at the total, so the last option with weight takes it.
  for (let i = weights.length - 1; i > 0; i--) if (weights[i] > 0) return i;
  return 0;
}

/** Tensors of one forward step that the backward pass reads, shaped [batch, hidden] unless noted. */
interface ForwardStep {
  /** The step's input and previous hidden state side by side, [batch, 2 * hidden]. */
  joined: tf.Tensor;
  previousC: tf.Tensor;
  inputGate: tf.Tensor;
  forgetGate: tf.Tensor;
  candidate: tf.Tensor;
  outputGate: tf.Tensor;
  /** tanh of the new cell state. */
  cellTanh: tf.Tensor;
  h: tf.Tensor2D;
  /** Softmax and log-softmax of the decision, [batch, options]. */
  probabilities: tf.Tensor;
  logProbabilities: tf.Tensor;
  /** One-hot of the taken choices, [batch, options]. */
  oneHot: tf.Tensor;
  /** Log-probability of the taken choice and entropy of the decision, [batch]. */
  chosenLogProbability: tf.Tensor;
  entropy: tf.Tensor;
}

interface Parameters {
  start: tf.Tensor2D;
  kernel: tf.Tensor2D;
  bias: tf.Tensor1D;
  heads: { kernel: tf.Tensor2D; bias: tf.Tensor1D; embedding?: tf.Tensor2D }[];
}

/**
 * An LSTM controller in the manner of Zoph and Le (2017): one LSTM step per
 * decision, a softmax over that decision's options, and the embedding of the
 * chosen option as the input of the next step. The weights live in plain
 * arrays. Every call builds its tensors and disposes them before it returns,
 * so no tensor outlives a call.
 */
export class LstmController {
  readonly shape: ControllerShape;
  /** Parameter arrays in the order of parameterShapes, which adamStep changes in place. */
  readonly weights: number[][];
  private readonly shapes: number[][];

  constructor(shape: ControllerShape, weights: number[][]) {
    this.shape = shape;
    this.shapes = parameterShapes(shape);
    this.weights = weights;
  }

  /**
   * Samples `count` choice lists, one choice per decision, in one batched
   * pass. Each choice is drawn with `random` from the softmax of the logits
   * divided by `temperature`, so the sequence depends only on the weights
   * and the generator state. Returns `count` arrays of decision length.
   */
  async sample(count: number, random: Random, temperature: number): Promise<number[][]> {
    const choices: number[][] = Array.from({ length: count }, () => []);
    const tensors = this.createTensors();
    const params = this.toParameters(tensors);
    const hidden = this.shape.hiddenSize;
    let state: { h: tf.Tensor2D; c: tf.Tensor2D } = { h: tf.zeros([count, hidden]), c: tf.zeros([count, hidden]) };
    let input: tf.Tensor2D | null = tf.tidy(() => tf.tile(params.start, [count, 1]));
    try {
      for (let t = 0; t < this.shape.cardinalities.length; t++) {
        const options = this.shape.cardinalities[t];
        const previous = state;
        const stepInput = input as tf.Tensor2D;
        const step = tf.tidy(() => {
          const next = lstmStep(stepInput, previous.h, previous.c, params);
          const logits = tf.div(tf.add(tf.matMul(next.h, params.heads[t].kernel), params.heads[t].bias), temperature);
          return { ...next, probabilities: tf.softmax(logits) };
        });
        tf.dispose([previous.h, previous.c, stepInput]);
        state = { h: step.h, c: step.c };
        input = null;
        const probabilities = await step.probabilities.data();
        step.probabilities.dispose();

        const picked = choices.map((row, b) => {
          const choice = drawCategorical(probabilities.subarray(b * options, (b + 1) * options), random);
          row.push(choice);
          return choice;
        });
        const embedding = params.heads[t].embedding;
        if (embedding !== undefined) input = tf.tidy(() => tf.gather(embedding, tf.tensor1d(picked, 'int32')));
      }
    } finally {
      tf.dispose([state.h, state.c, ...(input === null ? [] : [input]), ...tensors]);
    }
    return choices;
  }

  /**
   * Computes the gradients of the REINFORCE loss
   *   -mean_i(advantage_i * sum_t log p(choice_it)) - entropyWeight * mean_i(sum_t entropy_it)
   * for a batch of choice lists, with the logits divided by `temperature`.
   * Returns one Float32Array per parameter, in the order of the weights.
   *
   * The backward pass through time is written out with forward ops, because
   * tfjs-core registers no gradient functions by itself (@tensorflow/tfjs
   * does), so tf.grads would fail when only tfjs-core and a backend are loaded.
   */
  async gradients(choices: number[][], advantages: number[], entropyWeight: number, temperature: number): Promise<Float32Array[]> {
    const tensors = this.createTensors();
    try {
      const gradients = tf.tidy(() => this.backward(this.toParameters(tensors), choices, advantages, entropyWeight, temperature));
      try {
        return (await Promise.all(gradients.map((gradient) => gradient.data()))) as Float32Array[];
      } finally {
        tf.dispose(gradients);
      }
    } finally {
      tf.dispose(tensors);
    }
  }

  /** Returns the value of the loss that `gradients` differentiates, for checks. */
  async loss(choices: number[][], advantages: number[], entropyWeight: number, temperature: number): Promise<number> {
    const tensors = this.createTensors();
    try {
      const value = tf.tidy(() => {
        const forward = this.forward(this.toParameters(tensors), choices, temperature);
        const weights = tf.tensor1d(advantages);
        const policy = tf.neg(tf.mean(tf.mul(weights, tf.addN(forward.steps.map((step) => step.chosenLogProbability)))));
        const entropy = tf.mean(tf.addN(forward.steps.map((step) => step.entropy)));
        return tf.sub(policy, tf.mul(entropyWeight, entropy));
      });
      try {
        return (await value.data())[0];
      } finally {
        value.dispose();
      }
    } finally {
      tf.dispose(tensors);
    }
  }

  /** Runs the controller on given choices (teacher forcing) and keeps what the backward pass needs. */
  private forward(params: Parameters, choices: number[][], temperature: number): { steps: ForwardStep[] } {
    const batch = choices.length;
    const hidden = this.shape.hiddenSize;
    let h: tf.Tensor2D = tf.zeros([batch, hidden]);
    let c: tf.Tensor2D = tf.zeros([batch, hidden]);
    let input: tf.Tensor2D = tf.tile(params.start, [batch, 1]);
    const steps: ForwardStep[] = [];

    this.shape.cardinalities.forEach((options, t) => {
      const joined = tf.concat([input, h], 1);
      const gates = tf.add(tf.matMul(joined, params.kernel), params.bias);
      const [preInput, preForget, preCandidate, preOutput] = tf.split(gates, 4, 1);
      const inputGate = tf.sigmoid(preInput);
      const forgetGate = tf.sigmoid(preForget);
      const candidate = tf.tanh(preCandidate);
      const outputGate = tf.sigmoid(preOutput);
      const nextC = tf.add(tf.mul(forgetGate, c), tf.mul(inputGate, candidate));
      const cellTanh = tf.tanh(nextC);
      const nextH = tf.mul(outputGate, cellTanh) as tf.Tensor2D;

      const head = params.heads[t];
      const logits = tf.div(tf.add(tf.matMul(nextH, head.kernel), head.bias), temperature);
      const logProbabilities = tf.logSoftmax(logits);
      const probabilities = tf.exp(logProbabilities);
      const chosen = tf.tensor1d(
        choices.map((row) => row[t]),
        'int32',
      );
      // Built on the host because tf.oneHot rejects a depth of 1 (a decision with one option).
      const oneHotValues = new Float32Array(batch * options);
      choices.forEach((row, b) => (oneHotValues[b * options + row[t]] = 1));
      const oneHot = tf.tensor2d(oneHotValues, [batch, options]);
      steps.push({
        joined,
        previousC: c,
        inputGate,
        forgetGate,
        candidate,
        outputGate,
        cellTanh,
        h: nextH,
        probabilities,
        logProbabilities,
        oneHot,
        chosenLogProbability: tf.sum(tf.mul(logProbabilities, oneHot), 1),
        entropy: tf.neg(tf.sum(tf.mul(probabilities, logProbabilities), 1)),
      });

      h = nextH;
      c = nextC as tf.Tensor2D;
      if (head.embedding !== undefined) input = tf.gather(head.embedding, chosen);
    });
    return { steps };
  }

  /** Backpropagates the loss through time and returns the gradients in the order of the weights. */
  private backward(
    params: Parameters,
    choices: number[][],
    advantages: number[],
    entropyWeight: number,
    temperature: number,
  ): tf.Tensor[] {
    const batch = choices.length;
    const hidden = this.shape.hiddenSize;
    const { steps } = this.forward(params, choices, temperature);
    // Per-row weights of the two loss terms, already divided by the batch size of the means.
    const advantageColumn = tf.reshape(tf.div(tf.tensor1d(advantages), batch), [batch, 1]);
    const entropyScale = entropyWeight / batch;

    let kernelGradient: tf.Tensor = tf.zerosLike(params.kernel);
    let biasGradient: tf.Tensor = tf.zerosLike(params.bias);
    const headGradients: tf.Tensor[][] = [];
    let dh: tf.Tensor = tf.zeros([batch, hidden]);
    let dc: tf.Tensor = tf.zeros([batch, hidden]);
    let dInput: tf.Tensor | null = null;

    for (let t = steps.length - 1; t >= 0; t--) {
      const step = steps[t];
      const head = params.heads[t];
      const gradients: tf.Tensor[] = [];

      // d loss / d logits per row: the policy term contributes advantage * (p - onehot) / batch.
      // The entropy bonus contributes entropyWeight * p * (log p + entropy) / batch.
      const entropyColumn = tf.reshape(step.entropy, [batch, 1]);
      const policyTerm = tf.mul(advantageColumn, tf.sub(step.probabilities, step.oneHot));
      const entropyTerm = tf.mul(entropyScale, tf.mul(step.probabilities, tf.add(step.logProbabilities, entropyColumn)));
      const dLogits = tf.div(tf.add(policyTerm, entropyTerm), temperature);
      gradients.push(tf.matMul(step.h, dLogits, true, false), tf.sum(dLogits, 0));

      // The next step's input was this decision's embedding row of the chosen option.
      if (head.embedding !== undefined) {
        gradients.push(tf.matMul(step.oneHot, dInput as tf.Tensor, true, false));
      }
      headGradients[t] = gradients;

      dh = tf.add(dh, tf.matMul(dLogits, head.kernel, false, true));
      const dOutputGate = tf.mul(dh, step.cellTanh);
      const dCell = tf.add(dc, tf.mul(tf.mul(dh, step.outputGate), tf.sub(1, tf.square(step.cellTanh))));
      const dPreInput = tf.mul(tf.mul(dCell, step.candidate), tf.mul(step.inputGate, tf.sub(1, step.inputGate)));
      const dPreForget = tf.mul(tf.mul(dCell, step.previousC), tf.mul(step.forgetGate, tf.sub(1, step.forgetGate)));
      const dPreCandidate = tf.mul(tf.mul(dCell, step.inputGate), tf.sub(1, tf.square(step.candidate)));
      const dPreOutput = tf.mul(dOutputGate, tf.mul(step.outputGate, tf.sub(1, step.outputGate)));
      const dGates = tf.concat([dPreInput, dPreForget, dPreCandidate, dPreOutput], 1);

      kernelGradient = tf.add(kernelGradient, tf.matMul(step.joined, dGates, true, false));
      biasGradient = tf.add(biasGradient, tf.sum(dGates, 0));
      const dJoined = tf.matMul(dGates, params.kernel, false, true);
      dInput = tf.slice(dJoined, [0, 0], [batch, hidden]);
      dh = tf.slice(dJoined, [0, hidden], [batch, hidden]);
      dc = tf.mul(dCell, step.forgetGate);
    }

    const startGradient = tf.reshape(tf.sum(dInput as tf.Tensor, 0), [1, hidden]);
    return [startGradient, kernelGradient, biasGradient, ...headGradients.flat()];
  }

  private createTensors(): tf.Tensor[] {
    return this.weights.map((values, p) => tf.tensor(Float32Array.from(values), this.shapes[p]));
  }

  private toParameters(tensors: tf.Tensor[]): Parameters {
    const [start, kernel, bias] = tensors;
    const heads: Parameters['heads'] = [];
    let next = 3;
    this.shape.cardinalities.forEach((_, t) => {
      const head: Parameters['heads'][number] = { kernel: tensors[next] as tf.Tensor2D, bias: tensors[next + 1] as tf.Tensor1D };
      next += 2;
      if (t < this.shape.cardinalities.length - 1) head.embedding = tensors[next++] as tf.Tensor2D;
      heads.push(head);
    });
    return { start: start as tf.Tensor2D, kernel: kernel as tf.Tensor2D, bias: bias as tf.Tensor1D, heads };
  }
}

/** Computes one LSTM step, with gates [input, h] * kernel + bias split as input, forget, candidate and output. */
function lstmStep(input: tf.Tensor2D, h: tf.Tensor2D, c: tf.Tensor2D, params: Parameters): { h: tf.Tensor2D; c: tf.Tensor2D } {
  const gates = tf.add(tf.matMul(tf.concat([input, h], 1), params.kernel), params.bias);
  const [inputGate, forgetGate, candidate, outputGate] = tf.split(gates, 4, 1);
  const nextC = tf.add(tf.mul(tf.sigmoid(forgetGate), c), tf.mul(tf.sigmoid(inputGate), tf.tanh(candidate)));
  const nextH = tf.mul(tf.sigmoid(outputGate), tf.tanh(nextC));
  return { h: nextH as tf.Tensor2D, c: nextC as tf.Tensor2D };
}
