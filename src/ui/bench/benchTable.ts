// A first look at a benchmark CSV the user picked: its header, the columns
// the signal and report selects offer, and its row count for the budget
// check. The full parse with line and column errors runs in the worker.
import { ValidationError } from '../../core/errors';
import { BenchmarkTableError, parseCsvLine } from '../../core/evaluators/tabular';

/** Facts about a picked table that the Benchmarks form needs. */
export interface BenchTableInfo {
  fileName: string;
  /** The whole CSV text, sent to the worker when the benchmark starts. */
  csv: string;
  /** Non-blank lines after the header: the table's cells. */
  rows: number;
  /**
   * Columns other than arch whose values on the first and the last row are
   * numbers in [0, 100], in header order: the candidates for the signal and
   * report columns. A row index column drops out once the table has more
   * than 101 rows.
   */
  accuracyColumns: string[];
  /** Preselected signal column: the first accuracy column whose name contains "valid", else the first. */
  defaultSignal: string;
  /** Preselected report column: the first accuracy column whose name contains "test", else the last. */
  defaultReport: string;
}

function isPercentage(text: string | undefined): boolean {
  const trimmed = text?.trim() ?? '';
  const value = trimmed === '' ? Number.NaN : Number(trimmed);
  return Number.isFinite(value) && value >= 0 && value <= 100;
}

/**
 * Reads the header, the first and the last row of a benchmark CSV.
 * @throws ValidationError with field 'table' when the file is empty, has no
 *   arch column, no rows, or no column of percentages.
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

  const dataLines = lines.map((text, index) => ({ text, line: index + 1 })).filter((entry, index) => index > 0 && entry.text.trim() !== '');
  if (dataLines.length === 0) fail('has a header but no rows: choose a table with at least one cell');
  const first = splitLine(dataLines[0].text, dataLines[0].line);
  const lastLine = dataLines[dataLines.length - 1];
  const last = splitLine(lastLine.text, lastLine.line);

  const accuracyColumns = header.filter((name, column) => name !== 'arch' && isPercentage(first[column]) && isPercentage(last[column]));
  if (accuracyColumns.length === 0) {
    fail(`has no column of accuracies in percent (numbers in [0, 100] on its first and last rows) in ${header.join(', ')}: choose a table with validation and test accuracy columns`);
  }

  return {
    fileName,
    csv,
    rows: dataLines.length,
    accuracyColumns,
    defaultSignal: accuracyColumns.find((name) => /valid/i.test(name)) ?? accuracyColumns[0],
    defaultReport: accuracyColumns.find((name) => /test/i.test(name)) ?? accuracyColumns[accuracyColumns.length - 1],
  };
}
