/**
 * Planning a campaign before launch: the what-if return at an assumed lift, the break-even lift, and whether
 * the planned test can prove the campaign pays at all. Pure.
 *
 * The break-even lift (smallest lift whose discounted margin pays the discounted costs back over the horizon,
 * `breakEvenLift` of @liftlab/stats) is set beside the minimum detectable effect of the planned split and
 * audience (`minimumDetectableEffect`, two-sided z-test against the holdout at the requested α and power).
 * When the break-even lift is below the MDE, a campaign that just pays back cannot be told apart from one with
 * no effect: the test cannot prove the campaign pays. The plan then proposes
 *
 *   - the smallest holdout share (up to 50%, where the variance of the difference is smallest) whose MDE is
 *     no larger than the break-even lift, at the same audience;
 *   - the audience (all arms) that detects the break-even lift at the chosen holdout share (`sampleSize`),
 *     and the days to enrol it at the given daily traffic.
 *
 * For both proposals the break-even lift per treated customer is held at its planned value, i.e. costs are
 * taken to scale with the customers treated (true of incentives, per-contact media and technology prorated to
 * touched customers; fixed costs spread over more customers would only lower the break-even).
 */
import type { CampaignPlan, CampaignPlanRequestParsed } from '@liftlab/contracts';
import {
  breakEvenLift,
  campaignRoi,
  minimumDetectableEffect,
  sampleSize,
  StatsInputError,
  type PowerMetric,
} from '@liftlab/stats';
import { toStatsLedger } from './ledger';
import { paybackMonth } from './roi';

/** Holdout shares the proposal searches: whole percentages up to 50%. */
const MAX_PROPOSED_HOLDOUT = 0.5;

function powerMetric(metric: CampaignPlanRequestParsed['metric']): PowerMetric {
  return metric.type === 'mean'
    ? { type: 'mean', baselineMean: metric.baselineMean, standardDeviation: metric.standardDeviation }
    : { type: 'proportion', baselineRate: metric.baselineRate };
}

/** Revenue per customer per month without the campaign. */
export function baselineValue(metric: CampaignPlanRequestParsed['metric']): number {
  return metric.type === 'mean' ? metric.baselineMean : metric.baselineRate * metric.valuePerConversion;
}

/** Relative MDE at a holdout share, or Infinity when no lift the metric allows reaches the power. */
export function relativeMde(input: CampaignPlanRequestParsed, holdoutShare: number): number {
  try {
    const mde = minimumDetectableEffect({
      metric: powerMetric(input.metric),
      treatmentShare: 1 - holdoutShare,
      totalUnits: input.audienceSize,
      alpha: input.alpha,
      power: input.power,
    });
    return mde.lift.relative ?? Infinity;
  } catch (error) {
    if (error instanceof StatsInputError && error.field === 'totalUnits') return Infinity;
    throw error;
  }
}

/**
 * Smallest holdout share in [from, 50%], in whole percent, whose MDE is at most `target` (relative); null if
 * even 50% is not enough. The MDE falls as the holdout grows toward half the audience, so the first share that
 * works is the answer.
 */
export function proposeHoldoutShare(
  input: CampaignPlanRequestParsed,
  target: number,
  from: number,
): number | null {
  const start = Math.max(1, Math.ceil(from * 100 - 1e-9));
  for (let percent = start; percent <= MAX_PROPOSED_HOLDOUT * 100; percent++) {
    if (relativeMde(input, percent / 100) <= target) return percent / 100;
  }
  return null;
}

function percent(x: number): string {
  const p = x * 100;
  return `${Math.abs(p) < 10 ? p.toFixed(2) : p.toFixed(1)}%`;
}

/** A share as people say it: 10%, 32%, 12.5%. */
function share(x: number): string {
  const p = Math.round(x * 1000) / 10;
  return `${Number.isInteger(p) ? p.toFixed(0) : p.toFixed(1)}%`;
}

function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function planCampaign(input: CampaignPlanRequestParsed): CampaignPlan {
  const treatedCustomers = Math.round(input.audienceSize * (1 - input.holdoutShare));
  const holdoutCustomers = input.audienceSize - treatedCustomers;
  if (treatedCustomers < 1 || holdoutCustomers < 1) {
    throw new StatsInputError('holdoutShare', 'leaves an arm without customers at this audience size');
  }
  const costs = toStatsLedger(input.costs);
  const economics = {
    treatedCustomers,
    horizonMonths: input.horizonMonths,
    annualDiscountRate: input.annualDiscountRate,
    costs,
  };
  const baseline = baselineValue(input.metric);
  const assumedValue = input.assumedLift * baseline;

  const whatIf = campaignRoi({
    ...economics,
    incrementalValue: {
      stream: input.stream,
      estimate: assumedValue,
      lower: assumedValue,
      upper: assumedValue,
      grossMargin: input.grossMargin,
    },
  });
  const monthlyMargin = treatedCustomers * input.grossMargin * assumedValue;
  const breakEven = breakEvenLift({
    ...economics,
    grossMargin: input.grossMargin,
    baselineValuePerCustomerPerMonth: baseline,
  });
  const breakEvenRelative = breakEven.relativeLift ?? breakEven.valuePerCustomerPerMonth / baseline;
  const mdeRelative = relativeMde(input, input.holdoutShare);
  const canProvePayback = breakEvenRelative >= mdeRelative;

  let proposedHoldoutShare: number | null = null;
  let proposedAudienceSize: number | null = null;
  let proposedDurationDays: number | null = null;
  const split = `a ${share(input.holdoutShare)} holdout of ${count(input.audienceSize)} customers`;
  const mdeText = Number.isFinite(mdeRelative)
    ? `detects a lift of ${percent(mdeRelative)} or more (power ${share(input.power)}, α ${input.alpha})`
    : `cannot reach power ${share(input.power)} for any lift`;
  let message: string;
  if (canProvePayback) {
    message =
      `The campaign pays back from a lift of ${percent(breakEvenRelative)}; with ${split} the test ${mdeText}, ` +
      'so a campaign that pays can be told apart from one with no effect.';
  } else {
    proposedHoldoutShare = proposeHoldoutShare(input, breakEvenRelative, input.holdoutShare);
    try {
      const size = sampleSize({
        metric: powerMetric(input.metric),
        treatmentShare: 1 - input.holdoutShare,
        lift: breakEvenRelative,
        alpha: input.alpha,
        power: input.power,
        dailyTraffic: input.dailyTraffic,
      });
      proposedAudienceSize = size.totalUnits;
      proposedDurationDays = size.durationDays;
    } catch (error) {
      if (!(error instanceof StatsInputError)) throw error;
    }
    const options: string[] = [];
    if (proposedHoldoutShare !== null) {
      options.push(
        `a ${share(proposedHoldoutShare)} holdout of the same ${count(input.audienceSize)} customers`,
      );
    }
    if (proposedAudienceSize !== null) {
      options.push(
        `${count(proposedAudienceSize)} customers at the ${share(input.holdoutShare)} holdout` +
          (proposedDurationDays !== null
            ? ` (${proposedDurationDays} days of enrolment at the daily traffic)`
            : ''),
      );
    }
    message =
      `The test cannot prove this campaign pays: it pays back from a lift of ${percent(breakEvenRelative)}, ` +
      `but with ${split} the test ${mdeText}. ` +
      (proposedHoldoutShare === null ? 'Even a 50% holdout is not enough at this audience. ' : '') +
      (options.length > 0
        ? `To prove payback, plan ${options.join(', or ')}.`
        : 'No holdout share up to 50% or feasible audience detects the break-even lift; lower the costs or lengthen the horizon.');
  }

  return {
    treatedCustomers,
    holdoutCustomers,
    whatIf: {
      lift: { relative: input.assumedLift, valuePerCustomerPerMonth: assumedValue },
      roi: whatIf.roi.estimate,
      incrementalMarginPv: whatIf.incrementalMarginPv.estimate,
      costsPv: whatIf.costsPv.total,
      netPv: whatIf.incrementalMarginPv.estimate - whatIf.costsPv.total,
      paybackMonth: paybackMonth(
        new Array<number>(input.horizonMonths).fill(monthlyMargin),
        whatIf.costs,
        input.annualDiscountRate,
      ),
    },
    breakEven: { relative: breakEvenRelative, valuePerCustomerPerMonth: breakEven.valuePerCustomerPerMonth },
    minimumDetectableEffect: Number.isFinite(mdeRelative)
      ? { relative: mdeRelative, valuePerCustomerPerMonth: mdeRelative * baseline }
      : null,
    canProvePayback,
    message,
    proposedHoldoutShare,
    proposedAudienceSize,
    proposedDurationDays,
  };
}
