import { describe, expect, it } from 'vitest';
import ref from '../fixtures/core_effects.json';
import {
  cupedArms,
  cupedTheta,
  meanArm,
  ratioArm,
  summarizeArms,
  validateSufficientStats,
  type MetricSpec,
  type VariantSufficientStats,
} from './sufficient';
import { StatsInputError } from './types';

// Reference values: packages/stats/fixtures/gen_core.py computes every arm from generated unit-level rows with
// numpy covariance matrices and complex-step delta-method gradients.

function expectRel(actual: number, expected: number, tol: number, label: unknown): void {
  const err =
    actual === expected ? 0 : Math.abs(actual - expected) / Math.max(Math.abs(actual), Math.abs(expected));
  if (!(err <= tol))
    throw new Error(`${JSON.stringify(label)}: got ${actual}, expected ${expected} (rel ${err})`);
}

function expectInputError(fn: () => unknown, field: string, rule?: RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(StatsInputError);
    expect((e as StatsInputError).field).toBe(field);
    if (rule) expect((e as StatsInputError).rule).toMatch(rule);
    return;
  }
  throw new Error(`expected StatsInputError on ${field}`);
}

const metricOf = (m: { type: string; cuped?: boolean }): MetricSpec => m as MetricSpec;
const variantsOf = (v: unknown): VariantSufficientStats[] => v as VariantSufficientStats[];

describe('summarizeArms against row-level references', () => {
  for (const c of ref.cases) {
    it(`${c.name}`, () => {
      const summaries = summarizeArms(metricOf(c.metric), variantsOf(c.variants));
      expect(summaries).toHaveLength(c.expected.summaries.length);
      summaries.forEach((s, i) => {
        const e = c.expected.summaries[i]!;
        expect(s.n).toBe(e.n);
        expectRel(s.mean, e.mean, 1e-10, [c.name, i, 'mean']);
        expectRel(s.variance, e.variance, 1e-10, [c.name, i, 'variance']);
        expectRel(s.unadjustedMean, e.unadjustedMean, 1e-10, [c.name, i, 'unadjustedMean']);
        if (c.expected.theta !== null) expectRel(s.theta!, c.expected.theta, 1e-10, [c.name, 'theta']);
      });
    });
  }
});

describe('CUPED', () => {
  const cupedCase = ref.cases.find((c) => c.name === 'CUPED mean, three arms')!;
  const arms = cupedCase.variants as unknown as Parameters<typeof cupedTheta>[0];

  it('pools theta over all arms: one slope shared by every variant', () => {
    const summaries = cupedArms(arms);
    const theta = cupedTheta(arms);
    expect(summaries.every((s) => s.theta === theta)).toBe(true);
    // the pooled slope differs from the slope of the control alone
    expect(Math.abs(cupedTheta([arms[0]!]) - theta)).toBeGreaterThan(1e-3);
  });

  it('keeps the unadjusted mean as the baseline and reduces the variance', () => {
    for (const s of cupedArms(arms)) {
      expect(s.unadjustedMean).not.toBe(s.mean);
      expect(s.variance).toBeLessThan(s.unadjustedVariance!);
    }
  });

  it('falls back to no adjustment when the pre-period value is constant', () => {
    const flat = [
      { n: 4, sum: 10, sumSquares: 30, preSum: 8, preSumSquares: 16, sumProducts: 20 },
      { n: 5, sum: 14, sumSquares: 44, preSum: 10, preSumSquares: 20, sumProducts: 28 },
    ];
    const [c] = summarizeArms({ type: 'mean', cuped: true }, flat);
    expect(c!.theta).toBe(0);
    expect(c!.mean).toBe(2.5);
    expect(c!.variance).toBeCloseTo((30 - 100 / 4) / 3, 14);
  });
});

describe('edge cases with defined answers', () => {
  it('gives zero variance to constant and all-zero arms', () => {
    const [a, b] = summarizeArms({ type: 'mean' }, [
      { n: 3, sum: 0, sumSquares: 0 },
      { n: 3, sum: 0.30000000000000004, sumSquares: 0.030000000000000006 },
    ]);
    expect(a).toMatchObject({ mean: 0, variance: 0 });
    expect(b!.variance).toBeGreaterThanOrEqual(0);
    expect(b!.variance).toBeLessThan(1e-15);
  });

  it('uses p(1 − p) for proportions, including 0% and 100%', () => {
    expect(meanArm({ n: 40, sum: 10, sumSquares: 10 }, true).variance).toBe(0.25 * 0.75);
    expect(meanArm({ n: 40, sum: 0, sumSquares: 0 }, true).variance).toBe(0);
    expect(meanArm({ n: 40, sum: 40, sumSquares: 40 }, true).variance).toBe(0);
  });

  it('summarises n = 2 with the sample variance', () => {
    expect(meanArm({ n: 2, sum: 4, sumSquares: 10 }).variance).toBe(2);
  });

  it('computes a ratio arm as Σm/Σd with the delta-method variance', () => {
    // m = (2, 4, 6), d = (1, 1, 2): R = 12/4, Var(m) = 4, Var(d) = 1/3, Cov = 1
    const arm = ratioArm({ n: 3, sum: 12, sumSquares: 56, denSum: 4, denSumSquares: 6, sumNumDen: 18 });
    expect(arm.mean).toBe(3);
    const dBar = 4 / 3;
    expect(arm.variance).toBeCloseTo((4 - 2 * 3 * 1 + 9 / 3) / (dBar * dBar), 13);
  });
});

describe('input validation', () => {
  const good = { n: 10, sum: 25, sumSquares: 80 };
  const mean: MetricSpec = { type: 'mean' };

  it('names the variant and field that breaks a rule', () => {
    expectInputError(() => summarizeArms(mean, [good, { ...good, n: 1 }]), 'variants[1].n', /at least 2/);
    expectInputError(() => summarizeArms(mean, [{ ...good, n: -5 }, good]), 'variants[0].n');
    expectInputError(() => summarizeArms(mean, [{ ...good, n: 2.5 }, good]), 'variants[0].n');
    expectInputError(
      () => summarizeArms(mean, [good, { ...good, sum: Infinity }]),
      'variants[1].sum',
      /finite/,
    );
    expectInputError(() => summarizeArms(mean, [good, { ...good, sum: NaN }]), 'variants[1].sum', /finite/);
    expectInputError(
      () => summarizeArms(mean, [good, { ...good, sumSquares: 50 }]),
      'variants[1].sumSquares',
      /\(sum\)²\/n/,
    );
  });

  it('accepts a sum of squares below (sum)²/n by rounding only', () => {
    const n = 1e7;
    const sum = 3e7;
    const exact = (sum * sum) / n;
    expect(summarizeArms(mean, [{ n, sum, sumSquares: exact * (1 - 1e-12) }])[0]!.variance).toBe(0);
    expectInputError(
      () => summarizeArms(mean, [{ n, sum, sumSquares: exact * (1 - 1e-6) }]),
      'variants[0].sumSquares',
    );
  });

  it('checks proportions are counts of 0/1 values', () => {
    const p: MetricSpec = { type: 'proportion' };
    expectInputError(
      () => summarizeArms(p, [{ n: 10, sum: 11, sumSquares: 11 }]),
      'variants[0].sum',
      /between 0 and n/,
    );
    expectInputError(() => summarizeArms(p, [{ n: 10, sum: -1, sumSquares: -1 }]), 'variants[0].sum');
    expectInputError(
      () => summarizeArms(p, [{ n: 10, sum: 4, sumSquares: 7 }]),
      'variants[0].sumSquares',
      /equal sum/,
    );
  });

  it('requires the CUPED and ratio fields and checks their consistency', () => {
    const cuped: MetricSpec = { type: 'mean', cuped: true };
    expectInputError(() => summarizeArms(cuped, [good]), 'variants[0].preSum', /required for CUPED/);
    const c = { ...good, preSum: 20, preSumSquares: 60, sumProducts: 60 };
    expect(() => summarizeArms(cuped, [c, c])).not.toThrow();
    // Cov = (Σxy − ΣxΣy/n)/(n−1) far beyond √(Var x Var y): correlation > 1
    expectInputError(
      () => summarizeArms(cuped, [c, { ...c, sumProducts: 200 }]),
      'variants[1].sumProducts',
      /correlation/,
    );
    expectInputError(
      () => summarizeArms(cuped, [c, { ...c, preSumSquares: 1 }]),
      'variants[1].preSumSquares',
    );

    const ratio: MetricSpec = { type: 'ratio' };
    expectInputError(() => summarizeArms(ratio, [good]), 'variants[0].denSum', /required for a ratio/);
    const r = { ...good, denSum: 12, denSumSquares: 20, sumNumDen: 35 };
    expect(() => summarizeArms(ratio, [r, r])).not.toThrow();
    expectInputError(
      () => summarizeArms(ratio, [r, { ...r, denSum: 0, denSumSquares: 0, sumNumDen: 0 }]),
      'variants[1].denSum',
      /non-zero/,
    );
    expectInputError(() => summarizeArms(ratio, [r, { ...r, sumNumDen: 500 }]), 'variants[1].sumNumDen');
  });

  it("rejects GrowthBook's ratio fixture, whose Σd² is below (Σd)²/n", () => {
    // RATIO_STATISTICS_DF in growthbook/growthbook packages/stats/tests/test_gbstats.py: the control has
    // n = 100, Σd = 510, Σd² = 810 < 510²/100 = 2601, which no real data can produce.
    const control = {
      n: 100,
      sum: 270,
      sumSquares: 848.79,
      denSum: 510,
      denSumSquares: 810,
      sumNumDen: -900,
    };
    const variant = { n: 120, sum: 300, sumSquares: 869, denSum: 500, denSumSquares: 800, sumNumDen: -905 };
    expectInputError(() => summarizeArms({ type: 'ratio' }, [control, variant]), 'variants[0].denSumSquares');
  });

  it('rejects an unknown metric type and an empty variant list', () => {
    expectInputError(() => summarizeArms({ type: 'median' as never }, [good]), 'metric.type');
    expectInputError(() => summarizeArms(mean, []), 'variants');
    expectInputError(() => validateSufficientStats(mean, [good, null as never]), 'variants[1]');
    expect(() => validateSufficientStats(mean, [good, good])).not.toThrow();
  });
});
