/**
 * Power, sample size and minimum detectable effect for a holdout-controlled campaign or experiment.
 *
 * The analysis these plans are for is a two-sample z-test of the difference in means between each variant and
 * the control (holdout), with unpooled (Welch) variances, optionally read through an always-valid confidence
 * sequence. Power is computed under the normal approximation, which is what the analysis uses at campaign
 * sizes.
 */
import { normalCdf, normalInverseSurvival, normalQuantile } from './distributions';
import { DEFAULT_SEQUENTIAL_TUNING } from './sequential';
import { type Alternative, type Difference, StatsInputError } from './types';

/** The metric whose lift the campaign should detect. */
export type PowerMetric =
  /** Conversion-type metric: share of units converting, baseline rate p in (0, 1). */
  | { type: 'proportion'; baselineRate: number }
  /** Mean metric (revenue, orders per customer): baseline mean μ and per-unit standard deviation σ. */
  | { type: 'mean'; baselineMean: number; standardDeviation: number };

/** Settings of an always-valid (sequential) analysis; see {@link sequentialHalfWidthMultiplier}. */
export interface SequentialDesign {
  /**
   * Total units N* (holdout + variant) at which the confidence sequence is tightest. Default 5000, as in the
   * analysis.
   */
  tuning?: number;
}

/** The design shared by {@link powerAnalysis}, {@link sampleSize} and {@link minimumDetectableEffect}. */
export interface PowerDesign {
  metric: PowerMetric;
  /**
   * Share of units exposed to the campaign in a two-arm design, in (0, 1): 0.9 means a 10% holdout.
   * Defaults to 0.5. Use `armWeights` instead for more than one variant.
   */
  treatmentShare?: number;
  /**
   * Traffic weights of every arm, the holdout first, e.g. [0.1, 0.45, 0.45]. Positive; normalised to sum to
   * 1. Each variant is compared with the holdout.
   */
  armWeights?: readonly number[];
  /** False-positive rate of the analysis. Default 0.05. */
  alpha?: number;
  /** Default 'two-sided'. 'greater' plans for an increase, 'less' for a decrease. */
  alternative?: Alternative;
  /**
   * 'bonferroni' splits alpha over the variant-vs-holdout comparisons (alpha / (k − 1)); plan with it only
   * when the analysis applies the same correction. Default 'none'.
   */
  correction?: 'none' | 'bonferroni';
  /** Plan for an always-valid analysis that may be read at any time instead of once at the end. */
  sequential?: SequentialDesign;
  /** Units entering the experiment per day, all arms together; turns a unit count into a duration. */
  dailyTraffic?: number;
}

export interface PowerInput extends PowerDesign {
  /** Units enrolled in all arms together. */
  totalUnits: number;
  /** True lift of every variant over the holdout. */
  lift: number;
  /**
   * Whether `lift` is relative to the baseline (0.05 = +5%) or absolute (in metric units). Default
   * 'relative'.
   */
  difference?: Difference;
}

export interface SampleSizeInput extends PowerDesign {
  /** Lift to detect (the minimum detectable effect the plan must reach). */
  lift: number;
  /** Default 'relative'. */
  difference?: Difference;
  /** Target power. Default 0.8. */
  power?: number;
}

export interface MinimumDetectableEffectInput extends PowerDesign {
  totalUnits: number;
  /** Target power. Default 0.8. */
  power?: number;
}

/** A lift expressed both ways: relative = absolute / |baseline| (null when the baseline mean is 0). */
export interface Lift {
  relative: number | null;
  absolute: number;
}

/** One variant-vs-holdout comparison; `arm` indexes `armWeights` (the holdout is arm 0). */
export interface ComparisonPower {
  arm: number;
  /** Normalised traffic share of the variant. */
  share: number;
  power: number;
  /** Standard error of the absolute difference at the planned units. */
  standardError: number;
  /**
   * Distance from the estimate to the edge of its interval, in standard errors (z or the sequence
   * multiplier).
   */
  criticalValue: number;
}

export interface PowerResult {
  /** Power of the weakest comparison: the one a plan has to satisfy. */
  power: number;
  comparisons: ComparisonPower[];
  lift: Lift;
  alphaPerComparison: number;
  /** Days to enrol `totalUnits` at `dailyTraffic`, rounded up; null without daily traffic. */
  durationDays: number | null;
}

export interface SampleSizeResult {
  /** Units to enrol in all arms together, rounded up. */
  totalUnits: number;
  /** Expected units per arm at `totalUnits` (holdout first), each rounded up. */
  unitsPerArm: number[];
  /** The unrounded solution of power(N) = target. */
  exactTotalUnits: number;
  /** Power reached at `totalUnits` (weakest comparison). */
  power: number;
  lift: Lift;
  alphaPerComparison: number;
  durationDays: number | null;
}

export interface MinimumDetectableEffectResult {
  /** Smallest lift the weakest comparison detects with the target power. */
  lift: Lift;
  /** The same per comparison; `arm` indexes `armWeights`. */
  comparisons: Array<{ arm: number; lift: Lift }>;
  alphaPerComparison: number;
  durationDays: number | null;
}

/**
 * Width of the asymptotic confidence sequence of Waudby-Smith, Arbour, Sinha, Kennedy & Ramdas (2023),
 * "Time-uniform central limit theory and asymptotic confidence sequences" (Annals of Statistics), in units of
 * the estimate's standard error, with the mixing parameter tuned as GrowthBook does:
 *
 *   ρ² = (−2 ln a + ln(1 − 2 ln a)) / N*,          a = α (two-sided) or 2α (one-sided)
 *   two-sided:  half-width / se = √N · √( 2(Nρ² + 1) / (N²ρ²) · ln( √(Nρ² + 1) / α ) )
 *   one-sided:  half-width / se = √N · √( 2(Nρ² + 1) / (N²ρ²) · ln( 1 + √(Nρ² + 1) / (2α) ) )
 *
 * N is the number of units in the comparison (holdout + variant) and N* the tuning. Because se·√N is the
 * per-unit standard deviation, the multiplier replaces the fixed-horizon z quantile in a power calculation.
 *
 * @param n units in the two compared arms together
 * @param alpha false-positive rate of the sequence
 * @param tuning N*, the units at which the sequence is tightest (default 5000)
 * @param alternative 'two-sided' (default) or a one-sided alternative
 */
export function sequentialHalfWidthMultiplier(
  n: number,
  alpha: number,
  tuning = DEFAULT_SEQUENTIAL_TUNING,
  alternative: Alternative = 'two-sided',
): number {
  requirePositive('n', n);
  requireAlpha('alpha', alpha);
  requirePositive('sequential.tuning', tuning);
  const oneSided = alternative !== 'two-sided';
  if (oneSided && alpha >= 0.5) {
    throw new StatsInputError('alpha', 'must be below 0.5 for a one-sided sequential analysis');
  }
  const a = oneSided ? 2 * alpha : alpha;
  const rho2 = (-2 * Math.log(a) + Math.log(1 - 2 * Math.log(a))) / tuning;
  const nRho2 = n * rho2;
  const logTerm = oneSided
    ? Math.log(1 + Math.sqrt(nRho2 + 1) / (2 * alpha))
    : Math.log(Math.sqrt(nRho2 + 1) / alpha);
  return Math.sqrt(n) * Math.sqrt(((2 * (nRho2 + 1)) / (n * nRho2)) * logTerm);
}

/**
 * Power of each variant-vs-holdout comparison at `totalUnits` units for a true lift.
 *
 * With holdout share w_c, variant share w_t, Δ the absolute lift and unpooled per-unit variances
 * v_c = p(1 − p), v_t = p₁(1 − p₁) with p₁ = p + Δ (proportion) or v_c = v_t = σ² (mean):
 *
 *   se = √( v_c / (w_c N) + v_t / (w_t N) )
 *   two-sided: power = Φ(Δ/se − c) + Φ(−Δ/se − c),   c = z₁₋α/₂
 *   'greater': power = Φ(Δ/se − c),   'less': power = Φ(−Δ/se − c),   c = z₁₋α
 *
 * (Chow, Shao & Wang, "Sample Size Calculations in Clinical Research", 2nd ed. 2008, §3.2 (means) and §4.2
 * (proportions); Fleiss, Levin & Paik, "Statistical Methods for Rates and Proportions", 3rd ed. 2003, ch. 4,
 * with the unpooled variance.) In a sequential plan c is {@link sequentialHalfWidthMultiplier} at the
 * comparison's units, and the power is the chance that the confidence sequence excludes zero at the planned
 * total — a floor on the chance of a decision by then, since an earlier look can only add to it.
 */
export function powerAnalysis(input: PowerInput): PowerResult {
  const design = resolveDesign(input);
  requirePositive('totalUnits', input.totalUnits);
  const delta = absoluteLift(design, input.lift, input.difference ?? 'relative', 'lift');
  requireDirection(design.alternative, delta, 'lift');
  const comparisons = design.variants.map((variant) =>
    comparisonPower(design, variant, input.totalUnits, delta),
  );
  return {
    power: Math.min(...comparisons.map((comparison) => comparison.power)),
    comparisons,
    lift: liftBothWays(design, delta),
    alphaPerComparison: design.alpha,
    durationDays: durationDays(input.totalUnits, input.dailyTraffic),
  };
}

/**
 * Total units (all arms) for the weakest variant-vs-holdout comparison to reach the target power.
 *
 * Solves power(N) = target for N with the power of {@link powerAnalysis}. With one tail only, this is the
 * textbook closed form N = (c + z_power)² · (v_c/w_c + v_t/w_t) / Δ² (Chow, Shao & Wang 2008, §3.2 for means,
 * §4.2 for proportions); the solver also counts the opposite tail of a two-sided test and the sequence
 * multiplier, which grows with N. The 1/w terms are why a 10% holdout needs far more traffic than a 50/50
 * split: v_c/0.1 + v_t/0.9 ≈ 11.1·v against 4·v.
 */
export function sampleSize(input: SampleSizeInput): SampleSizeResult {
  const design = resolveDesign(input);
  const target = input.power ?? 0.8;
  requireTargetPower(target, design.alpha);
  const delta = absoluteLift(design, input.lift, input.difference ?? 'relative', 'lift');
  if (delta === 0) throw new StatsInputError('lift', 'must be non-zero');
  requireDirection(design.alternative, delta, 'lift');

  const weakestPower = (n: number): number =>
    Math.min(...design.variants.map((variant) => comparisonPower(design, variant, n, delta).power));

  const zAlpha = normalInverseSurvival(design.alternative === 'two-sided' ? design.alpha / 2 : design.alpha);
  const zPower = normalQuantile(target);
  const closedForm = Math.max(
    ...design.variants.map(
      (variant) =>
        ((zAlpha + zPower) ** 2 *
          (design.controlVariance / design.controlShare + variance(design, delta) / variant.share)) /
        delta ** 2,
    ),
  );
  const exact = solveIncreasing(
    weakestPower,
    target,
    closedForm,
    'lift',
    'too small to detect with any feasible number of units',
  );
  const totalUnits = Math.ceil(exact - 1e-9 * exact);
  return {
    totalUnits,
    unitsPerArm: design.weights.map((weight) => Math.ceil(weight * totalUnits - 1e-9)),
    exactTotalUnits: exact,
    power: weakestPower(totalUnits),
    lift: liftBothWays(design, delta),
    alphaPerComparison: design.alpha,
    durationDays: durationDays(totalUnits, input.dailyTraffic),
  };
}

/**
 * Smallest lift each variant-vs-holdout comparison detects with the target power at `totalUnits` units: the
 * root in Δ of power(N, Δ) = target with the power of {@link powerAnalysis} (Chow, Shao & Wang 2008, §3.2 and
 * §4.2). For a mean metric and one tail this is Δ = (c + z_power)·σ·√(1/(w_c N) + 1/(w_t N)); for a
 * proportion the variant variance p₁(1 − p₁) moves with Δ, so it is solved numerically. Two-sided plans
 * report the upward lift, 'less' a negative one. Throws when no lift the metric allows (a conversion rate
 * below 100%) reaches the power.
 */
export function minimumDetectableEffect(input: MinimumDetectableEffectInput): MinimumDetectableEffectResult {
  const design = resolveDesign(input);
  requirePositive('totalUnits', input.totalUnits);
  const target = input.power ?? 0.8;
  requireTargetPower(target, design.alpha);
  const sign = design.alternative === 'less' ? -1 : 1;
  const metric = design.metric;
  // A proportion cannot move past 0 or 1; a mean lift is unbounded.
  const limit =
    metric.type === 'proportion' ? (sign > 0 ? 1 - metric.baselineRate : metric.baselineRate) : Infinity;

  const comparisons = design.variants.map((variant) => {
    const powerAt = (size: number): number =>
      comparisonPower(design, variant, input.totalUnits, sign * size).power;
    let size: number;
    if (Number.isFinite(limit)) {
      if (powerAt(limit * (1 - 1e-12)) < target) {
        throw new StatsInputError(
          'totalUnits',
          `too few units: no possible conversion lift reaches power ${target} for variant ${variant.arm}`,
        );
      }
      size = bisect(powerAt, target, 0, limit * (1 - 1e-12));
    } else {
      const sd = Math.sqrt(
        design.controlVariance / (design.controlShare * input.totalUnits) +
          design.controlVariance / (variant.share * input.totalUnits),
      );
      size = solveIncreasing(powerAt, target, sd, 'totalUnits', 'no lift reaches the target power');
    }
    return { arm: variant.arm, lift: liftBothWays(design, sign * size) };
  });
  const weakest = comparisons.reduce((a, b) =>
    Math.abs(b.lift.absolute) > Math.abs(a.lift.absolute) ? b : a,
  );
  return {
    lift: weakest.lift,
    comparisons,
    alphaPerComparison: design.alpha,
    durationDays: durationDays(input.totalUnits, input.dailyTraffic),
  };
}

interface Variant {
  arm: number;
  share: number;
}

interface ResolvedDesign {
  metric: PowerMetric;
  weights: number[];
  controlShare: number;
  variants: Variant[];
  controlVariance: number;
  /** Per-comparison alpha after any correction. */
  alpha: number;
  alternative: Alternative;
  /** N* of the sequential analysis, undefined for a single look at the end. */
  sequentialTuning: number | undefined;
}

function resolveDesign(input: PowerDesign): ResolvedDesign {
  const metric = input.metric;
  let controlVariance: number;
  if (metric.type === 'proportion') {
    requireOpenUnit('metric.baselineRate', metric.baselineRate);
    controlVariance = metric.baselineRate * (1 - metric.baselineRate);
  } else if (metric.type === 'mean') {
    requireFinite('metric.baselineMean', metric.baselineMean);
    requirePositive('metric.standardDeviation', metric.standardDeviation);
    controlVariance = metric.standardDeviation ** 2;
  } else {
    throw new StatsInputError('metric.type', "must be 'proportion' or 'mean'");
  }

  let weights: number[];
  if (input.armWeights !== undefined) {
    if (input.treatmentShare !== undefined) {
      throw new StatsInputError('armWeights', 'give either treatmentShare or armWeights, not both');
    }
    if (input.armWeights.length < 2)
      throw new StatsInputError('armWeights', 'needs the holdout and at least one variant');
    input.armWeights.forEach((weight, i) => requirePositive(`armWeights[${i}]`, weight));
    const sum = input.armWeights.reduce((a, b) => a + b, 0);
    weights = input.armWeights.map((weight) => weight / sum);
  } else {
    const share = input.treatmentShare ?? 0.5;
    requireOpenUnit('treatmentShare', share);
    weights = [1 - share, share];
  }

  const alpha = input.alpha ?? 0.05;
  requireAlpha('alpha', alpha);
  const alternative = input.alternative ?? 'two-sided';
  if (alternative !== 'two-sided' && alternative !== 'greater' && alternative !== 'less') {
    throw new StatsInputError('alternative', "must be 'two-sided', 'greater' or 'less'");
  }
  const correction = input.correction ?? 'none';
  if (correction !== 'none' && correction !== 'bonferroni') {
    throw new StatsInputError('correction', "must be 'none' or 'bonferroni'");
  }
  const sequentialTuning =
    input.sequential === undefined ? undefined : (input.sequential.tuning ?? DEFAULT_SEQUENTIAL_TUNING);
  if (sequentialTuning !== undefined) {
    requirePositive('sequential.tuning', sequentialTuning);
    if (alternative !== 'two-sided' && alpha >= 0.5) {
      throw new StatsInputError('alpha', 'must be below 0.5 for a one-sided sequential analysis');
    }
  }
  if (input.dailyTraffic !== undefined) requirePositive('dailyTraffic', input.dailyTraffic);

  const variants = weights.slice(1).map((share, i) => ({ arm: i + 1, share }));
  return {
    metric,
    weights,
    controlShare: weights[0] ?? 0,
    variants,
    controlVariance,
    alpha: correction === 'bonferroni' ? alpha / variants.length : alpha,
    alternative,
    sequentialTuning,
  };
}

/**
 * Per-unit variance of the variant at absolute lift Δ (unpooled: the variant's own rate for a proportion).
 */
function variance(design: ResolvedDesign, delta: number): number {
  if (design.metric.type === 'proportion') {
    const rate = design.metric.baselineRate + delta;
    return rate * (1 - rate);
  }
  return design.controlVariance;
}

function comparisonPower(
  design: ResolvedDesign,
  variant: Variant,
  n: number,
  delta: number,
): ComparisonPower {
  const se = Math.sqrt(
    design.controlVariance / (design.controlShare * n) + variance(design, delta) / (variant.share * n),
  );
  const twoSided = design.alternative === 'two-sided';
  const criticalValue =
    design.sequentialTuning === undefined
      ? normalInverseSurvival(twoSided ? design.alpha / 2 : design.alpha)
      : sequentialHalfWidthMultiplier(
          (design.controlShare + variant.share) * n,
          design.alpha,
          design.sequentialTuning,
          design.alternative,
        );
  const z = delta / se;
  let power: number;
  if (twoSided) power = normalCdf(z - criticalValue) + normalCdf(-z - criticalValue);
  else if (design.alternative === 'greater') power = normalCdf(z - criticalValue);
  else power = normalCdf(-z - criticalValue);
  return { arm: variant.arm, share: variant.share, power, standardError: se, criticalValue };
}

function absoluteLift(design: ResolvedDesign, lift: number, difference: Difference, field: string): number {
  requireFinite(field, lift);
  if (difference !== 'relative' && difference !== 'absolute') {
    throw new StatsInputError('difference', "must be 'relative' or 'absolute'");
  }
  const metric = design.metric;
  const baseline = metric.type === 'proportion' ? metric.baselineRate : metric.baselineMean;
  if (difference === 'relative' && baseline === 0) {
    throw new StatsInputError('metric.baselineMean', 'must be non-zero for a relative lift');
  }
  const delta = difference === 'relative' ? lift * Math.abs(baseline) : lift;
  if (metric.type === 'proportion') {
    const rate = metric.baselineRate + delta;
    if (!(rate > 0 && rate < 1)) {
      throw new StatsInputError(
        field,
        'the variant conversion rate (baseline plus lift) must lie strictly between 0 and 1',
      );
    }
  }
  return delta;
}

function liftBothWays(design: ResolvedDesign, delta: number): Lift {
  const metric = design.metric;
  const baseline = metric.type === 'proportion' ? metric.baselineRate : metric.baselineMean;
  return { absolute: delta, relative: baseline === 0 ? null : delta / Math.abs(baseline) };
}

function requireDirection(alternative: Alternative, delta: number, field: string): void {
  if (alternative === 'greater' && !(delta > 0))
    throw new StatsInputError(field, "must be positive for alternative 'greater'");
  if (alternative === 'less' && !(delta < 0))
    throw new StatsInputError(field, "must be negative for alternative 'less'");
}

function durationDays(totalUnits: number, dailyTraffic: number | undefined): number | null {
  return dailyTraffic === undefined ? null : Math.ceil(totalUnits / dailyTraffic - 1e-9);
}

/**
 * Root of f(x) = target for an f that increases in x > 0, starting from a guess: brackets by doubling and
 * halving, then bisects on the log scale to full double precision.
 */
function solveIncreasing(
  f: (x: number) => number,
  target: number,
  guess: number,
  field: string,
  rule: string,
): number {
  let lo = guess > 0 && Number.isFinite(guess) ? guess : 1;
  let hi = lo;
  for (let i = 0; f(hi) < target; i++) {
    if (i > 200 || hi > 1e300) throw new StatsInputError(field, rule);
    lo = hi;
    hi *= 2;
  }
  for (let i = 0; f(lo) >= target; i++) {
    if (i > 2000) return lo;
    hi = lo;
    lo /= 2;
  }
  for (let i = 0; i < 200 && hi - lo > 1e-13 * hi; i++) {
    const mid = Math.sqrt(lo * hi);
    if (f(mid) >= target) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Bisection for an increasing f on [lo, hi] with f(lo) < target ≤ f(hi). */
function bisect(f: (x: number) => number, target: number, lo: number, hi: number): number {
  for (let i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (f(mid) >= target) hi = mid;
    else lo = mid;
  }
  return hi;
}

function requireFinite(field: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new StatsInputError(field, 'must be a finite number');
}

function requirePositive(field: string, value: number): void {
  requireFinite(field, value);
  if (!(value > 0)) throw new StatsInputError(field, 'must be positive');
}

function requireOpenUnit(field: string, value: number): void {
  requireFinite(field, value);
  if (!(value > 0 && value < 1)) throw new StatsInputError(field, 'must lie strictly between 0 and 1');
}

function requireAlpha(field: string, value: number): void {
  requireOpenUnit(field, value);
}

function requireTargetPower(power: number, alpha: number): void {
  requireOpenUnit('power', power);
  if (!(power > alpha)) throw new StatsInputError('power', 'must exceed the false-positive rate alpha');
}
