// Tabular-benchmark evaluation: parses a CSV of NAS-Bench-201 cells and their
// recorded accuracies, and evaluates a cell by looking it up instead of
// training it. Searches on such a table cost milliseconds per trial,
// which makes strategy comparisons over many seeds affordable.
import { NasError, ValidationError, describeValue, toPlainError } from '../errors';
import type { EvaluationRequest, EvaluationResult, Evaluator, TrialMetrics } from '../run/types';
import { architectureCost, cellArchFromString } from '../space';
import { CELL_OPS, type CellArch, type CellSpace, type InputSpec } from '../space/types';

/** A malformed benchmark table, with the 1-based line and the column of the offending value. */
export class BenchmarkTableError extends ValidationError {
  readonly line: number;
  readonly column: string;

  constructor(line: number, column: string, value: unknown, message: string) {
    super(column, value, `line ${line}, column "${column}": ${message}`);
    this.name = 'BenchmarkTableError';
    this.line = line;
    this.column = column;
  }
}

/** One cell of a benchmark table; accuracies are fractions in [0, 1]. */
export interface BenchmarkEntry {
  arch: CellArch;
  /** 1-based line of the row in the CSV file (the header is line 1). */
  line: number;
  /** Value of the signal column divided by 100: what the search optimises. */
  signal: number;
  /** Value of the report column divided by 100: reported, never seen by the search. */
  report: number;
}

/** A parsed benchmark table, indexed by the cell's six edge operations. */
export interface BenchmarkTable {
  signalColumn: string;
  reportColumn: string;
  entries: BenchmarkEntry[];
  /** Finds the row of a cell by its edge list; undefined when the table has no such row. */
  lookup(arch: CellArch): BenchmarkEntry | undefined;
}

/** Names of the columns to read from a benchmark table. */
export interface BenchmarkColumns {
  /** Column used as validation accuracy, in percent. */
  signal: string;
  /** Column used as test accuracy, in percent. */
  report: string;
}

const ARCH_COLUMN = 'arch';

/**
 * Splits one CSV line into fields (RFC 4180 quoting: a field in double quotes
 * may contain commas, and "" inside it is one quote). Quoted fields spanning
 * lines are not supported because benchmark tables have none.
 * @throws BenchmarkTableError at `line` when a quoted field has no closing quote.
 */
export function parseCsvLine(text: string, line: number): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') {
        quoted = false;
      } else {
        field += char;
      }
    } else if (char === '"' && field === '') {
      quoted = true;
    } else if (char === ',') {
      fields.push(field);
      field = '';
    } else {
      field += char;
    }
  }
  if (quoted) {
    throw new BenchmarkTableError(line, `#${fields.length + 1}`, text, 'a quoted field has no closing quote: close the quote on the same line');
  }
  fields.push(field);
  return fields;
}

/** Key of a cell in the table: its edge operations in NAS-Bench-201 string order. */
function cellKey(arch: CellArch): string {
  return arch.edges.join(',');
}

function parsePercent(text: string, line: number, column: string): number {
  const trimmed = text.trim();
  const value = trimmed === '' ? Number.NaN : Number(trimmed);
  if (!Number.isFinite(value)) {
    throw new BenchmarkTableError(line, column, text, `expected a number, got ${describeValue(text)}: fix the value or pick another column`);
  }
  if (value < 0 || value > 100) {
    throw new BenchmarkTableError(line, column, value, `expected a percentage in [0, 100], got ${value}: the table must store accuracies in percent`);
  }
  return value / 100;
}

function parseCell(text: string, line: number): CellArch {
  try {
    return cellArchFromString(text.trim());
  } catch (error) {
    if (error instanceof ValidationError) {
      throw new BenchmarkTableError(line, ARCH_COLUMN, text, error.message);
    }
    throw error;
  }
}

/**
 * Parses a benchmark CSV. The header must contain an `arch` column with
 * NAS-Bench-201 cell strings and the two named numeric columns (percentages);
 * other columns are ignored. Blank lines are skipped.
 * @throws BenchmarkTableError naming the line and column of an empty file, a
 *   missing or repeated column, a short row, a malformed cell string or unknown operation,
 *   a duplicate cell, or a value that is not a percentage.
 */
export function parseBenchmarkTable(csvText: string, columns: BenchmarkColumns): BenchmarkTable {
  const lines = csvText.split(/\r?\n/);
  const header = lines[0] === undefined || lines[0].trim() === '' ? [] : parseCsvLine(lines[0], 1);
  if (header.length === 0) {
    throw new BenchmarkTableError(1, ARCH_COLUMN, csvText.slice(0, 40), 'the file is empty: expected a header line naming the columns, e.g. "index,arch,..."');
  }

  const names = header.map((name) => name.trim());
  const indexOf = (column: string): number => {
    const index = names.indexOf(column);
    if (index < 0) {
      // Every column is listed, however long the header, so the right name can be copied from the message.
      const header = names.map((name) => JSON.stringify(name)).join(', ');
      throw new BenchmarkTableError(1, column, names, `column is missing from the header (${names.length} columns: ${header}): name one of these columns`);
    }
    return index;
  };
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated !== undefined) {
    throw new BenchmarkTableError(1, repeated, names, `the header names this column twice: rename or remove one of them`);
  }
  const archIndex = indexOf(ARCH_COLUMN);
  const signalIndex = indexOf(columns.signal);
  const reportIndex = indexOf(columns.report);

  const entries: BenchmarkEntry[] = [];
  const byKey = new Map<string, BenchmarkEntry>();
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const line = i + 1;
    const fields = parseCsvLine(lines[i], line);
    if (fields.length < names.length) {
      const column = names[fields.length];
      throw new BenchmarkTableError(line, column, lines[i], `the row has ${fields.length} fields but the header has ${names.length}: add the missing values`);
    }

    const arch = parseCell(fields[archIndex], line);
    const key = cellKey(arch);
    const earlier = byKey.get(key);
    if (earlier !== undefined) {
      throw new BenchmarkTableError(line, ARCH_COLUMN, fields[archIndex], `duplicate cell, already on line ${earlier.line}: keep one row per cell`);
    }

    const entry: BenchmarkEntry = {
      arch,
      line,
      signal: parsePercent(fields[signalIndex], line, columns.signal),
      report: parsePercent(fields[reportIndex], line, columns.report),
    };
    entries.push(entry);
    byKey.set(key, entry);
  }
  if (entries.length === 0) {
    throw new BenchmarkTableError(2, ARCH_COLUMN, '', 'the table has a header but no rows: add at least one cell');
  }

  return {
    signalColumn: columns.signal,
    reportColumn: columns.report,
    entries,
    lookup: (arch) => byKey.get(cellKey(arch)),
  };
}

/**
 * The network NAS-Bench-201 trained on CIFAR-10: 32x32 RGB input, 10 classes,
 * a 16-channel stem and 5 cells per stage. The tabular evaluator computes
 * params and FLOPs on this skeleton, whatever the run's own space sets, so the
 * cost describes the network the table's accuracies came from.
 */
export const NB201_CIFAR10_INPUT: InputSpec = { inputShape: [32, 32, 3], numClasses: 10 };
export const NB201_SKELETON: CellSpace = {
  family: 'cell',
  name: 'NAS-Bench-201',
  ops: [...CELL_OPS],
  cellsPerStage: 5,
  stemChannels: 16,
};

/** Settings of a TabularEvaluator. */
export interface TabularEvaluatorOptions {
  /** Parallel lookups the run loop may start; default 1. Lookups are synchronous, so more only batches the strategy's proposals. */
  concurrency?: number;
}

/**
 * An Evaluator that returns a benchmark table's recorded accuracies: the
 * signal column as validation accuracy, the report column as test accuracy.
 * Params and FLOPs come from the analytic cost model on NB201_SKELETON with
 * NB201_CIFAR10_INPUT. Latency is not measured: it is reported as
 * {medianMs: 0, p90Ms: 0, runs: 0}, and `runs: 0` marks it as absent. No
 * model is trained, so results carry no `model`; `device` is 'tabular'.
 */
export class TabularEvaluator implements Evaluator {
  readonly concurrency: number;
  /** The table's networks take CIFAR images, so the run's analytic constraints use this input. */
  readonly inputSpec = NB201_CIFAR10_INPUT;
  private readonly table: BenchmarkTable;

  constructor(table: BenchmarkTable, options: TabularEvaluatorOptions = {}) {
    const concurrency = options.concurrency ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new ValidationError('concurrency', concurrency, `concurrency must be a positive integer, got ${describeValue(concurrency)}: set it to 1 or more`);
    }
    this.table = table;
    this.concurrency = concurrency;
  }

  /** Looks the request's cell up without progress events; rejects only when `signal` is already aborted. */
  async evaluate(request: EvaluationRequest, signal: AbortSignal): Promise<EvaluationResult> {
    signal.throwIfAborted();
    try {
      const metrics = this.lookUpMetrics(request);
      return { status: 'done', metrics, curve: [] };
    } catch (error) {
      return { status: 'failed', curve: [], error: toPlainError(error) };
    }
  }

  private lookUpMetrics(request: EvaluationRequest): TrialMetrics {
    const arch = request.arch;
    if (arch.family !== 'cell') {
      throw new ValidationError('arch.family', arch.family, `a benchmark table contains NAS-Bench-201 cells only, got a ${describeValue(arch.family)} architecture: use a cell space with --table`);
    }
    const entry = this.table.lookup(arch);
    if (entry === undefined) {
      throw new NasError('not_found', `cell ${describeValue(arch.edges.join(','))} is not in the benchmark table: use a table that covers the space`);
    }

    const cost = architectureCost(NB201_SKELETON, arch, NB201_CIFAR10_INPUT);
    return {
      validationAccuracy: entry.signal,
      testAccuracy: entry.report,
      params: cost.params,
      flops: cost.flops,
      latency: { medianMs: 0, p90Ms: 0, runs: 0 },
      trainMs: 0,
      // NOTE: the table does not say how many epochs its numbers took, so no trained epochs are reported.
      epochs: 0,
      backend: 'cpu',
      device: 'tabular',
      // NOTE: a maxLatencyMs constraint cannot be checked without a measured latency, so every cell counts as feasible.
      feasible: true,
    };
  }
}
