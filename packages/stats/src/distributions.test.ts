import { describe, expect, it } from 'vitest';
import ref from '../fixtures/core_distributions.json';
import {
  chiSquareSurvival,
  logBeta,
  logGamma,
  logNormalSurvival,
  logStudentTSurvival,
  normalCdf,
  normalInverseSurvival,
  normalPdf,
  normalQuantile,
  normalSurvival,
  studentTCdf,
  studentTInverseSurvival,
  studentTPdf,
  studentTQuantile,
  studentTSurvival,
  twoSidedPValue,
} from './distributions';
import { StatsInputError } from './types';

// Reference values: packages/stats/fixtures/gen_core.py (mpmath at 50 digits, checked against scipy).

function relErr(actual: number, expected: number): number {
  if (actual === expected) return 0;
  return Math.abs(actual - expected) / Math.max(Math.abs(actual), Math.abs(expected));
}

function expectRel(actual: number, expected: number, tol: number, label: unknown): void {
  const err = relErr(actual, expected);
  if (!(err <= tol))
    throw new Error(`${JSON.stringify(label)}: got ${actual}, expected ${expected} (rel ${err})`);
}

/** Absolute error scaled by max(1, |expected|): for logarithms and quantities that pass through zero. */
function expectScaled(actual: number, expected: number, tol: number, label: unknown): void {
  const err = Math.abs(actual - expected) / Math.max(1, Math.abs(expected));
  if (!(err <= tol))
    throw new Error(`${JSON.stringify(label)}: got ${actual}, expected ${expected} (err ${err})`);
}

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

const SMALLEST = 1e-300;

describe('normal distribution', () => {
  it('matches the mpmath tails to 1e-12 relative from the centre down to 1e-300', () => {
    let checked = 0;
    for (const r of ref.normal) {
      if (r.sf >= SMALLEST) expectRel(normalSurvival(r.z), r.sf, 1e-12, { sf: r.z });
      if (r.cdf >= SMALLEST) expectRel(normalCdf(r.z), r.cdf, 1e-12, { cdf: r.z });
      if (r.pdf >= SMALLEST) expectRel(normalPdf(r.z), r.pdf, 1e-13, { pdf: r.z });
      expectScaled(logNormalSurvival(r.z), r.logSf, 1e-13, { logSf: r.z });
      checked++;
    }
    expect(checked).toBeGreaterThan(60);
  });

  it('keeps z = 8.3 … 37 in the tail where 1 − cdf is exactly 0', () => {
    // 1 − Φ(z) rounds to 0 from z ≈ 8.3; the direct tail must not.
    expect(1 - normalCdf(8.3)).toBe(0);
    const row = ref.normal.find((r) => r.z === 30);
    expect(row).toBeDefined();
    expectRel(normalSurvival(30), row!.sf, 1e-12, 'z=30');
    expect(normalSurvival(30)).toBeGreaterThan(4.9e-198);
    expect(normalSurvival(37)).toBeGreaterThan(5.7e-300);
    for (let z = 8; z < 38; z += 0.5) expect(normalSurvival(z + 0.5)).toBeLessThan(normalSurvival(z));
  });

  it('inverts the tail to 1e-13 relative, including alpha/20 and p = 1e-300', () => {
    for (const r of ref.normalQuantile) {
      if (r.z === 0) expect(normalQuantile(r.p)).toBe(0);
      else expectRel(normalQuantile(r.p), r.z, 1e-13, { p: r.p });
    }
  });

  it('round-trips every decade of the upper tail down to 1e-300', () => {
    for (let k = 1; k <= 300; k++) {
      const q = 10 ** -k;
      expectRel(normalSurvival(normalInverseSurvival(q)), q, 1e-12, { q });
    }
  });

  it('has symmetric tails and infinite quantiles at 0 and 1', () => {
    for (const z of [0.3, 1.7, 2.5, 4, 12]) {
      expect(normalCdf(-z)).toBe(normalSurvival(z));
      expectRel(normalCdf(z) + normalSurvival(z), 1, 1e-15, z);
    }
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalSurvival(Infinity)).toBe(0);
    expect(normalSurvival(-Infinity)).toBe(1);
  });

  it('rejects NaN and probabilities outside [0, 1]', () => {
    expectInputError(() => normalSurvival(NaN), 'z');
    expectInputError(() => normalCdf(NaN), 'z');
    expectInputError(() => normalQuantile(1.5), 'p');
    expectInputError(() => normalQuantile(-0.1), 'p');
    expectInputError(() => normalInverseSurvival(NaN), 'q');
  });
});

describe('Student t distribution', () => {
  it('matches the mpmath tails to 1e-11 relative for dof 0.5 … 1e9 down to 1e-300', () => {
    for (const r of ref.studentT) {
      const label = { t: r.t, dof: r.dof };
      expectRel(studentTSurvival(r.t, r.dof), r.sf, 1e-11, label);
      if (r.cdf >= SMALLEST) expectRel(studentTCdf(r.t, r.dof), r.cdf, 1e-11, label);
      if (r.pdf >= SMALLEST) expectRel(studentTPdf(r.t, r.dof), r.pdf, 1e-11, label);
      expectScaled(logStudentTSurvival(r.t, r.dof), Math.log(r.sf), 1e-12, label);
    }
    expect(ref.studentT.length).toBeGreaterThan(500);
  });

  it('gives the z = 30 tail of a 10-million-unit Welch test (dof 2e7)', () => {
    const row = ref.studentT.find((r) => r.t === 30 && r.dof === 2e7);
    expect(row).toBeDefined();
    expect(row!.sf).toBeLessThan(1e-190);
    expectRel(studentTSurvival(30, 2e7), row!.sf, 1e-11, 'dof 2e7');
  });

  it('inverts the tail to 1e-11 relative for p from 1e-300 to 1 − 1e-10', () => {
    for (const r of ref.studentTQuantile) {
      if (r.t === 0) expect(studentTQuantile(r.p, r.dof)).toBe(0);
      else expectRel(studentTQuantile(r.p, r.dof), r.t, 1e-11, { p: r.p, dof: r.dof });
    }
  });

  it('round-trips tails for fractional dof', () => {
    for (const dof of [1.31, 2.5, 7.7, 55.7, 194.4, 5841.7, 3e6]) {
      for (const q of [0.4, 0.1, 0.025, 0.0025, 1e-6, 1e-30, 1e-200]) {
        expectRel(studentTSurvival(studentTInverseSurvival(q, dof), dof), q, 1e-11, { q, dof });
      }
    }
  });

  it('equals the Cauchy distribution for one degree of freedom, up to t = 1e300', () => {
    for (const t of [0.2, 1, 3, 50, 1e5, 1e20, 1e150, 1e300]) {
      expectRel(studentTSurvival(t, 1), Math.atan2(1, t) / Math.PI, 1e-13, t);
    }
  });

  it('tends to the normal as dof grows and equals it at Infinity', () => {
    expect(studentTSurvival(2.2, Infinity)).toBe(normalSurvival(2.2));
    expect(studentTQuantile(0.975, Infinity)).toBe(normalQuantile(0.975));
    expectRel(studentTSurvival(3, 1e13), normalSurvival(3), 1e-10, 'dof 1e13');
    expect(studentTSurvival(3, 100)).toBeGreaterThan(normalSurvival(3));
  });

  it('computes two-sided p-values as 2·P(T > |t|), capped at 1', () => {
    expect(twoSidedPValue(-2.1, 40)).toBe(2 * studentTSurvival(2.1, 40));
    expect(twoSidedPValue(0, 40)).toBe(1);
    expect(twoSidedPValue(1e-20, 3)).toBe(1);
  });

  it('handles infinite statistics and rejects bad dof', () => {
    expect(studentTSurvival(Infinity, 3)).toBe(0);
    expect(studentTSurvival(-Infinity, 3)).toBe(1);
    expect(studentTQuantile(0, 5)).toBe(-Infinity);
    expect(studentTQuantile(1, 5)).toBe(Infinity);
    expectInputError(() => studentTSurvival(1, 0), 'dof');
    expectInputError(() => studentTSurvival(1, -3), 'dof');
    expectInputError(() => studentTSurvival(1, NaN), 'dof');
    expectInputError(() => studentTSurvival(NaN, 3), 't');
    expectInputError(() => studentTQuantile(2, 3), 'p');
  });
});

describe('chi-square distribution', () => {
  it('matches the mpmath upper tail to 1e-11 relative down to 1e-300', () => {
    for (const r of ref.chiSquare) expectRel(chiSquareSurvival(r.x, r.dof), r.sf, 1e-11, r);
    expect(ref.chiSquare.length).toBeGreaterThan(100);
  });

  it('equals exp(−x/2) for two degrees of freedom far into the tail', () => {
    for (const x of [0.1, 3, 40, 300, 1000, 1380])
      expectRel(chiSquareSurvival(x, 2), Math.exp(-x / 2), 1e-12, x);
  });

  it('is 1 at and below zero and rejects bad dof', () => {
    expect(chiSquareSurvival(0, 3)).toBe(1);
    expect(chiSquareSurvival(-2, 3)).toBe(1);
    expect(chiSquareSurvival(Infinity, 3)).toBe(0);
    expectInputError(() => chiSquareSurvival(1, 0), 'dof');
    expectInputError(() => chiSquareSurvival(1, Infinity), 'dof');
    expectInputError(() => chiSquareSurvival(NaN, 2), 'x');
  });
});

describe('log-gamma and log-beta', () => {
  it('match mpmath to 1e-14', () => {
    for (const r of ref.logGamma) expectScaled(logGamma(r.x), r.value, 1e-14, r);
    for (const r of ref.logBeta) expectScaled(logBeta(r.a, r.b), r.value, 1e-14, r);
  });

  it('reject non-positive arguments', () => {
    expectInputError(() => logGamma(0), 'x');
    expectInputError(() => logBeta(1, -1), 'b');
  });
});
