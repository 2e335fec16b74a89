// Zero-cost proxies on tfjs's cpu backend: hand-computed values on tiny dense
// networks, invariances of NASWOT, and weight restoration on preset networks.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { architectureCost, MNIST_INPUT, PRESET_SPACES, sampleArchitecture } from '../../core/space';
import { Random } from '../../core/random';
import { buildModel } from '../build';
import { computeModelProxies, computeProxies, NASWOT_BATCH_SIZE, PROXY_BATCH_SIZE } from './index';
import { gradientScores } from './gradients';
import { naswotScore } from './naswot';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Builds input -> Dense(hidden, relu) -> Dense(classes, softmax), both without bias, with the given kernels. */
function twoLayerNet(first: number[][], second: number[][]): tf.LayersModel {
  const input = tf.input({ shape: [first.length] });
  const hidden = tf.layers.dense({ units: first[0].length, activation: 'relu', useBias: false }).apply(input) as tf.SymbolicTensor;
  const output = tf.layers.dense({ units: second[0].length, activation: 'softmax', useBias: false }).apply(hidden) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: output });
  model.setWeights([tf.tensor2d(first), tf.tensor2d(second)]);
  return model;
}

/** Builds input -> Dense(classes, softmax) with the given kernel and bias. */
function softmaxRegression(kernel: number[][], bias: number[]): tf.LayersModel {
  const input = tf.input({ shape: [kernel.length] });
  const output = tf.layers.dense({ units: kernel[0].length, activation: 'softmax' }).apply(input) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: output });
  model.setWeights([tf.tensor2d(kernel), tf.tensor1d(bias)]);
  return model;
}

function batchOf(xs: number[][], labels: number[]): { xs: tf.Tensor4D; labels: tf.Tensor1D } {
  // Dense models take [n, features]; the proxies only pass xs through, so the rank is the model's.
  return { xs: tf.tensor2d(xs) as unknown as tf.Tensor4D, labels: tf.tensor1d(labels, 'int32') };
}

const absSum = (matrix: number[][]): number => matrix.flat().reduce((sum, value) => sum + Math.abs(value), 0);

describe('synflow', () => {
  it('one dense layer gives the sum of |W|', async () => {
    const kernel = [
      [0.5, -1],
      [-2, 0.25],
    ];
    const model = softmaxRegression(kernel, [-3, 1]);
    const scores = await computeModelProxies(model, batchOf([[0, 0]], [0]), ['synflow'], { numClasses: 2 });
    // R = sum_j (sum_i |W_ij| + |b_j|), so dR/d|W_ij| = 1 and the score is sum |W_ij|; the bias is not scored.
    expect(scores.synflow).toBeCloseTo(absSum(kernel), 5);
    model.dispose();
  });

  it('two dense layers match the hand value', async () => {
    const first = [
      [1, -2, 0.5],
      [-1, 3, 0],
    ];
    const second = [
      [0.5, -1],
      [2, 1],
      [-1, 0.25],
    ];
    const model = twoLayerNet(first, second);
    const scores = await computeModelProxies(model, batchOf([[0, 0]], [0]), ['synflow'], { numClasses: 2 });

    // With |weights| and input ones: h_j = sum_i |W1_ij|, R = sum_jk h_j |W2_jk|.
    const hidden = first[0].map((_, j) => Math.abs(first[0][j]) + Math.abs(first[1][j]));
    const outgoing = second.map((row) => row.reduce((sum, value) => sum + Math.abs(value), 0));
    let firstLayer = 0;
    first.forEach((row) => row.forEach((w, j) => (firstLayer += Math.abs(w) * outgoing[j])));
    let secondLayer = 0;
    second.forEach((row, j) => row.forEach((w) => (secondLayer += hidden[j] * Math.abs(w))));
    expect(scores.synflow).toBeCloseTo(firstLayer + secondLayer, 4);
    model.dispose();
  });

  it('restores signed weights', async () => {
    const model = softmaxRegression([[-1, 2]], [-0.5, 0.5]);
    await computeModelProxies(model, batchOf([[1]], [0]), ['synflow'], { numClasses: 2 });
    expect(Array.from(await model.getWeights()[0].data())).toEqual([-1, 2]);
    expect(Array.from(await model.getWeights()[1].data())).toEqual([-0.5, 0.5]);
    model.dispose();
  });

  it('ignores BatchNorm weights and statistics', async () => {
    const first = [
      [1, -2],
      [0.5, 3],
    ];
    const second = [
      [0.5, -1],
      [2, 1],
    ];
    const plain = twoLayerNet(first, second);
    const input = tf.input({ shape: [2] });
    const hidden = tf.layers.dense({ units: 2, activation: 'relu', useBias: false }).apply(input) as tf.SymbolicTensor;
    const normalised = tf.layers.batchNormalization().apply(hidden) as tf.SymbolicTensor;
    const output = tf.layers.dense({ units: 2, activation: 'softmax', useBias: false }).apply(normalised) as tf.SymbolicTensor;
    const withNorm = tf.model({ inputs: input, outputs: output });
    const [, firstLayer, normLayer, secondLayer] = withNorm.layers;
    firstLayer.setWeights([tf.tensor2d(first)]);
    secondLayer.setWeights([tf.tensor2d(second)]);
    // gamma, beta, moving mean and moving variance as training could leave them.
    const norm = [[3, 0.5], [-1, 2], [0.7, -0.2], [4, 0.25]];
    normLayer.setWeights(norm.map((values) => tf.tensor1d(values)));

    const batch = batchOf([[0, 0]], [0]);
    const expected = (await computeModelProxies(plain, batch, ['synflow'], { numClasses: 2 })).synflow as number;
    const scores = await computeModelProxies(withNorm, batch, ['synflow'], { numClasses: 2 });
    expect(scores.synflow).toBeCloseTo(expected, 4);
    const restored = normLayer.getWeights();
    expect(Array.from(await restored[1].data())).toEqual([-1, 2]);
    expect(Array.from(await restored[3].data())).toEqual([4, 0.25]);
    plain.dispose();
    withNorm.dispose();
  });
});

describe('gradient proxies', () => {
  it('softmax regression matches the hand gradient', async () => {
    const kernel = [
      [0.2, -0.4],
      [0.7, 0.1],
    ];
    const bias = [0.05, -0.05];
    const xs = [
      [1, 2],
      [-1, 0.5],
    ];
    const labels = [1, 0];
    const model = softmaxRegression(kernel, bias);
    const scores = await computeModelProxies(model, batchOf(xs, labels), ['snip', 'grad_norm'], { numClasses: 2 });

    // dL/dW = x^T (p - y) / n for the mean cross-entropy of softmax(xW + b).
    const gradient = [
      [0, 0],
      [0, 0],
    ];
    xs.forEach((x, n) => {
      const logits = [0, 1].map((c) => x[0] * kernel[0][c] + x[1] * kernel[1][c] + bias[c]);
      const total = Math.exp(logits[0]) + Math.exp(logits[1]);
      const residual = [0, 1].map((c) => Math.exp(logits[c]) / total - (labels[n] === c ? 1 : 0));
      for (let i = 0; i < 2; i++) for (let c = 0; c < 2; c++) gradient[i][c] += (x[i] * residual[c]) / xs.length;
    });
    const norm = Math.sqrt(gradient.flat().reduce((sum, g) => sum + g * g, 0));
    const snip = gradient.flat().reduce((sum, g, k) => sum + Math.abs(g * kernel.flat()[k]), 0);
    expect(scores.grad_norm).toBeCloseTo(norm, 5);
    expect(scores.snip).toBeCloseTo(snip, 5);
    model.dispose();
  });
});

describe('naswot', () => {
  // Hidden units compute x0, x1 and x0 + x1 before the ReLU, so the sign of each decides its bit.
  const first = [
    [1, 0, 1],
    [0, 1, 1],
  ];
  const second = [
    [1, 0],
    [0, 1],
    [1, 1],
  ];

  it('matches the hand kernel', async () => {
    const model = twoLayerNet(first, second);
    // Codes [1,1,1], [1,0,0], [0,0,0], so K = 3 - Hamming = [[3,1,0],[1,3,2],[0,2,3]].
    // det K = 3(9 - 4) - 1(3 - 0) + 0 = 12.
    const score = await naswotScore(model, tf.tensor2d([[1, 1], [2, -3], [-1, -1]]));
    expect(score).toBeCloseTo(Math.log(12), 5);
    model.dispose();
  });

  it('identical inputs give -Infinity', async () => {
    const model = twoLayerNet(first, second);
    expect(await naswotScore(model, tf.tensor2d([[1, -2], [1, -2], [0.5, 3]]))).toBe(Number.NEGATIVE_INFINITY);
    model.dispose();
  });

  it('batch order does not change it', async () => {
    const space = PRESET_SPACES.find((preset) => preset.id === 'sequential-6x5')!.space;
    const arch = sampleArchitecture(space, new Random(3));
    const model = buildModel(space, arch, MNIST_INPUT, 7);
    const images = tf.randomUniform([6, 28, 28, 1], 0, 1, 'float32', 11) as tf.Tensor4D;
    const reversed = tf.reverse(images, 0);
    const forward = await naswotScore(model, images);
    const backward = await naswotScore(model, reversed);
    expect(Number.isFinite(forward)).toBe(true);
    expect(backward).toBeCloseTo(forward, 6);
    tf.dispose([images, reversed]);
    model.dispose();
  });
});

describe('computeProxies', () => {
  it.each(['sequential-skip', 'stages-mobilenetv2-tiny'])('%s leaks nothing and restores weights', async (id) => {
    const space = PRESET_SPACES.find((preset) => preset.id === id)!.space;
    const arch = sampleArchitecture(space, new Random(5));
    const model = buildModel(space, arch, MNIST_INPUT, 9);
    const batch = {
      xs: tf.randomUniform([4, 28, 28, 1], 0, 1, 'float32', 2) as tf.Tensor4D,
      labels: tf.tensor1d([0, 1, 2, 3], 'int32'),
    };
    const before = await Promise.all(model.getWeights().map((weight) => weight.data()));
    const tensors = tf.memory().numTensors;

    const scores = await computeModelProxies(model, batch, ['synflow', 'naswot', 'snip', 'grad_norm', 'params', 'flops'], {
      numClasses: 10,
    });

    expect(tf.memory().numTensors).toBe(tensors);
    const after = await Promise.all(model.getWeights().map((weight) => weight.data()));
    after.forEach((values, i) => expect(Array.from(values)).toEqual(Array.from(before[i])));
    for (const name of ['synflow', 'naswot', 'snip', 'grad_norm'] as const) {
      expect(Number.isFinite(scores[name]), name).toBe(true);
      expect(scores[name], name).toBeGreaterThan(0);
    }
    const cost = architectureCost(space, arch, MNIST_INPUT);
    expect(scores.params).toBe(cost.params);
    expect(scores.flops).toBe(cost.flops);
    tf.dispose([batch.xs, batch.labels]);
    model.dispose();
  });

  it('scores naswot on 128 examples and snip on the first 64', async () => {
    const random = new Random(4);
    const uniform = (): number => random.next() * 2 - 1;
    const matrix = (rows: number, columns: number): number[][] =>
      Array.from({ length: rows }, () => Array.from({ length: columns }, uniform));
    const model = twoLayerNet(matrix(8, 256), matrix(256, 2));
    const rows = matrix(NASWOT_BATCH_SIZE + 8, 8);
    const labels = rows.map((_, i) => i % 2);
    const first = (count: number) => batchOf(rows.slice(0, count), labels.slice(0, count));
    const all = first(rows.length);
    const naswotRows = first(NASWOT_BATCH_SIZE);
    const snipRows = first(PROXY_BATCH_SIZE);
    const tensors = tf.memory().numTensors;

    const scores = await computeModelProxies(model, all, ['naswot', 'snip'], { numClasses: 2 });

    expect(tf.memory().numTensors).toBe(tensors);
    const score = async (batch: typeof all, name: 'naswot' | 'snip') =>
      (await computeModelProxies(model, batch, [name], { numClasses: 2 }))[name];
    expect(Number.isFinite(scores.naswot)).toBe(true);
    expect(scores.naswot).toBe(await score(naswotRows, 'naswot'));
    expect(scores.naswot).not.toBe(await score(snipRows, 'naswot'));
    expect(scores.snip).toBe(await score(snipRows, 'snip'));
    expect(scores.snip).not.toBe((await gradientScores(model, all, 2)).snip);
    tf.dispose([all.xs, all.labels, naswotRows.xs, naswotRows.labels, snipRows.xs, snipRows.labels]);
    model.dispose();
  });

  it('builds, scores and disposes the candidate', async () => {
    const space = PRESET_SPACES.find((preset) => preset.id === 'sequential-6x5')!.space;
    const arch = sampleArchitecture(space, new Random(8));
    const batch = { xs: tf.zeros([2, 28, 28, 1]) as tf.Tensor4D, labels: tf.tensor1d([4, 5], 'int32') };
    const tensors = tf.memory().numTensors;
    const first = await computeProxies({ space, arch, input: MNIST_INPUT, seed: 3 }, batch, ['synflow', 'params']);
    const second = await computeProxies({ space, arch, input: MNIST_INPUT, seed: 3 }, batch, ['synflow']);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(second.synflow).toBe(first.synflow);
    expect(first.params).toBe(architectureCost(space, arch, MNIST_INPUT).params);
    expect(first.naswot).toBeUndefined();
    tf.dispose([batch.xs, batch.labels]);
  });
});
