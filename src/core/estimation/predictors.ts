// Surrogate predictors of validation accuracy from architecture encodings,
// behind one fit/predict interface: the Gaussian process and MLP ensemble of
// the model-based strategies, and a random forest.
import { ValidationError } from '../errors';
import { Random } from '../random';
import { GaussianProcess, packBits } from '../strategy/gaussian-process';
import { activeIndices, MlpEnsemble } from '../strategy/mlp-ensemble';
import { RandomForest } from './trees';

export type PredictorName = 'gp' | 'mlp' | 'trees';

/** Display names of the predictors, for forms and reports. */
export const PREDICTOR_LABELS: Record<PredictorName, string> = {
  gp: 'Gaussian process',
  mlp: 'MLP ensemble',
  trees: 'tree ensemble',
};

/** A predicted value; `std` is the model's own spread where it has one. */
export interface Prediction {
  mean: number;
  std?: number;
}

/**
 * A regression model from 0/1 encodings (all of one length) to a value such
 * as validation accuracy. `fit` replaces any earlier fit. `predict` before
 * `fit` throws.
 */
export interface Predictor {
  readonly name: PredictorName;
  fit(encodings: readonly (readonly number[])[], values: readonly number[]): void;
  predict(encoding: readonly number[]): Prediction;
}

/** Creates an unfitted predictor whose randomness (MLP initialisation, tree bootstraps) comes from `seed`. */
export function createPredictor(name: PredictorName, seed: number): Predictor {
  switch (name) {
    case 'gp':
      return new GaussianProcessPredictor();
    case 'mlp':
      return new MlpEnsemblePredictor(seed);
    case 'trees':
      return new ForestPredictor(seed);
  }
}

/** Mean and standard deviation used to standardise targets; a constant set gets deviation 1. */
function scaling(values: readonly number[]): { centre: number; scale: number } {
  const centre = values.reduce((sum, value) => sum + value, 0) / values.length;
  const variance = values.reduce((sum, value) => sum + (value - centre) ** 2, 0) / values.length;
  const scale = variance > 1e-12 ? Math.sqrt(variance) : 1;
  return { centre, scale };
}

function checkFitInput(encodings: readonly (readonly number[])[], values: readonly number[]): void {
  if (encodings.length === 0 || encodings.length !== values.length) {
    throw new ValidationError(
      'values',
      values.length,
      `a predictor needs one value per encoding and at least one of each, got ${encodings.length} encodings and ${values.length} values`,
    );
  }
}

function notFitted(name: PredictorName): never {
  throw new ValidationError('predictor', name, `the ${PREDICTOR_LABELS[name]} predictor was asked to predict before fit: call fit first`);
}

/** Gaussian process on the Hamming distance of the encodings, as in Bayesian optimisation. */
class GaussianProcessPredictor implements Predictor {
  readonly name = 'gp' as const;
  private model: { process: GaussianProcess | null; centre: number; scale: number } | null = null;

  fit(encodings: readonly (readonly number[])[], values: readonly number[]): void {
    checkFitInput(encodings, values);
    const { centre, scale } = scaling(values);
    const targets = values.map((value) => (value - centre) / scale);
    // A null process (the kernel matrix did not factor) predicts the mean of the targets.
    this.model = { process: GaussianProcess.fit(encodings.map(packBits), targets), centre, scale };
  }

  predict(encoding: readonly number[]): Prediction {
    if (this.model === null) notFitted(this.name);
    const { process, centre, scale } = this.model;
    if (process === null) return { mean: centre, std: scale };
    const posterior = process.predict([packBits(encoding)]);
    return { mean: centre + scale * posterior.means[0], std: scale * Math.sqrt(posterior.variances[0]) };
  }
}

/** Five ReLU networks of two 32-unit layers, as BANANAS trains them, on standardised targets. */
class MlpEnsemblePredictor implements Predictor {
  readonly name = 'mlp' as const;
  private model: { ensemble: MlpEnsemble; centre: number; scale: number } | null = null;

  constructor(private readonly seed: number) {}

  fit(encodings: readonly (readonly number[])[], values: readonly number[]): void {
    checkFitInput(encodings, values);
    const { centre, scale } = scaling(values);
    const settings = { inputSize: encodings[0].length, hiddenSizes: [32, 32], members: 5, steps: 300, batchSize: 16, learningRate: 0.01 };
    const ensemble = MlpEnsemble.train(
      encodings.map((encoding) => activeIndices(encoding as number[])),
      values.map((value) => (value - centre) / scale),
      settings,
      new Random(this.seed),
    );
    this.model = { ensemble, centre, scale };
  }

  predict(encoding: readonly number[]): Prediction {
    if (this.model === null) notFitted(this.name);
    const { ensemble, centre, scale } = this.model;
    const outputs = ensemble.predictAll(activeIndices(encoding as number[])).map((value) => centre + scale * value);
    const mean = outputs.reduce((sum, value) => sum + value, 0) / outputs.length;
    const variance = outputs.reduce((sum, value) => sum + (value - mean) ** 2, 0) / outputs.length;
    return { mean, std: Math.sqrt(variance) };
  }
}

/** A random forest of 50 trees with leaves of at least 2 examples. */
class ForestPredictor implements Predictor {
  readonly name = 'trees' as const;
  private forest: RandomForest | null = null;

  constructor(private readonly seed: number) {}

  fit(encodings: readonly (readonly number[])[], values: readonly number[]): void {
    checkFitInput(encodings, values);
    this.forest = RandomForest.fit(encodings, values, { trees: 50, minLeafSize: 2 }, new Random(this.seed));
  }

  predict(encoding: readonly number[]): Prediction {
    if (this.forest === null) notFitted(this.name);
    return this.forest.predict(encoding);
  }
}
