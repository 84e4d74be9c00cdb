import { z } from 'zod';
import { DateTimeSchema, IdSchema, KeySchema } from './common';
import { EngineSchema, ExperimentStatusSchema, MetricRoleSchema } from './experiments';
import { MetricKindSchema, RevenueStreamSchema } from './metrics';

/**
 * Experiment results. Results are snapshots: computed on a schedule and on demand, stored with the time of
 * their data, and read by the API and the admin app, so a page load never recomputes anything.
 *
 * - GET  /v1/experiments/:id/results?dimension=   → ExperimentResults (the latest snapshot)
 * - GET  /v1/experiments/:id/results/cumulative   → CumulativeResults (daily points)
 * - POST /v1/experiments/:id/results/refresh      → ExperimentResults (computed now and stored)
 * - GET/PUT /v1/experiments/:id/results/settings  → ResultSettings
 * - GET  /v1/reports/global-holdout               → GlobalHoldoutReport; POST …/refresh recomputes it
 */

export const ResultCorrectionSchema = z.enum(['holm', 'bh']);
export type ResultCorrection = z.infer<typeof ResultCorrectionSchema>;

/** Built-in breakdowns; any customer trait is `trait.<name>`. */
export const BUILTIN_DIMENSIONS = [
  'segment',
  'acquisitionChannel',
  'acquisitionCohort',
  'plan',
  'country',
] as const;
export const DEFAULT_DIMENSIONS = ['segment', 'acquisitionChannel', 'acquisitionCohort', 'plan'] as const;
/** Breakdowns computed per refresh, at most. */
export const MAX_DIMENSIONS = 8;
/** Values kept per breakdown: the most populous ones; the rest are pooled as '(other)'. */
export const MAX_DIMENSION_VALUES = 50;

export const DimensionKeySchema = z
  .string()
  .max(120, 'max_length')
  .refine(
    (d) =>
      (BUILTIN_DIMENSIONS as readonly string[]).includes(d) ||
      /^trait\.[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/.test(d),
    'dimension_format',
  );

/** How an experiment's results are computed. */
export const ResultSettingsSchema = z.object({
  experimentId: IdSchema,
  /** Multiple-testing correction across goal metrics (primary + secondary) × variants. */
  correction: ResultCorrectionSchema,
  /** Significance level (frequentist, sequential) or 1 − credibility (Bayesian). */
  alpha: z.number(),
  /** Adjust for the pre-period (CUPED) wherever one exists. */
  cuped: z.boolean(),
  dimensions: z.array(z.string()),
});
export type ResultSettings = z.infer<typeof ResultSettingsSchema>;

export const ResultSettingsUpdateSchema = z
  .object({
    correction: ResultCorrectionSchema.optional(),
    alpha: z.number().gt(0, 'gt_0').max(0.5, 'max_0.5').optional(),
    cuped: z.boolean().optional(),
    dimensions: z
      .array(DimensionKeySchema)
      .max(MAX_DIMENSIONS, `max_${MAX_DIMENSIONS}`)
      .refine((d) => new Set(d).size === d.length, 'unique')
      .optional(),
  })
  .strict();
export type ResultSettingsUpdate = z.infer<typeof ResultSettingsUpdateSchema>;

export const ResultsQuerySchema = z
  .object({
    /** Include the breakdown by this dimension (as computed by the latest refresh). */
    dimension: DimensionKeySchema.optional(),
  })
  .strict();
export type ResultsQuery = z.infer<typeof ResultsQuerySchema>;

/** [lower, upper]; null for an open end (one-sided intervals). */
export const IntervalSchema = z.tuple([z.number().nullable(), z.number().nullable()]);

/**
 * A variant against the control. Frequentist and sequential engines fill pValue/adjustedPValue; the Bayesian
 * engine fills chanceToWin/risk. `chanceToWin` and `risk` are oriented by the metric's direction: chanceToWin is
 * the probability that the variant is better (higher, or lower when lower is better).
 */
export const EffectSchema = z.object({
  estimate: z.number(),
  se: z.number(),
  ci: IntervalSchema,
  /** Level of `ci`: 1 − α, or 1 − the corrected α when the comparison belongs to a corrected family. */
  ciLevel: z.number(),
  pValue: z.number().nullable(),
  adjustedPValue: z.number().nullable(),
  chanceToWin: z.number().nullable(),
  /** Expected loss of keeping the control / shipping the variant (effect units). */
  risk: z.object({ control: z.number(), treatment: z.number() }).nullable(),
});
export type Effect = z.infer<typeof EffectSchema>;

/** better / worse: significant (or chance to win beyond 1 − α) in that direction. */
export const ComparisonVerdictSchema = z.enum(['better', 'worse', 'inconclusive', 'blocked_by_srm']);
export type ComparisonVerdict = z.infer<typeof ComparisonVerdictSchema>;

export const VariantResultSchema = z.object({
  /** Variant id; for the global holdout report null ('holdout' and 'treated'). */
  variantId: z.string().nullable(),
  key: z.string(),
  name: z.string(),
  isControl: z.boolean(),
  /** Customers analysed in this arm. */
  n: z.number().int(),
  /** Unadjusted metric value per customer (proportion: share converted; ratio: Σnumerator / Σdenominator). */
  mean: z.number().nullable(),
  /** Difference in metric units (variant − control). Null for the control and when it cannot be computed. */
  absolute: EffectSchema.nullable(),
  /** Lift relative to the control ((variant − control) / |control|). Null when the control's mean is 0. */
  relative: EffectSchema.nullable(),
  verdict: ComparisonVerdictSchema.nullable(),
});
export type VariantResult = z.infer<typeof VariantResultSchema>;

export const MetricResultSchema = z.object({
  metricId: IdSchema,
  key: KeySchema,
  name: z.string(),
  kind: MetricKindSchema,
  /** Role in the experiment; null in the global holdout report. */
  role: MetricRoleSchema.nullable(),
  revenueStream: RevenueStreamSchema.nullable(),
  higherIsBetter: z.boolean(),
  windowDays: z.number().int(),
  /** Whether CUPED was applied (on by default wherever the pre-period has data). */
  cuped: z.boolean(),
  /** Cap applied to each customer's value (absolute, or the percentile's value this refresh); null = none. */
  cap: z.number().nullable(),
  /** Whether this metric is part of the corrected family (goal metrics: primary and secondary). */
  corrected: z.boolean(),
  variants: z.array(VariantResultSchema),
  /** Why effects are missing (e.g. fewer than 2 customers in an arm); null when all went well. */
  note: z.string().nullable(),
});
export type MetricResult = z.infer<typeof MetricResultSchema>;

export const SrmSchema = z.object({
  chiSquare: z.number(),
  dof: z.number().int(),
  pValue: z.number(),
  flagged: z.boolean(),
  threshold: z.number(),
  /** Customers per arm and the planned weights the test compared them with. */
  arms: z.array(z.object({ key: z.string(), n: z.number().int(), weight: z.number() })),
});
export type Srm = z.infer<typeof SrmSchema>;

export const VerdictSchema = z.object({
  /**
   * winner: a variant is better on the primary metric and no guardrail is worse; guardrail_breached: it is better
   * but a guardrail got worse; blocked_by_srm: the sample-ratio mismatch makes every comparison untrustworthy.
   */
  status: z.enum(['winner', 'no_winner', 'guardrail_breached', 'blocked_by_srm', 'no_primary_metric']),
  variantKey: z.string().nullable(),
  reason: z.string(),
});
export type Verdict = z.infer<typeof VerdictSchema>;

export const DimensionValueResultSchema = z.object({
  value: z.string(),
  /** Customers with this value, all arms. */
  n: z.number().int(),
  metrics: z.array(MetricResultSchema),
});

export const DimensionBreakdownSchema = z.object({
  dimension: z.string(),
  /** Comparisons in this breakdown (values × metrics × variants). */
  comparisons: z.number().int(),
  /** Read before acting on a single segment. */
  caveat: z.string(),
  values: z.array(DimensionValueResultSchema),
});
export type DimensionBreakdown = z.infer<typeof DimensionBreakdownSchema>;

export const CumulativePointSchema = z.object({
  /** Customers who entered up to and including this UTC day. */
  date: z.string(),
  controlN: z.number().int(),
  variantN: z.number().int(),
  relative: z.object({ estimate: z.number(), ci: IntervalSchema }).nullable(),
  absolute: z.object({ estimate: z.number(), ci: IntervalSchema }).nullable(),
});
export const CumulativeSeriesSchema = z.object({
  metricKey: z.string(),
  variantKey: z.string(),
  points: z.array(CumulativePointSchema),
});
export type CumulativeSeries = z.infer<typeof CumulativeSeriesSchema>;

/**
 * For revenue metrics (mean metrics with a revenueStream): the absolute lift per customer in each month since
 * the customer's exposure. Month k covers days [30k, 30k + 30) after exposure and includes only customers whose
 * month k is complete by `dataUntil`; intervals are at level 1 − α, uncorrected. Months share customers, so their
 * estimates are correlated.
 */
export const RevenueMonthSchema = z.object({
  month: z.number().int(),
  variants: z.array(
    z.object({
      key: z.string(),
      isControl: z.boolean(),
      n: z.number().int(),
      mean: z.number().nullable(),
      absolute: EffectSchema.nullable(),
    }),
  ),
});
export const RevenueByMonthSchema = z.object({
  metricKey: z.string(),
  revenueStream: RevenueStreamSchema,
  months: z.array(RevenueMonthSchema),
});
export type RevenueByMonth = z.infer<typeof RevenueByMonthSchema>;

export const ResultSnapshotKindSchema = z.enum(['experiment', 'global_holdout']);

/** The stored snapshot document. */
export const ResultSnapshotSchema = z.object({
  id: IdSchema,
  kind: ResultSnapshotKindSchema,
  experimentId: IdSchema.nullable(),
  experimentKey: z.string().nullable(),
  experimentName: z.string().nullable(),
  experimentStatus: ExperimentStatusSchema.nullable(),
  engine: EngineSchema,
  correction: ResultCorrectionSchema,
  alpha: z.number(),
  /** Events that occurred before this instant were counted. */
  dataUntil: DateTimeSchema,
  computedAt: DateTimeSchema,
  trigger: z.enum(['schedule', 'manual']),
  /** Customers analysed (all arms). */
  units: z.number().int(),
  srm: SrmSchema.nullable(),
  /** 'srm' when a sample-ratio mismatch blocks every winner / proven verdict; see `verdict.reason`. */
  verdictBlockedBy: z.literal('srm').nullable(),
  verdict: VerdictSchema,
  warnings: z.array(z.string()),
  metrics: z.array(MetricResultSchema),
  dimensions: z.array(DimensionBreakdownSchema),
  cumulative: z.array(CumulativeSeriesSchema),
  revenueByMonth: z.array(RevenueByMonthSchema),
});
export type ResultSnapshot = z.infer<typeof ResultSnapshotSchema>;

/** GET /v1/experiments/:id/results: the latest snapshot, with at most the requested breakdown. */
export const ExperimentResultsSchema = ResultSnapshotSchema.omit({ cumulative: true }).extend({
  /** Breakdowns available in this snapshot (ask for one with ?dimension=). */
  availableDimensions: z.array(z.string()),
});
export type ExperimentResults = z.infer<typeof ExperimentResultsSchema>;

export const CumulativeResultsSchema = z.object({
  experimentId: IdSchema,
  dataUntil: DateTimeSchema,
  computedAt: DateTimeSchema,
  series: z.array(CumulativeSeriesSchema),
});
export type CumulativeResults = z.infer<typeof CumulativeResultsSchema>;

/** GET /v1/reports/global-holdout: every retention campaign together against the global holdout. */
export const GlobalHoldoutReportSchema = ResultSnapshotSchema.omit({ cumulative: true, dimensions: true });
export type GlobalHoldoutReport = z.infer<typeof GlobalHoldoutReportSchema>;
