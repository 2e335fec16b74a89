// Checks of a parsed benchmark table before a benchmark or search uses it:
// its coverage of the NAS-Bench-201 cell space (a strategy may propose any
// cell, so a missing one fails its lookup) and columns that look like fractions.
import { ValidationError } from '../errors';
import type { BenchmarkTable } from '../evaluators/tabular';
import { cellArchToString } from '../space';
import { CELL_OPS, type CellArch, type CellOp } from '../space/types';

/** Cells of the NAS-Bench-201 space: 5 operations on each of 6 edges. */
export const NB201_CELL_COUNT = CELL_OPS.length ** 6;

/** How much of the NAS-Bench-201 space a table covers. */
export interface TableCoverage {
  /** Cells of the space, NB201_CELL_COUNT. */
  total: number;
  /** Cells of the space with no row in the table. */
  missing: number;
  /** The first missing cell in operation order, when any is missing. */
  example?: CellArch;
}

/** Counts the cells of the NAS-Bench-201 space that `table` has no row for. */
export function measureTableCoverage(table: BenchmarkTable): TableCoverage {
  let missing = 0;
  let example: CellArch | undefined;
  for (let code = 0; code < NB201_CELL_COUNT; code++) {
    const edges: CellOp[] = [];
    for (let edge = 0, rest = code; edge < 6; edge++, rest = Math.floor(rest / CELL_OPS.length)) {
      edges.push(CELL_OPS[rest % CELL_OPS.length]);
    }
    const arch: CellArch = { family: 'cell', edges: edges as CellArch['edges'] };
    if (table.lookup(arch) === undefined) {
      missing++;
      example ??= arch;
    }
  }
  return { total: NB201_CELL_COUNT, missing, example };
}

/**
 * Checks that `table` has a row for every cell of the NAS-Bench-201 space.
 * @throws ValidationError with field 'table' naming how many cells are
 *   missing and one of them.
 */
export function checkTableCoversSpace(table: BenchmarkTable): void {
  const { total, missing, example } = measureTableCoverage(table);
  if (missing === 0 || example === undefined) return;
  throw new ValidationError(
    'table',
    missing,
    `the benchmark table is missing ${missing} of the ${total} cells of the NAS-Bench-201 space, e.g. ${cellArchToString(example)}, ` +
      'so a strategy could propose a cell it cannot look up: use a table with one row for every cell',
  );
}

/**
 * Returns the table's signal and report columns whose every value is at
 * most 1 (percent), which most likely hold fractions instead of percentages.
 */
export function findFractionColumns(table: BenchmarkTable): string[] {
  const columns: string[] = [];
  // Entries store percentages divided by 100, so a value of at most 1 in the file is at most 0.01 here.
  if (table.entries.every((entry) => entry.signal <= 0.01)) columns.push(table.signalColumn);
  if (table.reportColumn !== table.signalColumn && table.entries.every((entry) => entry.report <= 0.01)) columns.push(table.reportColumn);
  return columns;
}
