import { z } from 'zod';
import { DateTimeSchema, ExternalIdSchema, IdSchema, KeySchema, PaginationQuerySchema } from './common';

/**
 * Predictive customer value: a BG/NBD purchase model and a Gamma-Gamma spend model fitted per workspace on the
 * order events (time unit: days), each customer's predicted purchases, P(alive) and discounted CLV, the value
 * segments drawn from them, the calibration-vs-holdout check of the fit, and the incremental LTV of a campaign.
 */

export const ValueSegmentSchema = z.enum([
  'vip_ambassador',
  'vip_at_risk',
  'occasional_potential',
  'passive',
]);
export type ValueSegment = z.infer<typeof ValueSegmentSchema>;
export const VALUE_SEGMENTS = ValueSegmentSchema.options;

export const ValueThresholdKindSchema = z.enum(['quantile', 'absolute']);
export type ValueThresholdKind = z.infer<typeof ValueThresholdKindSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Settings

/**
 * High value = predicted CLV at or above the `clvQuantile` quantile of the workspace (thresholdKind quantile) or
 * at or above `clvAmount` (absolute); alive = P(alive) at or above `aliveThreshold`.
 */
export const CustomerValueSettingsSchema = z.object({
  thresholdKind: ValueThresholdKindSchema,
  clvQuantile: z.number(),
  clvAmount: z.number().nullable(),
  aliveThreshold: z.number(),
  horizonMonths: z.number().int(),
  annualDiscountRate: z.number(),
  holdoutDays: z.number().int(),
  updatedAt: DateTimeSchema.nullable(),
});
export type CustomerValueSettings = z.infer<typeof CustomerValueSettingsSchema>;

export const CustomerValueSettingsUpdateSchema = z
  .object({
    thresholdKind: ValueThresholdKindSchema.optional(),
    clvQuantile: z.number('type_number').gt(0, 'gt_0').lt(1, 'lt_1').optional(),
    clvAmount: z.number('type_number').gt(0, 'gt_0').max(1e12, 'max_1e12').nullable().optional(),
    aliveThreshold: z.number('type_number').gt(0, 'gt_0').lt(1, 'lt_1').optional(),
    horizonMonths: z.number('type_number').int('integer').min(1, 'min_1').max(120, 'max_120').optional(),
    annualDiscountRate: z.number('type_number').min(0, 'min_0').max(1, 'max_1').optional(),
    holdoutDays: z.number('type_number').int('integer').min(7, 'min_7').max(730, 'max_730').optional(),
  })
  .strict();
export type CustomerValueSettingsUpdate = z.infer<typeof CustomerValueSettingsUpdateSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Fits

export const ClvParamsSchema = z.object({
  /** BG/NBD: purchase rates λ ~ Gamma(r, α) per day, drop-out after a purchase p ~ Beta(a, b). */
  bgnbd: z.object({ r: z.number(), alpha: z.number(), a: z.number(), b: z.number() }),
  /** Gamma-Gamma: order values Gamma(p, ν), ν ~ Gamma(q, γ). */
  gammaGamma: z.object({ p: z.number(), q: z.number(), gamma: z.number() }),
});
export type ClvParams = z.infer<typeof ClvParamsSchema>;

/** Customers grouped by their repeat purchase days in the calibration period (the last bin is "and more"). */
export const CalibrationBinSchema = z.object({
  frequency: z.number().int(),
  /** True for the last bin, which holds every frequency from `frequency` up. */
  andMore: z.boolean(),
  customers: z.number().int(),
  /** Mean purchase days per customer in the holdout period: observed and predicted by the calibration fit. */
  actual: z.number(),
  predicted: z.number(),
});
export type CalibrationBin = z.infer<typeof CalibrationBinSchema>;

/** The model fitted on the calibration period, then its forecast of the holdout period against what happened. */
export const CalibrationCheckSchema = z.object({
  calibrationEnd: DateTimeSchema,
  holdoutEnd: DateTimeSchema,
  holdoutDays: z.number().int(),
  customers: z.number().int(),
  params: ClvParamsSchema.shape.bgnbd,
  logLikelihood: z.number(),
  bins: z.array(CalibrationBinSchema),
  /** Purchase days in the holdout period over all calibration customers. */
  totals: z.object({ actual: z.number(), predicted: z.number() }),
});
export type CalibrationCheck = z.infer<typeof CalibrationCheckSchema>;

export const ClvFitSchema = z.object({
  id: IdSchema,
  trigger: z.enum(['manual', 'scheduled']),
  fittedAt: DateTimeSchema,
  durationMs: z.number().int(),
  customers: z.number().int(),
  /** End of the observation period: orders before it were counted. */
  calibrationEnd: DateTimeSchema,
  params: ClvParamsSchema,
  logLikelihood: z.number(),
  spendLogLikelihood: z.number().nullable(),
  converged: z.boolean(),
  /** Anything the fit had to adjust (e.g. a drop-out distribution without heterogeneity), in words. */
  note: z.string().nullable(),
  horizonMonths: z.number().int(),
  annualDiscountRate: z.number(),
  /** Resolved thresholds: predicted CLV from which a customer is high value, P(alive) from which alive. */
  thresholds: z.object({ clv: z.number(), alive: z.number() }),
  /** Null when the history is too short or too sparse for a calibration fit. */
  calibration: CalibrationCheckSchema.nullable(),
  calibrationNote: z.string().nullable(),
});
export type ClvFit = z.infer<typeof ClvFitSchema>;

export const SegmentSummarySchema = z.object({
  segment: ValueSegmentSchema,
  customers: z.number().int(),
  meanClv: z.number(),
  totalClv: z.number(),
  meanProbabilityAlive: z.number(),
});
export type SegmentSummary = z.infer<typeof SegmentSummarySchema>;

export const CustomerValueSummarySchema = z.object({
  settings: CustomerValueSettingsSchema,
  /** The latest fit; null before the first. */
  fit: ClvFitSchema.nullable(),
  segments: z.array(SegmentSummarySchema),
});
export type CustomerValueSummary = z.infer<typeof CustomerValueSummarySchema>;

// ---------------------------------------------------------------------------------------------------------------
// Customers

export const CustomerValueSchema = z.object({
  customerId: IdSchema,
  externalId: ExternalIdSchema,
  /** Repeat purchase days, days from the first to the last order day, days from the first order day to the fit. */
  frequency: z.number().int(),
  recency: z.number(),
  T: z.number(),
  /** Mean order value of the repeat purchase days (0 without repeat purchases). */
  monetary: z.number(),
  predictedPurchases: z.number(),
  probabilityAlive: z.number(),
  expectedSpend: z.number(),
  predictedClv: z.number(),
  segment: ValueSegmentSchema,
  fittedAt: DateTimeSchema,
});
export type CustomerValue = z.infer<typeof CustomerValueSchema>;

export const CustomerValueListQuerySchema = PaginationQuerySchema.extend({
  segment: ValueSegmentSchema.optional(),
}).strict();
export type CustomerValueListQuery = z.infer<typeof CustomerValueListQuerySchema>;

/** Highest predicted CLV first. */
export const CustomerValueListSchema = z.object({
  items: z.array(CustomerValueSchema),
  nextCursor: z.string().nullable(),
});
export type CustomerValueList = z.infer<typeof CustomerValueListSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Incremental LTV of a campaign

/** Treated minus control per customer, Welch interval. */
export const ValueDifferenceSchema = z.object({
  estimate: z.number(),
  lower: z.number(),
  upper: z.number(),
  se: z.number(),
  pValue: z.number(),
});
export type ValueDifference = z.infer<typeof ValueDifferenceSchema>;

export const LtvArmSchema = z.object({
  variantKey: KeySchema,
  customers: z.number().int(),
  /** Means per customer. */
  predictedClv: z.number(),
  observedRevenue: z.number(),
  total: z.number(),
});
export type LtvArm = z.infer<typeof LtvArmSchema>;

export const IncrementalLtvSchema = z.object({
  campaignId: IdSchema,
  experimentId: IdSchema,
  fitId: IdSchema,
  fittedAt: DateTimeSchema,
  launchDate: z.string().nullable(),
  horizonMonths: z.number().int(),
  /** Whole months since launch; the prediction covers the months of the horizon left after them. */
  elapsedMonths: z.number().int(),
  remainingMonths: z.number().int(),
  annualDiscountRate: z.number(),
  /** Revenue-weighted gross margin of the customers' orders, from the campaign's margins per stream. */
  grossMargin: z.number(),
  confidenceLevel: z.number(),
  treated: LtvArmSchema,
  control: LtvArmSchema,
  /** Per customer: predicted discounted revenue over the remaining horizon, revenue since assignment, both. */
  predictedClv: ValueDifferenceSchema,
  observedRevenue: ValueDifferenceSchema,
  total: ValueDifferenceSchema,
  /** total × gross margin × treated customers. */
  projectedIncrementalMargin: z.object({ estimate: z.number(), lower: z.number(), upper: z.number() }),
  costsPv: z.number(),
  /** (projected incremental margin − costs) / costs; null without costs. */
  projectedRoi: z.object({ estimate: z.number(), lower: z.number(), upper: z.number() }).nullable(),
  /** The observed ROI of the campaign's experiment results (GET /v1/campaigns/:id/roi), when measurable. */
  observedRoi: z.object({ estimate: z.number(), lower: z.number(), upper: z.number() }).nullable(),
  observedRoiNote: z.string().nullable(),
});
export type IncrementalLtv = z.infer<typeof IncrementalLtvSchema>;
