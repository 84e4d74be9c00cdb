import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CampaignPlanRequestSchema } from '@liftlab/contracts';
import { planCampaign, proposeHoldoutShare, relativeMde } from './planning';

interface PlanFixture {
  input: unknown;
  expected: {
    treatedCustomers: number;
    roi: number;
    incrementalMarginPv: number;
    costsPv: number;
    breakEvenRelative: number;
    mdeRelative: number;
    canProvePayback: boolean;
    proposedHoldoutShare?: number | null;
    proposedAudienceSize?: number;
    proposedDurationDays?: number;
  };
}

const fixture = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'campaigns.json'), 'utf8')) as Record<
  string,
  PlanFixture
>;

describe('planCampaign against statsmodels (gen_campaigns.py)', () => {
  for (const name of ['planCanProve', 'planLargerHoldout', 'planCannotProve'] as const) {
    it(name, () => {
      const { input, expected } = fixture[name] as PlanFixture;
      const plan = planCampaign(CampaignPlanRequestSchema.parse(input));
      expect(plan.treatedCustomers).toBe(expected.treatedCustomers);
      expect(plan.whatIf.roi).toBeCloseTo(expected.roi, 9);
      expect(plan.whatIf.incrementalMarginPv).toBeCloseTo(expected.incrementalMarginPv, 4);
      expect(plan.whatIf.costsPv).toBeCloseTo(expected.costsPv, 6);
      expect(plan.breakEven.relative).toBeCloseTo(expected.breakEvenRelative, 9);
      expect(plan.minimumDetectableEffect?.relative).toBeCloseTo(expected.mdeRelative, 6);
      expect(plan.canProvePayback).toBe(expected.canProvePayback);
      if (expected.canProvePayback) {
        expect(plan.proposedHoldoutShare).toBeNull();
        expect(plan.proposedAudienceSize).toBeNull();
        expect(plan.message).toMatch(/can be told apart from one with no effect/);
      } else {
        expect(plan.message).toMatch(/^The test cannot prove this campaign pays/);
        expect(plan.proposedHoldoutShare).toBe(expected.proposedHoldoutShare);
        // Root-finding tolerances differ; the rounded-up audience may differ by one customer.
        expect(
          Math.abs((plan.proposedAudienceSize ?? 0) - (expected.proposedAudienceSize ?? 0)),
        ).toBeLessThanOrEqual(1);
        expect(plan.proposedDurationDays).toBe(expected.proposedDurationDays);
      }
    });
  }

  it('says plainly which holdout share or audience would prove payback', () => {
    const { input } = fixture.planLargerHoldout as PlanFixture;
    const plan = planCampaign(CampaignPlanRequestSchema.parse(input));
    expect(plan.message).toContain('a 32% holdout of the same 50,000 customers');
    expect(plan.message).toContain('118,988 customers at the 10% holdout (80 days of enrolment');
  });

  it('the proposed holdout share is the first whole percent whose MDE reaches the break-even', () => {
    const input = CampaignPlanRequestSchema.parse((fixture.planLargerHoldout as PlanFixture).input);
    const target = (fixture.planLargerHoldout as PlanFixture).expected.breakEvenRelative;
    const share = proposeHoldoutShare(input, target, 0.1);
    expect(share).toBe(0.32);
    expect(relativeMde(input, 0.32)).toBeLessThanOrEqual(target);
    expect(relativeMde(input, 0.31)).toBeGreaterThan(target);
  });

  it('a conversion metric turns the MDE into revenue through the value per conversion', () => {
    const plan = planCampaign(
      CampaignPlanRequestSchema.parse({
        audienceSize: 20000,
        holdoutShare: 0.2,
        metric: { type: 'proportion', baselineRate: 0.05, valuePerConversion: 80 },
        assumedLift: 0.1,
        grossMargin: 0.5,
        costs: [{ category: 'media', label: 'Email', amount: 3000 }],
      }),
    );
    expect(plan.minimumDetectableEffect?.valuePerCustomerPerMonth).toBeCloseTo(
      (plan.minimumDetectableEffect?.relative ?? 0) * 0.05 * 80,
      12,
    );
    expect(plan.whatIf.lift.valuePerCustomerPerMonth).toBeCloseTo(0.4, 12);
  });

  it('refuses a split that leaves an arm empty', () => {
    expect(() =>
      planCampaign(
        CampaignPlanRequestSchema.parse({
          audienceSize: 2,
          holdoutShare: 0.01,
          metric: { type: 'mean', baselineMean: 10, standardDeviation: 5 },
          assumedLift: 0.1,
          grossMargin: 0.5,
          costs: [{ category: 'media', label: 'Email', amount: 3000 }],
        }),
      ),
    ).toThrow(expect.objectContaining({ field: 'holdoutShare' }));
  });
});
