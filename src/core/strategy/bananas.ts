// BANANAS: an ensemble of small neural predictors on the architecture
// encoding, trained once per ask, and independent Thompson sampling over a
// candidate pool around the best architectures.
import { describeValue, ValidationError } from '../errors';
import { Random } from '../random';
import type { SearchSpace } from '../space/types';
import { MlpEnsemble, activeIndices, normalSample } from './mlp-ensemble';
import type { Candidate, ModelBasedOptions, ModelBasedState } from './model-based';
import { ModelBasedStrategy, modelBasedOptionSpecs, readModelBasedOptions } from './model-based';
import { SPACE_OPERATIONS_WITH_NEIGHBOURS } from './space-operations';
import type { SpaceOperations, StrategyDefinition } from './types';

/** Options of Bananas. */
export interface BananasOptions extends ModelBasedOptions {
  /** Networks in the predictor ensemble. */
  ensembleSize: number;
  /** Units of each of the two hidden layers. */
  hiddenUnits: number;
  /** Adam steps per network each time the ensemble is trained. */
  trainingSteps: number;
  /** Adam step size. */
  learningRate: number;
}

const KIND = 'bananas';
const BATCH_SIZE = 16;

/**
 * BANANAS after White, Neiswanger and Savani (2021, "BANANAS: Bayesian
 * Optimization with Neural Architectures for Neural Architecture Search",
 * AAAI): a random initial phase, an ensemble of feed-forward networks on the
 * path encoding (cells) or one-hot decisions (other families), candidates
 * from mutations of the best architectures, and independent Thompson
 * sampling (ITS): each pick draws a value per candidate from a Gaussian with
 * the ensemble's mean and standard deviation and takes the largest.
 *
 * Departures:
 * - The ensemble is retrained from scratch on every ask that uses it, with
 *   a fixed number of Adam steps (not epochs), so ask time stays bounded as
 *   observations grow and the saved state contains no weights.
 * - Cells are encoded with the path encoding plus the one-hot edges, and the
 *   two 2-edge paths of the NAS-Bench-201 cell get separate bits.
 * - Targets are -log(1 - accuracy), standardised; the loss is mean squared
 *   error (the paper's code uses mean absolute error).
 * - The pool adds every neighbour of the best architectures and uniform
 *   samples to the mutations.
 * - A batch of k takes k ITS draws over the same trained ensemble; pending
 *   proposals are only excluded, not fantasised.
 */
export class Bananas extends ModelBasedStrategy {
  private readonly bananasOptions: BananasOptions;

  constructor(space: SearchSpace, seed: number, operations: SpaceOperations, options: BananasOptions, state?: unknown) {
    super(space, seed, operations, options, KIND, state);
    this.bananasOptions = options;
    if (options.ensembleSize < 2) {
      throw new ValidationError(
        'strategy.options.ensembleSize',
        options.ensembleSize,
        `strategy.options.ensembleSize must be at least 2 so the ensemble has a spread, got ${describeValue(options.ensembleSize)}: set it to 2 or more`,
      );
    }
  }

  protected proposeWithModel(count: number, pool: Candidate[]): Candidate[] {
    const { inputs, targets } = this.trainingData();
    // One draw from the strategy's stream seeds the training, so a restored strategy trains identically.
    const trainingRandom = new Random(this.random.nextUint32());
    const ensemble = MlpEnsemble.train(
      inputs.map(activeIndices),
      targets,
      {
        inputSize: inputs[0].length,
        hiddenSizes: [this.bananasOptions.hiddenUnits, this.bananasOptions.hiddenUnits],
        members: this.bananasOptions.ensembleSize,
        steps: this.bananasOptions.trainingSteps,
        batchSize: BATCH_SIZE,
        learningRate: this.bananasOptions.learningRate,
      },
      trainingRandom,
    );

    const means = new Float64Array(pool.length);
    const deviations = new Float64Array(pool.length);
    pool.forEach((candidate, c) => {
      const predictions = ensemble.predictAll(activeIndices(this.encode(candidate.arch, candidate.hash)));
      const mean = predictions.reduce((sum, value) => sum + value, 0) / predictions.length;
      const variance = predictions.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (predictions.length - 1);
      means[c] = mean;
      deviations[c] = Math.sqrt(variance);
    });

    const chosen: Candidate[] = [];
    const taken = new Set<number>();
    while (chosen.length < count) {
      let bestIndex = -1;
      let bestDraw = -Infinity;
      for (let c = 0; c < pool.length; c++) {
        if (taken.has(c)) continue;
        const draw = means[c] + deviations[c] * normalSample(this.random);
        if (draw > bestDraw) {
          bestDraw = draw;
          bestIndex = c;
        }
      }
      if (bestIndex < 0) break;
      taken.add(bestIndex);
      chosen.push(pool[bestIndex]);
    }
    return chosen;
  }

  getState(): ModelBasedState {
    return this.baseState(KIND);
  }
}

/** Registry entry of BANANAS, name `bananas`. */
export const BANANAS_DEFINITION: StrategyDefinition = {
  label: 'BANANAS',
  summary: 'Neural-predictor ensemble with Thompson sampling over mutations of the best (White et al. 2021).',
  options: [
    ...modelBasedOptionSpecs('the predictor ensemble'),
    {
      name: 'ensembleSize',
      label: 'Ensemble size',
      type: 'integer',
      default: 5,
      min: 2,
      max: 20,
      help: 'Networks in the predictor ensemble; their spread is the uncertainty of a prediction.',
    },
    {
      name: 'hiddenUnits',
      label: 'Hidden units',
      type: 'integer',
      default: 20,
      min: 4,
      max: 256,
      help: 'Units in each of the two hidden layers of every network.',
    },
    {
      name: 'trainingSteps',
      label: 'Training steps',
      type: 'integer',
      default: 100,
      min: 10,
      max: 5000,
      help: 'Adam steps (minibatches of 16) per network each time the ensemble is retrained, once per ask.',
    },
    {
      name: 'learningRate',
      label: 'Learning rate',
      type: 'number',
      default: 0.01,
      min: 0.0001,
      max: 0.1,
      help: 'Adam step size of the networks.',
    },
  ],
  create(context, options, state) {
    const operations = context.spaceOperations ?? SPACE_OPERATIONS_WITH_NEIGHBOURS;
    const bananasOptions: BananasOptions = {
      ...readModelBasedOptions(options),
      ensembleSize: Number(options.ensembleSize),
      hiddenUnits: Number(options.hiddenUnits),
      trainingSteps: Number(options.trainingSteps),
      learningRate: Number(options.learningRate),
    };
    return new Bananas(context.space, context.seed, operations, bananasOptions, state);
  },
};
