import { describe, expect, it } from 'vitest';
import reference from '../fixtures/money.json';
import {
  allocateCosts,
  breakEvenLift,
  campaignRoi,
  discountFactor,
  discountedLtv,
  effectiveMonthlyRate,
  expectedLifetime,
  ltvToCac,
  paybackPeriod,
  presentValue,
  simpleLtv,
  survivalFromChurn,
  type CampaignRoiInput,
  type CashFlowPeriod,
  type CashFlowTiming,
  type CostLedger,
} from './money';
import { StatsInputError } from './types';

// Reference values come from packages/stats/fixtures/gen_money.py; the hand checks are the textbook examples.

const relClose = (actual: number, expected: number, tolerance = 1e-10): void => {
  if (expected === 0) expect(Math.abs(actual)).toBeLessThan(tolerance);
  else expect(Math.abs(actual / expected - 1)).toBeLessThan(tolerance);
};

describe('present value', () => {
  it('values 1,000 a year for 5 years at 10%, end of year, at 3,790.79', () => {
    expect(presentValue([1000, 1000, 1000, 1000, 1000], { annualRate: 0.1 })).toBeCloseTo(3790.79, 2);
    relClose(presentValue(new Array(5).fill(1000), { annualRate: 0.1 }), reference.annuityClosedForm);
  });

  it.each(reference.presentValue.map((c) => [`${c.period} ${c.timing} at ${c.annualRate}`, c] as const))(
    '%s matches the reference',
    (_name, c) => {
      const pv = presentValue(c.cashFlows, {
        annualRate: c.annualRate,
        period: c.period as CashFlowPeriod,
        timing: c.timing as CashFlowTiming,
      });
      relClose(pv, c.expected);
    },
  );

  it('shifts start- and mid-period flows by a whole and half period', () => {
    const end = presentValue([1000, 1000, 1000], { annualRate: 0.1 });
    relClose(presentValue([1000, 1000, 1000], { annualRate: 0.1, timing: 'start' }), end * 1.1);
    relClose(presentValue([1000, 1000, 1000], { annualRate: 0.1, timing: 'mid' }), end * Math.sqrt(1.1));
    relClose(discountFactor(2, { annualRate: 0.1, timing: 'mid' }), 1 / Math.pow(1.1, 2.5));
  });

  it.each(reference.effectiveMonthlyRate.map((c) => [c.annualRate, c] as const))(
    'monthly rate equivalent to %s a year',
    (_rate, c) => {
      relClose(effectiveMonthlyRate(c.annualRate), c.expected);
      relClose(Math.pow(1 + effectiveMonthlyRate(c.annualRate), 12), 1 + c.annualRate);
    },
  );
});

describe('lifetime value', () => {
  it('gives a 5-year lifetime at 20% churn a year', () => {
    expect(expectedLifetime(0.2)).toBeCloseTo(5, 12);
    for (const c of reference.expectedLifetime) relClose(expectedLifetime(c.churnRate), c.expected);
  });

  it('computes the simple LTV', () => {
    const { expected, ...input } = reference.simpleLtv;
    relClose(simpleLtv(input), expected);
  });

  it('discounts a geometric survival curve to the closed form', () => {
    const c = reference.discountedLtvGeometric;
    const survival = survivalFromChurn(c.churnRate, c.periods);
    expect(survival[0]).toBe(1);
    relClose(
      survival.reduce((a, b) => a + b, 0),
      expectedLifetime(c.churnRate),
      1e-9,
    );
    const ltv = discountedLtv({ marginPerPeriod: c.marginPerPeriod, survival, annualRate: c.annualRate });
    relClose(ltv, c.expected);
    relClose(ltv, c.closedForm, 1e-9);
  });

  it('discounts an observed monthly survival curve with varying margins', () => {
    const c = reference.discountedLtvCurve;
    const ltv = discountedLtv({
      marginPerPeriod: c.marginPerPeriod,
      survival: c.survival,
      annualRate: c.annualRate,
      period: c.period as CashFlowPeriod,
      timing: c.timing as CashFlowTiming,
    });
    relClose(ltv, c.expected);
  });

  it('pays back a CAC of 120 at 60 a month in 2 months, and reports LTV:CAC', () => {
    expect(paybackPeriod(120, 60)).toBe(2);
    expect(paybackPeriod(reference.payback.acquisitionCost, reference.payback.marginPerPeriod)).toBe(
      reference.payback.expected,
    );
    expect(ltvToCac(360, 120)).toBe(3);
  });
});

describe('allocateCosts', () => {
  it('prorates, amortises and dates each category', () => {
    const result = allocateCosts(reference.allocation.ledger);
    const expected = reference.allocation.expected;
    expect(result.months).toBe(expected.months);
    for (const category of ['technology', 'people', 'content', 'media', 'incentives'] as const) {
      relClose(result.byCategory[category], expected.byCategory[category]);
      expect(result.monthly[category]).toHaveLength(expected.months);
      result.monthly[category].forEach((v, m) => relClose(v, expected.monthly[category][m] ?? NaN));
    }
    relClose(result.total, expected.total);
  });

  it('stops charging content once it is fully amortised', () => {
    const result = allocateCosts({ content: [{ cost: 6000, usefulLifeMonths: 2, monthsUsed: 5 }] });
    expect(result.byCategory.content).toBe(6000);
    expect(result.monthly.content).toEqual([3000, 3000]);
  });
});

describe('campaignRoi', () => {
  it.each(reference.roi.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const result = campaignRoi(c.input as unknown as CampaignRoiInput);
    const e = c.expected;
    for (const key of ['estimate', 'lower', 'upper'] as const) {
      relClose(result.incrementalMarginPerCustomerPerMonth[key], e.marginPerCustomerPerMonth[key]);
      relClose(result.incrementalMarginPv[key], e.marginPv[key]);
      relClose(result.roi[key], e.roi[key], 1e-9);
      result.incrementalMarginPvByStream.forEach((s, i) =>
        relClose(s[key], e.marginPvByStream[i]?.[key] ?? NaN),
      );
    }
    for (const [category, value] of Object.entries(e.costsPvByCategory)) {
      relClose(result.costsPv.byCategory[category as keyof typeof result.costsPv.byCategory], value);
    }
    relClose(result.costsPv.total, e.costsPvTotal);
    expect(result.paybackMonth).toBe(e.paybackMonth);
    relClose(result.breakEvenMarginPerCustomerPerMonth, e.breakEvenMargin, 1e-9);
    expect(result.verdict).toBe(e.verdict);
    expect(result.reason.length).toBeGreaterThan(20);
  });

  it('defaults to 10% a year, margin at month end and costs at month start', () => {
    const c = reference.roi[0];
    if (!c) throw new Error('missing fixture');
    const { annualDiscountRate: _rate, timing: _timing, costTiming: _costTiming, ...rest } = c.input;
    expect([c.input.annualDiscountRate, c.input.timing, c.input.costTiming]).toEqual([0.1, 'end', 'start']);
    const result = campaignRoi(rest as unknown as CampaignRoiInput);
    relClose(result.roi.estimate, c.expected.roi.estimate, 1e-9);
    relClose(result.costsPv.total, c.expected.costsPvTotal);
  });

  it('maps the lift interval onto the ROI interval in order', () => {
    const result = campaignRoi(reference.roi[0]?.input as unknown as CampaignRoiInput);
    expect(result.roi.lower).toBeLessThan(result.roi.estimate);
    expect(result.roi.estimate).toBeLessThan(result.roi.upper);
  });

  it('reaches ROI 0 exactly at the break-even lift', () => {
    const c = reference.breakEven;
    const be = breakEvenLift({
      ...(c.input as unknown as CampaignRoiInput),
      grossMargin: c.grossMargin,
      baselineValuePerCustomerPerMonth: c.baselineValuePerCustomerPerMonth,
    });
    relClose(be.marginPerCustomerPerMonth, c.expected.margin, 1e-9);
    relClose(be.valuePerCustomerPerMonth, c.expected.value, 1e-9);
    relClose(be.relativeLift ?? NaN, c.expected.relative, 1e-9);
    relClose(be.costsPv, c.expected.costsPv);
    const atBreakEven = campaignRoi({
      ...(c.input as unknown as CampaignRoiInput),
      incrementalValue: {
        estimate: be.valuePerCustomerPerMonth,
        lower: 0,
        upper: 2 * be.valuePerCustomerPerMonth,
        grossMargin: c.grossMargin,
      },
    });
    expect(Math.abs(atBreakEven.roi.estimate)).toBeLessThan(1e-12);
    expect(breakEvenLift(c.input as unknown as CampaignRoiInput).relativeLift).toBeNull();
  });
});

describe('input validation', () => {
  const costs: CostLedger = { media: [{ amount: 1000 }] };
  const roiInput: CampaignRoiInput = {
    incrementalValue: { estimate: 1, lower: 0.5, upper: 1.5 },
    treatedCustomers: 1000,
    horizonMonths: 6,
    costs,
  };
  const cases: Array<[string, () => unknown, string]> = [
    ['negative discount rate', () => presentValue([1], { annualRate: -0.1 }), 'annualRate'],
    [
      'unknown timing',
      () => presentValue([1], { annualRate: 0.1, timing: 'later' as CashFlowTiming }),
      'timing',
    ],
    ['NaN cash flow', () => presentValue([1, Number.NaN], { annualRate: 0.1 }), 'cashFlows[1]'],
    ['zero churn', () => expectedLifetime(0), 'churnRate'],
    ['churn above 1', () => survivalFromChurn(1.5, 3), 'churnRate'],
    [
      'increasing survival',
      () => discountedLtv({ marginPerPeriod: 1, survival: [1, 0.8, 0.9], annualRate: 0.1 }),
      'survival[2]',
    ],
    [
      'margins of the wrong length',
      () => discountedLtv({ marginPerPeriod: [1, 2], survival: [1], annualRate: 0.1 }),
      'marginPerPeriod',
    ],
    ['negative ARPU', () => simpleLtv({ arpu: -1, frequency: 1, lifetime: 1, serviceCost: 0 }), 'arpu'],
    ['zero margin payback', () => paybackPeriod(120, 0), 'marginPerPeriod'],
    ['zero CAC', () => ltvToCac(100, 0), 'acquisitionCost'],
    [
      'touched above total',
      () =>
        allocateCosts({
          technology: [{ monthlyCost: 10, totalCustomers: 5, touchedCustomers: 6, months: 1 }],
        }),
      'costs.technology[0].touchedCustomers',
    ],
    [
      'fractional months',
      () =>
        allocateCosts({
          technology: [{ monthlyCost: 10, totalCustomers: 5, touchedCustomers: 1, months: 1.5 }],
        }),
      'costs.technology[0].months',
    ],
    ['negative media', () => allocateCosts({ media: [{ amount: -1 }] }), 'costs.media[0].amount'],
    [
      'negative month',
      () => allocateCosts({ incentives: [{ amount: 1, month: -1 }] }),
      'costs.incentives[0].month',
    ],
    [
      'zero useful life',
      () => allocateCosts({ content: [{ cost: 1, usefulLifeMonths: 0, monthsUsed: 1 }] }),
      'costs.content[0].usefulLifeMonths',
    ],
    ['horizon 0', () => campaignRoi({ ...roiInput, horizonMonths: 0 }), 'horizonMonths'],
    [
      'negative discount rate in ROI',
      () => campaignRoi({ ...roiInput, annualDiscountRate: -0.01 }),
      'annualDiscountRate',
    ],
    ['no treated customers', () => campaignRoi({ ...roiInput, treatedCustomers: 0 }), 'treatedCustomers'],
    [
      'inverted interval',
      () => campaignRoi({ ...roiInput, incrementalValue: { estimate: 1, lower: 2, upper: 3 } }),
      'incrementalValue[0].lower',
    ],
    [
      'gross margin above 1',
      () =>
        campaignRoi({
          ...roiInput,
          incrementalValue: [{ estimate: 1, lower: 0, upper: 2, grossMargin: 1.2 }],
        }),
      'incrementalValue[0].grossMargin',
    ],
    ['no streams', () => campaignRoi({ ...roiInput, incrementalValue: [] }), 'incrementalValue'],
    ['no costs', () => campaignRoi({ ...roiInput, costs: {} }), 'costs'],
    ['break-even with zero margin', () => breakEvenLift({ ...roiInput, grossMargin: 0 }), 'grossMargin'],
  ];
  it.each(cases)('%s', (_name, run, field) => {
    expect(run).toThrow(StatsInputError);
    try {
      run();
    } catch (error) {
      expect((error as StatsInputError).field).toBe(field);
    }
  });
});
