/**
 * Fixed-horizon frequentist inference on an effect estimate: Welch's t-test with a confidence interval.
 */
import { studentTCdf, studentTInverseSurvival, studentTSurvival } from './distributions';
import { StatsInputError, type Alternative, type EffectEstimate, type Interval } from './types';

export interface FrequentistOptions {
  /** Significance level, 0 < α < 1 (default 0.05). */
  alpha?: number;
  /** 'two-sided' (default), 'greater' (treatment above control) or 'less'. */
  alternative?: Alternative;
}

export interface FrequentistResult {
  /** The lift, as in the effect estimate (absolute or relative). */
  estimate: number;
  /** Standard error of the lift. */
  se: number;
  /** 1 − α confidence interval; one-sided alternatives have an infinite bound. */
  ci: Interval;
  pValue: number;
  /** Degrees of freedom of the t reference distribution (Infinity = normal). */
  dof: number;
  alpha: number;
  alternative: Alternative;
}

/**
 * Welch's unequal-variance t-test of H₀: lift = 0 (Welch, 1947, Biometrika 34:28), on the effect's estimate,
 * standard error and Welch–Satterthwaite dof.
 *
 *   t = estimate / se
 *   p = 2·P(T_ν > |t|) (two-sided),  P(T_ν > t) (greater),  P(T_ν < t) (less)
 *   CI = estimate ± t_{1−α/2,ν}·se (two-sided);  [estimate − t_{1−α,ν}·se, ∞) (greater);
 *        (−∞, estimate + t_{1−α,ν}·se] (less)
 *
 * Tails and quantiles keep their relative precision far out (p-values down to 1e-300, α as small as needed),
 * see distributions.ts. A zero standard error (both arms constant) has no t statistic; the defined answer is
 * p = 1 if the estimate is 0 and otherwise p = 0 for the alternatives the estimate supports (1 for the other),
 * with the degenerate interval [estimate, estimate] (one-sided: the matching half-line).
 */
export function frequentistTest(effect: EffectEstimate, options: FrequentistOptions = {}): FrequentistResult {
  const alpha = options.alpha ?? 0.05;
  const alternative = options.alternative ?? 'two-sided';
  if (typeof alpha !== 'number' || !(alpha > 0 && alpha < 1)) {
    throw new StatsInputError('alpha', 'must be a number strictly between 0 and 1');
  }
  if (alternative !== 'two-sided' && alternative !== 'greater' && alternative !== 'less') {
    throw new StatsInputError('alternative', "must be 'two-sided', 'greater' or 'less'");
  }
  if (typeof effect !== 'object' || effect === null)
    throw new StatsInputError('effect', 'must be an effect estimate');
  const { estimate, se, dof } = effect;
  if (typeof estimate !== 'number' || !Number.isFinite(estimate)) {
    throw new StatsInputError('effect.estimate', 'must be a finite number');
  }
  if (typeof se !== 'number' || !Number.isFinite(se) || se < 0) {
    throw new StatsInputError('effect.se', 'must be a finite, non-negative number');
  }
  if (typeof dof !== 'number' || !(dof > 0)) {
    throw new StatsInputError('effect.dof', 'must be a positive number (Infinity for the normal)');
  }

  let pValue: number;
  let ci: Interval;
  if (se === 0) {
    const supports = (alt: Alternative): boolean =>
      alt === 'two-sided' ? estimate !== 0 : alt === 'greater' ? estimate > 0 : estimate < 0;
    pValue = estimate === 0 ? 1 : supports(alternative) ? 0 : 1;
    ci =
      alternative === 'two-sided'
        ? [estimate, estimate]
        : alternative === 'greater'
          ? [estimate, Infinity]
          : [-Infinity, estimate];
  } else {
    const t = estimate / se;
    if (alternative === 'two-sided') {
      pValue = Math.min(1, 2 * studentTSurvival(Math.abs(t), dof));
      const width = studentTInverseSurvival(alpha / 2, dof) * se;
      ci = [estimate - width, estimate + width];
    } else if (alternative === 'greater') {
      pValue = studentTSurvival(t, dof);
      ci = [estimate - studentTInverseSurvival(alpha, dof) * se, Infinity];
    } else {
      pValue = studentTCdf(t, dof);
      ci = [-Infinity, estimate + studentTInverseSurvival(alpha, dof) * se];
    }
  }
  return { estimate, se, ci, pValue, dof, alpha, alternative };
}
