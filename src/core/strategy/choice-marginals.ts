// An additive estimate of fitness from one-hot encoded choices: the mean
// fitness of the told architectures that share each choice, shrunk towards
// the mean of all of them. Local search ranks untried neighbours with it.
import { ValidationError } from '../errors';

/** Plain-JSON state of ChoiceMarginals. */
export interface ChoiceMarginalsState {
  /** Per one-hot position: sum of the fitness of told architectures with that choice. */
  sums: number[];
  /** Per one-hot position: number of told architectures with that choice. */
  counts: number[];
}

/**
 * Weight of the overall mean in each choice's estimate, in observations: a
 * choice seen once scores halfway between its one result and the mean.
 */
export const PRIOR_OBSERVATIONS = 1;

/**
 * Running per-choice fitness means over one-hot encodings of a fixed length.
 * `score` sums the shrunk means of the choices an encoding makes, so two
 * architectures that differ in one choice compare by that choice's mean.
 */
export class ChoiceMarginals {
  private readonly sums: number[];
  private readonly counts: number[];
  private total = 0;
  private observations = 0;

  /**
   * `length` is the one-hot length of the space.
   * @throws ValidationError when `state` has arrays of another length, so
   *   it was saved for another space.
   */
  constructor(length: number, state?: ChoiceMarginalsState) {
    if (state !== undefined && (state.sums.length !== length || state.counts.length !== length)) {
      throw new ValidationError(
        'strategyState.marginals',
        state,
        `strategyState.marginals must have ${length} sums and counts (the one-hot length of the space), got ${state.sums.length} and ${state.counts.length}: restore the state saved for this search space`,
      );
    }
    this.sums = state === undefined ? new Array<number>(length).fill(0) : [...state.sums];
    this.counts = state === undefined ? new Array<number>(length).fill(0) : [...state.counts];
    // The overall mean is taken per set position, because architectures of
    // a space with variable depth set different numbers of positions.
    for (let i = 0; i < length; i++) {
      this.total += this.sums[i];
      this.observations += this.counts[i];
    }
  }

  /** Adds one told architecture's encoding and fitness. */
  add(encoding: readonly number[], fitness: number): void {
    encoding.forEach((bit, i) => {
      if (bit === 0) return;
      this.sums[i] += fitness;
      this.counts[i]++;
      this.total += fitness;
      this.observations++;
    });
  }

  /** Returns the estimate for an encoding: the sum of its choices' shrunk means (0 before any result). */
  score(encoding: readonly number[]): number {
    if (this.observations === 0) return 0;
    const overall = this.total / this.observations;
    let score = 0;
    encoding.forEach((bit, i) => {
      if (bit !== 0) score += (this.sums[i] + PRIOR_OBSERVATIONS * overall) / (this.counts[i] + PRIOR_OBSERVATIONS);
    });
    return score;
  }

  state(): ChoiceMarginalsState {
    return { sums: [...this.sums], counts: [...this.counts] };
  }
}
