import { normalCdf, normalPdf, normalQuantile } from './distributions';
import { type EffectEstimate, type Interval, StatsInputError } from './types';

/** Gaussian prior on the effect, in the effect's own units (absolute, or relative lift as a fraction). */
export interface GaussianPrior {
  mean: number;
  /** Must be > 0; leave the prior out for a flat one. */
  variance: number;
}

/** Options of {@link bayesianTest}. */
export interface BayesianOptions {
  /** Gaussian prior on the effect; default flat (improper), so the posterior is centred on the estimate. */
  prior?: GaussianPrior;
  /** The credible interval holds 1 − alpha of the posterior, alpha/2 in each tail. Default 0.05. */
  alpha?: number;
}

/** Posterior summary of the effect, in the effect's units (absolute, or relative lift as a fraction). */
export interface BayesianResult {
  /** Posterior mean. */
  estimate: number;
  /** Posterior standard deviation. */
  se: number;
  /** Equal-tailed credible interval. */
  ci: Interval;
  /** Posterior probability that the variant beats the holdout (effect > 0). */
  chanceToWin: number;
  /**
   * Expected loss of choosing each arm: control = E[max(δ, 0)] (what keeping the holdout experience
   * forgoes), treatment = E[max(−δ, 0)] (what shipping the variant loses).
   */
  risk: { control: number; treatment: number };
}

/**
 * Bayesian read-out of a treatment-vs-holdout effect: a normal model on the effect δ with likelihood
 * N(estimate, se²) and an optional Gaussian prior N(m, v) (conjugate update, Gelman et al., "Bayesian Data
 * Analysis", 3rd ed., §2.5):
 *   posterior precision 1/s² = 1/se² + 1/v,  posterior mean μ = s²·(estimate/se² + m/v);
 * with no prior, μ = estimate and s = se. This is the effect-level model GrowthBook's Bayesian engine uses.
 *
 *   chance to win       P(δ > 0) = Φ(μ/s)
 *   credible interval   μ ± s·Φ⁻¹(1 − α/2)
 *   risk of control     E[max(δ, 0)]  = s·ψ(μ/s)
 *   risk of treatment   E[max(−δ, 0)] = s·ψ(−μ/s),   ψ(z) = φ(z) + z·Φ(z)
 * (expected loss of choosing that arm, in the effect's units: Stucchio 2015, "Bayesian A/B Testing at VWO").
 * risk.control − risk.treatment = μ, and both are ≥ 0.
 *
 * A zero standard error means the data pin the effect exactly, whatever the prior: the posterior is a point
 * mass at the estimate (chance to win 1, 0, or 0.5 at exactly zero; risk max(±estimate, 0)).
 *
 * @throws StatsInputError for a non-finite estimate, a negative or non-finite se, alpha outside (0, 1), or a
 *   prior whose mean is not finite or whose variance is not a finite number > 0.
 */
export function bayesianTest(effect: EffectEstimate, options: BayesianOptions = {}): BayesianResult {
  const alpha = options.alpha ?? 0.05;
  const { prior } = options;
  const { estimate, se } = effect;

  if (!Number.isFinite(estimate)) throw new StatsInputError('effect.estimate', 'must be a finite number');
  if (!Number.isFinite(se) || se < 0) throw new StatsInputError('effect.se', 'must be a finite number >= 0');
  if (!(alpha > 0 && alpha < 1)) throw new StatsInputError('alpha', 'must be between 0 and 1 (exclusive)');
  if (prior !== undefined) {
    if (!Number.isFinite(prior.mean)) throw new StatsInputError('prior.mean', 'must be a finite number');
    if (!(prior.variance > 0) || !Number.isFinite(prior.variance)) {
      throw new StatsInputError(
        'prior.variance',
        'must be a finite number > 0 (leave the prior out for a flat one)',
      );
    }
  }

  let mean = estimate;
  let sd = se;
  if (prior !== undefined && se > 0) {
    // Precision weighting w = v/(v + se²) written through hypot, so neither a tiny nor a huge se
    // under- or overflows: w = a², 1 − w = b², posterior sd = √v·b = se·a.
    const priorSd = Math.sqrt(prior.variance);
    const r = Math.hypot(priorSd, se);
    const a = priorSd / r;
    const b = se / r;
    mean = estimate * a * a + prior.mean * b * b;
    sd = se * a;
  }

  const z = mean / sd;
  if (sd === 0 || !Number.isFinite(z)) {
    return {
      estimate: mean,
      se: 0,
      ci: [mean, mean],
      chanceToWin: mean > 0 ? 1 : mean < 0 ? 0 : 0.5,
      risk: { control: Math.max(mean, 0), treatment: Math.max(-mean, 0) },
    };
  }

  // Φ⁻¹(α/2) rather than Φ⁻¹(1 − α/2): 1 − α/2 rounds to 1 for very small α.
  const q = -normalQuantile(alpha / 2);
  return {
    estimate: mean,
    se: sd,
    ci: [mean - q * sd, mean + q * sd],
    chanceToWin: normalCdf(z),
    risk: { control: sd * partialExpectation(z), treatment: sd * partialExpectation(-z) },
  };
}

/**
 * ψ(z) = E[max(Z + z, 0)] = φ(z) + z·Φ(z) for standard normal Z.
 * For z ≤ −4 the two terms cancel to about φ(z)/z², so the difference is evaluated without subtraction:
 * with t = −z and Laplace's continued fraction for the Mills ratio Φ(−t)/φ(t) = 1/(t + 1/(t + 2/(t + …))),
 *   ψ(−t) = φ(t)·(1 − t·Φ(−t)/φ(t)) = φ(t) / (t·E + 1),   E = t + 2/(t + 3/(t + 4/(t + …)))
 * (Abramowitz & Stegun 26.2.14), evaluated by the modified Lentz method.
 */
function partialExpectation(z: number): number {
  const density = normalPdf(z);
  if (z > -4) return Math.max(0, density + z * normalCdf(z));
  if (density === 0) return 0;
  const t = -z;
  const tiny = 1e-300;
  let e = t;
  let c = e;
  let d = 0;
  for (let k = 2; k < 2000; k++) {
    d = t + k * d;
    d = d === 0 ? 1 / tiny : 1 / d;
    c = t + k / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    e *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return density / (t * e + 1);
}
