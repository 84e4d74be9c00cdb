/**
 * A small dense linear solver for the absorbing Markov chains of attribution.
 *
 * Hand-written because @liftlab/stats depends on jstat only, and jstat's solvers do not fit: its `lu` does not
 * pivot, its `gauss_elimination` compares a signed pivot with absolute values, and none of them detects a
 * singular matrix (they return NaN or Infinity, which this package never hands out). The systems here
 * are (I − Q)x = r with a few dozen to a few hundred unknowns, for which Gaussian elimination with partial
 * pivoting is the textbook method: backward stable in practice, with growth factor ≤ 2^{n−1} in theory and
 * none at all for the diagonally dominant M-matrices I − Q of a transient chain (Golub & Van Loan, "Matrix
 * Computations", 4th ed., §3.2–3.4).
 */
import { StatsInputError } from '../types';

/**
 * Solves A·x = b by LU decomposition with partial (row) pivoting: at step k the row with the largest |a_ik|,
 * i ≥ k, is swapped into place, the multipliers l_ik = a_ik / a_kk eliminate column k below the diagonal, and
 * x follows by forward and back substitution (Golub & Van Loan, "Matrix Computations", Algorithm 3.4.1).
 *
 * A pivot of magnitude ≤ n·ε·‖A‖∞ means A is singular to working precision and is reported as an input
 * error rather than returning infinities.
 *
 * @param matrix square n×n matrix, rows as arrays (not modified)
 * @param rhs right-hand side of length n (not modified)
 * @throws StatsInputError when the shapes disagree, an entry is not finite, or the matrix is singular.
 */
export function solveLinearSystem(matrix: readonly (readonly number[])[], rhs: readonly number[]): number[] {
  const n = rhs.length;
  if (!Array.isArray(matrix) || matrix.length !== n || n === 0) {
    throw new StatsInputError(
      'matrix',
      'must be a non-empty square matrix with as many rows as rhs has entries',
    );
  }
  const a = new Float64Array(n * n);
  const b = new Float64Array(n);
  let norm = 0;
  for (let i = 0; i < n; i++) {
    const row = matrix[i];
    if (!Array.isArray(row) || row.length !== n) {
      throw new StatsInputError(`matrix[${i}]`, `must have ${n} entries (a square matrix)`);
    }
    let rowSum = 0;
    for (let j = 0; j < n; j++) {
      const v = row[j] as number;
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new StatsInputError(`matrix[${i}][${j}]`, 'must be a finite number');
      }
      a[i * n + j] = v;
      rowSum += Math.abs(v);
    }
    norm = Math.max(norm, rowSum);
    const r = rhs[i] as number;
    if (typeof r !== 'number' || !Number.isFinite(r)) {
      throw new StatsInputError(`rhs[${i}]`, 'must be a finite number');
    }
    b[i] = r;
  }
  const tiny = n * Number.EPSILON * norm;

  for (let k = 0; k < n; k++) {
    let pivotRow = k;
    let pivotAbs = Math.abs(a[k * n + k] as number);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(a[i * n + k] as number);
      if (v > pivotAbs) {
        pivotAbs = v;
        pivotRow = i;
      }
    }
    if (!(pivotAbs > tiny)) {
      throw new StatsInputError('matrix', 'is singular (or nearly so): the system has no unique solution');
    }
    if (pivotRow !== k) {
      for (let j = k; j < n; j++) {
        const t = a[k * n + j] as number;
        a[k * n + j] = a[pivotRow * n + j] as number;
        a[pivotRow * n + j] = t;
      }
      const t = b[k] as number;
      b[k] = b[pivotRow] as number;
      b[pivotRow] = t;
    }
    const pivot = a[k * n + k] as number;
    for (let i = k + 1; i < n; i++) {
      const factor = (a[i * n + k] as number) / pivot;
      if (factor === 0) continue;
      for (let j = k + 1; j < n; j++)
        a[i * n + j] = (a[i * n + j] as number) - factor * (a[k * n + j] as number);
      b[i] = (b[i] as number) - factor * (b[k] as number);
    }
  }

  const x = new Array<number>(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i] as number;
    for (let j = i + 1; j < n; j++) s -= (a[i * n + j] as number) * (x[j] as number);
    x[i] = s / (a[i * n + i] as number);
  }
  return x;
}
