// The Benchmarks form: its values as typed and their validation into a
// worker request. Messages name the field as labelled on the page, the value
// and the fix; nothing starts while any is shown.
import { MAX_BENCHMARK_SEED, type BenchmarkObjectives } from '../../core/bench/harness';
import { STRATEGIES } from '../../core/strategy';
import type { BenchRequest } from '../../workers/benchProtocol';
import type { BenchTableInfo } from './benchTable';

/** The form's controls; numbers stay text so that any entry reaches validation. */
export interface BenchFormValues {
  signal: string;
  report: string;
  /** Ticked strategy names, in registry order. */
  strategies: string[];
  seeds: string;
  budget: string;
  firstSeed: string;
  /** Adds the FLOPs objective, so the report gains the hypervolume of accuracy against FLOPs. */
  hypervolume: boolean;
}

/** Form field keys that can carry an error: the form values plus the table picker. */
export type BenchField = 'table' | 'signal' | 'report' | 'strategies' | 'seeds' | 'budget' | 'firstSeed';

export type BenchFormErrors = Partial<Record<BenchField, string>>;

export const DEFAULT_BENCH_FORM: BenchFormValues = {
  signal: '',
  report: '',
  strategies: ['random', 'local'],
  seeds: '10',
  budget: '150',
  firstSeed: '0',
  hypervolume: false,
};

const WHOLE_NUMBER = /^\d+$/;

/** Parses a whole number typed in a field; undefined for anything else, including "1.5", "-1" and "". */
function parseWholeNumber(text: string): number | undefined {
  const trimmed = text.trim();
  const value = Number(trimmed);
  return WHOLE_NUMBER.test(trimmed) && Number.isSafeInteger(value) ? value : undefined;
}

/**
 * Validates the form against the picked table and returns the request to
 * send to the benchmark worker, or the errors keyed by field.
 */
export function validateBenchForm(
  form: BenchFormValues,
  table: BenchTableInfo | null,
): { request: BenchRequest; errors?: undefined } | { request?: undefined; errors: BenchFormErrors } {
  const errors: BenchFormErrors = {};

  if (table === null) {
    errors.table = 'Benchmark table is missing: choose a CSV file with an arch column and accuracy columns in percent';
  } else {
    for (const [field, label] of [['signal', 'Signal column'], ['report', 'Report column']] as const) {
      const rejected = table.rejectedColumns.find((column) => column.name === form[field]);
      const choices = `pick one of ${table.accuracyColumns.join(', ')}`;
      if (form[field] === '') {
        errors[field] = `${label} is not chosen: ${choices}`;
      } else if (rejected !== undefined) {
        errors[field] = `${label} ${JSON.stringify(rejected.name)} is not an accuracy column in percent because line ${rejected.line} contains ${JSON.stringify(rejected.value)}, which ${rejected.reason}: fix that value or ${choices}`;
      } else if (!table.accuracyColumns.includes(form[field])) {
        errors[field] = `${label} ${JSON.stringify(form[field])} is not an accuracy column of ${table.fileName}: ${choices}`;
      }
    }
  }

  const unknown = form.strategies.filter((name) => !Object.hasOwn(STRATEGIES, name));
  if (form.strategies.length === 0) {
    errors.strategies = 'Strategies: none is ticked: tick at least one strategy';
  } else if (unknown.length > 0) {
    errors.strategies = `Strategies: ${unknown.join(', ')} is not a registered strategy: reload the page`;
  }

  const seeds = parseWholeNumber(form.seeds);
  if (seeds === undefined || seeds < 1) {
    errors.seeds = `Seeds must be a positive integer, got ${JSON.stringify(form.seeds)}: set Seeds to 1 or more, e.g. 10`;
  }

  const budget = parseWholeNumber(form.budget);
  if (budget === undefined || budget < 1) {
    errors.budget = `Budget must be a positive integer, got ${JSON.stringify(form.budget)}: set Budget to 1 or more, e.g. 150`;
  } else if (table !== null && budget > table.rows) {
    errors.budget = `Budget must be at most the ${table.rows} rows of ${table.fileName}, got ${budget}: set Budget to ${table.rows} or less`;
  }

  const firstSeed = parseWholeNumber(form.firstSeed);
  if (firstSeed === undefined) {
    errors.firstSeed = `First seed must be a non-negative integer, got ${JSON.stringify(form.firstSeed)}: set First seed to 0 or more`;
  } else if (seeds !== undefined && seeds >= 1 && firstSeed + seeds - 1 > MAX_BENCHMARK_SEED) {
    const largest = Math.max(0, MAX_BENCHMARK_SEED - seeds + 1);
    errors.firstSeed = `First seed + Seeds - 1 must be at most ${MAX_BENCHMARK_SEED}, got ${firstSeed + seeds - 1}: set First seed to ${largest} or less, or use fewer Seeds`;
  }

  if (Object.keys(errors).length > 0 || table === null || seeds === undefined || budget === undefined || firstSeed === undefined) {
    return { errors };
  }
  const objectives: BenchmarkObjectives = form.hypervolume ? ['accuracy', 'flops'] : ['accuracy'];
  return {
    request: {
      csv: table.csv,
      signal: form.signal,
      report: form.report,
      strategies: Object.keys(STRATEGIES).filter((name) => form.strategies.includes(name)),
      seeds,
      firstSeed,
      budget,
      objectives,
    },
  };
}
