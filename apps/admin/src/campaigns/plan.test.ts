import { describe, expect, it } from 'vitest';
import type { CampaignPlan, CampaignPlanRequest } from '../api/types';
import { readPlan } from './plan';

const request: CampaignPlanRequest = {
  audienceSize: 20000,
  holdoutShare: 0.1,
  metric: { type: 'mean', baselineMean: 20, standardDeviation: 40 },
  assumedLift: 0.05,
  grossMargin: 0.4,
  costs: [{ category: 'media', label: 'Launch', amount: 25000 }],
};

function plan(partial: Partial<CampaignPlan>): CampaignPlan {
  return {
    treatedCustomers: 18000,
    holdoutCustomers: 2000,
    whatIf: {
      lift: { relative: 0.05, valuePerCustomerPerMonth: 1 },
      roi: 1.9,
      incrementalMarginPv: 72000,
      costsPv: 25000,
      netPv: 47000,
      paybackMonth: 4,
    },
    breakEven: { relative: 0.0171, valuePerCustomerPerMonth: 0.342 },
    minimumDetectableEffect: { relative: 0.132, valuePerCustomerPerMonth: 2.64 },
    canProvePayback: false,
    message: '',
    proposedHoldoutShare: null,
    proposedAudienceSize: 668550,
    proposedDurationDays: null,
    ...partial,
  };
}

describe('readPlan', () => {
  it('puts the assumed, break-even and detectable lifts side by side', () => {
    const reading = readPlan(plan({}), request);
    expect(reading.bars.map((b) => [b.key, b.value])).toEqual([
      ['assumed', 0.05],
      ['breakEven', 0.0171],
      ['mde', 0.132],
    ]);
    expect(reading.bars[2]?.label).toBe('Smallest lift the test detects (10% holdout)');
  });

  it('says plainly when the test cannot prove the campaign pays, and what could', () => {
    const reading = readPlan(
      plan({ proposedHoldoutShare: 0.35, proposedAudienceSize: 668550, proposedDurationDays: 40 }),
      request,
    );
    expect(reading.canProve).toBe(false);
    expect(reading.headline).toBe('The test cannot prove this campaign pays.');
    expect(reading.comparison).toBe(
      'The campaign pays back from a lift of +1.71%; the test detects lifts of +13.2% or more with 20,000 ' +
        'customers and a 10% holdout.',
    );
    expect(reading.proposals).toEqual([
      'Keep 20,000 customers and hold out 35% instead of 10%.',
      'Keep the 10% holdout and enrol 668,550 customers, about 40 days (about 6 weeks) of enrolment.',
    ]);
  });

  it('admits when nothing within reach would do, and when no lift is detectable at all', () => {
    const reading = readPlan(plan({ minimumDetectableEffect: null, proposedAudienceSize: null }), request);
    expect(reading.bars[2]?.value).toBeNull();
    expect(reading.comparison).toContain('cannot reach the requested power for any lift');
    expect(reading.proposals).toEqual([
      'No holdout share up to 50% or feasible audience would do: lower the costs or lengthen the horizon.',
    ]);
  });

  it('proposes nothing when the test can prove payback', () => {
    const reading = readPlan(
      plan({ canProvePayback: true, breakEven: { relative: 0.2, valuePerCustomerPerMonth: 4 } }),
      request,
    );
    expect(reading.headline).toBe('The test can prove whether this campaign pays.');
    expect(reading.proposals).toEqual([]);
  });
});
