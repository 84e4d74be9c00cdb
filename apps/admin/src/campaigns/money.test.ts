import { describe, expect, it } from 'vitest';
import type { CampaignRoi, CostLineInput, StreamRoi } from '../api/types';
import { describeCostLine, paybackCurve, roiIntervalWords, waterfallSteps } from './money';

const interval = (estimate: number, lower = estimate, upper = estimate) => ({ estimate, lower, upper });

function stream(
  s: StreamRoi['stream'],
  marginPv: number,
  monthly: { estimate: number; lower: number; upper: number }[] = [],
  grossMargin = 0.5,
): StreamRoi {
  return {
    stream: s,
    metricKey: `${s}_revenue`,
    grossMargin,
    revenuePv: interval(marginPv / grossMargin),
    marginPv: interval(marginPv),
    monthly: monthly.map((m, i) => ({ month: i, observed: i === 0, ...m })),
  };
}

function roi(partial: Partial<CampaignRoi>): CampaignRoi {
  const figure = {
    projection: 'carry_last_observed_month' as const,
    roi: interval(0),
    incrementalMarginPv: interval(0),
    netPv: interval(0),
    paybackMonth: null,
    verdict: 'unproven' as const,
    reason: '',
  };
  return {
    campaignId: '00000000-0000-7000-8000-000000000001',
    campaignKey: 'c',
    experimentId: '00000000-0000-7000-8000-000000000002',
    snapshot: { id: 's', computedAt: '2026-01-01T00:00:00.000Z' },
    variantKey: 'treated',
    treatedCustomers: 100,
    holdoutCustomers: 25,
    horizonMonths: 3,
    observedMonths: 1,
    annualDiscountRate: 0,
    confidenceLevel: 0.95,
    srmFlagged: false,
    projected: figure,
    observed: { ...figure, projection: 'observed_only' },
    streams: [],
    costs: {
      total: 0,
      pv: 0,
      byCategory: {
        technology: { total: 0, pv: 0 },
        people: { total: 0, pv: 0 },
        content: { total: 0, pv: 0 },
        media: { total: 0, pv: 0 },
        incentives: { total: 0, pv: 0 },
      },
    },
    breakEvenMarginPerCustomerPerMonth: 0,
    ltvToCac: null,
    benchmark: {
      programKey: 'p',
      quarter: null,
      previousQuarterRoi: null,
      targetRoi: null,
      sectorReferenceRoi: null,
      vsTarget: null,
      vsPreviousQuarter: null,
    },
    breakdown: null,
    ...partial,
  };
}

describe('waterfallSteps', () => {
  const r = roi({
    streams: [stream('retention', 8000), stream('upsell', 2000)],
    costs: {
      total: 7000,
      pv: 6900,
      byCategory: {
        technology: { total: 0, pv: 0 },
        people: { total: 2400, pv: 2400 },
        content: { total: 0, pv: 0 },
        media: { total: 4600, pv: 4500 },
        incentives: { total: 0, pv: 0 },
      },
    },
    projected: {
      projection: 'carry_last_observed_month',
      roi: interval(0.449, 0.1, 0.8),
      incrementalMarginPv: interval(10000, 7000, 13000),
      netPv: interval(3100, 100, 6100),
      paybackMonth: 2,
      verdict: 'proven',
      reason: '',
    },
  });

  it('climbs by stream (in stream order), steps down by cost category, and ends on the net with its interval', () => {
    const steps = waterfallSteps(r);
    expect(steps.map((s) => [s.label, s.start, s.end])).toEqual([
      ['Upsell margin', 0, 2000],
      ['Retention margin', 2000, 10000],
      ['People', 10000, 7600],
      ['Media', 7600, 3100],
      ['Net return', 0, 3100],
    ]);
    expect(steps[2]?.range).toEqual([7600, 10000]);
    expect(steps[4]?.interval).toEqual([100, 6100]);
  });

  it('leaves out empty categories and lands the running total on the API’s net', () => {
    const steps = waterfallSteps(r);
    expect(steps.some((s) => s.label === 'Technology')).toBe(false);
    const last = steps[steps.length - 2];
    expect(last?.end).toBeCloseTo(r.projected.netPv.estimate, 9);
  });

  it('draws a negative net below zero', () => {
    const losing = waterfallSteps(
      roi({
        streams: [stream('retention', 1000)],
        projected: { ...r.projected, netPv: interval(-500, -900, -100) },
      }),
    );
    expect(losing[losing.length - 1]?.range).toEqual([-500, 0]);
  });
});

describe('paybackCurve', () => {
  // 100 treated customers, 50% margin, €2 (€1 to €3) more revenue per customer a month: €100 of margin a month.
  const lift = [1, 2, 3, 4, 5, 6].map(() => ({ estimate: 2, lower: 1, upper: 3 }));

  it('accumulates margin at the end of each month against costs at the start, undiscounted at 0%', () => {
    const curve = paybackCurve(roi({ streams: [stream('retention', 0, lift.slice(0, 3))] }), [
      { category: 'media', label: 'Launch', amount: 250, month: 0 },
    ]);
    expect(curve.points.map((p) => [p.month, p.margin, p.costs, p.net])).toEqual([
      [1, 100, 250, -150],
      [2, 200, 250, -50],
      [3, 300, 250, 50],
    ]);
    expect(curve.points[2]?.marginBand).toEqual([150, 450]);
    expect(curve.paybackMonth).toBe(3);
  });

  it('only counts payback once the net stays positive to the end', () => {
    const lines: CostLineInput[] = [
      { category: 'media', label: 'Launch', amount: 50, month: 0 },
      { category: 'media', label: 'Second wave', amount: 500, month: 2 },
    ];
    // Net: +50, +150, −250 → never within three months; then −150, −50, +50 → month 6 within six.
    expect(
      paybackCurve(roi({ streams: [stream('retention', 0, lift.slice(0, 3))] }), lines).paybackMonth,
    ).toBeNull();
    expect(
      paybackCurve(roi({ horizonMonths: 6, streams: [stream('retention', 0, lift)] }), lines).paybackMonth,
    ).toBe(6);
  });

  it('discounts margin by (1 + r_m)^−(k+1) and costs by (1 + r_m)^−k with the effective monthly rate', () => {
    const curve = paybackCurve(
      roi({ annualDiscountRate: 0.1, streams: [stream('retention', 0, lift.slice(0, 3))] }),
      [
        {
          category: 'technology',
          label: 'CRM seat',
          monthlyCost: 300,
          totalCustomers: 1000,
          touchedCustomers: 100,
          months: 2,
          startMonth: 1,
        },
      ],
    );
    const v = Math.pow(1.1, -1 / 12);
    expect(curve.points[0]?.margin).toBeCloseTo(100 * v, 9);
    expect(curve.points[0]?.costs).toBe(0);
    expect(curve.points[2]?.margin).toBeCloseTo(100 * (v + v ** 2 + v ** 3), 9);
    // 30 a month (300 × 100 / 1000) charged at the start of months 1 and 2.
    expect(curve.points[2]?.costs).toBeCloseTo(30 * (v + v ** 2), 9);
    expect(curve.paybackMonth).toBe(1);
  });

  it('runs past the horizon while costs are still charged, with no margin counted there', () => {
    const curve = paybackCurve(
      roi({ horizonMonths: 2, streams: [stream('retention', 0, lift.slice(0, 2))] }),
      [{ category: 'people', label: 'Agency', hours: 10, loadedRate: 10, month: 3 }],
    );
    expect(curve.points).toHaveLength(4);
    expect(curve.points[3]).toMatchObject({ margin: 200, costs: 100, net: 100 });
    expect(curve.paybackMonth).toBe(1);
  });
});

describe('reading a ledger line and an ROI interval', () => {
  const at = { id: 'x', total: 0, createdAt: '', updatedAt: '' };
  it('describes how each kind of cost is charged', () => {
    const f = (n: number) => String(n);
    expect(
      describeCostLine({ ...at, category: 'people', label: 'CRM', hours: 40, loadedRate: 60, month: 0 }, f),
    ).toBe('40 h × 60 in month 0');
    expect(
      describeCostLine(
        {
          ...at,
          category: 'content',
          label: 'Video',
          cost: 1200,
          usefulLifeMonths: 12,
          monthsUsed: 1,
          startMonth: 2,
        },
        f,
      ),
    ).toBe('1200 over 12 months of use, used 1 month from month 2');
    expect(
      describeCostLine(
        {
          ...at,
          category: 'incentives',
          label: 'Voucher',
          redemptions: 1500,
          discountPerRedemption: 5,
          month: 1,
        },
        f,
      ),
    ).toBe('1,500 redemptions × 5 in month 1');
  });

  it('says on which side of break-even the interval lies', () => {
    const pct = (x: number) => `${Math.round(x * 100)}%`;
    expect(roiIntervalWords(interval(0.5, 0.2, 0.8), 0.95, pct)).toBe(
      'Best estimate 50%; 95% interval 20% to 80%, all above break-even.',
    );
    expect(roiIntervalWords(interval(0.1, -0.2, 0.4), 0.9, pct)).toContain('which spans break-even');
    expect(roiIntervalWords(interval(-0.5, -0.8, -0.2), 0.95, pct)).toContain('all below break-even');
  });
});
