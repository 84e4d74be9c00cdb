/**
 * Shifted-beta-geometric (sBG) model of contract renewals (Fader & Hardie, "How to Project Customer
 * Retention", Journal of Interactive Marketing 21(1), 2007): at the end of each period an active subscriber
 * cancels with probability θ, constant for her and Beta(α, β) across subscribers. Retention then rises over
 * time, as the customers most likely to churn leave first.
 */
import { effectiveMonthlyRate, type CashFlowPeriod } from '../money';
import { StatsInputError } from '../types';
import { checkParameters } from './customers';
import { outOfRange, runFit, startsFrom, type ClvFitDiagnostics, type ClvFitOptions } from './fit';
import { hypergeometricSeries } from './special';

export interface SbgParams {
  /** Beta(α, β) distribution of the per-period churn probability. */
  alpha: number;
  beta: number;
}

export type SbgFit = SbgParams & ClvFitDiagnostics;

export interface SbgRetentionCurve {
  /** S(t) for t = 0..periods: share of the cohort still subscribed after t renewal opportunities; S(0) = 1. */
  survival: number[];
  /** r(t) = S(t)/S(t−1) = (β + t − 1)/(α + β + t − 1) for t = 1..periods. */
  retentionRate: number[];
  /** P(T = t) = S(t−1) − S(t): share of the cohort churning at the end of period t, t = 1..periods. */
  churnProbability: number[];
}

export interface SbgDiscountOptions {
  /** Annual effective discount rate ≥ 0 (0.10 = 10%). */
  annualRate: number;
  /** Length of one renewal period. Default 'year'; 'month' uses the effective monthly rate (1 + r)^(1/12) − 1. */
  period?: CashFlowPeriod;
}

const NAMES = ['alpha', 'beta'] as const;

function checkSurvivors(survivors: readonly number[]): void {
  if (!Array.isArray(survivors) || survivors.length < 3) {
    throw new StatsInputError(
      'survivorsByPeriod',
      'needs the cohort size and at least two later periods (three values) to separate α from β',
    );
  }
  survivors.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new StatsInputError(`survivorsByPeriod[${i}]`, 'must be a finite number of customers ≥ 0');
    }
    if (i > 0 && v > (survivors[i - 1] as number)) {
      throw new StatsInputError(
        `survivorsByPeriod[${i}]`,
        'must not exceed the previous period (no re-entry)',
      );
    }
  });
  if (!((survivors[0] as number) > 0)) {
    throw new StatsInputError('survivorsByPeriod[0]', 'must be a cohort of more than 0 customers');
  }
  if (survivors[survivors.length - 1] === survivors[0]) {
    throw new StatsInputError('survivorsByPeriod', 'needs some customers to churn for churn to be estimated');
  }
}

/**
 * Log-likelihood and gradient in (α, β) (Fader & Hardie 2007, appendix B):
 *   LL = Σ_{t=1}^{k} (n_{t−1} − n_t) ln P(T = t) + n_k ln S(k),
 * with P(T=1) = α/(α+β), P(T=t) = P(T=t−1)(β+t−2)/(α+β+t−1), S(t) = S(t−1)(β+t−1)/(α+β+t−1).
 */
function evaluate(
  survivors: readonly number[],
  alpha: number,
  beta: number,
  gradient: Float64Array | null,
): number {
  let logP = Math.log(alpha) - Math.log(alpha + beta);
  let dPa = 1 / alpha - 1 / (alpha + beta);
  let dPb = -1 / (alpha + beta);
  let logS = 0;
  let dSa = 0;
  let dSb = 0;
  let ll = 0;
  let ga = 0;
  let gb = 0;
  const k = survivors.length - 1;
  for (let t = 1; t <= k; t++) {
    if (t > 1) {
      logP += Math.log(beta + t - 2) - Math.log(alpha + beta + t - 1);
      dPa -= 1 / (alpha + beta + t - 1);
      dPb += 1 / (beta + t - 2) - 1 / (alpha + beta + t - 1);
    }
    logS += Math.log(beta + t - 1) - Math.log(alpha + beta + t - 1);
    dSa -= 1 / (alpha + beta + t - 1);
    dSb += 1 / (beta + t - 1) - 1 / (alpha + beta + t - 1);
    const lost = (survivors[t - 1] as number) - (survivors[t] as number);
    if (lost > 0) {
      ll += lost * logP;
      ga += lost * dPa;
      gb += lost * dPb;
    }
  }
  const stayed = survivors[k] as number;
  if (stayed > 0) {
    ll += stayed * logS;
    ga += stayed * dSa;
    gb += stayed * dSb;
  }
  if (gradient !== null) {
    gradient[0] = ga;
    gradient[1] = gb;
  }
  return ll;
}

/**
 * Maximum-likelihood fit of the sBG model to one cohort's survivors: survivorsByPeriod[0] customers at the
 * start, survivorsByPeriod[t] still subscribed after t renewal opportunities (counts, or percentages of a
 * cohort: only proportions and the total weight matter). BFGS on (ln α, ln β) with the analytic gradient
 * from α = β = 1. On the two cohorts of Fader & Hardie (2007), seven years each, it reproduces
 * α = 0.704, β = 1.182 (regular) and α = 0.668, β = 3.806 (high end).
 */
export function fitShiftedBetaGeometric(
  survivorsByPeriod: readonly number[],
  options: ClvFitOptions = {},
): SbgFit {
  checkSurvivors(survivorsByPeriod);
  const total = survivorsByPeriod[0] as number;
  const starts = startsFrom(options, NAMES, [
    [1, 1],
    [0.3, 3],
    [3, 10],
  ]);
  const grad = new Float64Array(2);
  const result = runFit(
    (theta, gradient) => {
      if (outOfRange(theta)) return Infinity;
      const alpha = Math.exp(theta[0] as number);
      const beta = Math.exp(theta[1] as number);
      const ll = evaluate(survivorsByPeriod, alpha, beta, grad);
      gradient[0] = (-(grad[0] as number) * alpha) / total;
      gradient[1] = (-(grad[1] as number) * beta) / total;
      return Number.isFinite(ll) ? -ll / total : Infinity;
    },
    starts,
    options,
  );
  const [alpha, beta] = Array.from(result.theta, Math.exp) as [number, number];
  return {
    alpha,
    beta,
    logLikelihood: -result.value * total,
    converged: result.converged,
    iterations: result.iterations,
    customers: total,
  };
}

function checkPeriods(field: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) throw new StatsInputError(field, 'must be a whole number ≥ 0');
}

/**
 * Survival, retention and churn curves of the sBG model for t = 0..periods (Fader & Hardie 2007):
 *   S(t) = B(α, β + t)/B(α, β),   r(t) = (β + t − 1)/(α + β + t − 1),   P(T = t) = B(α+1, β+t−1)/B(α, β),
 * built by the recursions S(t) = S(t−1) r(t) and P(T = t) = S(t−1)(1 − r(t)).
 */
export function sbgRetentionCurve(params: SbgParams, periods: number): SbgRetentionCurve {
  checkParameters(params, NAMES);
  checkPeriods('periods', periods);
  const { alpha, beta } = params;
  const survival = [1];
  const retentionRate: number[] = [];
  const churnProbability: number[] = [];
  let s = 1;
  for (let t = 1; t <= periods; t++) {
    const r = (beta + t - 1) / (alpha + beta + t - 1);
    churnProbability.push((s * alpha) / (alpha + beta + t - 1));
    s *= r;
    retentionRate.push(r);
    survival.push(s);
  }
  return { survival, retentionRate, churnProbability };
}

/**
 * Expected lifetime in periods, counting the first: E[T] = Σ_{t≥0} S(t) = (α + β − 1)/(α − 1) for α > 1
 * (the mean of 1/θ under Beta(α, β)). For α ≤ 1 the mean is infinite (a heavy tail of near-permanent
 * subscribers) and Infinity is returned: use the discounted lifetime instead, which is always finite.
 */
export function sbgExpectedLifetime(params: SbgParams): number {
  checkParameters(params, NAMES);
  const { alpha, beta } = params;
  return alpha > 1 ? (alpha + beta - 1) / (alpha - 1) : Infinity;
}

function discountPerPeriod(options: SbgDiscountOptions): number {
  if (typeof options !== 'object' || options === null) {
    throw new StatsInputError('options', 'must give annualRate (and optionally period)');
  }
  const period = options.period ?? 'year';
  if (period !== 'year' && period !== 'month')
    throw new StatsInputError('period', "must be 'year' or 'month'");
  const rate = options.annualRate;
  if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0) {
    throw new StatsInputError('annualRate', 'must be a finite rate ≥ 0');
  }
  return period === 'month' ? effectiveMonthlyRate(rate) : rate;
}

/**
 * ₂F₁(1, b; c; ρ) with c − b = α. At ρ = 1 (no discounting) the series is Gauss's sum (c − 1)/(c − b − 1)
 * (A&S 15.1.20) when α > 1, and diverges otherwise.
 */
function unitSeries(b: number, c: number, rho: number): number {
  if (rho < 1) return hypergeometricSeries(1, b, c, rho);
  return c - b > 1 ? (c - 1) / (c - b - 1) : Infinity;
}

/**
 * Discounted expected lifetime of a new subscriber, in periods, with one payment at the start of each
 * period while subscribed (Fader & Hardie, "Customer-Base Valuation in a Contractual Setting: The Perils of
 * Ignoring Heterogeneity", Marketing Science 29(1), 2010):
 *   DEL = Σ_{t≥0} S(t)/(1+d)^t = ₂F₁(1, β; α + β; 1/(1 + d)),
 * d the discount rate per period. Multiplied by the margin per period it is the expected CLV of a new
 * subscriber. With d = 0 it is the expected lifetime (Infinity when α ≤ 1).
 */
export function sbgDiscountedExpectedLifetime(params: SbgParams, options: SbgDiscountOptions): number {
  checkParameters(params, NAMES);
  const d = discountPerPeriod(options);
  return unitSeries(params.beta, params.alpha + params.beta, 1 / (1 + d));
}

/**
 * Discounted expected residual lifetime of a subscriber who has renewed `renewals` times (n − 1 = renewals,
 * so she is in period n), valued at the end of period n just before her next renewal decision: the renewal
 * payment, if made, counts in full, later ones discounted (Fader & Hardie 2010):
 *   DERL = Σ_{t≥n} [S(t)/S(n−1)] / (1+d)^{t−n} = (β + n − 1)/(α + β + n − 1) · ₂F₁(1, β + n; α + β + n; 1/(1 + d)).
 * It rises with tenure: those who have stayed long are the least likely to churn. Times the margin per
 * period it is the residual value of an existing subscriber.
 */
export function sbgDiscountedExpectedResidualLifetime(
  params: SbgParams,
  renewals: number,
  options: SbgDiscountOptions,
): number {
  checkParameters(params, NAMES);
  checkPeriods('renewals', renewals);
  const d = discountPerPeriod(options);
  const { alpha, beta } = params;
  const n = renewals + 1;
  return ((beta + n - 1) / (alpha + beta + n - 1)) * unitSeries(beta + n, alpha + beta + n, 1 / (1 + d));
}
