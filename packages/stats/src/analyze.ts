/**
 * One call from an experiment's sufficient statistics to its readout: validation, arm summaries (with CUPED),
 * the effect of every variant against the control, the chosen inference engine, a multiple-testing correction
 * across variants and a sample-ratio-mismatch check. Shared by the CLI and the HTTP API, so both give the same
 * numbers for the same input.
 */
import { StatsInputError, type Alternative, type Difference, type Interval } from './types';
import { summarizeArms } from './sufficient';
import { estimateEffect } from './effect';
import { frequentistTest } from './frequentist';
import { DEFAULT_SEQUENTIAL_TUNING, sequentialTest } from './sequential';
import { bayesianTest } from './bayesian';
import { DEFAULT_SRM_THRESHOLD, srmTest } from './srm';
import { adjustPValues, adjustedAlphas, type MultipleTestingMethod } from './multiple-testing';

export type AnalysisMetricType = 'mean' | 'proportion' | 'ratio';
export type AnalysisEngine = 'frequentist' | 'sequential' | 'bayesian';
export type AnalysisCorrection = MultipleTestingMethod;

export interface AnalysisMetric {
  type: AnalysisMetricType;
  /** Adjust for a pre-period covariate (CUPED); variants then carry preSum, preSumSquares, sumProducts. */
  cuped?: boolean;
}

/** One arm's sufficient statistics; which optional fields are required depends on the metric. */
export interface AnalysisVariant {
  key: string;
  /** Planned share of traffic, for the sample-ratio-mismatch check; equal shares when every weight is absent. */
  weight?: number;
  n: number;
  sum: number;
  /** Optional for a proportion metric (a 0/1 value equals its square). */
  sumSquares?: number;
  denSum?: number;
  denSumSquares?: number;
  sumNumDen?: number;
  preSum?: number;
  preSumSquares?: number;
  sumProducts?: number;
  preDenSum?: number;
  preDenSumSquares?: number;
  sumNumPreDen?: number;
  sumDenPreNum?: number;
  sumDenPreDen?: number;
  sumPreNumPreDen?: number;
}

export interface AnalysisPrior {
  /** Prior mean of the effect (on the scale of `difference`). */
  mean: number;
  /** Prior variance of the effect. */
  variance: number;
}

export interface AnalysisOptions {
  engine?: AnalysisEngine;
  alpha?: number;
  alternative?: Alternative;
  difference?: Difference;
  /** Planned sample size at which the sequential confidence sequence is tightest. */
  sequentialTuning?: number;
  prior?: AnalysisPrior;
  correction?: AnalysisCorrection;
  /** p-value below which the sample-ratio-mismatch check flags the experiment. */
  srmThreshold?: number;
}

/** The input of `analyzeExperiment`: the first variant is the control. */
export interface AnalysisInput {
  metric: AnalysisMetric;
  variants: AnalysisVariant[];
  options?: AnalysisOptions;
}

/** The options an analysis actually ran with, defaults filled in. */
export interface ResolvedAnalysisOptions {
  engine: AnalysisEngine;
  alpha: number;
  alternative: Alternative;
  difference: Difference;
  correction: AnalysisCorrection;
  sequentialTuning?: number;
  prior?: AnalysisPrior;
  srmThreshold: number;
}

/** The comparison of one variant with the control. */
export interface VariantResult {
  key: string;
  controlMean: number;
  treatmentMean: number;
  controlN: number;
  treatmentN: number;
  /** Lift (relative) or difference (absolute) of the variant over the control; CUPED-adjusted when asked. */
  estimate: number;
  se: number;
  /** Interval at level 1 − ciAlpha (ciAlpha is the corrected α when a correction applies). */
  ci: Interval;
  ciAlpha: number;
  /** Frequentist and sequential engines: the p-value of this comparison on its own. */
  pValue?: number;
  /** Frequentist and sequential engines: the p-value after the correction across variants. */
  adjustedPValue?: number;
  /** Frequentist and sequential engines: adjustedPValue < alpha. */
  significant?: boolean;
  /** Bayesian engine: posterior probability that the variant beats the control. */
  chanceToWin?: number;
  /** Bayesian engine: expected loss of shipping the control / the variant. */
  risk?: { control: number; treatment: number };
}

export interface AnalysisResult {
  metric: { type: AnalysisMetricType; cuped: boolean };
  options: ResolvedAnalysisOptions;
  control: { key: string; n: number; mean: number };
  /** One result per non-control variant, in input order. */
  results: VariantResult[];
  srm: { chiSquare: number; dof: number; pValue: number; flagged: boolean };
  /** Things a reader must know before trusting the numbers (e.g. a sample-ratio mismatch). */
  warnings: string[];
}

const DEFAULTS = {
  engine: 'frequentist',
  alpha: 0.05,
  alternative: 'two-sided',
  difference: 'relative',
  correction: 'holm',
  sequentialTuning: DEFAULT_SEQUENTIAL_TUNING,
  srmThreshold: DEFAULT_SRM_THRESHOLD,
} as const;

const METRIC_TYPES: readonly AnalysisMetricType[] = ['mean', 'proportion', 'ratio'];
const ENGINES: readonly AnalysisEngine[] = ['frequentist', 'sequential', 'bayesian'];
const ALTERNATIVES: readonly Alternative[] = ['two-sided', 'greater', 'less'];
const DIFFERENCES: readonly Difference[] = ['relative', 'absolute'];
const CORRECTIONS: readonly AnalysisCorrection[] = ['holm', 'bh', 'none'];

const CUPED_FIELDS = ['preSum', 'preSumSquares', 'sumProducts'] as const;
const RATIO_FIELDS = ['denSum', 'denSumSquares', 'sumNumDen'] as const;
const RATIO_CUPED_FIELDS = [
  'preSum',
  'preSumSquares',
  'preDenSum',
  'preDenSumSquares',
  'sumProducts',
  'sumNumPreDen',
  'sumDenPreNum',
  'sumDenPreDen',
  'sumPreNumPreDen',
] as const;
type SumField = (typeof RATIO_FIELDS)[number] | (typeof RATIO_CUPED_FIELDS)[number];

/** A variant after validation, with every field its metric needs. */
export interface ValidatedVariant {
  key: string;
  weight: number | undefined;
  stats: { n: number; sum: number; sumSquares: number } & Partial<Record<SumField, number>>;
}

// Rounding in Σx² and Σx·Σx/n may push a zero-variance arm a hair below the Cauchy–Schwarz bound.
const CONSISTENCY_TOLERANCE = 1e-9;

function fail(field: string, rule: string): never {
  throw new StatsInputError(field, rule);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function rejectUnknownKeys(value: Record<string, unknown>, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key))
      fail(path ? `${path}.${key}` : key, `unknown field (allowed: ${allowed.join(', ')})`);
  }
}

function finite(value: unknown, field: string): number {
  if (value === undefined || value === null) fail(field, 'is required');
  if (typeof value !== 'number') fail(field, 'must be a number');
  if (!Number.isFinite(value)) fail(field, 'must be a finite number');
  return value;
}

function optionalFinite(value: unknown, field: string): number | undefined {
  return value === undefined ? undefined : finite(value, field);
}

function choice<T extends string>(value: unknown, allowed: readonly T[], field: string): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    fail(field, `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
  }
  return value as T;
}

function openUnit(value: unknown, field: string): number | undefined {
  const x = optionalFinite(value, field);
  if (x !== undefined && !(x > 0 && x < 1)) fail(field, 'must be between 0 and 1 (exclusive)');
  return x;
}

/**
 * Σ(x−x̄)(y−ȳ) = Σxy − ΣxΣy/n must satisfy Cauchy–Schwarz against the two centred sums of squares; numbers that
 * break it cannot come from any set of rows and would give a negative variance or a correlation beyond ±1.
 */
function checkSumsOfSquares(
  n: number,
  sum: number,
  sumSquares: number,
  field: string,
  sumField: string,
): number {
  const bound = (sum * sum) / n;
  if (sumSquares < bound - CONSISTENCY_TOLERANCE * Math.max(Math.abs(sumSquares), bound, 1)) {
    fail(
      field,
      `inconsistent with ${sumField} and n: must be at least ${sumField}²/n = ${+bound.toPrecision(12)} (no ${n} values summing to ${sum} have a smaller sum of squares)`,
    );
  }
  return Math.max(sumSquares - bound, 0);
}

function checkCrossProducts(
  n: number,
  [sumX, centredX, nameX]: [number, number, string],
  [sumY, centredY, nameY]: [number, number, string],
  crossProducts: number,
  field: string,
): void {
  const centredXY = crossProducts - (sumX * sumY) / n;
  const limit = Math.sqrt(centredX * centredY);
  const scale = Math.max(Math.abs(crossProducts), Math.abs((sumX * sumY) / n), 1);
  if (Math.abs(centredXY) > limit + CONSISTENCY_TOLERANCE * scale) {
    fail(
      field,
      `inconsistent with ${nameX}, ${nameY} and their sums of squares: |${field.split('.').pop()} − ${nameX}·${nameY}/n| must not exceed ${+limit.toPrecision(12)} (Cauchy–Schwarz)`,
    );
  }
}

function validateMetric(value: unknown): { type: AnalysisMetricType; cuped: boolean } {
  if (value === undefined) fail('metric', 'is required');
  if (!isRecord(value)) fail('metric', 'must be an object like {"type": "mean"}');
  rejectUnknownKeys(value, ['type', 'cuped'], 'metric');
  if (value.type === undefined) fail('metric.type', 'is required');
  const type = choice(value.type, METRIC_TYPES, 'metric.type') as AnalysisMetricType;
  if (value.cuped !== undefined && typeof value.cuped !== 'boolean')
    fail('metric.cuped', 'must be true or false');
  return { type, cuped: value.cuped === true };
}

function validateVariant(
  value: unknown,
  index: number,
  metric: { type: AnalysisMetricType; cuped: boolean },
): ValidatedVariant {
  const path = `variants[${index}]`;
  if (!isRecord(value)) fail(path, 'must be an object with key, n, sum and sumSquares');
  const extra: readonly string[] =
    metric.type === 'ratio'
      ? [...RATIO_FIELDS, ...(metric.cuped ? RATIO_CUPED_FIELDS : [])]
      : metric.cuped
        ? CUPED_FIELDS
        : [];
  rejectUnknownKeys(value, ['key', 'weight', 'n', 'sum', 'sumSquares', ...extra], path);

  if (value.key === undefined) fail(`${path}.key`, 'is required');
  if (typeof value.key !== 'string' || value.key.trim() === '')
    fail(`${path}.key`, 'must be a non-empty string');
  const weight = optionalFinite(value.weight, `${path}.weight`);
  if (weight !== undefined && !(weight > 0)) fail(`${path}.weight`, 'must be greater than 0');

  const n = finite(value.n, `${path}.n`);
  if (n < 0) fail(`${path}.n`, 'must not be negative');
  if (!Number.isInteger(n)) fail(`${path}.n`, 'must be a whole number of units');
  if (n < 2) fail(`${path}.n`, 'must be at least 2 (a variance needs two units)');
  const sum = finite(value.sum, `${path}.sum`);

  let sumSquares: number;
  if (metric.type === 'proportion') {
    if (sum < 0 || sum > n) fail(`${path}.sum`, `must be a number of conversions between 0 and n (${n})`);
    // Every value is 0 or 1, so Σx² = Σx; a different Σx² means the numbers are not conversions.
    sumSquares = optionalFinite(value.sumSquares, `${path}.sumSquares`) ?? sum;
    if (Math.abs(sumSquares - sum) > CONSISTENCY_TOLERANCE * Math.max(sum, 1)) {
      fail(`${path}.sumSquares`, 'must equal sum for a proportion metric (0/1 values are their own squares)');
    }
  } else {
    sumSquares = finite(value.sumSquares, `${path}.sumSquares`);
  }
  const centred = checkSumsOfSquares(n, sum, sumSquares, `${path}.sumSquares`, 'sum');
  const stats: ValidatedVariant['stats'] = { n, sum, sumSquares };
  for (const field of extra) stats[field as SumField] = finite(value[field], `${path}.${field}`);

  // Every pair of per-unit columns: each column's own sum of squares, then each cross-product.
  const columns: Array<[string, string, number]> = [['sum', 'sumSquares', centred]];
  const pairs: Array<[string, string, string]> = [];
  if (metric.type === 'ratio') {
    columns.push(['denSum', 'denSumSquares', 0]);
    pairs.push(['sum', 'denSum', 'sumNumDen']);
    if (metric.cuped) {
      columns.push(['preSum', 'preSumSquares', 0], ['preDenSum', 'preDenSumSquares', 0]);
      pairs.push(
        ['sum', 'preSum', 'sumProducts'],
        ['sum', 'preDenSum', 'sumNumPreDen'],
        ['denSum', 'preSum', 'sumDenPreNum'],
        ['denSum', 'preDenSum', 'sumDenPreDen'],
        ['preSum', 'preDenSum', 'sumPreNumPreDen'],
      );
    }
  } else if (metric.cuped) {
    columns.push(['preSum', 'preSumSquares', 0]);
    pairs.push(['sum', 'preSum', 'sumProducts']);
  }
  const read = (field: string): number => (stats as Record<string, number>)[field] as number;
  const centredOf = new Map<string, number>([['sum', centred]]);
  for (const [sumField, squaresField] of columns.slice(1)) {
    centredOf.set(
      sumField,
      checkSumsOfSquares(n, read(sumField), read(squaresField), `${path}.${squaresField}`, sumField),
    );
  }
  for (const [a, b, cross] of pairs) {
    checkCrossProducts(
      n,
      [read(a), centredOf.get(a) as number, a],
      [read(b), centredOf.get(b) as number, b],
      read(cross),
      `${path}.${cross}`,
    );
  }
  return { key: value.key, weight, stats };
}

function validateOptions(value: unknown): ResolvedAnalysisOptions {
  if (value === undefined) value = {};
  if (!isRecord(value)) fail('options', 'must be an object');
  rejectUnknownKeys(
    value,
    [
      'engine',
      'alpha',
      'alternative',
      'difference',
      'sequentialTuning',
      'prior',
      'correction',
      'srmThreshold',
    ],
    'options',
  );
  const engine = choice(value.engine, ENGINES, 'options.engine') ?? DEFAULTS.engine;
  const sequentialTuning = optionalFinite(value.sequentialTuning, 'options.sequentialTuning');
  if (sequentialTuning !== undefined && !(sequentialTuning > 0)) {
    fail('options.sequentialTuning', 'must be greater than 0 (a planned number of units)');
  }
  let prior: AnalysisPrior | undefined;
  if (value.prior !== undefined) {
    if (!isRecord(value.prior)) fail('options.prior', 'must be an object like {"mean": 0, "variance": 0.09}');
    rejectUnknownKeys(value.prior, ['mean', 'variance'], 'options.prior');
    const mean = finite(value.prior.mean, 'options.prior.mean');
    const variance = finite(value.prior.variance, 'options.prior.variance');
    if (!(variance > 0)) fail('options.prior.variance', 'must be greater than 0');
    prior = { mean, variance };
  }
  const correction = choice(value.correction, CORRECTIONS, 'options.correction') ?? DEFAULTS.correction;
  const resolved: ResolvedAnalysisOptions = {
    engine,
    alpha: openUnit(value.alpha, 'options.alpha') ?? DEFAULTS.alpha,
    alternative: choice(value.alternative, ALTERNATIVES, 'options.alternative') ?? DEFAULTS.alternative,
    difference: choice(value.difference, DIFFERENCES, 'options.difference') ?? DEFAULTS.difference,
    // A posterior probability is not a p-value: the correction has nothing to adjust under the Bayesian engine.
    correction: engine === 'bayesian' ? 'none' : correction,
    srmThreshold: openUnit(value.srmThreshold, 'options.srmThreshold') ?? DEFAULTS.srmThreshold,
  };
  if (engine === 'sequential') {
    resolved.sequentialTuning = sequentialTuning ?? DEFAULTS.sequentialTuning;
    if (resolved.alternative !== 'two-sided' && resolved.alpha >= 0.5) {
      fail('options.alpha', 'must be below 0.5 for a one-sided sequential test');
    }
  }
  if (engine === 'bayesian' && prior) resolved.prior = prior;
  return resolved;
}

/**
 * Checks an analysis request and returns its variants and resolved options, or throws `StatsInputError` naming
 * the first offending field (`variants[1].n`, `options.engine`, …). Exposed so callers can validate before
 * doing expensive work.
 */
export function validateAnalysisInput(input: unknown): {
  metric: { type: AnalysisMetricType; cuped: boolean };
  variants: ValidatedVariant[];
  options: ResolvedAnalysisOptions;
} {
  if (!isRecord(input)) fail('input', 'must be an object with metric, variants and options');
  rejectUnknownKeys(input, ['metric', 'variants', 'options'], '');
  const metric = validateMetric(input.metric);
  if (input.variants === undefined) fail('variants', 'is required');
  if (!Array.isArray(input.variants)) fail('variants', 'must be an array');
  if (input.variants.length < 2) fail('variants', 'needs a control and at least one other variant');
  const variants = input.variants.map((v, i) => validateVariant(v, i, metric));
  const seen = new Set<string>();
  variants.forEach((v, i) => {
    if (seen.has(v.key)) fail(`variants[${i}].key`, `duplicates another variant's key "${v.key}"`);
    seen.add(v.key);
  });
  const weighted = variants.filter((v) => v.weight !== undefined).length;
  if (weighted > 0 && weighted < variants.length) {
    const missing = variants.findIndex((v) => v.weight === undefined);
    fail(`variants[${missing}].weight`, 'must be given for every variant or for none');
  }
  return { metric, variants, options: validateOptions(input.options) };
}

/**
 * Analyses an experiment from per-arm sufficient statistics. The first variant is the control; every other
 * variant is compared with it.
 *
 * - Arm summaries come from `summarizeArms`; with CUPED the regression coefficient θ = Cov(x, y)/Var(y) is pooled
 *   across all arms (Deng, Xu, Kohavi & Walker 2013, "Improving the Sensitivity of Online Controlled Experiments
 *   by Utilizing Pre-Experiment Data", WSDM), so every arm is adjusted by the same θ and randomisation keeps
 *   the adjustment unbiased.
 * - Each variant's effect goes to the chosen engine (frequentist, sequential or Bayesian).
 * - With several variants, p-values are adjusted by Holm (1979, "A simple sequentially rejective multiple test
 *   procedure") or Benjamini & Hochberg (1995, "Controlling the false discovery rate"), and the intervals are
 *   drawn at the matching corrected α of `adjustedAlphas`: Bonferroni's α/m for Holm (simultaneous coverage;
 *   Holm's step-down has no exact interval, so these are slightly conservative) and Benjamini & Yekutieli's
 *   false-coverage-rate level α·R/m for BH. Without this an interval would claim more than the data support
 *   once several variants are read at once.
 * - Sample-ratio mismatch: Pearson's χ² test of the arms' n against their planned weights (Fabijan et al. 2019,
 *   "Diagnosing Sample Ratio Mismatch in Online Controlled Experiments", KDD); equal weights when none are given.
 */
export function analyzeExperiment(input: AnalysisInput): AnalysisResult {
  const { metric, variants, options } = validateAnalysisInput(input);
  const summaries = summarizeArms(
    metric,
    variants.map((v) => v.stats),
  );
  const [control, ...treatments] = summaries;
  const controlVariant = variants[0] as ValidatedVariant;
  if (!control) fail('variants', 'needs a control and at least one other variant');

  const effects = treatments.map((treatment, i) => {
    try {
      return estimateEffect(control, treatment, options.difference);
    } catch (error) {
      // The effect names its arms 'control' and 'treatment'; the caller knows them as variants[0] and variants[i].
      if (error instanceof StatsInputError && error.field === 'control.unadjustedMean') {
        fail(
          'variants[0].sum',
          'makes the control mean 0, and a relative lift divides by it: use "difference": "absolute"',
        );
      }
      if (error instanceof StatsInputError && /^(control|treatment)\./.test(error.field)) {
        const [arm, ...rest] = error.field.split('.');
        fail(`variants[${arm === 'control' ? 0 : i + 1}]`, `${rest.join('.')} ${error.rule}`);
      }
      throw error;
    }
  });
  const results: VariantResult[] = [];

  if (options.engine === 'bayesian') {
    effects.forEach((effect, i) => {
      const test = bayesianTest(effect, {
        alpha: options.alpha,
        ...(options.prior ? { prior: options.prior } : {}),
      });
      results.push({
        ...describeArms(variants[i + 1] as ValidatedVariant, effect),
        estimate: test.estimate,
        se: test.se,
        ci: test.ci,
        ciAlpha: options.alpha,
        chanceToWin: test.chanceToWin,
        risk: { control: test.risk.control, treatment: test.risk.treatment },
      });
    });
  } else {
    const run = (effect: (typeof effects)[number], alpha: number) =>
      options.engine === 'sequential'
        ? sequentialTest(effect, {
            alpha,
            alternative: options.alternative,
            tuning: options.sequentialTuning ?? DEFAULTS.sequentialTuning,
          })
        : frequentistTest(effect, { alpha, alternative: options.alternative });
    const tests = effects.map((effect) => run(effect, options.alpha));
    const pValues = tests.map((t) => t.pValue);
    const corrected = options.correction !== 'none' && effects.length > 1;
    const adjusted = corrected ? adjustPValues(pValues, options.correction) : pValues;
    const alphas = corrected
      ? adjustedAlphas(pValues, options.correction, options.alpha)
      : pValues.map(() => options.alpha);
    effects.forEach((effect, i) => {
      const ciAlpha = alphas[i] as number;
      const test = ciAlpha === options.alpha ? (tests[i] as (typeof tests)[number]) : run(effect, ciAlpha);
      const adjustedPValue = adjusted[i] as number;
      results.push({
        ...describeArms(variants[i + 1] as ValidatedVariant, effect),
        estimate: test.estimate,
        se: test.se,
        ci: test.ci,
        ciAlpha,
        pValue: pValues[i] as number,
        adjustedPValue,
        significant: adjustedPValue < options.alpha,
      });
    });
  }

  const counts = variants.map((v) => v.stats.n);
  const weights = variants.map((v) => v.weight ?? 1);
  const srm = srmTest(counts, weights, { threshold: options.srmThreshold });
  const warnings: string[] = [];
  if (srm.flagged) {
    warnings.push(
      `sample ratio mismatch: the variants' sizes (${counts.join(', ')}) are unlikely under the planned weights (p = ${srm.pValue.toPrecision(3)} < ${options.srmThreshold}); check assignment and exposure logging before trusting the results`,
    );
  }

  return {
    metric,
    options,
    control: { key: controlVariant.key, n: control.n, mean: control.unadjustedMean },
    results,
    srm: { chiSquare: srm.chiSquare, dof: srm.dof, pValue: srm.pValue, flagged: srm.flagged },
    warnings,
  };
}

function describeArms(
  variant: ValidatedVariant,
  effect: { controlMean: number; treatmentMean: number; controlN: number; treatmentN: number },
): Pick<VariantResult, 'key' | 'controlMean' | 'treatmentMean' | 'controlN' | 'treatmentN'> {
  return {
    key: variant.key,
    controlMean: effect.controlMean,
    treatmentMean: effect.treatmentMean,
    controlN: effect.controlN,
    treatmentN: effect.treatmentN,
  };
}
