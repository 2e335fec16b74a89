import { describe, expect, it } from 'vitest';
import { Random } from '../random';
import { MlpEnsemble, activeIndices } from './mlp-ensemble';

/** Eight binary features; the target is a sum of per-feature weights. */
function dataset(random: Random, size: number): { inputs: number[][]; targets: number[] } {
  const weights = [1, -1, 0.5, 0, 0.8, -0.4, 0.2, -0.9];
  const inputs: number[][] = [];
  const targets: number[] = [];
  for (let i = 0; i < size; i++) {
    const bits = weights.map(() => random.int(2));
    inputs.push(activeIndices(bits));
    targets.push(bits.reduce((sum, bit, j) => sum + bit * weights[j], 0));
  }
  return { inputs, targets };
}

const SETTINGS = { inputSize: 8, hiddenSizes: [16, 16], members: 3, steps: 300, batchSize: 16, learningRate: 0.01 };

describe('MlpEnsemble', () => {
  it('learns an additive target', () => {
    const train = dataset(new Random(1), 120);
    const test = dataset(new Random(2), 40);
    const ensemble = MlpEnsemble.train(train.inputs, train.targets, SETTINGS, new Random(3));
    let error = 0;
    let baseline = 0;
    const meanTarget = train.targets.reduce((sum, value) => sum + value, 0) / train.targets.length;
    test.inputs.forEach((input, i) => {
      const predictions = ensemble.predictAll(input);
      expect(predictions).toHaveLength(3);
      const mean = predictions.reduce((sum, value) => sum + value, 0) / predictions.length;
      error += (mean - test.targets[i]) ** 2;
      baseline += (meanTarget - test.targets[i]) ** 2;
    });
    expect(error).toBeLessThan(baseline * 0.1);
  });

  it('trains identically from the same seed', () => {
    const train = dataset(new Random(1), 30);
    const settings = { ...SETTINGS, steps: 20 };
    const first = MlpEnsemble.train(train.inputs, train.targets, settings, new Random(9));
    const second = MlpEnsemble.train(train.inputs, train.targets, settings, new Random(9));
    const other = MlpEnsemble.train(train.inputs, train.targets, settings, new Random(10));
    expect(second.predictAll([0, 3])).toEqual(first.predictAll([0, 3]));
    expect(other.predictAll([0, 3])).not.toEqual(first.predictAll([0, 3]));
  });

  it('members disagree on inputs', () => {
    const train = dataset(new Random(4), 30);
    const ensemble = MlpEnsemble.train(train.inputs, train.targets, { ...SETTINGS, steps: 50 }, new Random(5));
    const predictions = ensemble.predictAll([1, 2, 5]);
    expect(new Set(predictions).size).toBe(3);
  });
});
