import { describe, expect, it } from 'vitest';
import ref from '../../fixtures/uplift.json';
import type { MetricSpec } from '../sufficient';
import { StatsInputError, type Difference } from '../types';
import type { MultipleTestingMethod } from '../multiple-testing';
import {
  heterogeneityTest,
  qiniCurve,
  segmentUplift,
  upliftAtK,
  type SegmentArms,
  type UpliftBucket,
} from './index';

// Reference values: packages/stats/fixtures/gen_uplift.py (statsmodels CompareMeans and scipy for the segment
// lifts, statsmodels combine_effects for Cochran's Q, I² and τ², the Qini curve from customer rows).

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

function expectRel(actual: number, expected: number, tol: number, label: string): void {
  const err = actual === expected ? 0 : Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
  if (!(err <= tol)) throw new Error(`${label}: got ${actual}, expected ${expected} (rel ${err})`);
}

describe('segmentUplift against gen_uplift.py', () => {
  for (const c of ref.segments) {
    it(c.name, () => {
      const r = segmentUplift(c.segments as SegmentArms[], {
        metric: c.metric as MetricSpec,
        difference: c.difference as Difference,
        alpha: c.alpha,
        correction: c.correction as MultipleTestingMethod,
      });
      expect(r.segments.map((s) => s.segment)).toEqual(c.segments.map((s) => s.segment));
      c.expected.segments.forEach((e, i) => {
        const got = r.segments[i]!;
        const label = `${c.name} / ${got.segment}`;
        expectRel(got.estimate, e.estimate, 1e-10, `${label} estimate`);
        expectRel(got.se, e.se, 1e-10, `${label} se`);
        expectRel(got.dof, e.dof, 1e-10, `${label} dof`);
        expectRel(got.pValue, e.pValue, 1e-8, `${label} p`);
        expectRel(got.adjustedPValue, e.adjustedPValue, 1e-8, `${label} adjusted p`);
        expectRel(got.alpha, e.alpha, 1e-15, `${label} alpha`);
        expect(Math.abs(got.ci[0] - e.ci[0]!) / e.se).toBeLessThan(1e-8);
        expect(Math.abs(got.ci[1] - e.ci[1]!) / e.se).toBeLessThan(1e-8);
      });
      const h = r.heterogeneity!;
      const e = c.expected.heterogeneity;
      expectRel(h.q, e.q, 1e-9, 'Q');
      expect(h.dof).toBe(e.dof);
      expectRel(h.pValue, e.pValue, 1e-9, 'p');
      expect(Math.abs(h.iSquared - e.iSquared)).toBeLessThan(1e-9);
      expect(Math.abs(h.tauSquared - e.tauSquared)).toBeLessThan(1e-9 * Math.max(1, e.tauSquared));
      expectRel(h.pooledEstimate, e.pooledEstimate, 1e-9, 'pooled');
      expectRel(h.pooledSe, e.pooledSe, 1e-9, 'pooled se');
      expect(h.included).toEqual(c.segments.map((s) => s.segment));
      expect(h.excluded).toEqual([]);
    });
  }

  it('finds the heterogeneity the conversion data were generated with', () => {
    const c = ref.segments[0]!;
    const r = segmentUplift(c.segments as SegmentArms[], { metric: { type: 'proportion' } });
    expect(r.heterogeneity!.pValue).toBeLessThan(0.01);
    expect(r).toMatchObject({
      difference: 'relative',
      alpha: 0.05,
      alternative: 'two-sided',
      correction: 'none',
    });
  });
});

describe('heterogeneityTest', () => {
  it('a hand-checked pair', () => {
    // Estimates 0 and 2 with se 1: w = 1, 1; θ̄ = 1; Q = 1 + 1 = 2 on 1 dof; p = P(χ²₁ ≥ 2) = 2·Q_N(√2);
    // I² = (2 − 1)/2 = ½; τ² = (2 − 1)/(2 − 2/2) = 1; se(θ̄) = 1/√2.
    const h = heterogeneityTest([
      { label: 'a', estimate: 0, se: 1 },
      { label: 'b', estimate: 2, se: 1 },
    ]);
    expect(h.q).toBe(2);
    expect(h.dof).toBe(1);
    expect(h.pValue).toBeCloseTo(0.157299207050285, 13);
    expect(h.iSquared).toBe(0.5);
    expect(h.tauSquared).toBe(1);
    expect(h.pooledEstimate).toBe(1);
    expect(h.pooledSe).toBeCloseTo(Math.SQRT1_2, 15);
  });

  it('identical estimates: Q = 0, p = 1, I² = τ² = 0', () => {
    const h = heterogeneityTest([
      { label: 'a', estimate: 0.05, se: 0.01 },
      { label: 'b', estimate: 0.05, se: 0.02 },
      { label: 'c', estimate: 0.05, se: 0.03 },
    ]);
    // θ̄ is 0.05 up to rounding, so Q is 0 up to rounding.
    expect(h.q).toBeLessThan(1e-25);
    expect(h.pValue).toBeCloseTo(1, 12);
    expect(h).toMatchObject({ dof: 2, iSquared: 0, tauSquared: 0 });
  });

  it('rejects unusable estimates', () => {
    expectInputError(() => heterogeneityTest([{ label: 'a', estimate: 1, se: 1 }]), 'effects');
    expectInputError(
      () =>
        heterogeneityTest([
          { label: 'a', estimate: 1, se: 1 },
          { label: 'b', estimate: 1, se: 0 },
        ]),
      'effects[1].se',
    );
    expectInputError(
      () =>
        heterogeneityTest([
          { label: 'a', estimate: Number.NaN, se: 1 },
          { label: 'b', estimate: 1, se: 1 },
        ]),
      'effects[0].estimate',
    );
  });
});

describe('segmentUplift edge cases', () => {
  const arm = (n: number, conversions: number) => ({ n, sum: conversions, sumSquares: conversions });

  it('leaves a zero-variance segment out of the heterogeneity test and says so', () => {
    const r = segmentUplift(
      [
        { segment: 'a', control: arm(1000, 50), treatment: arm(1000, 70) },
        { segment: 'empty', control: arm(40, 0), treatment: arm(60, 0) },
        { segment: 'b', control: arm(1000, 50), treatment: arm(1000, 52) },
      ],
      { metric: { type: 'proportion' }, difference: 'absolute' },
    );
    expect(r.segments[1]).toMatchObject({ estimate: 0, se: 0, pValue: 1, ci: [0, 0] });
    expect(r.heterogeneity).toMatchObject({ included: ['a', 'b'], excluded: ['empty'], dof: 1 });
  });

  it('has no heterogeneity test with a single segment', () => {
    const r = segmentUplift([{ segment: 'all', control: arm(500, 40), treatment: arm(500, 55) }], {
      metric: { type: 'proportion' },
    });
    expect(r.heterogeneity).toBeNull();
    expect(r.segments[0]!.estimate).toBeCloseTo(15 / 40, 14);
  });

  it('names the segment in input errors', () => {
    const good = { segment: 'a', control: arm(100, 5), treatment: arm(100, 7) };
    const metric: MetricSpec = { type: 'proportion' };
    expectInputError(() => segmentUplift([], { metric }), 'segments');
    expectInputError(() => segmentUplift([good, { ...good }], { metric }), 'segments[1].segment');
    expectInputError(() => segmentUplift([{ ...good, segment: '' }], { metric }), 'segments[0].segment');
    expectInputError(
      () =>
        segmentUplift([good, { segment: 'b', control: arm(100, 5), treatment: arm(100, 107) }], { metric }),
      'segments[1].treatment.sum',
    );
    expectInputError(
      () => segmentUplift([good, { segment: 'b', control: arm(1, 0), treatment: arm(100, 7) }], { metric }),
      'segments[1].control.n',
    );
    expectInputError(
      () => segmentUplift([good, { segment: 'b', control: arm(100, 0), treatment: arm(100, 7) }], { metric }),
      'segments[1].control.unadjustedMean',
    );
    expectInputError(
      () => segmentUplift([good], { metric: { type: 'median' } as unknown as MetricSpec }),
      'metric.type',
    );
    expectInputError(() => segmentUplift([good], { metric, alpha: 1.5 }), 'alpha');
    expectInputError(
      () => segmentUplift([good], { metric, correction: 'bonferroni' as 'holm' }),
      'correction',
    );
    expectInputError(() => segmentUplift([good], null as unknown as { metric: MetricSpec }), 'options');
  });
});

/*
 * Hand-checked Qini example: three buckets, best first.
 *   bucket   treated (conv)   holdout (conv)
 *   1        100 (20)          50 (5)
 *   2        100 (12)          50 (5)
 *   3        100 (8)           50 (6)
 * After bucket 1: Q = 20 − 5·100/50 = 10 at x = 150/450 = ⅓; uplift = 0.20 − 0.10 = 0.10.
 * After bucket 2: Q = 32 − 10·200/100 = 12 at x = ⅔; uplift = 0.16 − 0.10 = 0.06.
 * After bucket 3: Q = 40 − 16·300/150 = 8 at x = 1; uplift = 40/300 − 16/150 = 0.02666….
 * Area = ⅓·(0 + 10)/2 + ⅓·(10 + 12)/2 + ⅓·(12 + 8)/2 = ⅓·26 = 8.666…; random area = 8/2 = 4;
 * Qini coefficient = 26/3 − 4 = 14/3.
 * uplift@½: 225 customers = bucket 1 (150) + half of bucket 2 (75): treated 150 with 26 conversions, holdout 75
 * with 7.5 ⇒ 26/150 − 7.5/75 = 0.07333….
 */
const handBuckets: UpliftBucket[] = [
  { treatedN: 100, treatedConversions: 20, controlN: 50, controlConversions: 5, score: 0.3 },
  { treatedN: 100, treatedConversions: 12, controlN: 50, controlConversions: 5, score: 0.1 },
  { treatedN: 100, treatedConversions: 8, controlN: 50, controlConversions: 6, score: 0.1 },
];

describe('qiniCurve and upliftAtK', () => {
  it('hand-checked example', () => {
    const q = qiniCurve(handBuckets);
    expect(q.points.map((p) => p.incrementalConversions)).toEqual([0, 10, 12, 8]);
    expect(q.points.map((p) => p.targetedFraction)).toEqual([0, 1 / 3, 2 / 3, 1]);
    expect(q.points.map((p) => p.targeted)).toEqual([0, 150, 300, 450]);
    expect(q.points[0]!.uplift).toBeNull();
    expect(q.points[1]!.uplift).toBeCloseTo(0.1, 15);
    expect(q.points[2]!.uplift).toBeCloseTo(0.06, 15);
    expect(q.points[3]!.uplift).toBeCloseTo(40 / 300 - 16 / 150, 15);
    expect(q.area).toBeCloseTo(26 / 3, 13);
    expect(q.randomArea).toBe(4);
    expect(q.qiniCoefficient).toBeCloseTo(14 / 3, 13);
    expect(q.totalIncrementalConversions).toBe(8);

    expect(upliftAtK(handBuckets, 1 / 3).uplift).toBeCloseTo(0.1, 14);
    const half = upliftAtK(handBuckets, 0.5);
    expect(half).toMatchObject({
      k: 0.5,
      targeted: 225,
      treatedN: 150,
      treatedConversions: 26,
      controlN: 75,
    });
    expect(half.controlConversions).toBeCloseTo(7.5, 14);
    expect(half.uplift).toBeCloseTo(26 / 150 - 0.1, 14);
    expect(upliftAtK(handBuckets, 1).uplift).toBeCloseTo(q.points[3]!.uplift!, 15);
  });

  it('matches the customer-level computation of gen_uplift.py', () => {
    const c = ref.qini;
    const q = qiniCurve(c.buckets);
    expect(q.points).toHaveLength(c.points.length);
    c.points.forEach((e, i) => {
      expect(Math.abs(q.points[i]!.targetedFraction - e.targetedFraction)).toBeLessThan(1e-15);
      expect(Math.abs(q.points[i]!.incrementalConversions - e.incrementalConversions)).toBeLessThan(1e-9);
    });
    c.uplift.forEach((u, i) => expect(Math.abs(q.points[i + 1]!.uplift! - u)).toBeLessThan(1e-13));
    expectRel(q.area, c.area, 1e-12, 'area');
    expectRel(q.randomArea, c.randomArea, 1e-12, 'random area');
    expectRel(q.qiniCoefficient, c.qiniCoefficient, 1e-12, 'Qini coefficient');
    for (const e of c.upliftAtK) {
      const u = upliftAtK(c.buckets, e.k);
      expect(Math.abs(u.uplift - e.uplift)).toBeLessThan(1e-13);
      expectRel(u.treatedN, e.treatedN, 1e-12, 'treatedN');
      expectRel(u.controlConversions, e.controlConversions, 1e-12, 'controlConversions');
    }
  });

  it('a model that ranks the lift first beats random targeting; the reverse ranking does not', () => {
    const reversed = [...ref.qini.buckets].reverse().map(({ score: _, ...b }) => b);
    const good = qiniCurve(ref.qini.buckets);
    const bad = qiniCurve(reversed);
    expect(good.qiniCoefficient).toBeGreaterThan(0);
    expect(bad.qiniCoefficient).toBeLessThan(0);
    // Same customers in total: same end point.
    expect(bad.totalIncrementalConversions).toBeCloseTo(good.totalIncrementalConversions, 9);
  });

  it('rejects bad buckets and k', () => {
    const b = handBuckets;
    expectInputError(() => qiniCurve([]), 'buckets');
    expectInputError(
      () => qiniCurve([{ ...b[0]!, treatedN: 0, treatedConversions: 0 }, b[1]!]),
      'buckets[0].treatedN',
    );
    expectInputError(
      () => qiniCurve([{ ...b[0]!, controlN: 0, controlConversions: 0 }, b[1]!]),
      'buckets[0].controlN',
    );
    expectInputError(
      () => qiniCurve([b[0]!, { ...b[1]!, treatedConversions: 101 }]),
      'buckets[1].treatedConversions',
    );
    expectInputError(
      () => qiniCurve([b[0]!, { ...b[1]!, controlConversions: 51 }]),
      'buckets[1].controlConversions',
    );
    expectInputError(() => qiniCurve([b[0]!, { ...b[1]!, controlN: 2.5 }]), 'buckets[1].controlN');
    expectInputError(() => qiniCurve([b[0]!, { ...b[1]!, score: 0.5 }]), 'buckets[1].score');
    expectInputError(() => qiniCurve([b[0]!, { ...b[1]!, score: Number.NaN }]), 'buckets[1].score');
    expectInputError(() => upliftAtK(b, 0), 'k');
    expectInputError(() => upliftAtK(b, 1.01), 'k');
    expectInputError(() => upliftAtK(b, Number.NaN), 'k');
    expectInputError(() => upliftAtK([], 0.5), 'buckets');
  });
});
