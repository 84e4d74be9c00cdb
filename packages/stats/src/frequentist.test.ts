import { describe, expect, it } from 'vitest';
import ref from '../fixtures/core_effects.json';
import dist from '../fixtures/core_distributions.json';
import { estimateEffect } from './effect';
import { frequentistTest } from './frequentist';
import { summarizeArms, type MetricSpec, type VariantSufficientStats } from './sufficient';
import { StatsInputError, type Alternative, type Difference, type EffectEstimate } from './types';

// Reference values: packages/stats/fixtures/gen_core.py (p-values from mpmath, critical values solved in
// mpmath, absolute tests cross-checked against statsmodels and scipy.stats.ttest_ind_from_stats).

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

function run(metric: unknown, variants: unknown, treatment: number, difference: string) {
  const arms = summarizeArms(metric as MetricSpec, variants as VariantSufficientStats[]);
  return estimateEffect(arms[0]!, arms[treatment]!, difference as Difference);
}

describe('frequentistTest against row-level references', () => {
  for (const c of ref.cases) {
    it(`${c.name}`, () => {
      for (const cmp of c.expected.comparisons) {
        const effect = run(c.metric, c.variants, cmp.treatment, cmp.difference);
        for (const t of cmp.tests) {
          const label = [c.name, cmp.treatment, cmp.difference, t.alternative, t.alpha];
          const r = frequentistTest(effect, { alpha: t.alpha, alternative: t.alternative as Alternative });
          expect(r).toMatchObject({
            alpha: t.alpha,
            alternative: t.alternative,
            dof: effect.dof,
            se: effect.se,
          });
          expectRel(r.pValue, t.pValue, 1e-9, [...label, 'p']);
          const lo = t.ci[0] ?? null;
          const hi = t.ci[1] ?? null;
          if (lo === null) expect(r.ci[0]).toBe(-Infinity);
          else expect(Math.abs(r.ci[0] - lo) / cmp.se).toBeLessThan(1e-9);
          if (hi === null) expect(r.ci[1]).toBe(Infinity);
          else expect(Math.abs(r.ci[1] - hi) / cmp.se).toBeLessThan(1e-9);
        }
      }
    });
  }

  it('keeps p-values of 10-million-unit campaigns (z ≈ 30 and 36) to 1e-9 relative', () => {
    const huge = ref.cases.filter((c) => c.name.startsWith('huge samples'));
    expect(huge).toHaveLength(2);
    const pValues = huge.map((c) => {
      const cmp = c.expected.comparisons.find((x) => x.difference === 'absolute')!;
      const r = frequentistTest(run(c.metric, c.variants, 1, 'absolute'));
      expectRel(r.pValue, cmp.tests[0]!.pValue, 1e-9, c.name);
      return r.pValue;
    });
    expect(pValues[0]).toBeLessThan(1e-150);
    expect(pValues[1]).toBeLessThan(1e-250);
    expect(pValues[1]).toBeGreaterThan(0);
  });
});

describe("GrowthBook's published reference cases", () => {
  // Cases and expected values from github.com/growthbook/growthbook, packages/stats/tests (see `source`);
  // compared at the decimals GrowthBook publishes, and at 1e-9 against our mpmath re-computation.
  for (const g of ref.growthbook) {
    it(`${g.name} (${g.source.split(' ').pop()})`, () => {
      const effect = run(g.metric, g.variants, 1, g.difference);
      const r = frequentistTest(effect, { alpha: g.alpha, alternative: g.alternative as Alternative });
      const ours: Record<string, number> = {
        estimate: r.estimate,
        se: r.se,
        pValue: r.pValue,
        ciLower: r.ci[0],
        ciUpper: r.ci[1],
      };
      for (const [key, published] of Object.entries(g.published)) {
        const { value, decimals } = published as { value: number; decimals: number };
        const tolerance = 0.5 * 10 ** -decimals * (1 + 1e-9);
        if (!(Math.abs(ours[key]! - value) <= tolerance)) {
          throw new Error(`${g.name} ${key}: ${ours[key]} vs published ${value} at ${decimals} decimals`);
        }
      }
      const reference = g.reference as Record<string, number | null>;
      for (const key of ['estimate', 'se', 'pValue'])
        expectRel(ours[key]!, reference[key] as number, 1e-9, [g.name, key]);
      expectRel(r.dof, reference.dof as number, 1e-10, [g.name, 'dof']);
      if (reference.ciLower !== null)
        expect(Math.abs(r.ci[0] - (reference.ciLower as number)) / r.se).toBeLessThan(1e-9);
      else expect(r.ci[0]).toBe(-Infinity);
      if (reference.ciUpper !== null)
        expect(Math.abs(r.ci[1] - (reference.ciUpper as number)) / r.se).toBeLessThan(1e-9);
      else expect(r.ci[1]).toBe(Infinity);
    });
  }
});

const effect = (estimate: number, se: number, dof: number): EffectEstimate => ({
  difference: 'absolute',
  estimate,
  se,
  dof,
  controlMean: 1,
  treatmentMean: 1 + estimate,
  controlN: 100,
  treatmentN: 100,
});

describe('frequentistTest', () => {
  it('defaults to a two-sided test at alpha 0.05', () => {
    const r = frequentistTest(effect(0.3, 0.1, 50));
    expect(r.alpha).toBe(0.05);
    expect(r.alternative).toBe('two-sided');
    expect(r.ci[0]).toBeLessThan(0.3);
    expect(r.ci[1]).toBeGreaterThan(0.3);
  });

  it('builds intervals for small alpha from the tail quantile (alpha = 2e-10)', () => {
    const row = dist.studentTQuantile.find((q) => q.p === 1e-10 && q.dof === 1e4)!;
    const r = frequentistTest(effect(0, 1, 1e4), { alpha: 2e-10 });
    expectRel(r.ci[0], row.t, 1e-11, 'lower');
    expectRel(r.ci[1], -row.t, 1e-11, 'upper');
  });

  it('is consistent: the two-sided interval excludes 0 exactly when p < alpha', () => {
    for (const est of [0.05, 0.19, 0.2, 0.25, 0.4]) {
      const r = frequentistTest(effect(est, 0.1, 12.5), { alpha: 0.1 });
      expect(r.ci[0] > 0).toBe(r.pValue < 0.1);
    }
  });

  it('has a defined answer when the standard error is 0', () => {
    expect(frequentistTest(effect(0, 0, 10))).toMatchObject({ pValue: 1, ci: [0, 0] });
    expect(frequentistTest(effect(2, 0, 10))).toMatchObject({ pValue: 0, ci: [2, 2] });
    expect(frequentistTest(effect(2, 0, 10), { alternative: 'less' })).toMatchObject({
      pValue: 1,
      ci: [-Infinity, 2],
    });
    expect(frequentistTest(effect(2, 0, 10), { alternative: 'greater' })).toMatchObject({
      pValue: 0,
      ci: [2, Infinity],
    });
  });

  it('uses the normal distribution for infinite dof', () => {
    const r = frequentistTest(effect(1.959963984540054, 1, Infinity));
    expectRel(r.pValue, 0.05, 1e-14, 'p');
  });

  it('rejects bad options and effects', () => {
    expectInputError(() => frequentistTest(effect(1, 1, 5), { alpha: 0 }), 'alpha');
    expectInputError(() => frequentistTest(effect(1, 1, 5), { alpha: 1 }), 'alpha');
    expectInputError(() => frequentistTest(effect(1, 1, 5), { alpha: NaN }), 'alpha');
    expectInputError(
      () => frequentistTest(effect(1, 1, 5), { alternative: 'bigger' as Alternative }),
      'alternative',
    );
    expectInputError(() => frequentistTest(effect(NaN, 1, 5)), 'effect.estimate');
    expectInputError(() => frequentistTest(effect(1, -1, 5)), 'effect.se');
    expectInputError(() => frequentistTest(effect(1, 1, 0)), 'effect.dof');
  });
});
