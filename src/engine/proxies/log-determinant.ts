// Natural log of the determinant of a small dense matrix in double precision,
// for the NASWOT kernel, which is symmetric positive semi-definite.

/**
 * Returns log|det(matrix)| of an n x n row-major matrix by LU decomposition
 * with partial pivoting in float64. Returns -Infinity when the matrix is
 * singular to working precision: a pivot at or below n * 2^-52 times the
 * largest absolute entry. The input is not modified.
 * Throws RangeError when `values.length` is not n * n.
 */
export function logAbsDeterminant(values: ArrayLike<number>, n: number): number {
  if (values.length !== n * n) {
    throw new RangeError(`a ${n} x ${n} matrix needs ${n * n} values, got ${values.length}`);
  }
  const a = Float64Array.from(values);
  let largest = 0;
  for (const value of a) largest = Math.max(largest, Math.abs(value));
  const tolerance = n * Number.EPSILON * largest;
  if (largest === 0) return n === 0 ? 0 : Number.NEGATIVE_INFINITY;

  let logDeterminant = 0;
  for (let column = 0; column < n; column++) {
    let pivotRow = column;
    for (let row = column + 1; row < n; row++) {
      if (Math.abs(a[row * n + column]) > Math.abs(a[pivotRow * n + column])) pivotRow = row;
    }
    const pivot = a[pivotRow * n + column];
    if (Math.abs(pivot) <= tolerance) return Number.NEGATIVE_INFINITY;
    if (pivotRow !== column) swapRows(a, n, pivotRow, column);

    logDeterminant += Math.log(Math.abs(pivot));
    for (let row = column + 1; row < n; row++) {
      const factor = a[row * n + column] / pivot;
      if (factor === 0) continue;
      for (let k = column; k < n; k++) a[row * n + k] -= factor * a[column * n + k];
    }
  }
  return logDeterminant;
}

function swapRows(a: Float64Array, n: number, first: number, second: number): void {
  for (let k = 0; k < n; k++) {
    const value = a[first * n + k];
    a[first * n + k] = a[second * n + k];
    a[second * n + k] = value;
  }
}
