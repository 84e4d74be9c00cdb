import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CostLineInputSchema, type CostLineParsed } from '@liftlab/contracts';
import { allocateCosts, campaignRoi, type RevenueStream } from '@liftlab/stats';
import { lineTotal, toStatsLedger } from './ledger';
import {
  breakdownRoi,
  computeCampaignRoi,
  NotMeasurableError,
  paybackMonth,
  projectMonths,
  shareOfLedger,
  type CampaignTerms,
  type MeasuredStream,
} from './roi';

interface RoiFixtureCase {
  input: {
    treatedCustomers: number;
    horizonMonths: number;
    annualDiscountRate: number;
    grossMargins: Record<RevenueStream, number>;
    acquisitionCostPerCustomer?: number;
    costs: unknown[];
    streams: MeasuredStream[];
  };
  expected: {
    costsPv: number;
    costsTotal: number;
    projected: { marginPv: number[]; roi: number[]; verdict: string; paybackMonth: number | null };
    observed: { marginPv: number[]; roi: number[]; verdict: string; paybackMonth: number | null };
    breakEvenMarginPerCustomerPerMonth: number;
    ltvPerCustomer?: number;
    ltvToCac?: number;
    incrementalLtvPerCustomer?: number;
  };
}

const fixture = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'campaigns.json'), 'utf8')) as Record<
  string,
  RoiFixtureCase
>;

const MARGINS: Record<RevenueStream, number> = { upsell: 0.6, cross_sell: 0.5, retention: 0.8, other: 1 };

function terms(c: RoiFixtureCase['input']): CampaignTerms {
  return {
    horizonMonths: c.horizonMonths,
    annualDiscountRate: c.annualDiscountRate,
    grossMargins: c.grossMargins,
    costs: toStatsLedger(c.costs.map((line) => CostLineInputSchema.parse(line))),
    acquisitionCostPerCustomer: c.acquisitionCostPerCustomer ?? null,
  };
}

function expectInterval(actual: { estimate: number; lower: number; upper: number }, expected: number[]) {
  expect(actual.estimate).toBeCloseTo(expected[0] as number, 6);
  expect(actual.lower).toBeCloseTo(expected[1] as number, 6);
  expect(actual.upper).toBeCloseTo(expected[2] as number, 6);
}

describe('computeCampaignRoi against the independent reference (gen_campaigns.py)', () => {
  for (const name of ['roi', 'gap'] as const) {
    it(`matches the month-by-month computation: ${name}`, () => {
      const c = fixture[name] as RoiFixtureCase;
      const result = computeCampaignRoi({
        streams: c.input.streams,
        treatedCustomers: c.input.treatedCustomers,
        srmFlagged: false,
        terms: terms(c.input),
      });
      expect(result.costs.pv).toBeCloseTo(c.expected.costsPv, 6);
      expect(result.costs.total).toBeCloseTo(c.expected.costsTotal, 6);
      for (const projection of ['projected', 'observed'] as const) {
        const want = c.expected[projection];
        const got = result[projection];
        expectInterval(got.incrementalMarginPv, want.marginPv);
        expectInterval(got.roi, want.roi);
        expect(got.verdict).toBe(want.verdict);
        expect(got.paybackMonth).toBe(want.paybackMonth);
        expect(got.netPv.estimate).toBeCloseTo((want.marginPv[0] as number) - c.expected.costsPv, 6);
      }
      expect(result.breakEvenMarginPerCustomerPerMonth).toBeCloseTo(
        c.expected.breakEvenMarginPerCustomerPerMonth,
        9,
      );
      if (c.expected.ltvPerCustomer !== undefined) {
        expect(result.ltvToCac?.ltvPerCustomer).toBeCloseTo(c.expected.ltvPerCustomer, 6);
        expect(result.ltvToCac?.ratio).toBeCloseTo(c.expected.ltvToCac as number, 9);
        expect(result.ltvToCac?.incrementalLtvPerCustomer).toBeCloseTo(
          c.expected.incrementalLtvPerCustomer as number,
          9,
        );
      } else {
        expect(result.ltvToCac).toBeNull();
      }
    });
  }

  it('reports per-stream present values that add up to the total margin', () => {
    const c = fixture.roi as RoiFixtureCase;
    const result = computeCampaignRoi({
      streams: c.input.streams,
      treatedCustomers: c.input.treatedCustomers,
      srmFlagged: false,
      terms: terms(c.input),
    });
    const sum = result.streams.reduce((s, x) => s + x.marginPv.estimate, 0);
    expect(sum).toBeCloseTo(result.projected.incrementalMarginPv.estimate, 6);
    expect(result.streams.map((s) => [s.stream, s.grossMargin])).toEqual([
      ['upsell', 0.6],
      ['retention', 0.8],
    ]);
    expect(result.observedMonths).toBe(3);
    // Retention measured 2 months: month 2 onward is carried from month 1 in the headline.
    const retention = result.streams[1]?.monthly ?? [];
    expect(retention[2]).toMatchObject({ month: 2, observed: false, estimate: 0.25, lower: 0.05 });
    expect(retention).toHaveLength(12);
  });
});

const constant = (estimate: number, lower: number, upper: number, months = 1): MeasuredStream => ({
  metricKey: 'revenue',
  stream: 'other',
  months: Array.from({ length: months }, (_, month) => ({ month, estimate, lower, upper })),
});

const simpleTerms = (costs = 10_000): CampaignTerms => ({
  horizonMonths: 12,
  annualDiscountRate: 0.1,
  grossMargins: MARGINS,
  costs: { media: [{ amount: costs, month: 0 }] },
  acquisitionCostPerCustomer: null,
});

describe('verdicts', () => {
  // 1,000 treated customers, 12 months at 10%: the annuity factor is ≈ 11.38, so 10,000 of costs break even at
  // ≈ 0.88 per customer per month.
  const run = (stream: MeasuredStream, srmFlagged = false) =>
    computeCampaignRoi({ streams: [stream], treatedCustomers: 1000, srmFlagged, terms: simpleTerms() });

  it('proven when even the low end of the lift pays the costs back', () => {
    const r = run(constant(2, 1.5, 2.5));
    expect(r.projected.verdict).toBe('proven');
    expect(r.projected.roi.lower).toBeGreaterThan(0);
  });

  it('incremental, not yet profitable when the lift is real but its low end does not pay', () => {
    const r = run(constant(1, 0.2, 1.8));
    expect(r.projected.verdict).toBe('incremental_not_profitable');
    expect(r.projected.roi.lower).toBeLessThan(0);
  });

  it('unproven when the lift interval includes zero', () => {
    expect(run(constant(1, -0.2, 2.2)).projected.verdict).toBe('unproven');
  });

  it('blocked by SRM whatever the numbers say', () => {
    const r = run(constant(2, 1.5, 2.5), true);
    expect(r.projected.verdict).toBe('blocked_by_srm');
    expect(r.observed.verdict).toBe('blocked_by_srm');
  });

  it('moves from unproven to proven as the interval narrows around the same estimate', () => {
    const verdicts = [
      [-1, 5],
      [0.3, 3.7],
      [1.2, 2.8],
    ].map(([lo, hi]) => run(constant(2, lo as number, hi as number)).projected.verdict);
    expect(verdicts).toEqual(['unproven', 'incremental_not_profitable', 'proven']);
  });

  it('observed-only counts months seen so far; projected carries the last one to the horizon', () => {
    const r = run(constant(2, 1.5, 2.5, 2));
    expect(r.observed.incrementalMarginPv.estimate).toBeLessThan(r.projected.incrementalMarginPv.estimate);
    // Two months of 2 × 1000 at end of month 1 and 2, monthly rate (1.1)^(1/12) − 1.
    const rm = Math.pow(1.1, 1 / 12) - 1;
    expect(r.observed.incrementalMarginPv.estimate).toBeCloseTo(2000 / (1 + rm) + 2000 / (1 + rm) ** 2, 6);
    // Two months do not pay 10,000 back, but the lift itself is real.
    expect(r.observed.verdict).toBe('incremental_not_profitable');
    expect(r.projected.verdict).toBe('proven');
  });
});

describe('projection and payback', () => {
  const months = [
    { month: 0, estimate: 3, lower: 1, upper: 5 },
    { month: 2, estimate: 2, lower: 0, upper: 4 },
  ];

  it('fills gaps with the previous month and carries (or zeroes) after the last', () => {
    expect(
      projectMonths(months, 5, 'carry_last_observed_month').map((m) => [m.estimate, m.observed]),
    ).toEqual([
      [3, true],
      [3, false],
      [2, true],
      [2, false],
      [2, false],
    ]);
    expect(projectMonths(months, 5, 'observed_only').map((m) => m.estimate)).toEqual([3, 3, 2, 0, 0]);
    expect(projectMonths(months, 2, 'observed_only').map((m) => m.estimate)).toEqual([3, 3]);
  });

  it('refuses a broken interval', () => {
    expect(() => projectMonths([{ month: 0, estimate: 1, lower: 2, upper: 3 }], 3, 'observed_only')).toThrow(
      NotMeasurableError,
    );
  });

  it('agrees with campaignRoi for a constant lift', () => {
    const costs = { media: [{ amount: 5000, month: 0 }], people: [{ hours: 10, loadedRate: 100, month: 4 }] };
    const stats = campaignRoi({
      incrementalValue: { estimate: 0.5, lower: 0.5, upper: 0.5 },
      treatedCustomers: 1000,
      horizonMonths: 24,
      costs,
    });
    expect(paybackMonth(new Array<number>(24).fill(500), allocateCosts(costs), 0.1)).toBe(stats.paybackMonth);
    expect(stats.paybackMonth).toBe(13);
  });

  it('is null when the margin never catches up', () => {
    expect(paybackMonth([1, 1, 1], allocateCosts({ media: [{ amount: 100 }] }), 0.1)).toBeNull();
  });
});

describe('what cannot be measured', () => {
  it('needs treated customers, a monthly revenue lift and costs', () => {
    const call = (streams: MeasuredStream[], n: number, t: CampaignTerms) => () =>
      computeCampaignRoi({ streams, treatedCustomers: n, srmFlagged: false, terms: t });
    expect(call([constant(1, 0, 2)], 0, simpleTerms())).toThrow(
      expect.objectContaining({ field: 'treatedCustomers' }),
    );
    expect(call([], 10, simpleTerms())).toThrow(expect.objectContaining({ field: 'streams' }));
    expect(call([constant(1, 0, 2)], 10, { ...simpleTerms(), costs: {} })).toThrow(
      expect.objectContaining({ field: 'costs', rule: 'total_above_0' }),
    );
  });
});

describe('breakdown by segment', () => {
  it('charges each group its share of the costs and computes its own return', () => {
    const t = simpleTerms(12_000);
    const rows = breakdownRoi(
      [
        {
          value: 'all customers',
          treatedCustomers: 1000,
          holdoutCustomers: 100,
          streams: [constant(1, 0.5, 1.5)],
        },
        {
          value: 'mid-tier',
          treatedCustomers: 600,
          holdoutCustomers: 60,
          streams: [constant(1.4, 0.9, 1.9)],
        },
        { value: 'vip', treatedCustomers: 400, holdoutCustomers: 40, streams: [constant(0.4, -0.6, 1.4)] },
        { value: 'empty', treatedCustomers: 0, holdoutCustomers: 3, streams: [constant(1, 0, 2)] },
      ],
      1000,
      false,
      t,
    );
    expect(rows.map((r) => r.value)).toEqual(['all customers', 'mid-tier', 'vip']);
    const [all, mid, vip] = rows as [(typeof rows)[0], (typeof rows)[0], (typeof rows)[0]];
    expect(mid.costsPv + vip.costsPv).toBeCloseTo(all.costsPv, 6);
    expect(mid.costsPv / all.costsPv).toBeCloseTo(0.6, 12);
    // Same footing: ROI_g = n·m_g·A / (share·C) − 1 = N·m_g·A / C − 1.
    // All customers: n = 1000 at m = 1, so their PV margin is 1000 · A.
    const annuity = all.incrementalMarginPv.estimate / 1000;
    expect(mid.roi.estimate).toBeCloseTo((1000 * 1.4 * annuity) / all.costsPv - 1, 9);
    expect(mid.roi.estimate).toBeGreaterThan(vip.roi.estimate);
    expect(vip.verdict).toBe('unproven');
  });

  it('shareOfLedger keeps the monthly schedule, scaled', () => {
    const allocation = allocateCosts({
      media: [
        { amount: 100, month: 0 },
        { amount: 50, month: 2 },
      ],
    });
    expect(shareOfLedger(allocation, 0.25)).toEqual({
      media: [
        { amount: 25, month: 0 },
        { amount: 12.5, month: 2 },
      ],
    });
  });
});

describe('ledger lines', () => {
  const parse = (line: unknown) => CostLineInputSchema.parse(line) as CostLineParsed;

  it('charges each category as defined', () => {
    // 5,000 a month × 22,000 / 100,000 touched, for 3 months.
    expect(
      lineTotal(
        parse({
          category: 'technology',
          label: 'ESP',
          monthlyCost: 5000,
          totalCustomers: 100000,
          touchedCustomers: 22000,
          months: 3,
        }),
      ),
    ).toBeCloseTo(3300, 9);
    expect(lineTotal(parse({ category: 'people', label: 'CRM', hours: 120, loadedRate: 85 }))).toBe(10200);
    // 12,000 over 24 months of useful life, used 12 months → half of it.
    expect(
      lineTotal(
        parse({ category: 'content', label: 'Video', cost: 12000, usefulLifeMonths: 24, monthsUsed: 12 }),
      ),
    ).toBe(6000);
    expect(
      lineTotal(
        parse({ category: 'content', label: 'Video', cost: 12000, usefulLifeMonths: 6, monthsUsed: 12 }),
      ),
    ).toBe(12000);
    expect(lineTotal(parse({ category: 'media', label: 'Social', amount: 2500 }))).toBe(2500);
    expect(
      lineTotal(
        parse({ category: 'incentives', label: '10 off', redemptions: 180, discountPerRedemption: 10 }),
      ),
    ).toBe(1800);
  });
});
