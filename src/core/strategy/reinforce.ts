// REINFORCE with an LSTM controller, after Zoph and Le (2017, "Neural
// Architecture Search with Reinforcement Learning", ICLR): the controller
// samples one option per decision of the space, the validation accuracy is the
// reward, and a policy-gradient step follows every batch of results.
import { describeValue, ValidationError } from '../errors';
import { createLogger } from '../log';
import { deriveSeed, Random } from '../random';
import {
  architectureFromDecisions,
  countArchitectures,
  crossoverArchitectures,
  hashArchitecture,
  mutateArchitecture,
  sampleArchitecture,
  spaceDecisions,
} from '../space';
import type { Architecture, SearchSpace } from '../space/types';
import {
  adamStep,
  ensureBackend,
  initialAdamState,
  initialWeights,
  LstmController,
  type AdamState,
  type ControllerShape,
} from './reinforce-controller';
import { readReinforceState, type PendingProposal, type ReinforceState } from './reinforce-state';
import { saveRandomState } from './state';
import type { Observation, SpaceOperations, Strategy, StrategyDefinition } from './types';

const log = createLogger('strategy');

/**
 * Reward of a proposal without a validation accuracy: failed, diverged,
 * rejected by a constraint, or infeasible. It is the accuracy of a model that
 * classifies nothing correctly, below every real result, so the controller
 * learns to avoid such choices.
 */
export const FAILURE_REWARD = 0;

/** Batched policy draws per `ask` before the strategy falls back to uniform choices for the rest. */
export const POLICY_ROUNDS = 4;

/**
 * Factor by which each policy round after the first multiplies the sampling
 * temperature. A policy that has converged keeps drawing architectures it
 * proposed before, so later rounds explore around its mode, not uniformly.
 */
export const ROUND_TEMPERATURE_GROWTH = 2;

/** Minimum controller samples drawn in one policy round, so a concentrated policy still finds new architectures quickly. */
export const MIN_ROUND_SAMPLES = 16;

/** Uniform draws per missing architecture, after the policy rounds, before `ask` returns fewer architectures. */
export const MAX_UNIFORM_DRAWS = 100;

export interface ReinforceOptions {
  /** Units of the LSTM state and of the choice embeddings. */
  hiddenSize: number;
  /** Adam step size. */
  learningRate: number;
  /** Weight of the mean per-proposal entropy (summed over decisions) subtracted from the loss. */
  entropyWeight: number;
  /** Decay in [0, 1) of the exponential moving-average baseline: b <- decay * b + (1 - decay) * reward. */
  baselineDecay: number;
  /** Softmax temperature of the controller. Above 1 it flattens the distributions, below 1 it sharpens them. */
  temperature: number;
}

/**
 * The categorical decisions a controller samples and how a list of choices
 * becomes an architecture. The default comes from spaceDecisions and
 * architectureFromDecisions of src/core/space.
 */
export interface DecisionEncoding {
  /** Number of options of each decision, in order. */
  cardinalities: number[];
  /** Builds the architecture for one option index per decision. */
  toArchitecture(choices: number[]): Architecture;
}

/** Returns the DecisionEncoding of `space` from src/core/space. */
export function spaceDecisionEncoding(space: SearchSpace): DecisionEncoding {
  return {
    cardinalities: spaceDecisions(space).map((decision) => decision.options.length),
    toArchitecture: (choices) => architectureFromDecisions(space, choices),
  };
}

/**
 * REINFORCE (Williams 1992, "Simple Statistical Gradient-Following Algorithms
 * for Connectionist Reinforcement Learning") over the decisions of a space,
 * with an LSTM controller as in Zoph and Le (2017).
 *
 * Each batch passed to `tell` gives one Adam step on
 *   -mean(advantage * log p(choices)) - entropyWeight * mean(entropy),
 * where advantage = reward - baseline and the baseline is an exponential
 * moving average of earlier rewards. The reward is the validation accuracy,
 * or FAILURE_REWARD for failed, diverged, rejected or infeasible proposals.
 *
 * Departures from the paper:
 * - One small LSTM layer (hiddenSize units, default 32), an entropy bonus
 *   (as in Pham et al. 2018, "Efficient Neural Architecture Search via
 *   Parameter Sharing"), and the accuracy itself as reward where the paper's
 *   CIFAR-10 search cubed it. The baseline is updated only by rewards with
 *   an accuracy, so a run of rejected proposals does not drag it down, and
 *   the first batch is compared with its own mean.
 * - No architecture is proposed twice: a sample whose hash was proposed
 *   before is redrawn from the policy, up to POLICY_ROUNDS batched rounds
 *   at a temperature multiplied by ROUND_TEMPERATURE_GROWTH each round,
 *   and then from uniform choices (MAX_UNIFORM_DRAWS per missing
 *   architecture). Those uniform proposals still enter the gradient as if the
 *   policy had drawn them, which biases the update toward them.
 * - Decisions of layers beyond the chosen depth are sampled and enter the
 *   gradient although they do not change the architecture.
 *
 * Needs a registered tfjs backend (see ensureBackend). Proposals repeat
 * exactly for a seed on the cpu backend; other backends may round
 * differently and so draw different choices.
 */
export class ReinforceSearch implements Strategy {
  private readonly space: SearchSpace;
  private readonly operations: SpaceOperations;
  private readonly options: ReinforceOptions;
  private readonly encoding: DecisionEncoding;
  private readonly total: bigint;
  private readonly random: Random;
  private readonly controller: LstmController;
  private readonly adam: AdamState;
  private baseline: number | null;
  private proposals: number;
  private readonly proposedOrder: string[];
  private readonly proposed: Set<string>;
  /** Choices of proposals returned by ask whose results have not arrived yet, by proposal index. */
  private readonly pending: Map<number, number[]>;

  constructor(
    space: SearchSpace,
    seed: number,
    operations: SpaceOperations,
    options: ReinforceOptions,
    state?: unknown,
    encoding: DecisionEncoding = spaceDecisionEncoding(space),
  ) {
    checkOptions(options);
    this.space = space;
    this.operations = operations;
    this.options = options;
    this.encoding = encoding;
    this.total = operations.countArchitectures(space);
    const shape: ControllerShape = { cardinalities: encoding.cardinalities, hiddenSize: options.hiddenSize };

    if (state === undefined) {
      this.random = new Random(deriveSeed(seed, 'strategy'));
      this.controller = new LstmController(shape, initialWeights(shape, this.random));
      this.adam = initialAdamState(shape);
      this.baseline = null;
      this.proposals = 0;
      this.proposedOrder = [];
      this.pending = new Map();
    } else {
      const saved = readReinforceState(state, shape);
      this.random = new Random(saved.random);
      this.controller = new LstmController(shape, saved.weights);
      this.adam = saved.adam;
      this.baseline = saved.baseline;
      this.proposals = saved.proposals;
      this.proposedOrder = saved.proposed;
      this.pending = new Map(saved.pending.map((entry) => [entry.index, entry.choices]));
    }
    this.proposed = new Set(this.proposedOrder);
  }

  async ask(count: number): Promise<Architecture[]> {
    await ensureBackend();
    const batch: Architecture[] = [];

    for (let round = 0; round < POLICY_ROUNDS && batch.length < count && this.hasUnproposed(); round++) {
      const missing = count - batch.length;
      const temperature = this.options.temperature * ROUND_TEMPERATURE_GROWTH ** round;
      const samples = await this.controller.sample(Math.max(missing, MIN_ROUND_SAMPLES), this.random, temperature);
      for (const choices of samples) {
        if (batch.length === count) break;
        const arch = this.propose(choices);
        if (arch !== undefined) batch.push(arch);
      }
    }

    while (batch.length < count && this.hasUnproposed()) {
      const arch = this.proposeUniform();
      if (arch === undefined) break;
      batch.push(arch);
    }
    return batch;
  }

  async tell(observations: Observation[]): Promise<void> {
    const choices: number[][] = [];
    const rewards: number[] = [];
    const accuracies: number[] = [];
    for (const observation of observations) {
      const sampled = this.pending.get(observation.index);
      if (sampled === undefined) {
        log.warn(`reinforce received a result for proposal ${observation.index}, which is not pending: the result is ignored`);
        continue;
      }
      this.pending.delete(observation.index);
      const accuracy = accuracyOf(observation);
      choices.push(sampled);
      rewards.push(accuracy ?? FAILURE_REWARD);
      if (accuracy !== undefined) accuracies.push(accuracy);
    }
    if (choices.length === 0) return;

    // Advantages use the baseline from before this batch, and the first batch is compared with its own mean accuracy.
    const baseline = this.baseline ?? (accuracies.length > 0 ? mean(accuracies) : FAILURE_REWARD);
    const advantages = rewards.map((reward) => reward - baseline);
    await ensureBackend();
    const gradients = await this.controller.gradients(choices, advantages, this.options.entropyWeight, this.options.temperature);
    adamStep(this.controller.weights, gradients, this.adam, this.options.learningRate);

    const decay = this.options.baselineDecay;
    for (const accuracy of accuracies) {
      this.baseline = this.baseline === null ? accuracy : decay * this.baseline + (1 - decay) * accuracy;
    }
  }

  getState(): ReinforceState {
    const pending: PendingProposal[] = [...this.pending].map(([index, choices]) => ({ index, choices: [...choices] }));
    return {
      kind: 'reinforce',
      random: saveRandomState(this.random),
      weights: this.controller.weights.map((parameter) => [...parameter]),
      adam: { step: this.adam.step, m: this.adam.m.map((row) => [...row]), v: this.adam.v.map((row) => [...row]) },
      baseline: this.baseline,
      proposals: this.proposals,
      proposed: [...this.proposedOrder],
      pending,
    };
  }

  private hasUnproposed(): boolean {
    return BigInt(this.proposed.size) < this.total;
  }

  /** Records `choices` as the next proposal and returns its architecture, or undefined when its hash was proposed before. */
  private propose(choices: number[]): Architecture | undefined {
    const arch = this.encoding.toArchitecture(choices);
    const hash = this.operations.hashArchitecture(this.space, arch);
    if (this.proposed.has(hash)) return undefined;
    this.proposed.add(hash);
    this.proposedOrder.push(hash);
    this.pending.set(this.proposals++, choices);
    return arch;
  }

  private proposeUniform(): Architecture | undefined {
    for (let draw = 0; draw < MAX_UNIFORM_DRAWS; draw++) {
      const choices = this.encoding.cardinalities.map((options) => this.random.int(options));
      const arch = this.propose(choices);
      if (arch !== undefined) return arch;
    }
    return undefined;
  }
}

/** Returns the validation accuracy of a feasible, finished result, or undefined otherwise. */
function accuracyOf(observation: Observation): number | undefined {
  return observation.status === 'done' && observation.feasible ? observation.validationAccuracy : undefined;
}

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function checkOptions(options: ReinforceOptions): void {
  const checks: [keyof ReinforceOptions, boolean, string][] = [
    ['hiddenSize', Number.isInteger(options.hiddenSize) && options.hiddenSize >= 1, 'a positive integer'],
    ['learningRate', options.learningRate > 0 && Number.isFinite(options.learningRate), 'a positive number'],
    ['entropyWeight', options.entropyWeight >= 0 && Number.isFinite(options.entropyWeight), 'a number of 0 or more'],
    ['baselineDecay', options.baselineDecay >= 0 && options.baselineDecay < 1, 'a number in [0, 1)'],
    ['temperature', options.temperature > 0 && Number.isFinite(options.temperature), 'a positive number'],
  ];
  for (const [name, valid, rule] of checks) {
    if (!valid) {
      const field = `strategy.options.${name}`;
      throw new ValidationError(field, options[name], `${field} must be ${rule}, got ${describeValue(options[name])}: use the default`);
    }
  }
}

/** The functions of src/core/space, used unless the context passes others. */
const REAL_SPACE_OPERATIONS: SpaceOperations = {
  countArchitectures,
  sampleArchitecture,
  mutateArchitecture,
  crossoverArchitectures,
  hashArchitecture,
};

/** The registry entry of the REINFORCE strategy (name `reinforce`). */
export const REINFORCE_DEFINITION: StrategyDefinition = {
  label: 'REINFORCE (LSTM controller)',
  summary: 'Policy gradient (Zoph and Le 2017): an LSTM picks each choice and learns from validation accuracy.',
  needsTensorBackend: true,
  options: [
    {
      name: 'hiddenSize',
      label: 'Controller size',
      type: 'integer',
      default: 32,
      min: 4,
      max: 256,
      help: 'Units of the LSTM controller and of its choice embeddings. A larger controller takes longer per proposal.',
    },
    {
      name: 'learningRate',
      label: 'Learning rate',
      type: 'number',
      default: 0.02,
      min: 1e-5,
      max: 1,
      help: 'Adam step size of the controller update after each batch of results.',
    },
    {
      name: 'entropyWeight',
      label: 'Entropy bonus',
      type: 'number',
      default: 0.01,
      min: 0,
      max: 1,
      help: 'Weight of the policy entropy in the loss. A larger weight keeps the controller exploring longer, and 0 turns the bonus off.',
    },
    {
      name: 'baselineDecay',
      label: 'Baseline decay',
      type: 'number',
      default: 0.9,
      min: 0,
      max: 0.999,
      help: 'Decay of the moving-average reward baseline per result, from 0 (last reward only) to 0.999 (long memory).',
    },
    {
      name: 'temperature',
      label: 'Temperature',
      type: 'number',
      default: 1,
      min: 0.1,
      max: 10,
      help: 'Softmax temperature of the controller. Above 1 spreads the proposals, below 1 concentrates them.',
    },
  ],
  create(context, options, state) {
    const reinforceOptions: ReinforceOptions = {
      hiddenSize: Number(options.hiddenSize),
      learningRate: Number(options.learningRate),
      entropyWeight: Number(options.entropyWeight),
      baselineDecay: Number(options.baselineDecay),
      temperature: Number(options.temperature),
    };
    const operations = context.spaceOperations ?? REAL_SPACE_OPERATIONS;
    return new ReinforceSearch(context.space, context.seed, operations, reinforceOptions, state);
  },
};
