/**
 * From per-variant sufficient statistics (sums, sums of squares, cross-products) to per-unit means and
 * variances: mean and proportion metrics, ratio metrics by the delta method, and CUPED regression adjustment.
 * Every input field is validated; a bad one throws StatsInputError naming it (e.g. `variants[1].sumSquares`).
 */
import {
  StatsInputError,
  type CupedSufficientStats,
  type MeanSufficientStats,
  type RatioCupedSufficientStats,
  type RatioSufficientStats,
} from './types';

/**
 * Relative tolerance for "beyond rounding": a centred sum of squares may fall this far below zero (relative to
 * the uncentred terms) before the input is called inconsistent. Database sums of 10⁷ doubles carry at most
 * about 1e-9 relative rounding error.
 */
export const SUFFICIENT_STATS_TOLERANCE = 1e-9;

export type MetricType = 'mean' | 'proportion' | 'ratio';

/** What kind of metric the sufficient statistics describe. */
export interface MetricSpec {
  type: MetricType;
  /** Regression-adjust with the pre-period covariate (CUPED). */
  cuped?: boolean;
}

export type VariantSufficientStats =
  MeanSufficientStats | CupedSufficientStats | RatioSufficientStats | RatioCupedSufficientStats;

/**
 * One variant reduced to what an inference engine needs. `variance` is the per-unit variance of the (possibly
 * CUPED-adjusted, possibly delta-method linearised) value, so the variance of `mean` is variance / n.
 */
export interface ArmSummary {
  n: number;
  /** The metric's estimate for the arm: CUPED-adjusted when CUPED is on, the ratio Σm/Σd for ratio metrics. */
  mean: number;
  /** Per-unit variance of `mean`'s underlying value (variance of the mean = variance / n). */
  variance: number;
  /** The arm's plain metric value without CUPED; the denominator of a relative lift. */
  unadjustedMean: number;
  /** Per-unit variance of the unadjusted value. Defaults to `variance` when absent. */
  unadjustedVariance?: number;
  /** Per-unit covariance between the adjusted and the unadjusted value. Defaults to `variance` when absent. */
  covarianceWithUnadjusted?: number;
  /** CUPED slope θ applied to this arm (0 without CUPED). */
  theta?: number;
  /**
   * Where the delta-method gradient of a relative lift is evaluated for a CUPED arm: at the adjusted difference
   * (ratio metrics, as GrowthBook's RegressionAdjustedRatioStatistic) or at the unadjusted difference, i.e.
   * with balanced pre-period means, as GrowthBook's relative CUPED variance for mean metrics. Without CUPED the
   * two coincide.
   */
  relativeGradientAt?: 'adjusted' | 'unadjusted';
}

// ---------------------------------------------------------------------------------------------
// Validation helpers
// ---------------------------------------------------------------------------------------------

function finiteField(stats: object, key: string, prefix: string, requiredFor?: string): number {
  const value = (stats as Record<string, unknown>)[key];
  const field = `${prefix}.${key}`;
  if (value === undefined && requiredFor) throw new StatsInputError(field, `is required for ${requiredFor}`);
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new StatsInputError(field, 'must be a finite number');
  }
  return value;
}

function unitCount(stats: object, prefix: string): number {
  const n = finiteField(stats, 'n', prefix);
  if (!Number.isInteger(n) || n < 2) {
    throw new StatsInputError(
      `${prefix}.n`,
      'must be a whole number of units, at least 2 (a variance needs two)',
    );
  }
  return n;
}

/**
 * Centred second moment Σxy − ΣxΣy/n divided by n − 1 (sample) or n (population). Slightly negative variances
 * from rounding are clamped to 0; beyond the tolerance the input is inconsistent.
 */
function centredVariance(
  n: number,
  sum: number,
  sumSquares: number,
  population: boolean,
  field: string,
): number {
  const correction = (sum * sum) / n;
  const centred = sumSquares - correction;
  if (centred < -SUFFICIENT_STATS_TOLERANCE * Math.max(Math.abs(sumSquares), correction)) {
    throw new StatsInputError(field, 'is smaller than (sum)²/n: inconsistent with the sum and n');
  }
  return Math.max(0, centred) / (population ? n : n - 1);
}

/**
 * Centred cross moment, checked against the Cauchy–Schwarz inequality |cov| ≤ √(var_x var_y) (beyond
 * rounding), then clamped to it.
 */
function centredCovariance(
  n: number,
  sumX: number,
  sumY: number,
  sumXY: number,
  varX: number,
  varY: number,
  sumSquaresX: number,
  sumSquaresY: number,
  population: boolean,
  field: string,
): number {
  const cov = (sumXY - (sumX * sumY) / n) / (population ? n : n - 1);
  const bound = Math.sqrt(varX * varY);
  const slack =
    (SUFFICIENT_STATS_TOLERANCE * Math.sqrt(Math.abs(sumSquaresX) * Math.abs(sumSquaresY))) /
    (population ? n : n - 1);
  if (Math.abs(cov) > bound + slack) {
    throw new StatsInputError(
      field,
      'is inconsistent with the sums and sums of squares (implies a correlation beyond ±1)',
    );
  }
  return Math.max(-bound, Math.min(bound, cov));
}

/** Rejects a computed per-unit variance that is negative beyond rounding (a covariance matrix that is not PSD). */
function checkedVariance(value: number, scale: number, field: string): number {
  if (value < -1e-7 * scale) {
    throw new StatsInputError(
      field,
      'has cross-products that are mutually inconsistent (covariance matrix not positive semidefinite)',
    );
  }
  return Math.max(0, value);
}

// ---------------------------------------------------------------------------------------------
// Mean and proportion metrics
// ---------------------------------------------------------------------------------------------

interface MeanMoments {
  n: number;
  mean: number;
  variance: number;
}

function meanMoments(stats: MeanSufficientStats, proportion: boolean, prefix: string): MeanMoments {
  const n = unitCount(stats, prefix);
  const sum = finiteField(stats, 'sum', prefix);
  const sumSquares = finiteField(stats, 'sumSquares', prefix);
  if (proportion) {
    if (sum < 0 || sum > n) {
      throw new StatsInputError(
        `${prefix}.sum`,
        'must be between 0 and n for a proportion (number of converted units)',
      );
    }
    if (Math.abs(sumSquares - sum) > SUFFICIENT_STATS_TOLERANCE * Math.max(1, n)) {
      throw new StatsInputError(
        `${prefix}.sumSquares`,
        'must equal sum for a proportion (values are 0 or 1)',
      );
    }
    const p = sum / n;
    return { n, mean: p, variance: p * (1 - p) };
  }
  return { n, mean: sum / n, variance: centredVariance(n, sum, sumSquares, false, `${prefix}.sumSquares`) };
}

/**
 * Summary of one arm of a mean metric: mean x̄ = Σx/n and sample variance s² = (Σx² − (Σx)²/n)/(n − 1).
 * For a proportion (0/1 values) the binomial variance p(1 − p) is used, as GrowthBook's ProportionStatistic
 * does, so results match its engine (e.g. 14/28 vs 16/30: p = 0.80707).
 */
export function meanArm(stats: MeanSufficientStats, proportion = false, field = 'variant'): ArmSummary {
  const m = meanMoments(stats, proportion, field);
  return {
    n: m.n,
    mean: m.mean,
    variance: m.variance,
    unadjustedMean: m.mean,
    unadjustedVariance: m.variance,
    covarianceWithUnadjusted: m.variance,
    theta: 0,
  };
}

// ---------------------------------------------------------------------------------------------
// CUPED on mean and proportion metrics
// ---------------------------------------------------------------------------------------------

interface CupedMoments {
  n: number;
  meanY: number;
  meanX: number;
  varY: number;
  varX: number;
  covXY: number;
}

function cupedMoments(stats: CupedSufficientStats, proportion: boolean, prefix: string): CupedMoments {
  const post = meanMoments(stats, proportion, prefix);
  const n = post.n;
  const sumY = stats.sum;
  const preSum = finiteField(stats, 'preSum', prefix, 'CUPED');
  const preSumSquares = finiteField(stats, 'preSumSquares', prefix, 'CUPED');
  const sumProducts = finiteField(stats, 'sumProducts', prefix, 'CUPED');
  const varX = centredVariance(n, preSum, preSumSquares, proportion, `${prefix}.preSumSquares`);
  const covXY = centredCovariance(
    n,
    sumY,
    preSum,
    sumProducts,
    post.variance,
    varX,
    stats.sumSquares,
    preSumSquares,
    proportion,
    `${prefix}.sumProducts`,
  );
  return { n, meanY: post.mean, meanX: preSum / n, varY: post.variance, varX, covXY };
}

function pooledTheta(arms: ReadonlyArray<CupedSufficientStats>): number {
  let n = 0;
  let sy = 0;
  let sx = 0;
  let sxx = 0;
  let sxy = 0;
  for (const a of arms) {
    n += a.n;
    sy += a.sum;
    sx += a.preSum;
    sxx += a.preSumSquares;
    sxy += a.sumProducts;
  }
  const centredXX = sxx - (sx * sx) / n;
  if (!(centredXX > SUFFICIENT_STATS_TOLERANCE * Math.abs(sxx))) return 0;
  return (sxy - (sx * sy) / n) / centredXX;
}

/**
 * CUPED slope θ = Cov(y, x) / Var(x) of the post-period value y on the pre-period covariate x, pooled over the
 * units of all arms (GrowthBook's compute_theta on the joint statistic; Deng, Xu, Kohavi & Walker, "Improving
 * the sensitivity of online controlled experiments by utilizing pre-experiment data", WSDM 2013). θ = 0 when
 * the pooled covariate has no variance. Validates the arms first.
 */
export function cupedTheta(
  arms: ReadonlyArray<CupedSufficientStats>,
  proportion = false,
  fieldPrefix = 'variants',
): number {
  arms.forEach((a, i) => cupedMoments(a, proportion, `${fieldPrefix}[${i}]`));
  return pooledTheta(arms);
}

/**
 * CUPED-adjusted arms of a mean (or proportion) metric. With θ pooled over all arms (see {@link cupedTheta}),
 * each arm's adjusted mean is ȳ − θx̄ and its per-unit variance Var(y) − 2θ Cov(y, x) + θ² Var(x); the
 * unadjusted mean ȳ remains the denominator of a relative lift. Proportions use population moments (÷ n),
 * as GrowthBook does for binomial metrics; other metrics sample moments (÷ n − 1).
 */
export function cupedArms(
  arms: ReadonlyArray<CupedSufficientStats>,
  proportion = false,
  fieldPrefix = 'variants',
): ArmSummary[] {
  const moments = arms.map((a, i) => cupedMoments(a, proportion, `${fieldPrefix}[${i}]`));
  const theta = pooledTheta(arms);
  return moments.map((m, i) => {
    const variance = checkedVariance(
      m.varY - 2 * theta * m.covXY + theta * theta * m.varX,
      m.varY + theta * theta * m.varX,
      `${fieldPrefix}[${i}]`,
    );
    return {
      n: m.n,
      mean: m.meanY - theta * m.meanX,
      variance,
      unadjustedMean: m.meanY,
      unadjustedVariance: m.varY,
      covarianceWithUnadjusted: m.varY - theta * m.covXY,
      theta,
      relativeGradientAt: 'unadjusted',
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Ratio metrics
// ---------------------------------------------------------------------------------------------

/** Sample covariance matrix of a vector of per-unit values from its sums and cross-product sums. */
interface VectorMoments {
  n: number;
  means: number[];
  cov: number[][];
}

function vectorMoments(
  n: number,
  sums: number[],
  sumSquares: number[],
  crossProducts: Array<[number, number, number, string]>,
  squareFields: string[],
): VectorMoments {
  const k = sums.length;
  const cov: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < k; i++) {
    (cov[i] as number[])[i] = centredVariance(
      n,
      sums[i] as number,
      sumSquares[i] as number,
      false,
      squareFields[i] as string,
    );
  }
  for (const [i, j, sumXY, field] of crossProducts) {
    const c = centredCovariance(
      n,
      sums[i] as number,
      sums[j] as number,
      sumXY,
      (cov[i] as number[])[i] as number,
      (cov[j] as number[])[j] as number,
      sumSquares[i] as number,
      sumSquares[j] as number,
      false,
      field,
    );
    (cov[i] as number[])[j] = c;
    (cov[j] as number[])[i] = c;
  }
  return { n, means: sums.map((s) => s / n), cov };
}

function quadraticForm(g: number[], cov: number[][], h: number[] = g): number {
  let s = 0;
  for (let i = 0; i < g.length; i++) {
    for (let j = 0; j < h.length; j++)
      s += (g[i] as number) * ((cov[i] as number[])[j] as number) * (h[j] as number);
  }
  return s;
}

function nonZeroDenominator(value: number, field: string): void {
  if (value === 0)
    throw new StatsInputError(field, 'must be non-zero: a ratio needs a non-zero denominator total');
}

/**
 * One arm of a ratio metric R = Σm/Σd (e.g. revenue per order). Its per-unit delta-method variance is
 *   Var(R) · n = [Var(m) − 2R Cov(m, d) + R² Var(d)] / d̄²
 * (the first-order Taylor expansion of m̄/d̄; Deng, Knoblich & Lu, "Applying the delta method in metric
 * analytics", KDD 2018), with sample moments (÷ n − 1) as in GrowthBook's RatioStatistic.
 */
export function ratioArm(stats: RatioSufficientStats, field = 'variant'): ArmSummary {
  const n = unitCount(stats, field);
  const sum = finiteField(stats, 'sum', field);
  const sumSquares = finiteField(stats, 'sumSquares', field);
  const denSum = finiteField(stats, 'denSum', field, 'a ratio metric');
  const denSumSquares = finiteField(stats, 'denSumSquares', field, 'a ratio metric');
  const sumNumDen = finiteField(stats, 'sumNumDen', field, 'a ratio metric');
  nonZeroDenominator(denSum, `${field}.denSum`);
  const m = vectorMoments(
    n,
    [sum, denSum],
    [sumSquares, denSumSquares],
    [[0, 1, sumNumDen, `${field}.sumNumDen`]],
    [`${field}.sumSquares`, `${field}.denSumSquares`],
  );
  const dBar = m.means[1] as number;
  const ratio = sum / denSum;
  const g = [1 / dBar, -ratio / dBar];
  const variance = checkedVariance(
    quadraticForm(g, m.cov),
    quadraticForm(
      g.map(Math.abs),
      m.cov.map((r) => r.map(Math.abs)),
    ),
    field,
  );
  return {
    n,
    mean: ratio,
    variance,
    unadjustedMean: ratio,
    unadjustedVariance: variance,
    covarianceWithUnadjusted: variance,
    theta: 0,
  };
}

interface RatioCupedMoments {
  n: number;
  ratio: number;
  preRatio: number;
  /** Per-unit delta-method variance of the post ratio, of the pre ratio, and their covariance. */
  varPost: number;
  varPre: number;
  covPostPre: number;
  /** Scale for the positive-semidefiniteness check. */
  scale: number;
}

function ratioCupedMoments(stats: RatioCupedSufficientStats, prefix: string): RatioCupedMoments {
  const n = unitCount(stats, prefix);
  const need = 'a CUPED ratio metric';
  const sum = finiteField(stats, 'sum', prefix);
  const sumSquares = finiteField(stats, 'sumSquares', prefix);
  const denSum = finiteField(stats, 'denSum', prefix, need);
  const denSumSquares = finiteField(stats, 'denSumSquares', prefix, need);
  const sumNumDen = finiteField(stats, 'sumNumDen', prefix, need);
  const preSum = finiteField(stats, 'preSum', prefix, need);
  const preSumSquares = finiteField(stats, 'preSumSquares', prefix, need);
  const preDenSum = finiteField(stats, 'preDenSum', prefix, need);
  const preDenSumSquares = finiteField(stats, 'preDenSumSquares', prefix, need);
  const sumProducts = finiteField(stats, 'sumProducts', prefix, need);
  const sumNumPreDen = finiteField(stats, 'sumNumPreDen', prefix, need);
  const sumDenPreNum = finiteField(stats, 'sumDenPreNum', prefix, need);
  const sumDenPreDen = finiteField(stats, 'sumDenPreDen', prefix, need);
  const sumPreNumPreDen = finiteField(stats, 'sumPreNumPreDen', prefix, need);
  nonZeroDenominator(denSum, `${prefix}.denSum`);
  nonZeroDenominator(preDenSum, `${prefix}.preDenSum`);
  // order: m, d, m', d'
  const m = vectorMoments(
    n,
    [sum, denSum, preSum, preDenSum],
    [sumSquares, denSumSquares, preSumSquares, preDenSumSquares],
    [
      [0, 1, sumNumDen, `${prefix}.sumNumDen`],
      [0, 2, sumProducts, `${prefix}.sumProducts`],
      [0, 3, sumNumPreDen, `${prefix}.sumNumPreDen`],
      [1, 2, sumDenPreNum, `${prefix}.sumDenPreNum`],
      [1, 3, sumDenPreDen, `${prefix}.sumDenPreDen`],
      [2, 3, sumPreNumPreDen, `${prefix}.sumPreNumPreDen`],
    ],
    [
      `${prefix}.sumSquares`,
      `${prefix}.denSumSquares`,
      `${prefix}.preSumSquares`,
      `${prefix}.preDenSumSquares`,
    ],
  );
  const dBar = m.means[1] as number;
  const dPreBar = m.means[3] as number;
  const ratio = sum / denSum;
  const preRatio = preSum / preDenSum;
  const gPost = [1 / dBar, -ratio / dBar, 0, 0];
  const gPre = [0, 0, 1 / dPreBar, -preRatio / dPreBar];
  const absCov = m.cov.map((r) => r.map(Math.abs));
  return {
    n,
    ratio,
    preRatio,
    varPost: checkedVariance(quadraticForm(gPost, m.cov), quadraticForm(gPost.map(Math.abs), absCov), prefix),
    varPre: checkedVariance(quadraticForm(gPre, m.cov), quadraticForm(gPre.map(Math.abs), absCov), prefix),
    covPostPre: quadraticForm(gPost, m.cov, gPre),
    scale: quadraticForm(gPost.map(Math.abs), absCov) + quadraticForm(gPre.map(Math.abs), absCov),
  };
}

/**
 * CUPED-adjusted arms of a ratio metric, following GrowthBook's RegressionAdjustedRatioStatistic: each arm's
 * post ratio R = m̄/d̄ and pre-period ratio R′ = m̄′/d̄′ are linearised by the delta method over the 4×4
 * covariance of (m, d, m′, d′); θ = Σ_arms Cov(R, R′) / Σ_arms Var(R′) (per-unit delta-method moments summed
 * over all arms); the adjusted ratio is R − θR′ with per-unit variance Var(R) − 2θ Cov(R, R′) + θ² Var(R′).
 */
export function ratioCupedArms(
  arms: ReadonlyArray<RatioCupedSufficientStats>,
  fieldPrefix = 'variants',
): ArmSummary[] {
  const moments = arms.map((a, i) => ratioCupedMoments(a, `${fieldPrefix}[${i}]`));
  let num = 0;
  let den = 0;
  for (const m of moments) {
    num += m.covPostPre;
    den += m.varPre;
  }
  const theta = den > 0 ? num / den : 0;
  return moments.map((m, i) => ({
    n: m.n,
    mean: m.ratio - theta * m.preRatio,
    variance: checkedVariance(
      m.varPost - 2 * theta * m.covPostPre + theta * theta * m.varPre,
      m.scale * Math.max(1, theta * theta),
      `${fieldPrefix}[${i}]`,
    ),
    unadjustedMean: m.ratio,
    unadjustedVariance: m.varPost,
    covarianceWithUnadjusted: m.varPost - theta * m.covPostPre,
    theta,
    relativeGradientAt: 'adjusted',
  }));
}

// ---------------------------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------------------------

function checkMetric(metric: MetricSpec): void {
  if (typeof metric !== 'object' || metric === null) throw new StatsInputError('metric', 'must be an object');
  if (metric.type !== 'mean' && metric.type !== 'proportion' && metric.type !== 'ratio') {
    throw new StatsInputError('metric.type', "must be 'mean', 'proportion' or 'ratio'");
  }
  if (metric.cuped !== undefined && typeof metric.cuped !== 'boolean') {
    throw new StatsInputError('metric.cuped', 'must be true or false');
  }
}

/**
 * Reduces every variant's sufficient statistics to an {@link ArmSummary} (index 0 is the control).
 *
 * - mean: x̄ and sample variance; proportion: p and p(1 − p) ({@link meanArm});
 * - ratio: Σm/Σd with its delta-method variance ({@link ratioArm});
 * - CUPED: θ pooled over all variants, adjusted means and variances ({@link cupedArms}, {@link ratioCupedArms}).
 *
 * Throws StatsInputError for a non-finite or missing field, n < 2 or fractional, sums of squares below
 * (sum)²/n beyond rounding, cross-products implying |correlation| > 1, proportions outside [0, n] or with
 * Σx² ≠ Σx, and zero ratio denominators. Field names look like `variants[1].sumSquares`.
 */
export function summarizeArms(metric: MetricSpec, arms: ReadonlyArray<VariantSufficientStats>): ArmSummary[] {
  checkMetric(metric);
  if (!Array.isArray(arms) || arms.length === 0) {
    throw new StatsInputError('variants', 'must be a non-empty list of variants (control first)');
  }
  arms.forEach((a, i) => {
    if (typeof a !== 'object' || a === null)
      throw new StatsInputError(`variants[${i}]`, 'must be an object of sufficient statistics');
  });
  const proportion = metric.type === 'proportion';
  if (metric.type === 'ratio') {
    if (metric.cuped) return ratioCupedArms(arms as ReadonlyArray<RatioCupedSufficientStats>);
    return arms.map((a, i) => ratioArm(a as RatioSufficientStats, `variants[${i}]`));
  }
  if (metric.cuped) return cupedArms(arms as ReadonlyArray<CupedSufficientStats>, proportion);
  return arms.map((a, i) => meanArm(a, proportion, `variants[${i}]`));
}

/**
 * Validates every variant's sufficient statistics for the metric (the checks of {@link summarizeArms}) and
 * throws StatsInputError(field, rule) on the first violation.
 */
export function validateSufficientStats(
  metric: MetricSpec,
  arms: ReadonlyArray<VariantSufficientStats>,
): void {
  summarizeArms(metric, arms);
}
