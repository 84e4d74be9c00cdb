import { describe, expect, it } from 'vitest';
import ref from '../fixtures/core_effects.json';
import { estimateEffect, welchDegreesOfFreedom } from './effect';
import { summarizeArms, type ArmSummary, type MetricSpec, type VariantSufficientStats } from './sufficient';
import { StatsInputError, type Difference } from './types';

// Reference values: packages/stats/fixtures/gen_core.py. The lift and its variance are computed there as a
// function of the arms' mean vectors, with complex-step gradients and numpy covariance matrices of the rows;
// absolute lifts are cross-checked with statsmodels' Welch test on the same rows.

function expectRel(actual: number, expected: number, tol: number, label: unknown): void {
  const err =
    actual === expected ? 0 : Math.abs(actual - expected) / Math.max(Math.abs(actual), Math.abs(expected));
  if (!(err <= tol))
    throw new Error(`${JSON.stringify(label)}: got ${actual}, expected ${expected} (rel ${err})`);
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

describe('estimateEffect against row-level references', () => {
  for (const c of ref.cases) {
    it(`${c.name}`, () => {
      const arms = summarizeArms(c.metric as MetricSpec, c.variants as unknown as VariantSufficientStats[]);
      for (const cmp of c.expected.comparisons) {
        const label = [c.name, cmp.treatment, cmp.difference];
        const effect = estimateEffect(arms[0]!, arms[cmp.treatment]!, cmp.difference as Difference);
        expect(effect.difference).toBe(cmp.difference);
        // the estimate can be near 0: compare on the scale of its standard error
        expect(Math.abs(effect.estimate - cmp.estimate) / cmp.se).toBeLessThan(1e-10);
        expectRel(effect.se, cmp.se, 1e-10, [...label, 'se']);
        expectRel(effect.dof, cmp.dof, 1e-10, [...label, 'dof']);
        expect(effect.controlN).toBe(arms[0]!.n);
        expect(effect.treatmentN).toBe(arms[cmp.treatment]!.n);
        expect(effect.controlMean).toBe(arms[0]!.unadjustedMean);
      }
    });
  }
});

const arm = (n: number, mean: number, variance: number): ArmSummary => ({
  n,
  mean,
  variance,
  unadjustedMean: mean,
});

describe('estimateEffect', () => {
  it('defaults to the relative lift (mean_t − mean_c)/|mean_c|', () => {
    const e = estimateEffect(arm(100, 4, 2), arm(120, 5, 3));
    expect(e.difference).toBe('relative');
    expect(e.estimate).toBe(0.25);
    // delta method: s_t²/(n_t μ_c²) + s_c² μ_t²/(n_c μ_c⁴)
    expect(e.se).toBeCloseTo(Math.sqrt(3 / (120 * 16) + (2 * 25) / (100 * 256)), 15);
  });

  it('divides by |mean_c| when the control mean is negative', () => {
    const e = estimateEffect(arm(50, -4, 2), arm(50, -3, 2));
    expect(e.estimate).toBe(0.25);
  });

  it('refuses a relative lift on a zero control mean but gives the absolute one', () => {
    expectInputError(() => estimateEffect(arm(50, 0, 0), arm(50, 0.1, 0.09)), 'control.unadjustedMean');
    expect(estimateEffect(arm(50, 0, 0), arm(50, 0.1, 0.09), 'absolute').estimate).toBe(0.1);
  });

  it('uses the other arm’s n − 1 when one arm has zero variance, n_c + n_t − 2 when both do', () => {
    expect(welchDegreesOfFreedom(arm(30, 1, 0), arm(40, 2, 5))).toBe(39);
    const flat = estimateEffect(arm(30, 1, 0), arm(40, 2, 0), 'absolute');
    expect(flat).toMatchObject({ estimate: 1, se: 0, dof: 68 });
  });

  it('gives tiny samples (n = 2) finite Welch dof between 1 and n_c + n_t − 2', () => {
    const e = estimateEffect(arm(2, 1, 2), arm(2, 4, 12.5), 'absolute');
    expect(e.dof).toBeGreaterThan(1);
    expect(e.dof).toBeLessThan(2);
    expect(Number.isFinite(e.se)).toBe(true);
  });

  it('validates the arm summaries and the difference', () => {
    expectInputError(() => estimateEffect(arm(1, 1, 1), arm(5, 1, 1)), 'control.n');
    expectInputError(() => estimateEffect(arm(5, 1, 1), arm(5, NaN, 1)), 'treatment.mean');
    expectInputError(() => estimateEffect(arm(5, 1, -1), arm(5, 1, 1)), 'control.variance');
    expectInputError(() => estimateEffect(arm(5, 1, 1), arm(5, 1, 1), 'ratio' as Difference), 'difference');
  });
});
