import { describe, expect, it } from 'vitest';
import reference from '../../fixtures/clv_cdnow.json';
import {
  paretoNbdExpectedPurchases,
  paretoNbdExpectedPurchasesNew,
  paretoNbdLogLikelihood,
  paretoNbdProbabilityAlive,
  type ParetoNbdParams,
} from './pareto-nbd';

// References (fixtures/gen_clv.py): P(alive) from the likelihood's integral form by mpmath quadrature,
// cross-checked against the hypergeometric form; expectations from the closed forms at 50 digits. Parameters
// are the scipy maximum-likelihood estimates on CDNOW.

const ref = reference.paretoNbd;
const params: ParetoNbdParams = ref.scipy;
const relError = (actual: number, expected: number): number => Math.abs(actual / expected - 1);

describe('Pareto/NBD predictions', () => {
  it.each(ref.predictions.map((c) => [`x=${c.x} tx=${c.tx} T=${c.T}`, c] as const))(
    'P(alive) and expected purchases for %s',
    (_name, c) => {
      expect(relError(paretoNbdProbabilityAlive(params, c.x, c.tx, c.T), c.probabilityAlive)).toBeLessThan(
        1e-12,
      );
      for (const { t, expected } of c.expectedPurchases) {
        expect(relError(paretoNbdExpectedPurchases(params, t, c.x, c.tx, c.T), expected)).toBeLessThan(1e-12);
      }
    },
  );

  it.each(ref.unconditional.map((c) => [c.t, c] as const))('E[X(%s)] for a new customer', (_t, c) => {
    expect(relError(paretoNbdExpectedPurchasesNew(params, c.t), c.expected)).toBeLessThan(1e-13);
  });

  it('treats both orderings of α and β, and s = 1, continuously', () => {
    const base = { r: 0.55, alpha: 10, s: 0.6, beta: 10 };
    const at = paretoNbdProbabilityAlive(base, 3, 20, 39);
    expect(relError(paretoNbdProbabilityAlive({ ...base, alpha: 10 + 1e-9 }, 3, 20, 39), at)).toBeLessThan(
      1e-9,
    );
    expect(relError(paretoNbdProbabilityAlive({ ...base, beta: 10 + 1e-9 }, 3, 20, 39), at)).toBeLessThan(
      1e-9,
    );
    const s1 = paretoNbdExpectedPurchasesNew({ ...base, s: 1 }, 52);
    expect(relError(paretoNbdExpectedPurchasesNew({ ...base, s: 1 + 1e-9 }, 52), s1)).toBeLessThan(1e-8);
    expect(relError(s1, ((0.55 * 10) / 10) * Math.log1p(52 / 10))).toBeLessThan(1e-14);
  });

  it('is certain a customer whose last purchase is now is alive', () => {
    expect(paretoNbdProbabilityAlive(params, 4, 39, 39)).toBe(1);
    expect(paretoNbdProbabilityAlive(params, 4, 20, 39)).toBeLessThan(
      paretoNbdProbabilityAlive(params, 4, 35, 39),
    );
  });

  it('rejects invalid input with the field at fault', () => {
    expect(() => paretoNbdProbabilityAlive({ ...params, s: -1 }, 1, 1, 2)).toThrow(/^params.s: /);
    expect(() => paretoNbdExpectedPurchases(params, Number.POSITIVE_INFINITY, 1, 1, 2)).toThrow(/^t: /);
    expect(() => paretoNbdLogLikelihood(params, [{ x: -1, tx: 0, T: 2 }])).toThrow(/^customers\[0\]\.x: /);
  });
});
