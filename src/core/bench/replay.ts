// One benchmark run: a strategy searches a benchmark table for one seed,
// with the run loop's proposal rules for one worker (repeated architectures
// are told their stored result and cost no query), and the trace of what
// it found after each query.
import type { BenchmarkEntry, BenchmarkTable } from '../evaluators/tabular';
import { NB201_CIFAR10_INPUT, NB201_SKELETON } from '../evaluators/tabular';
import { MAX_WASTED_PROPOSALS } from '../run/proposals';
import type { CostObjective } from '../run/types';
import { architectureCost, hashArchitecture } from '../space';
import type { Architecture, ArchitectureCost, CellArch } from '../space/types';
import type { Observation, Strategy } from '../strategy';

/** A distinct architecture evaluated by a benchmark run, in query order. */
export interface QueriedCell {
  hash: string;
  /** The table row, or undefined when the table has no row for the cell (the trial failed). */
  entry: BenchmarkEntry | undefined;
  /** Value of the cost objective on NB201_SKELETON with NB201_CIFAR10_INPUT. */
  cost: number;
}

/** Result of one strategy on one seed: the best found after each query. */
export interface SeedTrace {
  /** Distinct architectures evaluated, in query order; at most the budget. */
  queried: QueriedCell[];
  /**
   * Report accuracy (fraction) of the best-by-signal cell after queries
   * 1..queried.length. A later cell replaces the best only with a strictly
   * higher signal, so ties keep the earlier cell. NaN until a cell with a
   * signal is found.
   */
  bestReports: number[];
  /** Milliseconds spent in each `ask` call (up to `batch` proposals per call). */
  askMs: number[];
  /** Reason the run stopped before the budget, when it did. */
  stoppedEarly?: string;
}

/** Costs of table rows, computed once per row because a benchmark looks rows up many thousands of times. */
const entryCosts = new WeakMap<BenchmarkEntry, ArchitectureCost>();

/**
 * Returns the cost objective's value of `arch` on the network that the
 * table's accuracies come from (NB201_SKELETON with NB201_CIFAR10_INPUT).
 * Pass the table row of `arch` when there is one, so its cost is cached.
 */
export function tableCost(arch: Architecture, objective: CostObjective, entry?: BenchmarkEntry): number {
  let cost = entry === undefined ? undefined : entryCosts.get(entry);
  if (cost === undefined) {
    cost = architectureCost(NB201_SKELETON, arch, NB201_CIFAR10_INPUT);
    if (entry !== undefined) entryCosts.set(entry, cost);
  }
  return objective === 'params' ? cost.params : cost.flops;
}

/**
 * Runs `strategy` against `table` until `budget` distinct architectures are
 * evaluated, the strategy returns no proposal, or MAX_WASTED_PROPOSALS
 * proposals in a row repeat evaluated architectures.
 *
 * The calls are made in rounds, without constraints. A round asks for the
 * new architectures still missing (`ask(batch - new so far)`, fewer near the
 * budget) until `batch` of them are proposed, then makes one `tell` per
 * proposal of the round in proposal order. With batch 1 this is the order
 * of the run loop (runSearch) with one worker. With batch N it models N
 * workers whose trials finish together; the run loop would instead ask for
 * each replacement right after each tell, so its later asks see fewer
 * results. A repeat is told the stored result of the architecture with the
 * same hash. Cells missing from the table are failed trials, as with
 * TabularEvaluator. Observations carry the cost of `costObjective`, so the
 * same seed proposes the same architectures here as in a run with
 * TabularEvaluator.
 * @param batch new architectures per round, a positive integer (default 1).
 */
export async function replaySeed(
  strategy: Strategy,
  table: BenchmarkTable,
  budget: number,
  costObjective: CostObjective,
  now: () => number,
  batch = 1,
): Promise<SeedTrace> {
  const trace: SeedTrace = { queried: [], bestReports: [], askMs: [] };
  const byHash = new Map<string, Observation>();
  let proposals = 0;
  let wastedInARow = 0;
  let best: BenchmarkEntry | undefined;

  /** Looks up one proposal and adds it to the trace; returns its observation and whether it is a new architecture. */
  const recordProposal = (arch: Architecture): { observation: Observation; isNew: boolean } => {
    const hash = hashArchitecture(NB201_SKELETON, arch);
    const index = proposals++;
    const earlier = byHash.get(hash);
    if (earlier !== undefined) {
      wastedInARow++;
      if (wastedInARow >= MAX_WASTED_PROPOSALS) {
        trace.stoppedEarly = `the strategy proposed ${wastedInARow} evaluated architectures in a row after ${trace.queried.length} queries`;
      }
      return { observation: { ...earlier, index, arch }, isNew: false };
    }

    // The benchmark space is NB201_SKELETON, so every proposal is a cell.
    const entry = table.lookup(arch as CellArch);
    const cost = tableCost(arch, costObjective, entry);
    const observation: Observation =
      entry === undefined
        ? { index, arch, hash, status: 'failed', cost, feasible: true }
        : { index, arch, hash, status: 'done', validationAccuracy: entry.signal, cost, feasible: true };
    byHash.set(hash, observation);
    wastedInARow = 0;

    trace.queried.push({ hash, entry, cost });
    if (entry !== undefined && (best === undefined || entry.signal > best.signal)) best = entry;
    trace.bestReports.push(best === undefined ? Number.NaN : best.report);
    return { observation, isNew: true };
  };

  while (trace.queried.length < budget && trace.stoppedEarly === undefined) {
    const roundSize = Math.min(batch, budget - trace.queried.length);
    const pending: Observation[] = [];
    let newInRound = 0;
    while (newInRound < roundSize && trace.stoppedEarly === undefined) {
      const requested = roundSize - newInRound;
      const started = now();
      const archs = (await strategy.ask(requested)).slice(0, requested);
      trace.askMs.push(now() - started);
      if (archs.length === 0) {
        trace.stoppedEarly = `the strategy proposed no new architecture after ${trace.queried.length} queries`;
        break;
      }
      // Like the run loop, every architecture of an ask is recorded, even after the stop rule fires.
      for (const arch of archs) {
        const { observation, isNew } = recordProposal(arch);
        pending.push(observation);
        if (isNew) newInRound++;
      }
    }

    for (const observation of pending) await strategy.tell([observation]);
  }
  return trace;
}

/** Durations of asks timed after a run, in milliseconds. */
export interface AskTimes {
  /** Wall-clock time of each ask. */
  wallMs: number[];
  /** Process CPU time of each ask; undefined without a CPU clock. */
  cpuMs?: number[];
}

/**
 * Times `count` calls of `strategy.ask(1)` without telling their proposals,
 * so every call sees the same observations. `cpuNow` is a process CPU clock
 * in milliseconds; on a machine shared with other jobs it grows less than
 * wall-clock time while the process waits for a core.
 */
export async function timeAsks(strategy: Strategy, count: number, now: () => number, cpuNow?: () => number): Promise<AskTimes> {
  const times: AskTimes = { wallMs: [] };
  const cpuMs: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = now();
    const cpuStarted = cpuNow?.() ?? 0;
    await strategy.ask(1);
    times.wallMs.push(now() - started);
    if (cpuNow !== undefined) cpuMs.push(cpuNow() - cpuStarted);
  }
  if (cpuNow !== undefined) times.cpuMs = cpuMs;
  return times;
}
