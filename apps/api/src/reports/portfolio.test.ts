import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  computePortfolio,
  defaultPeriod,
  previousPeriod,
  previousQuarter,
  quarterOf,
  quarterPeriod,
  recommend,
  roiDistribution,
  roiStandardError,
  shrinkEstimates,
  type MeasuredOutcome,
  type PortfolioEntry,
} from './portfolio';

interface Fixture {
  level: number;
  campaigns: { key: string; roi: { estimate: number; lower: number; upper: number }; costsPv: number }[];
  expected: {
    standardErrors: number[];
    tau2: number;
    priorMean: number;
    shrunk: number[];
    provenKeys: string[];
    provenIncrementalMarginPv: number;
    provenIncrementalMarginPvShrunk: number;
    provenNetPvShrunk: number;
    pooledRoi: number;
    quartiles: number[];
  };
}

const fixture = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'portfolio.json'), 'utf8')) as Fixture;

function entry(
  key: string,
  outcome: Partial<MeasuredOutcome> & Pick<MeasuredOutcome, 'roi' | 'costsPv'>,
  extra: Partial<PortfolioEntry> = {},
): PortfolioEntry {
  return {
    id: `id-${key}`,
    key,
    name: key,
    programKey: 'winback',
    launchDate: '2025-01-10',
    targetRoi: null,
    reason: '',
    outcome: {
      verdict: outcome.roi.lower > 0 ? 'proven' : 'unproven',
      reason: 'because',
      incrementalMarginPv: outcome.costsPv * (1 + outcome.roi.estimate),
      confidenceLevel: fixture.level,
      ...outcome,
    },
    ...extra,
  };
}

const entries = fixture.campaigns.map((c) => entry(c.key, { roi: c.roi, costsPv: c.costsPv }));

describe('shrinkage against statsmodels (gen_portfolio.py)', () => {
  it('reads standard errors from the intervals', () => {
    fixture.campaigns.forEach((c, i) =>
      expect(roiStandardError(c.roi, fixture.level)).toBeCloseTo(
        fixture.expected.standardErrors[i] as number,
        12,
      ),
    );
  });

  it('estimates τ² and the prior mean as DerSimonian–Laird, and the posterior means', () => {
    const result = shrinkEstimates(
      fixture.campaigns.map((c) => c.roi.estimate),
      fixture.expected.standardErrors,
    );
    expect(result.tau2).toBeCloseTo(fixture.expected.tau2, 12);
    expect(result.priorMean).toBeCloseTo(fixture.expected.priorMean, 12);
    result.shrunk.forEach((x, i) => expect(x).toBeCloseTo(fixture.expected.shrunk[i] as number, 12));
  });

  it('sums the proven campaigns before and after shrinkage', () => {
    const p = computePortfolio(entries);
    expect(p.campaigns.filter((c) => c.verdict === 'proven').map((c) => c.key)).toEqual(
      fixture.expected.provenKeys,
    );
    expect(p.totals.provenIncrementalMarginPv).toBeCloseTo(fixture.expected.provenIncrementalMarginPv, 6);
    expect(p.totals.provenIncrementalMarginPvShrunk).toBeCloseTo(
      fixture.expected.provenIncrementalMarginPvShrunk,
      6,
    );
    expect(p.totals.provenNetPvShrunk).toBeCloseTo(fixture.expected.provenNetPvShrunk, 6);
    // Summing winners as measured overstates: shrinkage lowers the proven total.
    expect(p.totals.provenIncrementalMarginPvShrunk).toBeLessThan(p.totals.provenIncrementalMarginPv);
    expect(p.totals.pooledRoi).toBeCloseTo(fixture.expected.pooledRoi, 12);
    expect(p.shrinkage).toMatchObject({ method: 'empirical_bayes_normal', campaignsUsed: 6 });
    expect(p.shrinkage.priorSd).toBeCloseTo(Math.sqrt(fixture.expected.tau2), 12);
  });

  it('leaves fewer than three campaigns unshrunk', () => {
    const r = shrinkEstimates([0.5, 2], [0.1, 0.5]);
    expect(r).toEqual({ priorMean: null, tau2: null, shrunk: [0.5, 2] });
    const p = computePortfolio(entries.slice(0, 2));
    expect(p.campaigns.map((c) => c.shrunkRoi)).toEqual([0.8, 2.1]);
    expect(p.shrinkage.campaignsUsed).toBe(0);
  });

  it('shrinks nothing when the campaigns agree more than their noise says (τ² = 0): all go to the mean', () => {
    const r = shrinkEstimates([1, 1.01, 0.99], [0.5, 0.5, 0.5]);
    expect(r.tau2).toBe(0);
    expect(r.shrunk.every((x) => Math.abs(x - 1) < 1e-12)).toBe(true);
  });
});

describe('distribution', () => {
  it('quartiles as numpy (linear interpolation) and bands', () => {
    const d = roiDistribution(fixture.campaigns.map((c) => c.roi.estimate));
    const [min, q1, median, q3, max] = fixture.expected.quartiles as [number, number, number, number, number];
    expect(d.min).toBe(min);
    expect(d.q1).toBeCloseTo(q1, 12);
    expect(d.median).toBeCloseTo(median, 12);
    expect(d.q3).toBeCloseTo(q3, 12);
    expect(d.max).toBe(max);
    // -0.4 | 0.1, 0.35 | 0.8 | 1.2 | 2.1
    expect(d.bands.map((b) => b.count)).toEqual([0, 1, 2, 1, 1, 1]);
    expect(d.bands[0]).toMatchObject({ from: null, to: -0.5 });
    expect(d.bands.at(-1)).toMatchObject({ from: 2, to: null });
  });

  it('is empty without measurable campaigns', () => {
    expect(roiDistribution([])).toMatchObject({ count: 0, min: null, median: null, max: null });
  });
});

describe('recommendations', () => {
  const o = (verdict: MeasuredOutcome['verdict'], lower: number, upper: number): MeasuredOutcome => ({
    verdict,
    reason: '',
    roi: { estimate: (lower + upper) / 2, lower, upper },
    incrementalMarginPv: 1,
    costsPv: 1,
    confidenceLevel: 0.95,
  });

  it('scale, continue, stop, fix assignment, no results', () => {
    expect(recommend(o('proven', 0.2, 1), 0.5, null)).toBe('scale');
    expect(recommend(o('proven', 0.2, 1), 0.5, 0.8)).toBe('continue');
    expect(recommend(o('proven', 0.2, 1), 0.9, 0.8)).toBe('scale');
    expect(recommend(o('unproven', -0.9, -0.1), -0.5, null)).toBe('stop');
    expect(recommend(o('incremental_not_profitable', -0.8, -0.05), -0.4, null)).toBe('stop');
    expect(recommend(o('unproven', -0.5, 0.5), 0, null)).toBe('continue');
    expect(recommend(o('blocked_by_srm', 0.5, 1), null, null)).toBe('fix_assignment');
    expect(recommend(null, null, null)).toBe('no_results');
  });

  it('lists campaigns to scale and stop, and keeps SRM-blocked ones out of the totals', () => {
    const p = computePortfolio([
      ...entries,
      entry('broken-split', {
        roi: { estimate: 3, lower: 2, upper: 4 },
        costsPv: 5000,
        verdict: 'blocked_by_srm',
      }),
      {
        ...entry('no-data', { roi: { estimate: 0, lower: 0, upper: 0 }, costsPv: 1 }),
        outcome: null,
        reason: 'no results',
      },
    ]);
    expect(p.totals.campaigns).toBe(8);
    expect(p.totals.measurable).toBe(6);
    expect(p.totals.byVerdict).toEqual({
      proven: 3,
      incremental_not_profitable: 0,
      unproven: 3,
      blocked_by_srm: 1,
    });
    expect(p.totals.pooledRoi).toBeCloseTo(fixture.expected.pooledRoi, 12);
    const rec = Object.fromEntries(p.campaigns.map((c) => [c.key, c.recommendation]));
    expect(rec).toMatchObject({
      'winback-q1': 'scale',
      'upsell-banner': 'scale',
      'crosssell-email': 'scale',
      'vip-concierge': 'continue',
      'broken-split': 'fix_assignment',
      'no-data': 'no_results',
    });
    expect(p.campaigns.find((c) => c.key === 'no-data')).toMatchObject({ reason: 'no results', roi: null });
  });
});

describe('periods', () => {
  it('quarters', () => {
    expect(quarterOf('2025-02-28')).toBe('2025-Q1');
    expect(quarterOf('2025-10-01')).toBe('2025-Q4');
    expect(quarterPeriod('2024-Q1')).toEqual({ from: '2024-01-01', to: '2024-03-31' });
    expect(quarterPeriod('2025-Q4')).toEqual({ from: '2025-10-01', to: '2025-12-31' });
    expect(previousQuarter('2025-Q1')).toBe('2024-Q4');
  });

  it('defaults to the quarter to date', () => {
    expect(defaultPeriod(new Date('2025-05-15T23:00:00Z'))).toEqual({ from: '2025-04-01', to: '2025-05-15' });
  });

  it('compares a quarter (to date) with the same stretch of the quarter before', () => {
    expect(previousPeriod({ from: '2025-04-01', to: '2025-06-30' })).toEqual({
      from: '2025-01-01',
      to: '2025-03-31',
    });
    expect(previousPeriod({ from: '2025-04-01', to: '2025-05-15' })).toEqual({
      from: '2025-01-01',
      to: '2025-02-15',
    });
    expect(previousPeriod({ from: '2025-07-01', to: '2025-09-30' })).toEqual({
      from: '2025-04-01',
      to: '2025-06-30',
    });
    expect(previousPeriod({ from: '2025-04-01', to: '2025-05-31' })).toEqual({
      from: '2025-01-01',
      to: '2025-02-28',
    });
  });

  it('compares whole months with as many months before, other periods with as many days', () => {
    expect(previousPeriod({ from: '2025-02-01', to: '2025-05-31' })).toEqual({
      from: '2024-10-01',
      to: '2025-01-31',
    });
    expect(previousPeriod({ from: '2025-03-10', to: '2025-03-19' })).toEqual({
      from: '2025-02-28',
      to: '2025-03-09',
    });
  });
});
