/**
 * BG/NBD model of repeat purchasing in a non-contractual setting (Fader, Hardie & Lee, "Counting Your
 * Customers the Easy Way: An Alternative to the Pareto/NBD Model", Marketing Science 24(2), 2005):
 * while active a customer buys as a Poisson process with rate λ ~ Gamma(r, α); after each purchase he drops
 * out with probability p ~ Beta(a, b).
 */
import { logGamma } from '../distributions';
import { StatsInputError } from '../types';
import {
  checkCustomer,
  checkHorizon,
  checkParameters,
  groupCustomers,
  type CustomerRfmInput,
  type GroupedCustomers,
} from './customers';
import { outOfRange, runFit, startsFrom, type ClvFitDiagnostics, type ClvFitOptions } from './fit';
import { digamma } from './special';

export interface BgNbdParams {
  /** Shape of the Gamma distribution of purchase rates. */
  r: number;
  /** Scale of the purchase rates, in the time unit of the data (rate λ ~ Gamma(r, rate α)). */
  alpha: number;
  /** Beta(a, b) distribution of the drop-out probability after each purchase. */
  a: number;
  b: number;
}

export type BgNbdFit = BgNbdParams & ClvFitDiagnostics;

const NAMES = ['r', 'alpha', 'a', 'b'] as const;
const SERIES_EPS = 1e-16;
const MAX_TERMS = 2_000_000;

/**
 * Log-likelihood of grouped customers and its gradient in (r, α, a, b) (Fader, Hardie & Lee 2005, §3):
 *   L = B(a, b+x)/B(a, b) · Γ(r+x)αʳ/(Γ(r)(α+T)^{r+x})
 *       + δ_{x>0} B(a+1, b+x−1)/B(a, b) · Γ(r+x)αʳ/(Γ(r)(α+tₓ)^{r+x})
 * written as ln L = A₁ + ln(e^{A₂} + δ e^{A₃}). Terms depending on x alone, T alone or tₓ alone are computed
 * once per distinct value, so a group costs one exp and one log1p.
 */
class BgNbdLikelihood {
  private readonly a1: Float64Array;
  private readonly a1r: Float64Array;
  private readonly l2: Float64Array;
  private readonly l2a: Float64Array;
  private readonly l2b: Float64Array;
  private readonly l3: Float64Array;
  private readonly l3a: Float64Array;
  private readonly l3b: Float64Array;
  private readonly logT: Float64Array;
  private readonly invT: Float64Array;
  private readonly logTx: Float64Array;
  private readonly invTx: Float64Array;
  /** ∂ln L/∂(r, α, a, b) after `evaluate(…, true)`. */
  readonly gradient = new Float64Array(4);

  constructor(private readonly data: GroupedCustomers) {
    const nx = data.xValues.length;
    this.a1 = new Float64Array(nx);
    this.a1r = new Float64Array(nx);
    this.l2 = new Float64Array(nx);
    this.l2a = new Float64Array(nx);
    this.l2b = new Float64Array(nx);
    this.l3 = new Float64Array(nx);
    this.l3a = new Float64Array(nx);
    this.l3b = new Float64Array(nx);
    this.logT = new Float64Array(data.TValues.length);
    this.invT = new Float64Array(data.TValues.length);
    this.logTx = new Float64Array(data.txValues.length);
    this.invTx = new Float64Array(data.txValues.length);
  }

  evaluate(r: number, alpha: number, a: number, b: number, withGradient: boolean): number {
    const d = this.data;
    const lnAlpha = Math.log(alpha);
    const lgR = logGamma(r);
    const lgB = logGamma(b);
    const lgAB = logGamma(a + b);
    const psiR = withGradient ? digamma(r) : 0;
    const psiB = withGradient ? digamma(b) : 0;
    const psiAB = withGradient ? digamma(a + b) : 0;
    const lnA = Math.log(a);
    for (let k = 0; k < d.xValues.length; k++) {
      const x = d.xValues[k] as number;
      const lgABX = logGamma(a + b + x);
      this.a1[k] = logGamma(r + x) - lgR + r * lnAlpha;
      this.l2[k] = (x === 0 ? 0 : logGamma(b + x) - lgB) - lgABX + lgAB;
      if (x > 0) this.l3[k] = lnA + (x === 1 ? 0 : logGamma(b + x - 1) - lgB) - lgABX + lgAB;
      if (withGradient) {
        const psiABX = digamma(a + b + x);
        this.a1r[k] = digamma(r + x) - psiR + lnAlpha;
        this.l2a[k] = psiAB - psiABX;
        this.l2b[k] = (x === 0 ? 0 : digamma(b + x) - psiB) + psiAB - psiABX;
        if (x > 0) {
          this.l3a[k] = 1 / a + psiAB - psiABX;
          this.l3b[k] = (x === 1 ? 0 : digamma(b + x - 1) - psiB) + psiAB - psiABX;
        }
      }
    }
    for (let j = 0; j < d.TValues.length; j++) {
      const v = alpha + (d.TValues[j] as number);
      this.logT[j] = Math.log(v);
      this.invT[j] = 1 / v;
    }
    for (let j = 0; j < d.txValues.length; j++) {
      const v = alpha + (d.txValues[j] as number);
      this.logTx[j] = Math.log(v);
      this.invTx[j] = 1 / v;
    }
    let ll = 0;
    let gr = 0;
    let gAlpha = 0;
    let ga = 0;
    let gb = 0;
    const rOverAlpha = r / alpha;
    for (let g = 0; g < d.groups; g++) {
      const w = d.weight[g] as number;
      const k = d.xIndex[g] as number;
      const x = d.x[g] as number;
      const rx = r + x;
      const tIdx = d.TIndex[g] as number;
      const lt = this.logT[tIdx] as number;
      const a2 = (this.l2[k] as number) - rx * lt;
      if (x === 0) {
        ll += w * ((this.a1[k] as number) + a2);
        if (withGradient) {
          gr += w * ((this.a1r[k] as number) - lt);
          gAlpha += w * (rOverAlpha - rx * (this.invT[tIdx] as number));
          ga += w * (this.l2a[k] as number);
          gb += w * (this.l2b[k] as number);
        }
        continue;
      }
      const xIdx = d.txIndex[g] as number;
      const ltx = this.logTx[xIdx] as number;
      const a3 = (this.l3[k] as number) - rx * ltx;
      let lse: number;
      let w3: number;
      if (a3 > a2) {
        const e = Math.exp(a2 - a3);
        lse = a3 + Math.log1p(e);
        w3 = 1 / (1 + e);
      } else {
        const e = Math.exp(a3 - a2);
        lse = a2 + Math.log1p(e);
        w3 = e / (1 + e);
      }
      ll += w * ((this.a1[k] as number) + lse);
      if (withGradient) {
        const w2 = 1 - w3;
        gr += w * ((this.a1r[k] as number) - w2 * lt - w3 * ltx);
        gAlpha +=
          w * (rOverAlpha - rx * (w2 * (this.invT[tIdx] as number) + w3 * (this.invTx[xIdx] as number)));
        ga += w * (w2 * (this.l2a[k] as number) + w3 * (this.l3a[k] as number));
        gb += w * (w2 * (this.l2b[k] as number) + w3 * (this.l3b[k] as number));
      }
    }
    this.gradient[0] = gr;
    this.gradient[1] = gAlpha;
    this.gradient[2] = ga;
    this.gradient[3] = gb;
    return ll;
  }
}

/**
 * BG/NBD log-likelihood of a set of customers at given parameters (Fader, Hardie & Lee 2005, summed over
 * customers), for comparing fits or models on the same data.
 */
export function bgNbdLogLikelihood(params: BgNbdParams, customers: CustomerRfmInput): number {
  checkParameters(params, NAMES);
  const likelihood = new BgNbdLikelihood(groupCustomers(customers));
  return likelihood.evaluate(params.r, params.alpha, params.a, params.b, false);
}

/**
 * Maximum-likelihood fit of the BG/NBD model (Fader, Hardie & Lee 2005) to per-customer (x, tₓ, T).
 *
 * BFGS on (ln r, ln α, ln a, ln b) with the analytic gradient (∂/∂r of ln Γ(r+x) is the digamma function
 * ψ(r+x), and so on), maximising the mean log-likelihood per customer until its gradient is below 1e-8.
 * Identical (x, tₓ, T) are grouped first; each evaluation then costs one exp and one log1p per distinct
 * triple. Start: r = 1, α = ΣT/Σx (the mean time per repeat purchase), a = b = 1, with two more starts tried
 * only if the first does not converge. On the CDNOW sample it reproduces r = 0.243, α = 4.414, a = 0.793,
 * b = 2.426, LL = −9582.4 (Fader, Hardie & Lee 2005).
 */
export function fitBgNbd(customers: CustomerRfmInput, options: ClvFitOptions = {}): BgNbdFit {
  const data = groupCustomers(customers);
  if (!(data.repeatPurchases > 0)) {
    throw new StatsInputError(
      'customers',
      'needs at least one repeat purchase (x > 0) to estimate the model',
    );
  }
  const likelihood = new BgNbdLikelihood(data);
  const total = data.customers;
  const scale = data.exposure / data.repeatPurchases;
  const starts = startsFrom(options, NAMES, [
    [1, scale, 1, 1],
    [0.5, scale / 4, 0.5, 2],
    [2, scale * 4, 2, 4],
  ]);
  const result = runFit(
    (theta, gradient) => {
      if (outOfRange(theta)) return Infinity;
      const r = Math.exp(theta[0] as number);
      const alpha = Math.exp(theta[1] as number);
      const a = Math.exp(theta[2] as number);
      const b = Math.exp(theta[3] as number);
      const ll = likelihood.evaluate(r, alpha, a, b, true);
      const g = likelihood.gradient;
      gradient[0] = (-(g[0] as number) * r) / total;
      gradient[1] = (-(g[1] as number) * alpha) / total;
      gradient[2] = (-(g[2] as number) * a) / total;
      gradient[3] = (-(g[3] as number) * b) / total;
      return Number.isFinite(ll) ? -ll / total : Infinity;
    },
    starts,
    options,
  );
  const [r, alpha, a, b] = Array.from(result.theta, Math.exp) as [number, number, number, number];
  return {
    r,
    alpha,
    a,
    b,
    logLikelihood: -result.value * total,
    converged: result.converged,
    iterations: result.iterations,
    customers: total,
  };
}

/**
 * Probability that a customer with history (x, tₓ, T) is still active at T (Fader, Hardie & Lee 2005):
 *   P(alive) = 1 / (1 + δ_{x>0} · a/(b + x − 1) · ((α + T)/(α + tₓ))^{r+x}),
 * so a customer without repeat purchases is alive with probability 1 (under BG/NBD drop-out only happens
 * right after a purchase).
 */
export function bgNbdProbabilityAlive(params: BgNbdParams, x: number, tx: number, T: number): number {
  checkParameters(params, NAMES);
  checkCustomer(x, tx, T);
  if (x === 0) return 1;
  const { r, alpha, a, b } = params;
  return 1 / (1 + Math.exp(Math.log(a / (b + x - 1)) + (r + x) * Math.log1p((T - tx) / (alpha + tx))));
}

/**
 * Σ_{n≥1} Tₙ with T₁ = p·z and Tₙ₊₁ = Tₙ (p+n)(q+n) z / ((C+n)(n+1)), i.e. (C/q)·(₂F₁(p, q; C; z) − 1) with
 * the factors C and q divided out, so a = 1 (q = 0) and a + b + x = 1 (C = 0) need no special case. Same
 * stopping rule as {@link hypergeometricSeries}.
 */
function scaledSeries(p: number, q: number, C: number, z: number): number {
  let term = p * z;
  let sum = term;
  if (term === 0) return 0;
  const stable = Math.max(0, -Math.min(p, q, C));
  for (let n = 1; n < MAX_TERMS; n++) {
    const ratio = (((p + n) * (q + n)) / ((C + n) * (n + 1))) * z;
    term *= ratio;
    if (term === 0) return sum;
    sum += term;
    if (n + 1 > stable) {
      const rho = Math.max(Math.abs(ratio), z);
      if (rho < 1 && (Math.abs(term) * rho) / (1 - rho) <= SERIES_EPS * Math.abs(sum)) return sum;
    }
  }
  throw new StatsInputError('t', 'the expected-purchases series did not converge (horizon far beyond T)');
}

/**
 * E[Y(t) | x, tₓ, T] without input checks (T = 0, x = 0 gives the unconditional E[X(t)]).
 *
 * The published formula (Fader, Hardie & Lee 2005) has the factor
 * ((α+T)/(α+T+t))^{r+x} ₂F₁(r+x, b+x; a+b+x−1; z), z = t/(α+T+t), whose
 * hypergeometric term grows like (1−z)^{a−1−r−x} (≈ 10¹¹⁰ for x = 100 and z = 0.92) while the power factor
 * shrinks as fast. Euler's transformation (A&S 15.3.3) cancels them exactly:
 *   (1−z)^{r+x} ₂F₁(r+x, b+x; C; z) = (1−z)^{a−1} ₂F₁(a+b−1−r, a−1; C; z),   C = a+b+x−1,
 * a series with small parameters whose terms fall like n^{a−2−r−x} zⁿ. Writing q = a − 1 and p = a + b − 1 − r,
 *   (C/q)[1 − (1−z)^q ₂F₁(p, q; C; z)] = C·(1 − (1−z)^q)/q − (1−z)^q·(C/q)(₂F₁ − 1),
 * both terms finite at q = 0 (the a → 1 limit of the published formula).
 */
export function bgNbdExpectedUnchecked(
  r: number,
  alpha: number,
  a: number,
  b: number,
  t: number,
  x: number,
  tx: number,
  T: number,
): number {
  if (t === 0) return 0;
  const q = a - 1;
  const C = a + b + x - 1;
  const p = a + b - 1 - r;
  const z = t / (alpha + T + t);
  const logOneMinusZ = -Math.log1p(t / (alpha + T));
  const powQ = Math.exp(q * logOneMinusZ);
  const head = q === 0 ? -logOneMinusZ : -Math.expm1(q * logOneMinusZ) / q;
  const numerator = C * head - powQ * scaledSeries(p, q, C, z);
  if (x === 0) return numerator;
  const odds = Math.exp(Math.log(a / (b + x - 1)) + (r + x) * Math.log1p((T - tx) / (alpha + tx)));
  return numerator / (1 + odds);
}

/**
 * Expected number of purchases in (T, T + t] of a customer with history (x, tₓ, T) (Fader, Hardie & Lee 2005):
 *   E[Y(t) | x, tₓ, T] = [(a+b+x−1)/(a−1)] · [1 − ((α+T)/(α+T+t))^{r+x} ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))]
 *                        / [1 + δ_{x>0} a/(b+x−1) ((α+T)/(α+tₓ))^{r+x}],
 * evaluated through Euler's transformation (see bgNbdExpectedUnchecked) so it stays finite for heavy buyers and
 * long horizons, and defined at a = 1 by continuity. t is in the time unit of the fit.
 */
export function bgNbdExpectedPurchases(
  params: BgNbdParams,
  t: number,
  x: number,
  tx: number,
  T: number,
): number {
  checkParameters(params, NAMES);
  checkHorizon(t);
  checkCustomer(x, tx, T);
  return bgNbdExpectedUnchecked(params.r, params.alpha, params.a, params.b, t, x, tx, T);
}

/**
 * Expected number of repeat purchases in (0, t] of a new customer, counted from the first purchase
 * (Fader, Hardie & Lee 2005): E[X(t)] = [(a+b−1)/(a−1)] · [1 − (α/(α+t))ʳ ₂F₁(r, b; a+b−1; t/(α+t))], evaluated
 * like {@link bgNbdExpectedPurchases}. Summed over a cohort's acquisition dates it forecasts repeat sales.
 */
export function bgNbdExpectedPurchasesNew(params: BgNbdParams, t: number): number {
  checkParameters(params, NAMES);
  checkHorizon(t);
  return bgNbdExpectedUnchecked(params.r, params.alpha, params.a, params.b, t, 0, 0, 0);
}
