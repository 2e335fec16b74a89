// The message contract between the Benchmarks page and its benchmark worker:
// the request that mirrors `nas-studio bench`'s flags and the events the
// worker sends while the harness runs.
import type { BenchmarkObjectives, BenchmarkProgress, BenchmarkResult } from '../core/bench/harness';

/** A benchmark to run, with the same meaning as the flags of `nas-studio bench`. */
export interface BenchRequest {
  /** Text of the benchmark CSV: an arch column of NAS-Bench-201 cell strings and accuracy columns in percent. */
  csv: string;
  /** Column the search optimises (--signal). */
  signal: string;
  /** Column reported for the best cell by signal (--report). */
  report: string;
  /** Strategy names from the STRATEGIES registry, in the order of the report (--strategies). */
  strategies: string[];
  /** Runs per strategy (--seeds). */
  seeds: number;
  /** Seed of the first run of each strategy (--first-seed). */
  firstSeed: number;
  /** Distinct architectures each run evaluates (--budget); at most the table's row count. */
  budget: number;
  /** ['accuracy'], or ['accuracy', 'flops'] to add the hypervolume (--objectives). */
  objectives: BenchmarkObjectives;
}

/** Sent once, after the table is parsed and before the first run. */
export interface BenchStartedEvent {
  type: 'started';
  /** Rows of the parsed table. */
  cells: number;
  /** Highest report accuracy (fraction) in the table, the optimum of the regret curves. */
  optimumReport: number;
}

/** Sent after each finished (strategy, seed) run, with that run's best-by-signal report curve. */
export interface BenchSeedEvent extends BenchmarkProgress {
  type: 'seed';
}

export type BenchEvent = BenchStartedEvent | BenchSeedEvent;

/**
 * API the benchmark worker exposes through comlink. `run` rejects with a
 * plain {code, message, field} object (PlainError): field 'table' for a
 * malformed table, 'budget' for a budget over the table's row count, and the
 * harness's field names (seeds, firstSeed, strategies[i]) otherwise.
 */
export interface BenchWorkerApi {
  run(request: BenchRequest, onEvent: (event: BenchEvent) => void): Promise<BenchmarkResult>;
}
