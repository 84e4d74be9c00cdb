import type { LiftEstimate } from '@liftlab/contracts';
import {
  estimateEffect,
  frequentistTest,
  meanArm,
  StatsInputError,
  type EffectEstimate,
  type FrequentistResult,
} from '@liftlab/stats';

/**
 * Treated vs holdout comparison of a sequence, from per-arm sufficient statistics computed by the database.
 * The unit is the enrollment; both arms are measured over the same window from enrollment.
 */

/** One arm's sufficient statistics: reactivation is 0/1 per enrollment, so Σx = Σx² = reactivated. */
export interface ArmStats {
  n: number;
  reactivated: number;
  /** Σ revenue and Σ revenue² over the arm's enrollments (0 for those without orders). */
  revenueSum: number;
  revenueSumSquares: number;
}

export interface ReactivationComparison {
  absoluteLift: LiftEstimate | null;
  relativeLift: LiftEstimate | null;
  incrementalReactivated: LiftEstimate | null;
  incrementalRevenue: LiftEstimate | null;
  notMeasurable: { field: string; rule: string; message: string } | null;
}

function toLift(r: FrequentistResult, scale = 1): LiftEstimate {
  return {
    estimate: r.estimate * scale,
    se: r.se * scale,
    ci: [r.ci[0] * scale, r.ci[1] * scale],
    pValue: r.pValue,
  };
}

/**
 * Reactivation rate lift: proportion arms (binomial variance p(1 − p), meanArm), absolute difference
 * p_t − p_c and relative (p_t − p_c)/p_c by the delta method (estimateEffect), each with Welch's t interval
 * (frequentistTest). Incremental reactivated customers = absolute lift × n_t, and incremental revenue =
 * (mean revenue per treated enrollment − per holdout enrollment) × n_t, with the interval scaled alike: the
 * number of treated enrollments is fixed by the design, so scaling by it leaves the t statistic unchanged.
 * The relative lift is null when no holdout enrollment reactivated (division by zero).
 */
export function compareArms(treated: ArmStats, holdout: ArmStats, alpha: number): ReactivationComparison {
  const empty = {
    absoluteLift: null,
    relativeLift: null,
    incrementalReactivated: null,
    incrementalRevenue: null,
  };
  if (treated.n < 2 || holdout.n < 2) {
    return {
      ...empty,
      notMeasurable: {
        field: treated.n < 2 ? 'reactivation.treated.n' : 'reactivation.holdout.n',
        rule: 'min_2',
        message: 'Each arm needs at least two enrollments whose measurement window has ended.',
      },
    };
  }
  const rate = (a: ArmStats, name: string) =>
    meanArm({ n: a.n, sum: a.reactivated, sumSquares: a.reactivated }, true, name);
  const control = rate(holdout, 'holdout');
  const treatment = rate(treated, 'treated');
  const absolute = frequentistTest(estimateEffect(control, treatment, 'absolute'), { alpha });
  let relative: FrequentistResult | null = null;
  if (holdout.reactivated > 0) {
    let effect: EffectEstimate | null = null;
    try {
      effect = estimateEffect(control, treatment, 'relative');
    } catch (error) {
      if (!(error instanceof StatsInputError)) throw error;
    }
    if (effect) relative = frequentistTest(effect, { alpha });
  }
  const revenue = (a: ArmStats, name: string) =>
    meanArm({ n: a.n, sum: a.revenueSum, sumSquares: a.revenueSumSquares }, false, name);
  const revenueLift = frequentistTest(
    estimateEffect(revenue(holdout, 'holdout'), revenue(treated, 'treated'), 'absolute'),
    { alpha },
  );
  return {
    absoluteLift: toLift(absolute),
    relativeLift: relative ? toLift(relative) : null,
    incrementalReactivated: toLift(absolute, treated.n),
    incrementalRevenue: toLift(revenueLift, treated.n),
    notMeasurable: null,
  };
}

/** Spend ÷ customers, null when there is no spend figure or nobody to divide by. */
export function spendPer(spend: number | null, customers: number | null | undefined): number | null {
  if (spend === null || customers === null || customers === undefined || !(customers > 0)) return null;
  return spend / customers;
}
