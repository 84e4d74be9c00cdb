import { chiSquareSurvival } from './distributions';
import { StatsInputError } from './types';

/** Options of {@link srmTest}. */
export interface SrmOptions {
  /** Flag a sample ratio mismatch when the p-value is below this. Default 0.001. */
  threshold?: number;
}

/** Result of {@link srmTest}. */
export interface SrmResult {
  chiSquare: number;
  /** Arms − 1. */
  dof: number;
  pValue: number;
  /** True when `pValue < threshold`: the enrollment split does not match the configured weights. */
  flagged: boolean;
}

/** Default SRM threshold: a mismatch is flagged at p < 0.001. */
export const DEFAULT_SRM_THRESHOLD = 0.001;

/**
 * Sample ratio mismatch check: Pearson's χ² goodness-of-fit test of the units enrolled in each arm
 * (holdout included) against the configured traffic weights (Pearson 1900; for its use on experiment
 * enrollment see Fabijan et al. 2019, "Diagnosing Sample Ratio Mismatch in Online Controlled Experiments", KDD).
 *
 *   eᵢ = n·wᵢ/Σw,   χ² = Σ (oᵢ − eᵢ)²/eᵢ,   dof = k − 1,   p = P(χ²_dof ≥ χ²)
 *
 * Weights are normalised, so [1, 1] and [0.5, 0.5] mean the same split. With no units enrolled yet there is
 * nothing to test: χ² = 0, p = 1, not flagged. Same statistic and p-value as scipy.stats.chisquare.
 *
 * @throws StatsInputError unless counts and weights have the same length ≥ 2, every count is a
 *   non-negative whole number, every weight is finite and > 0, and threshold is in (0, 1).
 */
export function srmTest(counts: number[], weights: number[], options: SrmOptions = {}): SrmResult {
  const threshold = options.threshold ?? DEFAULT_SRM_THRESHOLD;
  if (!Array.isArray(counts) || counts.length < 2) {
    throw new StatsInputError('counts', 'must list the enrollment of at least 2 arms');
  }
  if (!Array.isArray(weights) || weights.length !== counts.length) {
    throw new StatsInputError('weights', `must have one weight per arm (${counts.length})`);
  }
  counts.forEach((c, i) => {
    if (!Number.isInteger(c) || c < 0)
      throw new StatsInputError(`counts[${i}]`, 'must be a whole number >= 0');
  });
  weights.forEach((w, i) => {
    if (!Number.isFinite(w) || !(w > 0))
      throw new StatsInputError(`weights[${i}]`, 'must be a finite number > 0');
  });
  if (!(threshold > 0 && threshold < 1)) {
    throw new StatsInputError('threshold', 'must be between 0 and 1 (exclusive)');
  }

  const dof = counts.length - 1;
  const total = counts.reduce((s, c) => s + c, 0);
  if (total === 0) return { chiSquare: 0, dof, pValue: 1, flagged: false };

  const weightSum = weights.reduce((s, w) => s + w, 0);
  let chiSquare = 0;
  counts.forEach((observed, i) => {
    const expected = (total * (weights[i] as number)) / weightSum;
    const gap = observed - expected;
    chiSquare += (gap * gap) / expected;
  });
  const pValue = chiSquareSurvival(chiSquare, dof);
  return { chiSquare, dof, pValue, flagged: pValue < threshold };
}
