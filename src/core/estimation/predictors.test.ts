import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors';
import { Random } from '../random';
import { createPredictor, type PredictorName } from './predictors';
import { RandomForest } from './trees';

/** Random 0/1 vectors of length 12 whose target is a weighted count of ones plus small noise. */
function syntheticData(count: number, seed: number): { encodings: number[][]; values: number[] } {
  const random = new Random(seed);
  const weights = [0.08, -0.05, 0.03, 0.06, 0, 0.02, -0.04, 0.05, 0.01, 0, 0.07, -0.02];
  const encodings: number[][] = [];
  const values: number[] = [];
  for (let i = 0; i < count; i++) {
    const encoding = weights.map((): number => (random.next() < 0.5 ? 1 : 0));
    encodings.push(encoding);
    values.push(0.5 + encoding.reduce((sum, bit, j) => sum + bit * weights[j], 0) + 0.005 * (random.next() - 0.5));
  }
  return { encodings, values };
}

/** Pearson correlation, enough to check that predictions follow the targets. */
function correlation(a: readonly number[], b: readonly number[]): number {
  const meanA = a.reduce((s, v) => s + v, 0) / a.length;
  const meanB = b.reduce((s, v) => s + v, 0) / b.length;
  let covariance = 0;
  let varianceA = 0;
  let varianceB = 0;
  for (let i = 0; i < a.length; i++) {
    covariance += (a[i] - meanA) * (b[i] - meanB);
    varianceA += (a[i] - meanA) ** 2;
    varianceB += (b[i] - meanB) ** 2;
  }
  return covariance / Math.sqrt(varianceA * varianceB);
}

describe('RandomForest', () => {
  it('splits on the feature that decides the target', () => {
    const inputs = [
      [0, 1],
      [0, 0],
      [1, 1],
      [1, 0],
      [0, 1],
      [1, 0],
    ];
    const targets = inputs.map(([first]) => (first === 1 ? 0.9 : 0.1));
    const forest = RandomForest.fit(inputs, targets, { trees: 20, featuresPerSplit: 2, minLeafSize: 1 }, new Random(1));
    expect(forest.predict([1, 0]).mean).toBeGreaterThan(0.6);
    expect(forest.predict([0, 1]).mean).toBeLessThan(0.4);
  });

  it('predicts a constant target exactly', () => {
    const forest = RandomForest.fit([[0], [1], [0], [1]], [0.3, 0.3, 0.3, 0.3], { trees: 5 }, new Random(2));
    expect(forest.predict([1])).toEqual({ mean: 0.3, std: 0 });
  });

  it('rejects mismatched inputs and targets', () => {
    expect(() => RandomForest.fit([[0]], [], { trees: 1 }, new Random(3))).toThrow(RangeError);
  });
});

describe('predictors', () => {
  const train = syntheticData(40, 11);
  const test = syntheticData(30, 12);

  it.each(['gp', 'mlp', 'trees'] as PredictorName[])('%s follows held-out targets', (name) => {
    const predictor = createPredictor(name, 5);
    predictor.fit(train.encodings, train.values);
    const predictions = test.encodings.map((encoding) => predictor.predict(encoding).mean);
    expect(correlation(predictions, test.values)).toBeGreaterThan(0.6);
  });

  it.each(['gp', 'mlp', 'trees'] as PredictorName[])('%s is deterministic for a seed', (name) => {
    const first = createPredictor(name, 9);
    const second = createPredictor(name, 9);
    first.fit(train.encodings, train.values);
    second.fit(train.encodings, train.values);
    expect(first.predict(test.encodings[0])).toEqual(second.predict(test.encodings[0]));
  });

  it.each(['gp', 'mlp', 'trees'] as PredictorName[])('%s rejects predict before fit', (name) => {
    expect(() => createPredictor(name, 1).predict([0, 1])).toThrow(ValidationError);
  });

  it('gp reports a smaller std at a training point', () => {
    const predictor = createPredictor('gp', 1);
    predictor.fit(train.encodings, train.values);
    const seen = predictor.predict(train.encodings[0]).std as number;
    const unseen = predictor.predict(new Array(12).fill(1)).std as number;
    expect(seen).toBeLessThan(unseen);
  });

  it('rejects an empty training set', () => {
    expect(() => createPredictor('trees', 1).fit([], [])).toThrow(/at least one of each/);
  });
});
