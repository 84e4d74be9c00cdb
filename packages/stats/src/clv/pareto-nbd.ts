/**
 * Pareto/NBD model (Schmittlein, Morrison & Colombo, "Counting Your Customers: Who Are They and What Will
 * They Do Next?", Management Science 33(1), 1987): while active a customer buys as a Poisson process with
 * rate λ ~ Gamma(r, α) and stays active for an exponential lifetime with rate μ ~ Gamma(s, β). Expressions
 * follow Fader & Hardie, "A Note on Deriving the Pareto/NBD Model and Related Expressions" (2005).
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
import { withNumericalGradient } from './optimize';
import { hypergeometricSeries } from './special';

export interface ParetoNbdParams {
  /** Shape and scale (rate parameter) of the Gamma distribution of purchase rates. */
  r: number;
  alpha: number;
  /** Shape and scale of the Gamma distribution of drop-out rates. */
  s: number;
  beta: number;
}

export type ParetoNbdFit = ParetoNbdParams & ClvFitDiagnostics;

const NAMES = ['r', 'alpha', 's', 'beta'] as const;

/**
 * ln of Fader & Hardie's A₀ term, one endpoint y at a time. With α ≥ β,
 *   ₂F₁(r+s+x, s+1; r+s+x+1; (α−β)/(α+y)) / (α+y)^{r+s+x} = G(y) · (α+y)^{−(r+x)} (β+y)^{−s},
 *   G(y) = ₂F₁(1, r+x; r+s+x+1; (α−β)/(α+y)),
 * by Euler's transformation (A&S 15.3.3); with α < β,
 *   ₂F₁(r+s+x, r+x; r+s+x+1; (β−α)/(β+y)) / (β+y)^{r+s+x} = H(y) · (α+y)^{1−r−x} (β+y)^{−s−1},
 *   H(y) = ₂F₁(1, s+1; r+s+x+1; (β−α)/(β+y)).
 * G and H have positive terms falling faster than zⁿ, so the sum is accurate and never overflows.
 */
function logEndpoint(r: number, alpha: number, s: number, beta: number, x: number, y: number): number {
  const ay = alpha + y;
  const by = beta + y;
  if (alpha >= beta) {
    const g = hypergeometricSeries(1, r + x, r + s + x + 1, (alpha - beta) / ay);
    return Math.log(g) - (r + x) * Math.log(ay) - s * Math.log(by);
  }
  const h = hypergeometricSeries(1, s + 1, r + s + x + 1, (beta - alpha) / by);
  return Math.log(h) + (1 - r - x) * Math.log(ay) - (s + 1) * Math.log(by);
}

/** Scratch for {@link logParts}: [alive, dead], so the per-customer loop allocates nothing. */
const parts = new Float64Array(2);

/**
 * ln of the two parts of the Pareto/NBD likelihood, without the common factor Γ(r+x)αʳβˢ/Γ(r), into `parts`:
 *   alive  = −(r+x) ln(α+T) − s ln(β+T)                  (still active at T)
 *   dead   = ln(s/(r+s+x)) + ln(A₀(tₓ) − A₀(T))          (dropped out between tₓ and T; −∞ when tₓ = T)
 */
function logParts(r: number, alpha: number, s: number, beta: number, x: number, tx: number, T: number): void {
  parts[0] = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
  parts[1] = -Infinity;
  if (!(tx < T)) return;
  const upper = logEndpoint(r, alpha, s, beta, x, tx);
  const lower = logEndpoint(r, alpha, s, beta, x, T);
  const diff = -Math.expm1(lower - upper);
  if (diff > 0) parts[1] = Math.log(s / (r + s + x)) + upper + Math.log(diff);
}

function logAddExp(u: number, v: number): number {
  if (u === -Infinity) return v;
  if (v === -Infinity) return u;
  return u > v ? u + Math.log1p(Math.exp(v - u)) : v + Math.log1p(Math.exp(u - v));
}

function logLikelihoodOf(data: GroupedCustomers, r: number, alpha: number, s: number, beta: number): number {
  const lgR = logGamma(r);
  const head = r * Math.log(alpha) + s * Math.log(beta);
  const lgX = new Float64Array(data.xValues.length);
  for (let k = 0; k < lgX.length; k++) lgX[k] = logGamma(r + (data.xValues[k] as number)) - lgR;
  let ll = 0;
  for (let g = 0; g < data.groups; g++) {
    const x = data.x[g] as number;
    const tx = data.txValues[data.txIndex[g] as number] as number;
    const T = data.TValues[data.TIndex[g] as number] as number;
    logParts(r, alpha, s, beta, x, tx, T);
    const parted = logAddExp(parts[0] as number, parts[1] as number);
    ll += (data.weight[g] as number) * ((lgX[data.xIndex[g] as number] as number) + head + parted);
  }
  return ll;
}

/**
 * Pareto/NBD log-likelihood of a set of customers (Fader & Hardie 2005 note, summed over customers):
 *   L = Γ(r+x)αʳβˢ/Γ(r) · [1/((α+T)^{r+x}(β+T)ˢ) + s/(r+s+x) · A₀],
 *   A₀ = ₂F₁(r+s+x, s+1; r+s+x+1; (α−β)/(α+tₓ))/(α+tₓ)^{r+s+x} − (the same at T)   for α ≥ β,
 * and the mirrored form with ₂F₁(r+s+x, r+x; …; (β−α)/(β+·)) for α < β.
 */
export function paretoNbdLogLikelihood(params: ParetoNbdParams, customers: CustomerRfmInput): number {
  checkParameters(params, NAMES);
  return logLikelihoodOf(groupCustomers(customers), params.r, params.alpha, params.s, params.beta);
}

/**
 * Maximum-likelihood fit of the Pareto/NBD model. BFGS on (ln r, ln α, ln s, ln β) with a central-difference
 * gradient (the analytic one needs derivatives of ₂F₁ in its parameters), from r = s = 1, α = ΣT/Σx,
 * β = ΣT/n, with fallback starts if that one does not converge. On the CDNOW sample it reproduces r = 0.553,
 * α = 10.578, s = 0.606, β = 11.669, LL = −9595.0 (Fader, Hardie & Lee 2005).
 */
export function fitParetoNbd(customers: CustomerRfmInput, options: ClvFitOptions = {}): ParetoNbdFit {
  const data = groupCustomers(customers);
  if (!(data.repeatPurchases > 0)) {
    throw new StatsInputError(
      'customers',
      'needs at least one repeat purchase (x > 0) to estimate the model',
    );
  }
  const total = data.customers;
  const scale = data.exposure / data.repeatPurchases;
  const meanT = data.exposure / total;
  const starts = startsFrom(options, NAMES, [
    [1, scale, 1, meanT],
    [0.5, scale / 4, 0.5, meanT / 4],
    [2, scale * 4, 2, meanT * 4],
  ]);
  const objective = withNumericalGradient((theta) => {
    if (outOfRange(theta)) return Infinity;
    const ll = logLikelihoodOf(
      data,
      Math.exp(theta[0] as number),
      Math.exp(theta[1] as number),
      Math.exp(theta[2] as number),
      Math.exp(theta[3] as number),
    );
    return Number.isFinite(ll) ? -ll / total : Infinity;
  });
  const result = runFit(objective, starts, options);
  const [r, alpha, s, beta] = Array.from(result.theta, Math.exp) as [number, number, number, number];
  return {
    r,
    alpha,
    s,
    beta,
    logLikelihood: -result.value * total,
    converged: result.converged,
    iterations: result.iterations,
    customers: total,
  };
}

/**
 * Probability that a customer with history (x, tₓ, T) is still active at T (Fader & Hardie 2005 note):
 * P(alive) = 1 / (1 + s/(r+s+x) · (α+T)^{r+x}(β+T)ˢ · A₀), computed as the share of the "alive" part in the
 * likelihood.
 */
export function paretoNbdProbabilityAlive(params: ParetoNbdParams, x: number, tx: number, T: number): number {
  checkParameters(params, NAMES);
  checkCustomer(x, tx, T);
  return aliveUnchecked(params, x, tx, T);
}

function aliveUnchecked(params: ParetoNbdParams, x: number, tx: number, T: number): number {
  logParts(params.r, params.alpha, params.s, params.beta, x, tx, T);
  const alive = parts[0] as number;
  const dead = parts[1] as number;
  return dead === -Infinity ? 1 : 1 / (1 + Math.exp(dead - alive));
}

/** (1 − (1+u)^{−k})/k, with its limit ln(1+u) at k = 0. */
function powerIntegral(k: number, u: number): number {
  const l = Math.log1p(u);
  return k === 0 ? l : -Math.expm1(-k * l) / k;
}

/** E[Y(t) | x, tₓ, T] without input checks. */
export function paretoNbdExpectedUnchecked(
  params: ParetoNbdParams,
  t: number,
  x: number,
  tx: number,
  T: number,
): number {
  if (t === 0) return 0;
  const { r, alpha, s, beta } = params;
  return (
    (((r + x) * (beta + T)) / (alpha + T)) *
    powerIntegral(s - 1, t / (beta + T)) *
    aliveUnchecked(params, x, tx, T)
  );
}

/**
 * Expected number of purchases in (T, T + t] of a customer with history (x, tₓ, T) (Schmittlein et al.
 * 1987; Fader & Hardie 2005 note):
 *   E[Y(t) | x, tₓ, T] = (r+x)(β+T) / ((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^{s−1}] · P(alive),
 * with the limit (r+x)(β+T)/(α+T) · ln(1 + t/(β+T)) · P(alive) at s = 1.
 */
export function paretoNbdExpectedPurchases(
  params: ParetoNbdParams,
  t: number,
  x: number,
  tx: number,
  T: number,
): number {
  checkParameters(params, NAMES);
  checkHorizon(t);
  checkCustomer(x, tx, T);
  return paretoNbdExpectedUnchecked(params, t, x, tx, T);
}

/**
 * Expected number of repeat purchases in (0, t] of a new customer (Schmittlein et al. 1987):
 *   E[X(t)] = rβ/(α(s−1)) · [1 − (β/(β+t))^{s−1}],   rβ/α · ln(1 + t/β) at s = 1.
 */
export function paretoNbdExpectedPurchasesNew(params: ParetoNbdParams, t: number): number {
  checkParameters(params, NAMES);
  checkHorizon(t);
  return ((params.r * params.beta) / params.alpha) * powerIntegral(params.s - 1, t / params.beta);
}
