/**
 * Unconstrained minimisation for the maximum-likelihood fits of the lifetime-value models.
 *
 * Why BFGS and not a library: @liftlab/stats depends on jstat only (docs/architecture.md), and jstat has
 * no optimiser. The likelihoods here are smooth in the log-parameters and have two to four of them, the
 * setting where quasi-Newton methods shine: BFGS with a strong-Wolfe line search (Nocedal & Wright,
 * "Numerical Optimization", 2nd ed. 2006, Algorithms 3.5, 3.6 and 6.1) converges superlinearly in a few dozen
 * iterations where Nelder–Mead needs hundreds of evaluations and has no gradient-based stopping test. With
 * a million customers each evaluation is a pass over the data, so the count of evaluations is what matters.
 * Models supply an analytic gradient where it is cheap (BG/NBD, Gamma-Gamma, sBG); Pareto/NBD, whose
 * gradient would need derivatives of ₂F₁ in its parameters, uses central differences.
 */

/** Objective: returns f(θ) and writes ∇f(θ) into `gradient`. Return Infinity where θ is infeasible. */
export type ObjectiveWithGradient = (theta: Float64Array, gradient: Float64Array) => number;

export interface MinimizeOptions {
  /** Stop when every gradient component is at most this in absolute value. Default 1e-8. */
  gradientTolerance?: number;
  /** Default 200. */
  maxIterations?: number;
}

export interface MinimizeResult {
  theta: Float64Array;
  value: number;
  /** Largest absolute gradient component at `theta`. */
  gradientNorm: number;
  iterations: number;
  evaluations: number;
  /** True when the gradient test was met; false when iterations ran out or the line search failed. */
  converged: boolean;
}

const C1 = 1e-4;
const C2 = 0.9;
const MAX_LINE_SEARCH = 40;
/**
 * Relative change of f below which the sufficient-decrease test is left to the slope (Hager & Zhang's
 * approximate Wolfe conditions): near the optimum the decrease of a sum over thousands of customers sinks
 * into its rounding error, while the analytic slope is still accurate.
 */
const APPROXIMATE_WOLFE_EPS = 1e-10;

function dot(u: Float64Array, v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < u.length; i++) s += (u[i] as number) * (v[i] as number);
  return s;
}

function maxAbs(u: Float64Array): number {
  let m = 0;
  for (let i = 0; i < u.length; i++) m = Math.max(m, Math.abs(u[i] as number));
  return m;
}

/**
 * Minimises a smooth function by BFGS with a strong-Wolfe line search (Nocedal & Wright 2006, Alg. 6.1 with
 * the inverse-Hessian update (6.17), initial scaling (6.20), and line search Alg. 3.5/3.6 with safeguarded
 * cubic interpolation). Non-finite values are treated as "too far" and shrink the step. When a line search
 * fails the inverse Hessian is reset to a scaled identity once before giving up.
 */
export function minimizeBfgs(
  objective: ObjectiveWithGradient,
  start: ArrayLike<number>,
  options: MinimizeOptions = {},
): MinimizeResult {
  const n = start.length;
  const gtol = options.gradientTolerance ?? 1e-8;
  const maxIterations = options.maxIterations ?? 200;
  const x = Float64Array.from(start);
  const g = new Float64Array(n);
  let evaluations = 1;
  let f = objective(x, g);
  if (!Number.isFinite(f)) {
    return { theta: x, value: f, gradientNorm: Infinity, iterations: 0, evaluations, converged: false };
  }
  const H = new Float64Array(n * n);
  const resetH = (scale: number): void => {
    H.fill(0);
    for (let i = 0; i < n; i++) H[i * n + i] = scale;
  };
  resetH(1);
  let fresh = true;
  const p = new Float64Array(n);
  const xNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  const xTrial = new Float64Array(n);
  const gTrial = new Float64Array(n);
  const s = new Float64Array(n);
  const y = new Float64Array(n);
  const Hy = new Float64Array(n);

  // φ(t) = f(x + t p); evaluate into xTrial/gTrial and remember the best point meeting sufficient decrease.
  const phi = (t: number): { value: number; slope: number } => {
    for (let i = 0; i < n; i++) xTrial[i] = (x[i] as number) + t * (p[i] as number);
    evaluations++;
    const value = objective(xTrial, gTrial);
    return { value, slope: Number.isFinite(value) ? dot(gTrial, p) : NaN };
  };
  const accept = (value: number): number => {
    xNew.set(xTrial);
    gNew.set(gTrial);
    return value;
  };

  /**
   * Approximate Wolfe conditions (Hager & Zhang, SIAM J. Optim. 16(1), 2005): f within rounding of
   * f0 and σφ'(0) ≤ φ'(t) ≤ (2δ − 1)φ'(0).
   */
  const approximateWolfe = (f0: number, slope0: number, value: number, slope: number): boolean =>
    value <= f0 + APPROXIMATE_WOLFE_EPS * Math.abs(f0) &&
    slope >= C2 * slope0 &&
    slope <= (2 * C1 - 1) * slope0;

  /** Strong-Wolfe line search; returns the accepted value, or NaN when it failed. */
  const lineSearch = (f0: number, slope0: number, initial: number): number => {
    let tPrev = 0;
    let fPrev = f0;
    let slopePrev = slope0;
    let t = initial;
    for (let i = 0; i < MAX_LINE_SEARCH; i++) {
      const { value, slope } = phi(t);
      if (Number.isFinite(value) && approximateWolfe(f0, slope0, value, slope)) return accept(value);
      if (!Number.isFinite(value) || value > f0 + C1 * t * slope0 || (i > 0 && value >= fPrev)) {
        return zoom(f0, slope0, tPrev, fPrev, slopePrev, t, value, slope);
      }
      if (Math.abs(slope) <= -C2 * slope0) return accept(value);
      if (slope >= 0) return zoom(f0, slope0, t, value, slope, tPrev, fPrev, slopePrev);
      tPrev = t;
      fPrev = value;
      slopePrev = slope;
      t *= 2;
    }
    return NaN;
  };

  const zoom = (
    f0: number,
    slope0: number,
    tLoIn: number,
    fLoIn: number,
    slopeLoIn: number,
    tHiIn: number,
    fHiIn: number,
    slopeHiIn: number,
  ): number => {
    let tLo = tLoIn;
    let fLo = fLoIn;
    let slopeLo = slopeLoIn;
    let tHi = tHiIn;
    let fHi = fHiIn;
    let slopeHi = slopeHiIn;
    for (let i = 0; i < MAX_LINE_SEARCH; i++) {
      const width = tHi - tLo;
      let t = tLo + 0.5 * width;
      if (Number.isFinite(fHi) && Number.isFinite(slopeHi)) {
        // Minimiser of the cubic through (tLo, fLo, slopeLo) and (tHi, fHi, slopeHi) (N&W §3.5).
        const d1 = slopeLo + slopeHi - (3 * (fLo - fHi)) / (tLo - tHi);
        const disc = d1 * d1 - slopeLo * slopeHi;
        if (disc >= 0) {
          const d2 = Math.sign(tHi - tLo) * Math.sqrt(disc);
          const cubic = tHi - (tHi - tLo) * ((slopeHi + d2 - d1) / (slopeHi - slopeLo + 2 * d2));
          const lo = Math.min(tLo, tHi) + 0.1 * Math.abs(width);
          const hi = Math.max(tLo, tHi) - 0.1 * Math.abs(width);
          if (Number.isFinite(cubic) && cubic >= lo && cubic <= hi) t = cubic;
        }
      }
      const { value, slope } = phi(t);
      if (Number.isFinite(value) && approximateWolfe(f0, slope0, value, slope)) return accept(value);
      if (!Number.isFinite(value) || value > f0 + C1 * t * slope0 || value >= fLo) {
        tHi = t;
        fHi = value;
        slopeHi = slope;
      } else {
        if (Math.abs(slope) <= -C2 * slope0) return accept(value);
        if (slope * (tHi - tLo) >= 0) {
          tHi = tLo;
          fHi = fLo;
          slopeHi = slopeLo;
        }
        tLo = t;
        fLo = value;
        slopeLo = slope;
      }
      if (Math.abs(tHi - tLo) < 1e-14 * Math.max(1, Math.abs(tLo))) break;
    }
    // No strong-Wolfe point found: settle for the best point with sufficient decrease, if any.
    if (tLo > 0 && fLo < f0) {
      const { value } = phi(tLo);
      if (Number.isFinite(value) && value < f0) return accept(value);
    }
    return NaN;
  };

  let iterations = 0;
  let gnorm = maxAbs(g);
  let resetOnce = false;
  while (gnorm > gtol && iterations < maxIterations) {
    // p = −H g
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let j = 0; j < n; j++) v -= (H[i * n + j] as number) * (g[j] as number);
      p[i] = v;
    }
    let slope0 = dot(g, p);
    if (!(slope0 < 0)) {
      resetH(1);
      fresh = true;
      for (let i = 0; i < n; i++) p[i] = -(g[i] as number);
      slope0 = dot(g, p);
    }
    // First step of a fresh (identity) metric: move at most 1 in log-parameter units.
    const initial = fresh ? Math.min(1, 1 / maxAbs(p)) : 1;
    const fNew = lineSearch(f, slope0, initial);
    if (Number.isNaN(fNew)) {
      if (resetOnce || fresh) break;
      resetOnce = true;
      resetH(1);
      fresh = true;
      continue;
    }
    resetOnce = false;
    for (let i = 0; i < n; i++) {
      s[i] = (xNew[i] as number) - (x[i] as number);
      y[i] = (gNew[i] as number) - (g[i] as number);
    }
    const sy = dot(s, y);
    x.set(xNew);
    g.set(gNew);
    f = fNew;
    gnorm = maxAbs(g);
    iterations++;
    if (!(sy > 1e-300)) {
      // Curvature condition failed numerically (flat or noisy objective): restart the metric.
      resetH(1);
      fresh = true;
      continue;
    }
    if (fresh) {
      resetH(sy / dot(y, y));
      fresh = false;
    }
    // H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ, expanded: H − ρ(s (Hy)ᵀ + (Hy) sᵀ) + (ρ² yᵀHy + ρ) s sᵀ.
    const rho = 1 / sy;
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let j = 0; j < n; j++) v += (H[i * n + j] as number) * (y[j] as number);
      Hy[i] = v;
    }
    const yHy = dot(y, Hy);
    const coefficient = rho * rho * yHy + rho;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        H[i * n + j] =
          (H[i * n + j] as number) -
          rho * ((s[i] as number) * (Hy[j] as number) + (Hy[i] as number) * (s[j] as number)) +
          coefficient * (s[i] as number) * (s[j] as number);
      }
    }
  }
  return { theta: x, value: f, gradientNorm: gnorm, iterations, evaluations, converged: gnorm <= gtol };
}

/**
 * Wraps an objective without a gradient: central differences with step h = 6e-6·max(1, |θᵢ|), close to the
 * optimal ε^{1/3} scale, so the gradient error is ≈ ε^{2/3}|f| ≈ 1e-10 (Nocedal & Wright 2006, §8.1).
 */
export function withNumericalGradient(f: (theta: Float64Array) => number): ObjectiveWithGradient {
  return (theta, gradient) => {
    const value = f(theta);
    if (!Number.isFinite(value)) return value;
    for (let i = 0; i < theta.length; i++) {
      const original = theta[i] as number;
      const h = 6e-6 * Math.max(1, Math.abs(original));
      theta[i] = original + h;
      const up = f(theta);
      theta[i] = original - h;
      const down = f(theta);
      theta[i] = original;
      if (!Number.isFinite(up) || !Number.isFinite(down)) return Infinity;
      gradient[i] = (up - down) / (2 * h);
    }
    return value;
  };
}

/**
 * Minimises from the first start and moves on to the next only if the previous did not converge, keeping
 * the best result: one run on well-behaved data, a safety net when a start lands in a bad region.
 */
export function minimizeWithRestarts(
  objective: ObjectiveWithGradient,
  starts: ReadonlyArray<ArrayLike<number>>,
  options: MinimizeOptions = {},
): MinimizeResult {
  let best: MinimizeResult | undefined;
  let iterations = 0;
  let evaluations = 0;
  for (const start of starts) {
    const result = minimizeBfgs(objective, start, options);
    iterations += result.iterations;
    evaluations += result.evaluations;
    if (best === undefined || result.value < best.value) best = result;
    if (best.converged) break;
  }
  if (best === undefined) throw new Error('minimizeWithRestarts needs at least one start');
  return { ...best, iterations, evaluations };
}
