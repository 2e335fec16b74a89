// A first look at a benchmark CSV the user picked: its header, the columns
// the signal and report selects offer (and why others are not offered), and
// its row count for the budget check. The full parse runs in the worker.
import { ValidationError } from '../../core/errors';
import { BenchmarkTableError, parseCsvLine } from '../../core/evaluators/tabular';

/** A column the form does not offer, with the first value that disqualifies it. */
export interface RejectedColumn {
  name: string;
  /** 1-based line of the value in the file (the header is line 1). */
  line: number;
  /** The value as written in the file. */
  value: string;
  /** Reason the value is not an accuracy in percent, e.g. 'is not a number'. */
  reason: string;
}

/** Facts about a picked table that the Benchmarks form needs. */
export interface BenchTableInfo {
  fileName: string;
  /** The whole CSV text, sent to the worker when the benchmark starts. */
  csv: string;
  /** Non-blank lines after the header: the table's cells. */
  rows: number;
  /**
   * Columns other than arch whose values on every row are numbers in
   * [0, 100], in header order: the candidates for the signal and report
   * columns. A row index column drops out once the table has more than 101 rows.
   */
  accuracyColumns: string[];
  /** Columns other than arch that are not offered, in header order, each with its first bad value. */
  rejectedColumns: RejectedColumn[];
  /** Accuracy columns whose every value is at most 1, so they probably hold fractions instead of percentages. */
  fractionColumns: string[];
  /**
   * Preselected signal column: the first column whose name contains "valid",
   * else the first accuracy column. Empty when that column is rejected, so
   * the form never silently selects a different column.
   */
  defaultSignal: string;
  /** Preselected report column: as defaultSignal for "test", else the last accuracy column. */
  defaultReport: string;
}

/** Returns why `text` is not an accuracy in percent, or undefined when it is one. */
function percentageProblem(text: string | undefined): string | undefined {
  const trimmed = text?.trim() ?? '';
  if (trimmed === '') return 'is empty';
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return 'is not a number';
  if (value < 0 || value > 100) return 'is outside [0, 100]';
  return undefined;
}

/** Describes the columns the form does not offer, for the table hint on the page. */
export function describeRejectedColumns(columns: readonly RejectedColumn[]): string {
  return columns.map((column) => `${column.name} (line ${column.line}: ${JSON.stringify(column.value)} ${column.reason})`).join('; ');
}

/**
 * Returns the preselected column: the first column of `header` whose name
 * matches `pattern` when it is an accuracy column, '' when it is rejected,
 * and `fallback` when no column matches.
 */
function preselect(header: readonly string[], accuracyColumns: readonly string[], pattern: RegExp, fallback: string): string {
  const named = header.find((name) => name !== 'arch' && pattern.test(name));
  if (named === undefined) return fallback;
  return accuracyColumns.includes(named) ? named : '';
}

/**
 * Reads the header and every row of a benchmark CSV.
 * @throws ValidationError with field 'table' when the file is empty, has no
 *   arch column, a column name twice, no rows, or no column of percentages.
 */
export function inspectBenchmarkCsv(fileName: string, csv: string): BenchTableInfo {
  const lines = csv.split(/\r?\n/);
  const fail = (message: string): never => {
    throw new ValidationError('table', fileName, `${fileName} ${message}`);
  };
  const splitLine = (text: string, line: number): string[] => {
    try {
      return parseCsvLine(text, line);
    } catch (error) {
      if (!(error instanceof BenchmarkTableError)) throw error;
      return fail(`is malformed at ${error.message}`);
    }
  };

  if (lines[0] === undefined || lines[0].trim() === '') {
    fail('is empty or starts with a blank line: expected a header line naming the columns, e.g. "index,arch,cifar10_valid_12ep,cifar10_test_200ep"');
  }
  const header = splitLine(lines[0], 1).map((name) => name.trim());
  if (!header.includes('arch')) {
    fail(`has no "arch" column in its header (${header.join(', ')}): choose a NAS-Bench-201 table whose arch column contains cell strings`);
  }
  const repeated = header.find((name, column) => header.indexOf(name) !== column);
  if (repeated !== undefined) {
    fail(`names the column ${JSON.stringify(repeated)} twice in its header: rename or remove one of them`);
  }

  const dataLines = lines.map((text, index) => ({ text, line: index + 1 })).filter((entry, index) => index > 0 && entry.text.trim() !== '');
  if (dataLines.length === 0) fail('has a header but no rows: choose a table with at least one cell');

  // Every value is checked, because the worker reads every row of the chosen columns.
  const rejected = new Map<number, RejectedColumn>();
  const largest = header.map(() => Number.NEGATIVE_INFINITY);
  for (const { text, line } of dataLines) {
    const fields = splitLine(text, line);
    header.forEach((name, column) => {
      if (name === 'arch' || rejected.has(column)) return;
      const reason = percentageProblem(fields[column]);
      if (reason === undefined) {
        largest[column] = Math.max(largest[column], Number(fields[column]));
      } else {
        rejected.set(column, { name, line, value: fields[column] ?? '', reason: fields[column] === undefined ? 'is missing' : reason });
      }
    });
  }

  const accuracyColumns = header.filter((name, column) => name !== 'arch' && !rejected.has(column));
  const rejectedColumns = [...rejected.entries()].sort(([a], [b]) => a - b).map(([, column]) => column);
  if (accuracyColumns.length === 0) {
    fail(`has no column of accuracies in percent (numbers in [0, 100] on every row): ${describeRejectedColumns(rejectedColumns)}; choose a table with validation and test accuracy columns`);
  }

  return {
    fileName,
    csv,
    rows: dataLines.length,
    accuracyColumns,
    rejectedColumns,
    fractionColumns: accuracyColumns.filter((name) => largest[header.indexOf(name)] <= 1),
    defaultSignal: preselect(header, accuracyColumns, /valid/i, accuracyColumns[0]),
    defaultReport: preselect(header, accuracyColumns, /test/i, accuracyColumns[accuracyColumns.length - 1]),
  };
}
