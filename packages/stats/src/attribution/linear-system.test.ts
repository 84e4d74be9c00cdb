import { describe, expect, it } from 'vitest';
import ref from '../../fixtures/attribution.json';
import { StatsInputError } from '../types';
import { solveLinearSystem } from './linear-system';

// Reference solutions: numpy.linalg.solve (LAPACK gesv) in fixtures/gen_attribution.py.

function expectInputError(fn: () => unknown, field: string): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(StatsInputError);
    expect((e as StatsInputError).field).toBe(field);
    return;
  }
  throw new Error(`expected StatsInputError on ${field}`);
}

describe('solveLinearSystem', () => {
  it.each(ref.solver.map((s) => [s.rhs.length, s] as const))('%i unknowns match numpy', (_, s) => {
    const x = solveLinearSystem(s.matrix, s.rhs);
    s.solution.forEach((v, i) =>
      expect(Math.abs((x[i] as number) - v)).toBeLessThan(1e-12 * Math.max(1, Math.abs(v))),
    );
  });

  it('solves a 2×2 system by hand and needs a row swap for a zero leading entry', () => {
    // 0·x + 1·y = 2, 3·x + 1·y = 5 ⇒ y = 2, x = 1.
    expect(
      solveLinearSystem(
        [
          [0, 1],
          [3, 1],
        ],
        [2, 5],
      ),
    ).toEqual([1, 2]);
  });

  it('keeps accuracy where elimination without pivoting fails', () => {
    // [[ε, 1], [1, 1]]·[x, y] = [1, 2] has x = 1/(1 − ε) ≈ 1, y = (1 − 2ε)/(1 − ε) ≈ 1; without pivoting
    // the multiplier 1/ε wipes out the second row and x comes out as 0 (Golub & Van Loan, §3.3.1).
    const eps = 1e-20;
    const [x, y] = solveLinearSystem(
      [
        [eps, 1],
        [1, 1],
      ],
      [1, 2],
    );
    expect(x).toBeCloseTo(1, 15);
    expect(y).toBeCloseTo(1, 15);
  });

  it('does not modify its arguments', () => {
    const a = [
      [2, 1],
      [1, 3],
    ];
    const b = [3, 5];
    solveLinearSystem(a, b);
    expect(a).toEqual([
      [2, 1],
      [1, 3],
    ]);
    expect(b).toEqual([3, 5]);
  });

  it('reports singular and malformed systems', () => {
    expectInputError(
      () =>
        solveLinearSystem(
          [
            [1, 2],
            [2, 4],
          ],
          [1, 2],
        ),
      'matrix',
    );
    expectInputError(
      () =>
        solveLinearSystem(
          [
            [1, 1, 1],
            [1, 2, 3],
            [2, 3, 4],
          ],
          [1, 2, 3],
        ),
      'matrix',
    );
    expectInputError(() => solveLinearSystem([], []), 'matrix');
    expectInputError(() => solveLinearSystem([[1, 0]], [1]), 'matrix[0]');
    expectInputError(
      () =>
        solveLinearSystem(
          [
            [1, 0],
            [0, 1],
          ],
          [1],
        ),
      'matrix',
    );
    expectInputError(
      () =>
        solveLinearSystem(
          [
            [1, 0],
            [0, Number.NaN],
          ],
          [1, 1],
        ),
      'matrix[1][1]',
    );
    expectInputError(
      () =>
        solveLinearSystem(
          [
            [1, 0],
            [0, 1],
          ],
          [1, Infinity],
        ),
      'rhs[1]',
    );
  });
});
