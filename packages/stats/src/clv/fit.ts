/**
 * What every lifetime-value fit shares: options, the diagnostics it reports, and the guard that keeps the
 * optimiser's log-parameters inside a range where the likelihoods are finite.
 */
import { StatsInputError } from '../types';
import { minimizeWithRestarts, type MinimizeResult, type ObjectiveWithGradient } from './optimize';

export interface ClvFitOptions {
  /** Starting parameters; by default a data-based start, with fallbacks if it does not converge. */
  start?: Record<string, number>;
  /** Largest absolute gradient of the mean log-likelihood per customer (in log-parameters). Default 1e-8. */
  gradientTolerance?: number;
  /** BFGS iterations per start. Default 200. */
  maxIterations?: number;
}

export interface ClvFitDiagnostics {
  /** Maximised log-likelihood (natural log, summed over customers). */
  logLikelihood: number;
  /** True when the gradient test was met; otherwise the estimates are the best point found. */
  converged: boolean;
  /** BFGS iterations over all starts tried. */
  iterations: number;
  /** Customers in the fit. */
  customers: number;
}

/**
 * Parameters outside [e^−30, e^30] ≈ [1e-13, 1e13] are not meaningful for these models and make the
 * log-gamma terms overflow; the objective reports them as infeasible (Infinity) and the line search backs off.
 */
export const LOG_PARAMETER_LIMIT = 30;

export function outOfRange(theta: Float64Array): boolean {
  for (let i = 0; i < theta.length; i++) {
    if (!(Math.abs(theta[i] as number) <= LOG_PARAMETER_LIMIT)) return true;
  }
  return false;
}

/** Log-parameter starts: the user's start alone when given, otherwise the defaults in order. */
export function startsFrom(
  options: ClvFitOptions,
  names: readonly string[],
  defaults: ReadonlyArray<readonly number[]>,
): number[][] {
  if (options.start !== undefined) {
    return [
      names.map((name) => {
        const value = options.start?.[name];
        if (typeof value !== 'number' || !Number.isFinite(value) || !(value > 0)) {
          throw new StatsInputError(`options.start.${name}`, 'must be a positive, finite number');
        }
        return Math.log(value);
      }),
    ];
  }
  return defaults.map((start) => start.map((v) => Math.log(v)));
}

export function runFit(
  objective: ObjectiveWithGradient,
  starts: ReadonlyArray<ArrayLike<number>>,
  options: ClvFitOptions,
): MinimizeResult {
  const gradientTolerance = options.gradientTolerance ?? 1e-8;
  const maxIterations = options.maxIterations ?? 200;
  if (!(gradientTolerance > 0)) throw new StatsInputError('options.gradientTolerance', 'must be positive');
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new StatsInputError('options.maxIterations', 'must be a whole number ≥ 1');
  }
  return minimizeWithRestarts(objective, starts, { gradientTolerance, maxIterations });
}
