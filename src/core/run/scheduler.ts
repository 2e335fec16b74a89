// Successive halving and Hyperband over training epochs (Li et al. 2018,
// "Hyperband: A Novel Bandit-Based Approach to Hyperparameter Optimization",
// JMLR 18). Owns the rung and bracket layout, the initial schedule of a new
// trial, how far the run loop may propose ahead, and promotion decisions.
import type { SchedulerConfig, Trial, TrialSchedule } from './types';

/** One bracket of a run: a block of consecutive trial indices that start at the same rung. */
export interface Bracket {
  /** Bracket number, from 0. */
  number: number;
  /** Index of its first trial. */
  start: number;
  /** Number of trials in it (the last bracket of a run may be cut short by the budget). */
  size: number;
  /** Rung its trials start at. */
  firstRung: number;
}

/**
 * Returns the epochs of each rung: minEpochs, then minEpochs * eta^k for
 * each k >= 1 where eta times that is still at most maxEpochs, then
 * maxEpochs as the top rung. Each promotion so trains at least eta times
 * longer, except from the lowest rung. For example minEpochs 1, eta 3 and
 * 10 epochs give [1, 3, 10], and 9 epochs give [1, 3, 9].
 */
export function computeRungEpochs(minEpochs: number, eta: number, maxEpochs: number): number[] {
  const rungs = [minEpochs];
  for (let epochs = minEpochs * eta; epochs * eta <= maxEpochs; epochs *= eta) rungs.push(epochs);
  rungs.push(maxEpochs);
  return rungs;
}

/**
 * Returns the repeating cycle of bracket shapes. With R rungs (s_max = R - 1):
 * successive halving is the single bracket that starts at rung 0 with
 * eta^s_max trials, so one trial reaches the top rung. Hyperband cycles
 * through s = s_max down to 0, bracket s holding ceil((s_max + 1) / (s + 1)
 * * eta^s) trials that start at rung s_max - s, as in the paper.
 */
export function bracketCycle(kind: SchedulerConfig['kind'], eta: number, rungCount: number): { size: number; firstRung: number }[] {
  const sMax = rungCount - 1;
  if (kind === 'successive-halving') return [{ size: eta ** sMax, firstRung: 0 }];
  const cycle: { size: number; firstRung: number }[] = [];
  for (let s = sMax; s >= 0; s--) {
    cycle.push({ size: Math.ceil(((sMax + 1) / (s + 1)) * eta ** s), firstRung: sMax - s });
  }
  return cycle;
}

/**
 * Returns how many of `members` trials of a rung are promoted: the top
 * 1/eta rounded down, but at least one, so that a bracket cut short by the
 * budget or by the strategy running out still trains one trial fully.
 */
export function promotionCount(members: number, eta: number): number {
  return Math.max(1, Math.floor(members / eta));
}

/**
 * The scheduler of one run. It is stateless apart from its config: the
 * state of each trial lives in `Trial.schedule`, which the run loop saves
 * with the trial, so a resumed run takes the same decisions.
 *
 * Budget: Li et al. give each Hyperband bracket a budget in epochs. Here the
 * run's budget counts distinct architectures, so brackets of the cycle
 * follow each other (repeating the cycle) until `budget` trials are laid
 * out, and the last bracket is cut to the trials left. A promotion trains
 * the same trial further and never counts against the budget.
 */
export class RungScheduler {
  readonly rungEpochs: number[];
  readonly eta: number;
  private readonly brackets: Bracket[] = [];

  constructor(config: SchedulerConfig, trainingEpochs: number, budget: number) {
    this.eta = config.eta;
    this.rungEpochs = computeRungEpochs(config.minEpochs, config.eta, trainingEpochs);
    const cycle = bracketCycle(config.kind, config.eta, this.rungEpochs.length);
    for (let start = 0, number = 0; start < budget; number++) {
      const shape = cycle[number % cycle.length];
      const size = Math.min(shape.size, budget - start);
      this.brackets.push({ number, start, size, firstRung: shape.firstRung });
      start += size;
    }
  }

  /** Index of the top rung (full training). */
  get topRung(): number {
    return this.rungEpochs.length - 1;
  }

  /**
   * Returns the epochs the whole schedule trains when no trial fails and
   * every promoted trial resumes from its checkpoint: each bracket trains
   * its trials at their first rung, then the promoted ones for the epochs
   * between each rung and the next. It is a plan, not a bound: a lost
   * checkpoint adds epochs, and failures or early stops save some.
   */
  plannedEpochs(): number {
    let total = 0;
    for (const bracket of this.brackets) {
      let members = bracket.size;
      total += members * this.rungEpochs[bracket.firstRung];
      for (let rung = bracket.firstRung + 1; rung <= this.topRung; rung++) {
        members = promotionCount(members, this.eta);
        total += members * (this.rungEpochs[rung] - this.rungEpochs[rung - 1]);
      }
    }
    return total;
  }

  /** Returns the bracket that contains trial `index`, which must be below the budget. */
  bracketOf(index: number): Bracket {
    let low = 0;
    let high = this.brackets.length - 1;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (this.brackets[middle].start <= index) low = middle;
      else high = middle - 1;
    }
    return this.brackets[low];
  }

  /** Returns the schedule of a new trial `index`: training at its bracket's first rung. */
  initialSchedule(index: number): TrialSchedule {
    const bracket = this.bracketOf(index);
    return {
      bracket: bracket.number,
      rung: bracket.firstRung,
      firstRung: bracket.firstRung,
      state: 'training',
      rungAccuracies: [],
      epochsSpent: 0,
    };
  }

  /**
   * Returns how many trials may be proposed in total once `toldCount`
   * trials have been told: `workers` beyond the told ones, as without a
   * scheduler, but at least up to the end of the bracket of the oldest trial
   * not told. A bracket's first rung can only be ranked once all its trials
   * exist, so the whole bracket must be proposable before any of it is told.
   * The limit depends only on `toldCount`, which keeps proposals
   * independent of timing.
   */
  proposalLimit(toldCount: number, workers: number, budget: number): number {
    if (toldCount >= budget) return budget;
    const bracket = this.bracketOf(toldCount);
    return Math.min(budget, Math.max(toldCount + workers, bracket.start + bracket.size));
  }

  /**
   * Ranks every rung whose members all have a result and returns the
   * decisions for the trials waiting at such a rung. The top
   * promotionCount(members) by validation accuracy are promoted, ties going
   * to the lower trial index, and the rest stop. Failed members are never
   * promoted. `trials` is every trial of the run, and `proposedCount` and
   * `proposalsEnded` tell whether a bracket may still gain trials. Decisions
   * are a pure function of the trials, so applying them twice, or after a
   * resume, gives the same result.
   */
  decide(trials: Iterable<Trial>, proposedCount: number, proposalsEnded: boolean): RungDecision[] {
    const byBracket = new Map<number, Trial[]>();
    for (const trial of trials) {
      if (trial.schedule === undefined) continue;
      const members = byBracket.get(trial.schedule.bracket) ?? [];
      members.push(trial);
      byBracket.set(trial.schedule.bracket, members);
    }

    const decisions: RungDecision[] = [];
    for (const members of byBracket.values()) {
      const waiting = members.filter((trial) => trial.schedule?.state === 'waiting');
      if (waiting.length === 0) continue;
      const bracket = this.brackets[(members[0].schedule as TrialSchedule).bracket];
      const closed = proposalsEnded || proposedCount >= bracket.start + bracket.size;
      if (!closed) continue;
      for (const rung of new Set(waiting.map((trial) => (trial.schedule as TrialSchedule).rung))) {
        decisions.push(...this.decideRung(members, rung));
      }
    }
    return decisions;
  }

  private decideRung(bracketTrials: Trial[], rung: number): RungDecision[] {
    const members = bracketTrials.filter((trial) => (trial.schedule as TrialSchedule).rung >= rung);
    const accuracyAt = (trial: Trial): number | null | undefined => {
      const schedule = trial.schedule as TrialSchedule;
      return schedule.rungAccuracies[rung - schedule.firstRung];
    };
    // Every member needs its result at this rung before the rung is ranked.
    if (members.some((trial) => accuracyAt(trial) === undefined)) return [];

    const ranked = members
      .filter((trial) => typeof accuracyAt(trial) === 'number')
      .sort((a, b) => (accuracyAt(b) as number) - (accuracyAt(a) as number) || a.index - b.index);
    const promoted = new Set(ranked.slice(0, promotionCount(members.length, this.eta)).map((trial) => trial.index));

    const decisions: RungDecision[] = [];
    for (const trial of members) {
      const schedule = trial.schedule as TrialSchedule;
      if (schedule.state !== 'waiting' || schedule.rung !== rung) continue;
      decisions.push({ index: trial.index, promote: promoted.has(trial.index) });
    }
    return decisions;
  }
}

/** Outcome for one trial waiting at a ranked rung. */
export interface RungDecision {
  index: number;
  /** True: train to the next rung. False: stop at this rung with its current result. */
  promote: boolean;
}
