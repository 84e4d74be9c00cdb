/**
 * Shared input/output shapes of @liftlab/stats. Inputs are always sufficient statistics of one arm,
 * never rows: the database aggregates, this package does the maths.
 */

export type Alternative = 'two-sided' | 'greater' | 'less';
export type Difference = 'relative' | 'absolute';

/** One arm of a mean metric (a proportion metric is a mean metric on 0/1 values). */
export interface MeanSufficientStats {
  /** Number of units (customers) in the arm. */
  n: number;
  /** Σx over units. */
  sum: number;
  /** Σx² over units. */
  sumSquares: number;
}

/** Mean metric with a pre-period covariate for CUPED (x = post value, y = pre-period value). */
export interface CupedSufficientStats extends MeanSufficientStats {
  /** Σy. */
  preSum: number;
  /** Σy². */
  preSumSquares: number;
  /** Σxy. */
  sumProducts: number;
}

/** Ratio metric (numerator m, denominator d per unit), e.g. revenue / orders. */
export interface RatioSufficientStats extends MeanSufficientStats {
  /** Σd. (sum, sumSquares are Σm, Σm²) */
  denSum: number;
  /** Σd². */
  denSumSquares: number;
  /** Σm·d. */
  sumNumDen: number;
}

/**
 * Ratio metric with pre-period numerator m' and denominator d' for CUPED.
 * Cross-products of every pair of (m, d, m', d').
 */
export interface RatioCupedSufficientStats extends RatioSufficientStats {
  /** Σm'. */
  preSum: number;
  /** Σm'². */
  preSumSquares: number;
  /** Σd'. */
  preDenSum: number;
  /** Σd'². */
  preDenSumSquares: number;
  /** Σm·m'. */
  sumProducts: number;
  /** Σm·d'. */
  sumNumPreDen: number;
  /** Σd·m'. */
  sumDenPreNum: number;
  /** Σd·d'. */
  sumDenPreDen: number;
  /** Σm'·d'. */
  sumPreNumPreDen: number;
}

/**
 * The estimated difference between a treatment arm and the control, ready for an inference engine.
 * Produced by the effect functions (mean, ratio, CUPED), consumed by frequentist, sequential and Bayesian engines.
 */
export interface EffectEstimate {
  difference: Difference;
  /** mean_t − mean_c (absolute) or (mean_t − mean_c)/|mean_c| (relative). */
  estimate: number;
  /** Standard error of `estimate`. */
  se: number;
  /** Welch–Satterthwaite degrees of freedom (Infinity when the normal approximation is used). */
  dof: number;
  /** Control mean (unadjusted, the denominator of a relative effect). */
  controlMean: number;
  /** Treatment mean (unadjusted). */
  treatmentMean: number;
  /** Units in control and treatment. */
  controlN: number;
  treatmentN: number;
}

/** Interval as [lower, upper]; infinite bounds for one-sided alternatives. */
export type Interval = [number, number];

/** Thrown for input that cannot be analysed; `field` names the offending input and `rule` what it broke. */
export class StatsInputError extends Error {
  constructor(
    readonly field: string,
    readonly rule: string,
  ) {
    super(`${field}: ${rule}`);
    this.name = 'StatsInputError';
  }
}
