import { z } from 'zod';
import { DateOnlySchema, RoiVerdictSchema, ValueIntervalSchema } from './campaigns';
import { DateTimeSchema, IdSchema, KeySchema } from './common';

/**
 * Executive reports: the portfolio of campaigns launched in a period, and the e-mail digest of its headline
 * numbers.
 */

export const PortfolioFormatSchema = z.enum(['json', 'csv', 'html']);
export type PortfolioFormat = z.infer<typeof PortfolioFormatSchema>;

/** Both days are included. Without them: the current quarter up to today. */
export const PortfolioQuerySchema = z
  .object({
    from: DateOnlySchema.optional(),
    to: DateOnlySchema.optional(),
    format: PortfolioFormatSchema.default('json'),
  })
  .strict()
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, {
    path: ['to'],
    message: 'not_before_from',
  });
export type PortfolioQuery = z.infer<typeof PortfolioQuerySchema>;

export const PeriodSchema = z.object({ from: DateOnlySchema, to: DateOnlySchema });
export type Period = z.infer<typeof PeriodSchema>;

/**
 * What to do with a campaign: scale (proven, and at or above the program's target after shrinkage), continue
 * (keep running or testing), stop (even the optimistic end of the ROI interval loses money), fix_assignment
 * (the split is broken), no_results (nothing measured yet, or no costs recorded).
 */
export const RecommendationSchema = z.enum(['scale', 'continue', 'stop', 'fix_assignment', 'no_results']);
export type Recommendation = z.infer<typeof RecommendationSchema>;

export const PortfolioCampaignSchema = z.object({
  id: IdSchema,
  key: KeySchema,
  name: z.string(),
  programKey: KeySchema,
  launchDate: DateOnlySchema,
  /** Null when the campaign cannot be measured yet (see `reason`). */
  verdict: RoiVerdictSchema.nullable(),
  reason: z.string(),
  roi: ValueIntervalSchema.nullable(),
  /** ROI after empirical-Bayes shrinkage toward the portfolio mean; null when not measurable. */
  shrunkRoi: z.number().nullable(),
  incrementalMarginPv: z.number().nullable(),
  costsPv: z.number().nullable(),
  netPv: z.number().nullable(),
  shrunkNetPv: z.number().nullable(),
  targetRoi: z.number().nullable(),
  recommendation: RecommendationSchema,
});
export type PortfolioCampaign = z.infer<typeof PortfolioCampaignSchema>;

export const PortfolioTotalsSchema = z.object({
  campaigns: z.number().int(),
  measurable: z.number().int(),
  byVerdict: z.record(RoiVerdictSchema, z.number().int()),
  costsPv: z.number(),
  /** (Σ PV margin − Σ PV costs) / Σ PV costs over measurable campaigns; null if none. */
  pooledRoi: z.number().nullable(),
  /** Σ discounted incremental margin of the proven campaigns, as measured. */
  provenIncrementalMarginPv: z.number(),
  /** The same after shrinking each proven campaign's ROI toward the portfolio mean. */
  provenIncrementalMarginPvShrunk: z.number(),
  /** Proven incremental margin minus the proven campaigns' costs, shrunk. */
  provenNetPvShrunk: z.number(),
});
export type PortfolioTotals = z.infer<typeof PortfolioTotalsSchema>;

export const ShrinkageSchema = z.object({
  method: z.literal('empirical_bayes_normal'),
  /** Precision-weighted mean ROI of the measurable campaigns (the prior mean). */
  priorMean: z.number().nullable(),
  /** Between-campaign standard deviation of the true ROIs (DerSimonian–Laird). */
  priorSd: z.number().nullable(),
  campaignsUsed: z.number().int(),
});
export type Shrinkage = z.infer<typeof ShrinkageSchema>;

export const RoiDistributionSchema = z.object({
  count: z.number().int(),
  min: z.number().nullable(),
  q1: z.number().nullable(),
  median: z.number().nullable(),
  q3: z.number().nullable(),
  max: z.number().nullable(),
  /** Measurable campaigns per ROI band; `from` included, `to` excluded (null = unbounded). */
  bands: z.array(
    z.object({ from: z.number().nullable(), to: z.number().nullable(), count: z.number().int() }),
  ),
});
export type RoiDistribution = z.infer<typeof RoiDistributionSchema>;

export const PortfolioSchema = z.object({
  period: PeriodSchema,
  previousPeriod: PeriodSchema,
  generatedAt: DateTimeSchema,
  totals: PortfolioTotalsSchema,
  previousTotals: PortfolioTotalsSchema,
  /** Change of the headline numbers against the previous period (null where either side is missing). */
  trend: z.object({
    pooledRoiChange: z.number().nullable(),
    provenIncrementalMarginPvShrunkChange: z.number(),
  }),
  shrinkage: ShrinkageSchema,
  distribution: RoiDistributionSchema,
  campaigns: z.array(PortfolioCampaignSchema),
  scale: z.array(KeySchema),
  stop: z.array(KeySchema),
});
export type Portfolio = z.infer<typeof PortfolioSchema>;

export const DigestSendSchema = z
  .object({
    /** Defaults: the executives of the workspace plus DIGEST_RECIPIENTS. */
    recipients: z.array(z.email('format_email')).min(1, 'min_1').max(100, 'max_100').optional(),
    from: DateOnlySchema.optional(),
    to: DateOnlySchema.optional(),
  })
  .strict();
export type DigestSend = z.infer<typeof DigestSendSchema>;

export const DigestResultSchema = z.object({
  /** 'smtp' with SMTP_URL set; 'outbox' writes the message under DATA_DIR/outbox instead. */
  transport: z.enum(['smtp', 'outbox']),
  recipients: z.array(z.string()),
  subject: z.string(),
  messageId: z.string().nullable(),
  /** File of the message when written to the outbox. */
  outboxFile: z.string().nullable(),
  period: PeriodSchema,
  link: z.string(),
});
export type DigestResult = z.infer<typeof DigestResultSchema>;
