import { describe, expect, it } from 'vitest';
import reference from '../../fixtures/clv_special.json';
import { StatsInputError } from '../types';
import { digamma, hypergeometric2F1 } from './special';

// References: mpmath at 50 digits (fixtures/gen_clv.py), with scipy.special.hyp2f1 recorded alongside.

const relError = (actual: number, expected: number): number => Math.abs(actual / expected - 1);

describe('Gauss hypergeometric function 2F1', () => {
  it.each(reference.hyp2f1.map((c) => [`2F1(${c.a}, ${c.b}; ${c.c}; ${c.z})`, c] as const))(
    '%s matches mpmath',
    (_name, c) => {
      expect(relError(hypergeometric2F1(c.a, c.b, c.c, c.z), c.expected)).toBeLessThan(1e-13);
    },
  );

  it('agrees with scipy.special.hyp2f1 wherever scipy agrees with mpmath', () => {
    const trusted = reference.hyp2f1.filter((c) => c.scipyAgrees);
    expect(trusted.length).toBeGreaterThan(15);
    for (const c of trusted)
      expect(relError(hypergeometric2F1(c.a, c.b, c.c, c.z), c.scipy)).toBeLessThan(1e-9);
  });

  it('reproduces closed forms', () => {
    // 2F1(1, 1; 2; z) = −ln(1 − z)/z and 2F1(a, b; b; z) = (1 − z)^−a (A&S 15.1.3, 15.1.8)
    for (const z of [-5, -0.5, 0.1, 0.5, 0.9, 0.99]) {
      expect(relError(hypergeometric2F1(1, 1, 2, z), -Math.log1p(-z) / z)).toBeLessThan(1e-13);
      expect(relError(hypergeometric2F1(0.7, 2.5, 2.5, z), Math.pow(1 - z, -0.7))).toBeLessThan(1e-13);
    }
    // 2F1(1/2, 1; 3/2; −z²) = arctan(z)/z (A&S 15.1.5)
    for (const zz of [0.3, 1, 3]) {
      expect(relError(hypergeometric2F1(0.5, 1, 1.5, -zz * zz), Math.atan(zz) / zz)).toBeLessThan(1e-13);
    }
    expect(hypergeometric2F1(2.5, 1.5, 3, 0)).toBe(1);
  });

  it('rejects the branch cut, a pole of c and non-numbers', () => {
    expect(() => hypergeometric2F1(1, 1, 2, 1)).toThrow(StatsInputError);
    expect(() => hypergeometric2F1(1, 1, 2, 1.5)).toThrow(/below 1/);
    expect(() => hypergeometric2F1(1, 1, -2, 0.5)).toThrow(/negative integer/);
    expect(() => hypergeometric2F1(Number.NaN, 1, 2, 0.5)).toThrow(/a: must be a finite number/);
  });

  it('refuses rather than truncate a series that has not converged', () => {
    expect(() => hypergeometric2F1(1, 1, 2.5, 1 - 1e-9)).toThrow(/did not converge/);
  });
});

describe('digamma', () => {
  it.each(reference.digamma.map((c) => [c.x, c] as const))('ψ(%s) matches mpmath', (_x, c) => {
    expect(Math.abs(digamma(c.x) - c.expected)).toBeLessThan(2e-15 * Math.max(1, Math.abs(c.expected)));
  });

  it('satisfies ψ(x + 1) = ψ(x) + 1/x and ψ(1) = −γ', () => {
    expect(digamma(1)).toBeCloseTo(-0.5772156649015329, 14);
    for (const x of [0.3, 2.7, 12.5]) expect(digamma(x + 1) - digamma(x)).toBeCloseTo(1 / x, 13);
  });

  it('rejects x ≤ 0', () => {
    expect(() => digamma(0)).toThrow(StatsInputError);
    expect(() => digamma(-1.5)).toThrow(/positive/);
  });
});
