import { type Alternative, type EffectEstimate, type Interval, StatsInputError } from './types';

/** Options of {@link sequentialTest}. */
export interface SequentialOptions {
  /** Error rate over the whole experiment, however often it is looked at. Default 0.05. */
  alpha?: number;
  /** Default 'two-sided'. */
  alternative?: Alternative;
  /**
   * N*: the total enrollment (both arms) at which the interval is tightest. Any positive value keeps the
   * guarantee; a value near the planned enrollment gives the narrowest intervals there. Default 5,000.
   */
  tuning?: number;
}

/** Always-valid result of {@link sequentialTest}, in the units of the effect (absolute or relative). */
export interface SequentialResult {
  estimate: number;
  se: number;
  /** Confidence sequence at the current enrollment; one-sided alternatives have one infinite bound. */
  ci: Interval;
  /** Smallest alpha at which `ci` (built with the same mixing parameter) excludes zero. */
  pValue: number;
  alpha: number;
  alternative: Alternative;
  tuning: number;
}

/** Default N* (total enrollment at which the confidence sequence is tightest). */
export const DEFAULT_SEQUENTIAL_TUNING = 5000;

const ALTERNATIVES: readonly Alternative[] = ['two-sided', 'greater', 'less'];

/**
 * Sequential test on a treatment-vs-holdout effect that stays valid however often the experiment is peeked at:
 * an asymptotic confidence sequence (Waudby-Smith, Arbour, Sinha, Kennedy & Ramdas 2023, "Time-uniform
 * central limit theory and asymptotic confidence sequences", Thm 2.2 / eq. 9), the construction GrowthBook uses.
 *
 * With N = controlN + treatmentN units enrolled, per-unit variance σ² = se²·N and mixing parameter
 *   ρ = √((−2 ln a + ln(1 − 2 ln a)) / N*)      (eq. 161; a = α two-sided, a = 2α one-sided)
 * the half-width is
 *   two-sided  h = σ·√( 2(Nρ²+1)/(N²ρ²) · ln(√(Nρ²+1)/α) )                  (normal mixture)
 *   one-sided  h = σ·√( 2(Nρ²+1)/(N²ρ²) · ln(1 + √(Nρ²+1)/(2α)) )            (Howard, Ramdas, McAuliffe &
 *              Sekhon 2021, "Time-uniform, nonparametric, nonasymptotic confidence sequences", eq. 14)
 * and the interval is estimate ± h ('greater': [estimate − h, ∞), 'less': (−∞, estimate + h]).
 *
 * The p-value is the smallest α whose interval excludes 0 with ρ held at the value chosen from the configured
 * α, so `pValue < alpha` exactly when `ci` excludes 0. Solving h(α) = |estimate| in closed form with
 * L = ρ²·N·z²/(2(Nρ²+1)), z = estimate/se:
 *   two-sided  p = min(1, √(Nρ²+1)·e^(−L))            (the reciprocal of the mixture e-value)
 *   one-sided  p = min(1, √(Nρ²+1) / (2(e^L − 1)))   (1 when the estimate points away from the alternative).
 * Computed in log space so a huge z gives a tiny (or zero) p-value, never NaN. The interval is asymptotic
 * (normal approximation of the effect), so the effect's degrees of freedom are not used.
 *
 * A zero standard error is the limit of the formulas: the interval collapses to the estimate and the
 * p-value is 0 when the estimate lies strictly on the alternative's side of 0, otherwise 1.
 *
 * @throws StatsInputError for a non-finite estimate, a negative or non-finite se, arms with fewer than one
 *   unit, alpha outside (0, 1) (one-sided: (0, 0.5)), an unknown alternative or a non-positive tuning.
 */
export function sequentialTest(effect: EffectEstimate, options: SequentialOptions = {}): SequentialResult {
  const alpha = options.alpha ?? 0.05;
  const alternative = options.alternative ?? 'two-sided';
  const tuning = options.tuning ?? DEFAULT_SEQUENTIAL_TUNING;
  const { estimate, se } = effect;

  if (!Number.isFinite(estimate)) throw new StatsInputError('effect.estimate', 'must be a finite number');
  if (!Number.isFinite(se) || se < 0) throw new StatsInputError('effect.se', 'must be a finite number >= 0');
  if (!Number.isFinite(effect.controlN) || effect.controlN < 1) {
    throw new StatsInputError('effect.controlN', 'must be a finite number of units >= 1');
  }
  if (!Number.isFinite(effect.treatmentN) || effect.treatmentN < 1) {
    throw new StatsInputError('effect.treatmentN', 'must be a finite number of units >= 1');
  }
  if (!ALTERNATIVES.includes(alternative)) {
    throw new StatsInputError('alternative', "must be 'two-sided', 'greater' or 'less'");
  }
  if (!(alpha > 0 && alpha < 1)) throw new StatsInputError('alpha', 'must be between 0 and 1 (exclusive)');
  const twoSided = alternative === 'two-sided';
  if (!twoSided && alpha >= 0.5) {
    throw new StatsInputError('alpha', 'must be below 0.5 for a one-sided sequential test');
  }
  if (!(tuning > 0) || !Number.isFinite(tuning)) {
    throw new StatsInputError('tuning', 'must be a finite number > 0');
  }

  const n = effect.controlN + effect.treatmentN;
  const rho = mixingParameter(twoSided ? alpha : 2 * alpha, tuning);
  const nRho2 = n * rho * rho;
  // se·√N·√(2(Nρ²+1)/(N²ρ²)) simplifies to se·√(2(Nρ²+1)/(Nρ²)).
  const scale = se * Math.sqrt((2 * (nRho2 + 1)) / nRho2);
  const logTerm = twoSided
    ? 0.5 * Math.log1p(nRho2) - Math.log(alpha)
    : Math.log1p(Math.sqrt(nRho2 + 1) / (2 * alpha));
  const halfWidth = scale * Math.sqrt(logTerm);

  const ci: Interval =
    alternative === 'two-sided'
      ? [estimate - halfWidth, estimate + halfWidth]
      : alternative === 'greater'
        ? [estimate - halfWidth, Infinity]
        : [-Infinity, estimate + halfWidth];

  return {
    estimate,
    se,
    ci,
    pValue: alwaysValidPValue(estimate, se, nRho2, alternative),
    alpha,
    alternative,
    tuning,
  };
}

/** ρ that minimises the confidence-sequence width at N* units (Waudby-Smith et al. 2023, eq. 161). */
function mixingParameter(a: number, tuning: number): number {
  const minusTwoLogA = -2 * Math.log(a);
  return Math.sqrt((minusTwoLogA + Math.log1p(minusTwoLogA)) / tuning);
}

function alwaysValidPValue(estimate: number, se: number, nRho2: number, alternative: Alternative): number {
  const favoured =
    alternative === 'two-sided' ? estimate !== 0 : alternative === 'greater' ? estimate > 0 : estimate < 0;
  if (!favoured) return 1;
  if (se === 0) return 0;
  const z = estimate / se;
  // L = ρ²·N·z² / (2(Nρ²+1)), written with Nρ² so that N and ρ never appear separately.
  const l = (nRho2 * z * z) / (2 * (nRho2 + 1));
  const logSqrt = 0.5 * Math.log1p(nRho2);
  const logP = alternative === 'two-sided' ? logSqrt - l : logSqrt - Math.LN2 - logExpm1(l);
  return logP >= 0 ? 1 : Math.exp(logP);
}

/** ln(eˣ − 1) without overflow for large x. */
function logExpm1(x: number): number {
  return x > 30 ? x + Math.log1p(-Math.exp(-x)) : Math.log(Math.expm1(x));
}
