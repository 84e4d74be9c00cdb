/**
 * Special functions the customer-lifetime-value models need and jstat lacks: the digamma function and the
 * Gauss hypergeometric function 2F1 for real arguments and z < 1.
 */
import { StatsInputError } from '../types';

/** Relative size below which a further series term no longer changes a double. */
const SERIES_EPS = 1e-16;
/**
 * Terms allowed before a series is declared non-convergent. The slowest case the models meet is z ≈ 0.999
 * (a horizon a thousand times the observation period), ≈ 4·10⁴ terms; 2·10⁶ leaves room without hanging.
 */
const MAX_TERMS = 2_000_000;

/** B₂ₖ/(2k) for k = 1..7: the asymptotic series of digamma (Abramowitz & Stegun 6.3.18). */
const DIGAMMA_COEFFICIENTS = [1 / 12, -1 / 120, 1 / 252, -1 / 240, 1 / 132, -691 / 32760, 1 / 12];

/**
 * Digamma ψ(x) = d ln Γ(x)/dx for x > 0: the recurrence ψ(x) = ψ(x + 1) − 1/x up to x ≥ 10, then the
 * asymptotic series ψ(x) = ln x − 1/(2x) − Σₖ B₂ₖ/(2k x^{2k}) (Abramowitz & Stegun 6.3.5 and 6.3.18), whose
 * truncation error at x ≥ 10 is below 1e-17. Absolute error ≈ 1e-15 (measured against mpmath in
 * fixtures/gen_clv.py). The gradients of the lifetime-value likelihoods are made of digamma differences.
 */
export function digamma(x: number): number {
  if (typeof x !== 'number' || !(x > 0) || !Number.isFinite(x)) {
    throw new StatsInputError('x', 'must be a positive, finite number');
  }
  let shift = 0;
  let y = x;
  while (y < 10) {
    shift += 1 / y;
    y += 1;
  }
  const r2 = 1 / (y * y);
  let series = 0;
  for (let k = DIGAMMA_COEFFICIENTS.length - 1; k >= 0; k--) {
    series = series * r2 + (DIGAMMA_COEFFICIENTS[k] as number);
  }
  return Math.log(y) - 0.5 / y - series * r2 - shift;
}

/**
 * The hypergeometric series Σₙ (a)ₙ(b)ₙ/((c)ₙ n!) zⁿ for |z| < 1, summed until the remainder is negligible.
 *
 * Stopping rule: once every factor a + n, b + n, c + n is positive (so no later term can be boosted out of a
 * near-zero factor) and the term ratio ρₙ is below 1, the remainder is bounded by |tₙ₊₁|·ρ/(1 − ρ) with
 * ρ = max(ρₙ, |z|), the limit the ratios tend to; the sum stops when that bound is below 1e-16 of the sum.
 * A terminating series (a or b a non-positive integer) stops at its last term. Throws rather than return a
 * truncated value when the series has not converged after {@link MAX_TERMS} terms.
 */
export function hypergeometricSeries(a: number, b: number, c: number, z: number): number {
  if (z === 0) return 1;
  const stable = Math.max(0, -Math.min(a, b, c));
  const absZ = Math.abs(z);
  let term = 1;
  let sum = 1;
  for (let n = 0; n < MAX_TERMS; n++) {
    const ratio = (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    term *= ratio;
    if (term === 0) return sum;
    sum += term;
    if (n + 1 > stable) {
      const rho = Math.max(Math.abs(ratio), absZ);
      if (rho < 1 && (Math.abs(term) * rho) / (1 - rho) <= SERIES_EPS * Math.abs(sum)) return sum;
    }
    if (!Number.isFinite(sum)) break;
  }
  throw new StatsInputError(
    'z',
    `the hypergeometric series 2F1(${a}, ${b}; ${c}; ${z}) did not converge (z too close to 1)`,
  );
}

function isNonPositiveInteger(v: number): boolean {
  return Number.isInteger(v) && v <= 0;
}

/**
 * Gauss hypergeometric function ₂F₁(a, b; c; z) = Σₙ (a)ₙ(b)ₙ/((c)ₙ n!) zⁿ for real a, b, c (c not zero or
 * a negative integer) and real z < 1.
 *
 * - 0 ≤ z < 1: the series, or, when a + b − c > 0 (terms growing like n^{a+b−c−1} zⁿ, slow and large near
 *   z = 1), Euler's transformation ₂F₁(a, b; c; z) = (1 − z)^{c−a−b} ₂F₁(c − a, c − b; c; z)
 *   (Abramowitz & Stegun 15.3.3), whose terms shrink like n^{c−a−b−1} zⁿ. A polynomial (a or b a
 *   non-positive integer) is always summed directly, exactly.
 * - z < 0: Pfaff's transformation ₂F₁(a, b; c; z) = (1 − z)^{−a} ₂F₁(a, c − b; c; z/(z − 1)) (A&S 15.3.4),
 *   with a and b swapped when that gives the faster series, maps z onto (0, 1).
 *
 * Near z = 1 the series needs about 36/(1 − z) terms; the function throws rather than return an
 * unconverged value (beyond 2·10⁶ terms, z > 0.99998). z ≥ 1 (the branch cut) is rejected. Relative error
 * ≈ 1e-14 on the cases of fixtures/gen_clv.py, which compares against mpmath and scipy.special.hyp2f1.
 */
export function hypergeometric2F1(a: number, b: number, c: number, z: number): number {
  for (const [field, value] of [
    ['a', a],
    ['b', b],
    ['c', c],
    ['z', z],
  ] as const) {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new StatsInputError(field, 'must be a finite number');
    }
  }
  if (isNonPositiveInteger(c)) throw new StatsInputError('c', 'must not be zero or a negative integer');
  if (!(z < 1)) throw new StatsInputError('z', 'must be below 1 (the series diverges on the branch cut)');
  return hypergeometricUnchecked(a, b, c, z);
}

function hypergeometricUnchecked(a: number, b: number, c: number, z: number): number {
  if (z < 0) {
    const w = z / (z - 1);
    // (1 − z)^{−a} F(a, c − b; c; w): terms grow like n^{a−b−1} wⁿ, so put the smaller parameter first.
    const [p, q] = a <= b ? [a, b] : [b, a];
    return Math.pow(1 - z, -p) * hypergeometricUnit(p, c - q, c, w);
  }
  return hypergeometricUnit(a, b, c, z);
}

/** ₂F₁ for 0 ≤ z < 1: direct series or Euler's transformation, whichever decays faster. */
function hypergeometricUnit(a: number, b: number, c: number, z: number): number {
  const polynomial = isNonPositiveInteger(a) || isNonPositiveInteger(b);
  const excess = c - a - b;
  if (polynomial || excess >= 0 || z === 0) return hypergeometricSeries(a, b, c, z);
  const series = hypergeometricSeries(c - a, c - b, c, z);
  return series * Math.exp(excess * Math.log1p(-z));
}
