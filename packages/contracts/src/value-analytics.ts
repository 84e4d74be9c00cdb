import { z } from 'zod';
import { DateOnlySchema } from './campaigns';
import { IdSchema, KeySchema } from './common';
import { BUILTIN_DIMENSIONS } from './results';

/**
 * Customer value analytics: the cohort explorer (retention heatmap, cumulative revenue per customer), LTV:CAC and
 * payback by acquisition channel (with the channel spend it needs), attribution of upsell and cross-sell
 * conversions under six models, and the segment finder on any experiment. The database aggregates (counts and
 * sums per group), @liftlab/stats shapes the curves and runs the models.
 */

/** A calendar month, `YYYY-MM`. */
export const MonthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'format_month');

/** Money amounts in the workspace currency: spend is never negative. */
const SpendAmountSchema = z.number('type_number').min(0, 'min_0').max(1e12, 'max_1e12');

const TraitDimensionSchema = z
  .string()
  .max(120, 'max_length')
  .regex(/^trait\.[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/, 'dimension_format');

// ---------------------------------------------------------------------------------------------------------------
// Channel spend

export const ChannelNameSchema = z.string().trim().min(1, 'required').max(100, 'max_length');

export const ChannelSpendInputSchema = z
  .object({
    channel: ChannelNameSchema,
    month: MonthSchema,
    amount: SpendAmountSchema,
    note: z.string().max(500, 'max_length').default(''),
  })
  .strict();
export type ChannelSpendInput = z.input<typeof ChannelSpendInputSchema>;
export type ChannelSpendParsed = z.output<typeof ChannelSpendInputSchema>;

export const ChannelSpendUpdateSchema = z
  .object({ amount: SpendAmountSchema.optional(), note: z.string().max(500, 'max_length').optional() })
  .strict();
export type ChannelSpendUpdate = z.infer<typeof ChannelSpendUpdateSchema>;

export const ChannelSpendSchema = z.object({
  id: IdSchema,
  channel: z.string(),
  month: MonthSchema,
  amount: z.number(),
  note: z.string(),
  updatedAt: z.string(),
});
export type ChannelSpend = z.infer<typeof ChannelSpendSchema>;

export const ChannelSpendListQuerySchema = z
  .object({ from: MonthSchema.optional(), to: MonthSchema.optional(), channel: ChannelNameSchema.optional() })
  .strict();
export type ChannelSpendListQuery = z.infer<typeof ChannelSpendListQuerySchema>;

export const ChannelSpendListSchema = z.object({ items: z.array(ChannelSpendSchema) });
export type ChannelSpendList = z.infer<typeof ChannelSpendListSchema>;

/** Result of a CSV import: rows created and rows that replaced the amount of an existing channel × month. */
export const ChannelSpendImportResultSchema = z.object({ created: z.number(), updated: z.number() });
export type ChannelSpendImportResult = z.infer<typeof ChannelSpendImportResultSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Cohort explorer

/** How customers are grouped into cohorts. `behaviour` splits them by an event condition after acquisition. */
export const COHORT_DIMENSIONS = [
  'acquisitionMonth',
  'acquisitionChannel',
  'segment',
  'plan',
  'country',
  'behaviour',
] as const;
export const CohortDimensionSchema = z.union([z.enum(COHORT_DIMENSIONS), TraitDimensionSchema], 'one_of');
export type CohortDimension = z.infer<typeof CohortDimensionSchema>;

const QueryInt = (min: number, max: number) =>
  z.coerce.number('type_number').int('integer').min(min, `min_${min}`).max(max, `max_${max}`);
const QueryFraction = z.coerce.number('type_number').min(0, 'min_0').max(1, 'max_1');

export const CohortQuerySchema = z
  .object({
    dimension: CohortDimensionSchema.default('acquisitionMonth'),
    /** First and last acquisition month included (default: the 12 months before the current one). */
    from: MonthSchema.optional(),
    to: MonthSchema.optional(),
    /** Months since acquisition shown (columns of the heatmap). */
    months: QueryInt(1, 36).default(12),
    /** What makes a customer active in a month: any order, activity or conversion event, or orders only. */
    activity: z.enum(['any', 'orders']).default('any'),
    /** Behavioural cohort: customers with `behaviourEvent` within `behaviourDays` of acquisition ... */
    behaviourEvent: z.string().min(1, 'required').max(200, 'max_length').optional(),
    behaviourDays: QueryInt(1, 365).default(30),
    /** ... at least `behaviourMinCount` and at most `behaviourMaxCount` times (1..1 = "solved in one contact"), */
    behaviourMinCount: QueryInt(1, 1000).default(1),
    behaviourMaxCount: QueryInt(1, 1000).optional(),
    /** ... optionally only events whose property `behaviourProperty` equals `behaviourValue` (as text). */
    behaviourProperty: z.string().min(1, 'required').max(100, 'max_length').optional(),
    behaviourValue: z.string().max(200, 'max_length').optional(),
  })
  .strict()
  .refine((q) => q.dimension !== 'behaviour' || q.behaviourEvent !== undefined, {
    path: ['behaviourEvent'],
    message: 'required_for_behaviour',
  })
  .refine((q) => q.behaviourMaxCount === undefined || q.behaviourMaxCount >= q.behaviourMinCount, {
    path: ['behaviourMaxCount'],
    message: 'min_behaviour_min_count',
  })
  .refine((q) => (q.behaviourProperty === undefined) === (q.behaviourValue === undefined), {
    path: ['behaviourValue'],
    message: 'with_behaviour_property',
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: 'not_before_from' });
export type CohortQuery = z.infer<typeof CohortQuerySchema>;
export type CohortQueryInput = z.input<typeof CohortQuerySchema>;

export const CohortCellSchema = z.object({
  /** Months since acquisition (0 = the acquisition month). */
  month: z.number(),
  /** Customers of the group observed for this month (acquired long enough ago). */
  customers: z.number(),
  activeCustomers: z.number(),
  /** activeCustomers / customers. */
  retention: z.number(),
  /** Σ revenue through this month / customers (every customer in the denominator). */
  cumulativeRevenuePerCustomer: z.number(),
});
export type CohortCell = z.infer<typeof CohortCellSchema>;

export const CohortRowSchema = z.object({
  /** Group label: '2025-03', 'paid_search', 'yes' / 'no' for a behavioural cohort, '(none)' when unknown. */
  cohort: z.string(),
  customers: z.number(),
  cells: z.array(CohortCellSchema),
  /** 30/60/90-day retention: share active in days 30–59, 60–89, 90–119 after acquisition (null: too young). */
  nDay: z.object({ d30: z.number().nullable(), d60: z.number().nullable(), d90: z.number().nullable() }),
});
export type CohortRow = z.infer<typeof CohortRowSchema>;

export const CohortExplorerSchema = z.object({
  dimension: z.string(),
  from: MonthSchema,
  to: MonthSchema,
  months: z.number(),
  activity: z.enum(['any', 'orders']),
  /** One row per group, largest first (at most 20; smaller groups are pooled as '(other)'). */
  rows: z.array(CohortRowSchema),
  /** Every customer of the period, pooled. */
  total: CohortRowSchema.nullable(),
});
export type CohortExplorer = z.infer<typeof CohortExplorerSchema>;

// ---------------------------------------------------------------------------------------------------------------
// LTV:CAC and payback

export const LtvCacQuerySchema = z
  .object({
    from: MonthSchema.optional(),
    to: MonthSchema.optional(),
    /** LTV horizon: cumulative margin per customer after this many months (or the longest observed). */
    horizonMonths: QueryInt(1, 36).default(12),
    /** Gross margin applied to revenue (1 = revenue is margin). */
    grossMargin: QueryFraction.default(1),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: 'not_before_from' });
export type LtvCacQuery = z.infer<typeof LtvCacQuerySchema>;
export type LtvCacQueryInput = z.input<typeof LtvCacQuerySchema>;

export const LtvCacChannelSchema = z.object({
  channel: z.string(),
  customers: z.number(),
  spend: z.number(),
  /** spend / customers; null without customers or without any spend recorded for the channel. */
  cac: z.number().nullable(),
  /** Cumulative margin per customer at `ltvMonths` (observed). */
  ltv: z.number(),
  /** Months of history behind `ltv` (≤ horizonMonths; fewer when the channel's customers are younger). */
  ltvMonths: z.number(),
  /** ltv / cac; null when CAC is 0 or unknown. */
  ltvToCac: z.number().nullable(),
  /** First month (1-based) at which cumulative margin per customer reaches CAC; null if not yet. */
  paybackMonths: z.number().nullable(),
  /**
   * Mean predicted CLV per acquired customer from the latest customer-value fit (discounted expected revenue over
   * the fit's horizon, from the fit on; customers without a prediction count as 0). Null without a fit.
   */
  predictedClv: z.number().nullable(),
  /** grossMargin × predictedClv / CAC: predicted future margin per unit of acquisition cost. */
  predictedClvToCac: z.number().nullable(),
  /** Cumulative margin per customer by month since acquisition (the LTV curve). */
  curve: z.array(z.object({ month: z.number(), customers: z.number(), cumulativeMargin: z.number() })),
});
export type LtvCacChannel = z.infer<typeof LtvCacChannelSchema>;

export const LtvCacSchema = z.object({
  from: MonthSchema,
  to: MonthSchema,
  horizonMonths: z.number(),
  grossMargin: z.number(),
  /** The customer-value fit behind predictedClv (null: the workspace has none yet). */
  clvFit: z.object({ fittedAt: z.string(), horizonMonths: z.number() }).nullable(),
  channels: z.array(LtvCacChannelSchema),
});
export type LtvCac = z.infer<typeof LtvCacSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Attribution comparison

export const ATTRIBUTION_MODELS = [
  'first_touch',
  'last_touch',
  'linear',
  'position_based',
  'markov',
  'shapley',
] as const;
export const AttributionModelSchema = z.enum(ATTRIBUTION_MODELS);
export type AttributionModelKey = z.infer<typeof AttributionModelSchema>;

export const AttributionQuerySchema = z
  .object({
    /** Conversions (orders) from `from` (inclusive) to `to` (inclusive), UTC days. Default: the last 90 days. */
    from: DateOnlySchema.optional(),
    to: DateOnlySchema.optional(),
    /** Touches count for a conversion if they happened at most this many days before it. */
    lookbackDays: QueryInt(1, 365).default(30),
    /** Revenue streams whose orders are conversions (comma separated). */
    streams: z
      .string()
      .default('upsell,cross_sell')
      .transform((s) => s.split(',').map((x) => x.trim()))
      .pipe(z.array(z.enum(['upsell', 'cross_sell', 'retention', 'other'], 'one_of')).min(1, 'required')),
    positionFirst: QueryFraction.default(0.4),
    positionLast: QueryFraction.default(0.4),
    markovOrder: QueryInt(1, 4).default(1),
  })
  .strict()
  .refine((q) => q.positionFirst + q.positionLast <= 1 + 1e-12, {
    path: ['positionLast'],
    message: 'first_plus_last_max_1',
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: 'not_before_from' });
export type AttributionQuery = z.infer<typeof AttributionQuerySchema>;
export type AttributionQueryInput = z.input<typeof AttributionQuerySchema>;

export const AttributionCreditSchema = z.object({
  channel: z.string(),
  conversions: z.number(),
  share: z.number(),
  revenue: z.number(),
});
export type AttributionCredit = z.infer<typeof AttributionCreditSchema>;

export const AttributionComparisonSchema = z.object({
  from: DateOnlySchema,
  to: DateOnlySchema,
  lookbackDays: z.number(),
  streams: z.array(z.string()),
  /** Conversions with at least one touch in the lookback (the ones the models share out). */
  conversions: z.number(),
  revenue: z.number(),
  /** Conversions without any touch in the lookback: not attributed to any channel. */
  unattributedConversions: z.number(),
  unattributedRevenue: z.number(),
  /** Journeys with touches that did not end in a conversion (used by Markov). */
  nullJourneys: z.number(),
  distinctPaths: z.number(),
  channels: z.array(z.string()),
  models: z.array(
    z.object({
      model: AttributionModelSchema,
      label: z.string(),
      credits: z.array(AttributionCreditSchema),
    }),
  ),
  /** Markov removal effects per channel (the data behind the Markov credit). */
  markov: z.object({
    order: z.number(),
    conversionProbability: z.number(),
    removalEffects: z.array(z.object({ channel: z.string(), removalEffect: z.number() })),
  }),
});
export type AttributionComparison = z.infer<typeof AttributionComparisonSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Segment finder

export const SEGMENT_FINDER_DIMENSIONS = BUILTIN_DIMENSIONS;
export const SegmentFinderDimensionSchema = z.union(
  [z.enum(SEGMENT_FINDER_DIMENSIONS), TraitDimensionSchema],
  'one_of',
);

export const SegmentFinderQuerySchema = z
  .object({
    dimension: SegmentFinderDimensionSchema.default('segment'),
    /** Metric of the experiment (default: its primary metric). Proportion or mean metrics. */
    metricKey: KeySchema.optional(),
    /** Treated variant compared with the control (default: the first non-control variant). */
    variantKey: KeySchema.optional(),
    difference: z.enum(['relative', 'absolute']).default('absolute'),
    alpha: z.coerce.number('type_number').gt(0, 'gt_0').max(0.5, 'max_0.5').default(0.05),
    correction: z.enum(['none', 'holm', 'bh']).default('none'),
    /** Share of customers targeted for uplift@k. */
    k: z.coerce.number('type_number').gt(0, 'gt_0').max(1, 'max_1').default(0.2),
  })
  .strict();
export type SegmentFinderQuery = z.infer<typeof SegmentFinderQuerySchema>;
export type SegmentFinderQueryInput = z.input<typeof SegmentFinderQuerySchema>;

const IntervalSchema = z.tuple([z.number().nullable(), z.number().nullable()]);

export const SegmentFinderSchema = z.object({
  experimentId: IdSchema,
  dimension: z.string(),
  metric: z.object({ key: z.string(), name: z.string(), kind: z.enum(['proportion', 'mean']) }),
  controlVariant: z.string(),
  treatmentVariant: z.string(),
  difference: z.enum(['relative', 'absolute']),
  alpha: z.number(),
  correction: z.enum(['none', 'holm', 'bh']),
  segments: z.array(
    z.object({
      segment: z.string(),
      controlN: z.number(),
      treatmentN: z.number(),
      controlMean: z.number(),
      treatmentMean: z.number(),
      estimate: z.number(),
      se: z.number(),
      ci: IntervalSchema,
      pValue: z.number(),
      adjustedPValue: z.number(),
    }),
  ),
  /** Segments left out: fewer than 2 customers in an arm. */
  skipped: z.array(z.object({ segment: z.string(), controlN: z.number(), treatmentN: z.number() })),
  heterogeneity: z
    .object({
      q: z.number(),
      dof: z.number(),
      pValue: z.number(),
      iSquared: z.number(),
      tauSquared: z.number(),
      pooledEstimate: z.number(),
      pooledSe: z.number(),
      excluded: z.array(z.string()),
    })
    .nullable(),
  /** Qini curve with segments as buckets, best observed uplift first (proportion metrics only). */
  qini: z
    .object({
      points: z.array(
        z.object({
          segment: z.string().nullable(),
          targetedFraction: z.number(),
          incrementalConversions: z.number(),
        }),
      ),
      area: z.number(),
      randomArea: z.number(),
      qiniCoefficient: z.number(),
      upliftAtK: z.object({
        k: z.number(),
        uplift: z.number(),
        treatedRate: z.number(),
        controlRate: z.number(),
      }),
    })
    .nullable(),
  /** Why the Qini curve is missing (mean metric, no usable segment). */
  qiniUnavailable: z.string().nullable(),
});
export type SegmentFinder = z.infer<typeof SegmentFinderSchema>;
