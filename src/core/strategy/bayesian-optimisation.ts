// Bayesian optimisation over architectures: a Gaussian process on the
// architecture encoding, expected improvement maximised over a candidate
// pool around the best architectures, and kriging-believer batches.
import { GaussianProcess, expectedImprovement, packBits } from './gaussian-process';
import type { Candidate, ModelBasedOptions, ModelBasedState } from './model-based';
import { ModelBasedStrategy, modelBasedOptionSpecs, readModelBasedOptions } from './model-based';
import { SPACE_OPERATIONS_WITH_NEIGHBOURS } from './space-operations';
import type { SearchSpace } from '../space/types';
import type { SpaceOperations, StrategyDefinition } from './types';

/** Options of BayesianOptimisation. */
export interface BayesianOptimisationOptions extends ModelBasedOptions {
  /** Margin of expected improvement over the best standardised target (xi); larger explores more. */
  improvementMargin: number;
}

const KIND = 'bo';

/**
 * Bayesian optimisation after Snoek, Larochelle and Adams (2012, "Practical
 * Bayesian Optimization of Machine Learning Algorithms"): a Gaussian process
 * prior, expected improvement, and hyperparameters fitted to the data. The
 * architecture distance follows the spirit of Kandasamy et al. (2018,
 * "Neural Architecture Search with Bayesian Optimisation and Optimal
 * Transport", NASBOT), which also maximises the acquisition by evolving
 * mutations of the best architectures.
 *
 * Departures:
 * - The kernel is exp(-hamming / lengthScale) on a binary encoding (one-hot
 *   decisions, plus the BANANAS path encoding for cells), not NASBOT's
 *   optimal-transport distance, and not Snoek's ARD Matern 5/2.
 * - Hyperparameters are the best of a 5 x 4 grid of length scale and noise
 *   by profile marginal likelihood (the signal variance in closed form),
 *   not slice sampling over them.
 * - Targets are -log(1 - accuracy), standardised.
 * - The acquisition is maximised over a pool: neighbours and two-step
 *   mutations of the best observed architectures plus uniform samples.
 * - Batches use the kriging believer: each chosen candidate, and each
 *   pending proposal of earlier asks, is conditioned on as an observation
 *   equal to its posterior mean, which shrinks variances near it.
 */
export class BayesianOptimisation extends ModelBasedStrategy {
  private readonly improvementMargin: number;

  constructor(space: SearchSpace, seed: number, operations: SpaceOperations, options: BayesianOptimisationOptions, state?: unknown) {
    super(space, seed, operations, options, KIND, state);
    this.improvementMargin = options.improvementMargin;
  }

  protected proposeWithModel(count: number, pool: Candidate[]): Candidate[] {
    const { inputs, targets, bestTarget } = this.trainingData();
    const process = GaussianProcess.fit(inputs.map(packBits), targets);
    if (process === null) return [];

    // Pool candidates first, then the pending proposals to condition on.
    const candidateInputs = pool.map((candidate) => packBits(this.encode(candidate.arch, candidate.hash)));
    const pendingInputs = this.pending.map((item) => packBits(this.encode(item.arch, item.hash)));
    const posterior = process.predict([...candidateInputs, ...pendingInputs]);
    for (let p = 0; p < pendingInputs.length; p++) posterior.addFantasy(pool.length + p);

    const chosen: Candidate[] = [];
    const taken = new Set<number>();
    while (chosen.length < count) {
      let bestIndex = -1;
      let bestValue = -Infinity;
      for (let c = 0; c < pool.length; c++) {
        if (taken.has(c)) continue;
        const value = expectedImprovement(posterior.means[c], Math.sqrt(posterior.variances[c]), bestTarget, this.improvementMargin);
        if (value > bestValue) {
          bestValue = value;
          bestIndex = c;
        }
      }
      if (bestIndex < 0) break;
      taken.add(bestIndex);
      chosen.push(pool[bestIndex]);
      posterior.addFantasy(bestIndex);
    }
    return chosen;
  }

  getState(): ModelBasedState {
    return this.baseState(KIND);
  }
}

/** Registry entry of Bayesian optimisation, name `bo`. */
export const BAYESIAN_OPTIMISATION_DEFINITION: StrategyDefinition = {
  label: 'Bayesian optimisation',
  summary: 'Gaussian process on architecture encodings with expected improvement (Snoek et al. 2012).',
  options: [
    ...modelBasedOptionSpecs('the Gaussian process'),
    {
      name: 'improvementMargin',
      label: 'Improvement margin',
      type: 'number',
      default: 0.01,
      min: 0,
      max: 1,
      help: 'Expected improvement counts only gains above the best result plus this margin, in standard deviations of the results; larger explores more.',
    },
  ],
  create(context, options, state) {
    const operations = context.spaceOperations ?? SPACE_OPERATIONS_WITH_NEIGHBOURS;
    return new BayesianOptimisation(context.space, context.seed, operations, readBayesianOptions(options), state);
  },
};

function readBayesianOptions(options: Record<string, number | string | boolean>): BayesianOptimisationOptions {
  return { ...readModelBasedOptions(options), improvementMargin: Number(options.improvementMargin) };
}
