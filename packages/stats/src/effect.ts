/**
 * The lift of a treatment variant over the control, absolute or relative, with its standard error and
 * Welch–Satterthwaite degrees of freedom: the common input of the frequentist, sequential and Bayesian engines.
 */
import type { ArmSummary } from './sufficient';
import { StatsInputError, type Difference, type EffectEstimate } from './types';

function checkArm(arm: ArmSummary, name: string): void {
  if (typeof arm !== 'object' || arm === null) throw new StatsInputError(name, 'must be an arm summary');
  if (typeof arm.n !== 'number' || !Number.isInteger(arm.n) || arm.n < 2) {
    throw new StatsInputError(`${name}.n`, 'must be a whole number of units, at least 2');
  }
  for (const key of ['mean', 'unadjustedMean'] as const) {
    if (typeof arm[key] !== 'number' || !Number.isFinite(arm[key])) {
      throw new StatsInputError(`${name}.${key}`, 'must be a finite number');
    }
  }
  for (const key of ['variance', 'unadjustedVariance'] as const) {
    const v = arm[key];
    if (v === undefined && key === 'unadjustedVariance') continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new StatsInputError(`${name}.${key}`, 'must be a finite, non-negative number');
    }
  }
  const cov = arm.covarianceWithUnadjusted;
  if (cov !== undefined && (typeof cov !== 'number' || !Number.isFinite(cov))) {
    throw new StatsInputError(`${name}.covarianceWithUnadjusted`, 'must be a finite number');
  }
}

/**
 * Welch–Satterthwaite degrees of freedom
 *   ν = (v_c + v_t)² / (v_c²/(n_c − 1) + v_t²/(n_t − 1)),  v = s²/n
 * (Welch, 1947, Biometrika 34:28; Satterthwaite, 1946, Biometrics Bulletin 2:110). When both arms have zero
 * variance the formula is 0/0; the pooled n_c + n_t − 2 is returned.
 */
export function welchDegreesOfFreedom(control: ArmSummary, treatment: ArmSummary): number {
  const vc = control.variance / control.n;
  const vt = treatment.variance / treatment.n;
  if (vc + vt === 0) return control.n + treatment.n - 2;
  return (vc + vt) ** 2 / ((vc * vc) / (control.n - 1) + (vt * vt) / (treatment.n - 1));
}

/**
 * Lift of `treatment` over `control`.
 *
 * Absolute: Δ = M_t − M_c with Var = s_t²/n_t + s_c²/n_c (M = the arms' possibly adjusted means).
 *
 * Relative: Δ/|U_c| with U_c the control's unadjusted mean. Its variance is the delta method (first-order Taylor
 * expansion; Casella & Berger, Statistical Inference, §5.5.4) in the control's (M_c, U_c) and the treatment's M_t:
 *   Var = s_t²/(n_t U_c²) + [s_c² + 2g·Cov(M_c, U_c) + g²·Var(U_c)] / (n_c U_c²)
 * with g = Δ/U_c. Without CUPED M = U and this is the familiar s_t²/(n_t U_c²) + s_c² U_t²/(n_c U_c⁴).
 * For CUPED on mean metrics g is taken at the unadjusted difference (U_t − U_c)/U_c, i.e. with balanced
 * pre-period means, as GrowthBook's relative CUPED variance; for CUPED ratio metrics at the adjusted difference,
 * as GrowthBook's RegressionAdjustedRatioStatistic (see ArmSummary.relativeGradientAt).
 *
 * dof: Welch–Satterthwaite on the arms' (adjusted) variances, for both differences, as GrowthBook.
 *
 * Throws StatsInputError for a relative lift when the control's unadjusted mean is 0 (the lift is undefined).
 */
export function estimateEffect(
  control: ArmSummary,
  treatment: ArmSummary,
  difference: Difference = 'relative',
): EffectEstimate {
  checkArm(control, 'control');
  checkArm(treatment, 'treatment');
  if (difference !== 'relative' && difference !== 'absolute') {
    throw new StatsInputError('difference', "must be 'relative' or 'absolute'");
  }
  const delta = treatment.mean - control.mean;
  const vc = control.variance / control.n;
  const vt = treatment.variance / treatment.n;
  let estimate: number;
  let variance: number;
  if (difference === 'absolute') {
    estimate = delta;
    variance = vc + vt;
  } else {
    const base = control.unadjustedMean;
    if (base === 0) {
      throw new StatsInputError(
        'control.unadjustedMean',
        'is 0: a relative lift needs a non-zero control mean (use the absolute difference)',
      );
    }
    estimate = delta / Math.abs(base);
    const g =
      control.relativeGradientAt === 'unadjusted'
        ? (treatment.unadjustedMean - control.unadjustedMean) / base
        : delta / base;
    const unadjustedVariance = control.unadjustedVariance ?? control.variance;
    const covariance = control.covarianceWithUnadjusted ?? control.variance;
    const controlPart = control.variance + 2 * g * covariance + g * g * unadjustedVariance;
    variance = (Math.max(0, controlPart) / control.n + treatment.variance / treatment.n) / (base * base);
  }
  const se = Math.sqrt(variance);
  if (!Number.isFinite(estimate) || !Number.isFinite(se)) {
    throw new StatsInputError(
      'variants',
      'produce a lift or standard error beyond the range of double precision',
    );
  }
  return {
    difference,
    estimate,
    se,
    dof: welchDegreesOfFreedom(control, treatment),
    controlMean: control.unadjustedMean,
    treatmentMean: treatment.unadjustedMean,
    controlN: control.n,
    treatmentN: treatment.n,
  };
}
