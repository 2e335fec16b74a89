// A random forest of regression trees (Breiman 2001, "Random forests") on
// numeric feature vectors such as one-hot architecture encodings: bootstrap
// samples, a random subset of features per split, variance-reduction splits.
import type { Random } from '../random';

export interface ForestSettings {
  /** Trees in the forest. */
  trees: number;
  /** Features drawn at each split; default ceil(sqrt(features)). */
  featuresPerSplit?: number;
  /** Examples a leaf needs at least; default 2. */
  minLeafSize?: number;
  /** Depth limit of each tree; default 10. */
  maxDepth?: number;
}

type Node = { leaf: true; value: number } | { leaf: false; feature: number; threshold: number; left: Node; right: Node };

interface Split {
  feature: number;
  threshold: number;
  /** Sum of squared deviations of both sides after the split. */
  score: number;
}

/**
 * A fitted forest. Predictions are the mean over trees and their standard
 * deviation across trees, a rough spread rather than a calibrated
 * uncertainty.
 */
export class RandomForest {
  private readonly roots: Node[];

  private constructor(roots: Node[]) {
    this.roots = roots;
  }

  /**
   * Grows `settings.trees` trees on `inputs` (rows of equal length) and
   * `targets`, drawing bootstrap samples and split features from `random`.
   * Throws RangeError for no inputs or mismatched lengths.
   */
  static fit(inputs: readonly (readonly number[])[], targets: readonly number[], settings: ForestSettings, random: Random): RandomForest {
    if (inputs.length === 0 || inputs.length !== targets.length) {
      throw new RangeError(`RandomForest.fit needs as many targets as inputs (at least 1), got ${inputs.length} inputs and ${targets.length} targets`);
    }
    const featureCount = inputs[0].length;
    const grower = {
      inputs,
      targets,
      random,
      featuresPerSplit: Math.min(settings.featuresPerSplit ?? Math.ceil(Math.sqrt(featureCount)), featureCount),
      minLeafSize: settings.minLeafSize ?? 2,
      maxDepth: settings.maxDepth ?? 10,
    };
    const roots: Node[] = [];
    for (let t = 0; t < settings.trees; t++) {
      const sample = Array.from({ length: inputs.length }, () => random.int(inputs.length));
      roots.push(growNode(grower, sample, 0));
    }
    return new RandomForest(roots);
  }

  /** Returns the mean prediction over trees and the standard deviation across them. */
  predict(input: readonly number[]): { mean: number; std: number } {
    const values = this.roots.map((root) => predictNode(root, input));
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length;
    return { mean, std: Math.sqrt(variance) };
  }
}

interface Grower {
  inputs: readonly (readonly number[])[];
  targets: readonly number[];
  random: Random;
  featuresPerSplit: number;
  minLeafSize: number;
  maxDepth: number;
}

function meanOf(grower: Grower, rows: readonly number[]): number {
  let sum = 0;
  for (const row of rows) sum += grower.targets[row];
  return sum / rows.length;
}

function growNode(grower: Grower, rows: number[], depth: number): Node {
  const value = meanOf(grower, rows);
  if (depth >= grower.maxDepth || rows.length < 2 * grower.minLeafSize) return { leaf: true, value };
  const split = bestSplit(grower, rows);
  if (split === null) return { leaf: true, value };
  const left = rows.filter((row) => grower.inputs[row][split.feature] <= split.threshold);
  const right = rows.filter((row) => grower.inputs[row][split.feature] > split.threshold);
  return {
    leaf: false,
    feature: split.feature,
    threshold: split.threshold,
    left: growNode(grower, left, depth + 1),
    right: growNode(grower, right, depth + 1),
  };
}

/** Draws `count` distinct features by a partial Fisher-Yates shuffle. */
function drawFeatures(grower: Grower, count: number): number[] {
  const features = Array.from({ length: grower.inputs[0].length }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + grower.random.int(features.length - i);
    [features[i], features[j]] = [features[j], features[i]];
  }
  return features.slice(0, count);
}

/**
 * Finds the split among the drawn features that most reduces the sum of
 * squared deviations, with thresholds halfway between consecutive distinct
 * values. Returns null when no split leaves minLeafSize rows on each side
 * or none reduces the deviations.
 */
function bestSplit(grower: Grower, rows: readonly number[]): Split | null {
  let totalSum = 0;
  let totalSquares = 0;
  for (const row of rows) {
    totalSum += grower.targets[row];
    totalSquares += grower.targets[row] ** 2;
  }
  const n = rows.length;
  let best: Split | null = null;
  let bestScore = totalSquares - (totalSum * totalSum) / n - 1e-12;

  for (const feature of drawFeatures(grower, grower.featuresPerSplit)) {
    const sorted = [...rows].sort((a, b) => grower.inputs[a][feature] - grower.inputs[b][feature]);
    let leftSum = 0;
    let leftSquares = 0;
    for (let i = 0; i < n - 1; i++) {
      const target = grower.targets[sorted[i]];
      leftSum += target;
      leftSquares += target * target;
      const current = grower.inputs[sorted[i]][feature];
      const next = grower.inputs[sorted[i + 1]][feature];
      const leftCount = i + 1;
      if (current === next || leftCount < grower.minLeafSize || n - leftCount < grower.minLeafSize) continue;
      const rightSum = totalSum - leftSum;
      const rightSquares = totalSquares - leftSquares;
      const score = leftSquares - (leftSum * leftSum) / leftCount + rightSquares - (rightSum * rightSum) / (n - leftCount);
      if (score < bestScore) {
        bestScore = score;
        best = { feature, threshold: (current + next) / 2, score };
      }
    }
  }
  return best;
}

function predictNode(node: Node, input: readonly number[]): number {
  let current = node;
  while (!current.leaf) current = input[current.feature] <= current.threshold ? current.left : current.right;
  return current.value;
}
