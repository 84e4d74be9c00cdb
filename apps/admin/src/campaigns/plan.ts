import type { CampaignPlan, CampaignPlanRequest } from '../api/types';
import { formatDuration, formatInt, formatPercent, formatSignedPercent } from '../lib/format';

/**
 * The plan of POST /v1/campaigns/plan, read out: the three lifts side by side (assumed, break-even, smallest
 * detectable), whether the test can prove the campaign pays, and what would let it. Pure.
 */

export interface LiftBar {
  key: 'assumed' | 'breakEven' | 'mde';
  label: string;
  /** Relative lift; null when the test cannot detect any lift at this size. */
  value: number | null;
}

export interface PlanReading {
  canProve: boolean;
  headline: string;
  /** The comparison that decides, in one sentence. */
  comparison: string;
  proposals: string[];
  bars: LiftBar[];
}

export function readPlan(plan: CampaignPlan, request: CampaignPlanRequest): PlanReading {
  const holdout = request.holdoutShare ?? 0.1;
  const mde = plan.minimumDetectableEffect?.relative ?? null;
  const breakEven = plan.breakEven.relative;
  const bars: LiftBar[] = [
    { key: 'assumed', label: 'Assumed lift', value: request.assumedLift },
    { key: 'breakEven', label: 'Break-even lift', value: breakEven },
    { key: 'mde', label: `Smallest lift the test detects (${formatPercent(holdout)} holdout)`, value: mde },
  ];
  const comparison =
    mde === null
      ? `The campaign pays back from a lift of ${formatSignedPercent(breakEven, 2)}, but with ` +
        `${formatInt(request.audienceSize)} customers and a ${formatPercent(holdout)} holdout the test cannot reach ` +
        `the requested power for any lift.`
      : `The campaign pays back from a lift of ${formatSignedPercent(breakEven, 2)}; the test detects lifts of ` +
        `${formatSignedPercent(mde, 2)} or more with ${formatInt(request.audienceSize)} customers and a ` +
        `${formatPercent(holdout)} holdout.`;
  const proposals: string[] = [];
  if (!plan.canProvePayback) {
    if (plan.proposedHoldoutShare !== null) {
      proposals.push(
        `Keep ${formatInt(request.audienceSize)} customers and hold out ${formatPercent(plan.proposedHoldoutShare)} ` +
          `instead of ${formatPercent(holdout)}.`,
      );
    }
    if (plan.proposedAudienceSize !== null) {
      const days =
        plan.proposedDurationDays !== null
          ? `, about ${formatDuration(plan.proposedDurationDays)} of enrolment`
          : '';
      proposals.push(
        `Keep the ${formatPercent(holdout)} holdout and enrol ${formatInt(plan.proposedAudienceSize)} customers${days}.`,
      );
    }
    if (proposals.length === 0) {
      proposals.push(
        'No holdout share up to 50% or feasible audience would do: lower the costs or lengthen the horizon.',
      );
    }
  }
  return {
    canProve: plan.canProvePayback,
    headline: plan.canProvePayback
      ? 'The test can prove whether this campaign pays.'
      : 'The test cannot prove this campaign pays.',
    comparison,
    proposals,
    bars,
  };
}
