/**
 * Lift of a campaign per customer segment, and whether the lift differs between segments.
 *
 * Each segment is its own holdout comparison (the same sufficient-statistics pipeline as a whole experiment:
 * summarizeArms → estimateEffect → frequentistTest). Whether the segments' lifts differ by more than chance is
 * Cochran's Q test of heterogeneity, the test of meta-analysis for k independent estimates of one effect.
 */
import { chiSquareSurvival } from '../distributions';
import { estimateEffect } from '../effect';
import { frequentistTest } from '../frequentist';
import { adjustedAlphas, adjustPValues, type MultipleTestingMethod } from '../multiple-testing';
import { summarizeArms, type MetricSpec, type VariantSufficientStats } from '../sufficient';
import { StatsInputError, type Alternative, type Difference, type Interval } from '../types';

/** One segment's holdout (control) and treated arm, as sufficient statistics. */
export interface SegmentArms {
  /** Segment label, e.g. 'new', 'lapsed', 'vip'. Unique. */
  segment: string;
  control: VariantSufficientStats;
  treatment: VariantSufficientStats;
}

export interface SegmentUpliftOptions {
  metric: MetricSpec;
  /** 'relative' (default) or 'absolute'. */
  difference?: Difference;
  /** Significance level (default 0.05). */
  alpha?: number;
  /** Alternative of every segment's test (default 'two-sided'). */
  alternative?: Alternative;
  /** Correction over the segments' tests: 'none' (default), 'holm' or 'bh' (see adjustPValues). */
  correction?: MultipleTestingMethod;
}

export interface SegmentLift {
  segment: string;
  /** Lift of the treated arm over the holdout, as in the effect estimate (absolute or relative). */
  estimate: number;
  se: number;
  dof: number;
  /** Confidence interval at `alpha` (the corrected level when a correction is applied). */
  ci: Interval;
  alpha: number;
  pValue: number;
  /** p-value after the correction over segments (equal to pValue without one). */
  adjustedPValue: number;
  controlMean: number;
  treatmentMean: number;
  controlN: number;
  treatmentN: number;
}

/** One estimate entering the heterogeneity test. */
export interface EffectForHeterogeneity {
  label: string;
  estimate: number;
  /** Standard error, > 0. */
  se: number;
}

export interface HeterogeneityTest {
  /** Cochran's Q = Σ wᵢ(θᵢ − θ̄)². */
  q: number;
  /** k − 1. */
  dof: number;
  /** P(χ²_{k−1} ≥ Q): small values say the lift differs between segments. */
  pValue: number;
  /** I² = max(0, (Q − dof)/Q): the share of the spread in estimates beyond chance (0 when Q = 0). */
  iSquared: number;
  /** DerSimonian–Laird between-segment variance τ² = max(0, (Q − dof)/(Σw − Σw²/Σw)). */
  tauSquared: number;
  /** Inverse-variance (fixed-effect) pooled lift θ̄ = Σwθ/Σw and its standard error 1/√Σw. */
  pooledEstimate: number;
  pooledSe: number;
  /** Labels of the estimates in the test. */
  included: string[];
  /** Labels left out because their standard error is 0 (an infinite weight); see segmentUplift. */
  excluded: string[];
}

export interface SegmentUpliftResult {
  difference: Difference;
  alpha: number;
  alternative: Alternative;
  correction: MultipleTestingMethod;
  segments: SegmentLift[];
  /** null when fewer than two segments have a positive standard error. */
  heterogeneity: HeterogeneityTest | null;
}

/**
 * Cochran's Q test of heterogeneity (Cochran 1954, "The combination of estimates from different experiments",
 * Biometrics 10:101–129) with I² (Higgins & Thompson 2002, "Quantifying heterogeneity in a meta-analysis",
 * Stat. Med. 21:1539–1558) and the DerSimonian–Laird τ² (DerSimonian & Laird 1986, Control. Clin. Trials
 * 7:177–188):
 *   wᵢ = 1/seᵢ²,  θ̄ = Σwᵢθᵢ/Σwᵢ,  Q = Σwᵢ(θᵢ − θ̄)²,  p = P(χ²_{k−1} ≥ Q),
 *   I² = max(0, (Q − (k − 1))/Q),  τ² = max(0, (Q − (k − 1))/(Σw − Σw²/Σw)),  se(θ̄) = 1/√Σw.
 * Matches statsmodels.stats.meta_analysis.combine_effects (q, i2, tau2, mean_effect_fe, sd_eff_w_fe).
 * Q is approximately χ²_{k−1} under homogeneity when each estimate is approximately normal with a known se, as
 * the segment lifts of a campaign are; it has low power with few segments, so a large p-value is not proof that
 * the lift is the same everywhere.
 *
 * @throws StatsInputError for fewer than two estimates, a non-finite estimate, or a standard error that is not a
 *   finite number > 0.
 */
export function heterogeneityTest(effects: readonly EffectForHeterogeneity[]): HeterogeneityTest {
  if (!Array.isArray(effects) || effects.length < 2) {
    throw new StatsInputError('effects', 'must list at least two estimates to compare');
  }
  effects.forEach((e, i) => {
    if (typeof e !== 'object' || e === null) throw new StatsInputError(`effects[${i}]`, 'must be an object');
    if (typeof e.estimate !== 'number' || !Number.isFinite(e.estimate)) {
      throw new StatsInputError(`effects[${i}].estimate`, 'must be a finite number');
    }
    if (typeof e.se !== 'number' || !Number.isFinite(e.se) || !(e.se > 0)) {
      throw new StatsInputError(`effects[${i}].se`, 'must be a finite number > 0');
    }
  });
  const k = effects.length;
  const weights = effects.map((e) => 1 / (e.se * e.se));
  const sumW = weights.reduce((s, w) => s + w, 0);
  const sumW2 = weights.reduce((s, w) => s + w * w, 0);
  const pooled = effects.reduce((s, e, i) => s + (weights[i] as number) * e.estimate, 0) / sumW;
  const q = effects.reduce((s, e, i) => s + (weights[i] as number) * (e.estimate - pooled) ** 2, 0);
  const dof = k - 1;
  const excess = q - dof;
  return {
    q,
    dof,
    pValue: chiSquareSurvival(q, dof),
    iSquared: q > 0 ? Math.max(0, excess / q) : 0,
    tauSquared: Math.max(0, excess / (sumW - sumW2 / sumW)),
    pooledEstimate: pooled,
    pooledSe: 1 / Math.sqrt(sumW),
    included: effects.map((e) => e.label),
    excluded: [],
  };
}

const CORRECTIONS: readonly MultipleTestingMethod[] = ['none', 'holm', 'bh'];

/** Renames a field of the single-comparison pipeline (`variants[1].sum`, `control.mean`) into the segment's. */
function segmentError(i: number, error: StatsInputError): StatsInputError {
  const prefix = `segments[${i}]`;
  const field = error.field
    .replace(/^variants\[0\]/, `${prefix}.control`)
    .replace(/^variants\[1\]/, `${prefix}.treatment`)
    .replace(/^(control|treatment)(?=\.|$)/, `${prefix}.$1`)
    .replace(/^variants$/, prefix);
  return new StatsInputError(field, error.rule);
}

/**
 * Lift per segment with confidence intervals, and Cochran's Q test of whether it differs between segments.
 *
 * Per segment: the arms are summarised from their sufficient statistics (summarizeArms; CUPED's θ is pooled
 * within the segment), the lift and its standard error come from estimateEffect (delta method for a relative
 * lift) and the test and interval from Welch's t (frequentistTest). With a `correction` the p-values over
 * segments are adjusted (Holm or Benjamini–Hochberg, adjustPValues) and the intervals built at the matching
 * level (adjustedAlphas: Bonferroni α/m for Holm, the FCR level for BH).
 *
 * Heterogeneity: {@link heterogeneityTest} on the segments' lifts. A segment whose lift has a standard error of
 * 0 (both arms constant, e.g. no conversions at all in an absolute comparison) would take an infinite weight; it
 * is left out of the test and listed in `excluded`. With fewer than two segments left, `heterogeneity` is null.
 * Segments must be disjoint groups of customers, so their estimates are independent.
 *
 * @throws StatsInputError for an empty list, a missing or repeated segment label, an unknown correction, and
 *   every rule of the single-comparison pipeline, named after the segment (e.g. `segments[2].treatment.sum`).
 */
export function segmentUplift(
  segments: readonly SegmentArms[],
  options: SegmentUpliftOptions,
): SegmentUpliftResult {
  if (typeof options !== 'object' || options === null) {
    throw new StatsInputError('options', 'must be an object with at least { metric }');
  }
  const difference = options.difference ?? 'relative';
  const alpha = options.alpha ?? 0.05;
  const alternative = options.alternative ?? 'two-sided';
  const correction = options.correction ?? 'none';
  if (!CORRECTIONS.includes(correction)) {
    throw new StatsInputError('correction', "must be 'none', 'holm' or 'bh'");
  }
  if (!Array.isArray(segments) || segments.length === 0) {
    throw new StatsInputError('segments', 'must be a non-empty list of { segment, control, treatment }');
  }
  const labels = new Set<string>();
  const effects = segments.map((s, i) => {
    if (typeof s !== 'object' || s === null) throw new StatsInputError(`segments[${i}]`, 'must be an object');
    if (typeof s.segment !== 'string' || s.segment.length === 0) {
      throw new StatsInputError(`segments[${i}].segment`, 'must be a non-empty label');
    }
    if (labels.has(s.segment)) {
      throw new StatsInputError(`segments[${i}].segment`, `'${s.segment}' is listed twice`);
    }
    labels.add(s.segment);
    try {
      const arms = summarizeArms(options.metric, [s.control, s.treatment]);
      return estimateEffect(arms[0]!, arms[1]!, difference);
    } catch (e) {
      throw e instanceof StatsInputError ? segmentError(i, e) : e;
    }
  });
  const tests = effects.map((effect) => frequentistTest(effect, { alpha, alternative }));
  const pValues = tests.map((t) => t.pValue);
  const adjusted = adjustPValues(pValues, correction);
  const alphas = adjustedAlphas(pValues, correction, alpha);

  const lifts: SegmentLift[] = effects.map((effect, i) => {
    const level = alphas[i] as number;
    const test =
      level === alpha
        ? (tests[i] as (typeof tests)[number])
        : frequentistTest(effect, { alpha: level, alternative });
    return {
      segment: (segments[i] as SegmentArms).segment,
      estimate: effect.estimate,
      se: effect.se,
      dof: effect.dof,
      ci: test.ci,
      alpha: level,
      pValue: pValues[i] as number,
      adjustedPValue: adjusted[i] as number,
      controlMean: effect.controlMean,
      treatmentMean: effect.treatmentMean,
      controlN: effect.controlN,
      treatmentN: effect.treatmentN,
    };
  });

  const usable = lifts.filter((l) => l.se > 0);
  const excluded = lifts.filter((l) => !(l.se > 0)).map((l) => l.segment);
  const heterogeneity =
    usable.length >= 2
      ? {
          ...heterogeneityTest(usable.map((l) => ({ label: l.segment, estimate: l.estimate, se: l.se }))),
          excluded,
        }
      : null;
  return { difference, alpha, alternative, correction, segments: lifts, heterogeneity };
}
