import { z } from 'zod';
import { DateTimeSchema, IdSchema, KeySchema, NameSchema, PaginationQuerySchema } from './common';
import { RevenueStreamSchema } from './metrics';

/**
 * Campaigns tie a holdout-controlled experiment to money: the horizon over which its lift is counted, the
 * discount rate, the gross margin of each revenue stream, and a ledger of what the campaign cost.
 */

/** A calendar day, `YYYY-MM-DD` (campaign launch dates, report periods). */
export const DateOnlySchema = z.iso.date('format_date');

/** Amount of money in the workspace currency; never negative in a ledger. */
const MoneySchema = z.number('type_number').min(0, 'min_0');
/** Whole month index since launch: 0 is the launch month. */
const MonthIndexSchema = z.number('type_number').int('integer').min(0, 'min_0').max(600, 'max_600');
const WholeMonthsSchema = z.number('type_number').int('integer').min(1, 'min_1').max(600, 'max_600');
const LabelSchema = z.string().trim().min(1, 'required').max(200, 'max_length');

// ---------------------------------------------------------------------------------------------------------------
// Cost ledger

export const CostCategorySchema = z.enum(['technology', 'people', 'content', 'media', 'incentives']);
export type CostCategory = z.infer<typeof CostCategorySchema>;

/** A subscription shared by the whole base, charged by the share of customers the campaign touches. */
const TechnologyCostFields = z
  .object({
    category: z.literal('technology'),
    label: LabelSchema,
    monthlyCost: MoneySchema,
    /** Customers the subscription serves. */
    totalCustomers: z.number('type_number').int('integer').min(1, 'min_1'),
    /** Customers the campaign touches (at most totalCustomers). */
    touchedCustomers: z.number('type_number').int('integer').min(0, 'min_0'),
    /** Whole months the campaign uses the subscription. */
    months: WholeMonthsSchema,
    startMonth: MonthIndexSchema.default(0),
  })
  .strict();

/** Staff time: hours × fully loaded hourly rate. */
const PeopleCostFields = z
  .object({
    category: z.literal('people'),
    label: LabelSchema,
    hours: z.number('type_number').min(0, 'min_0'),
    loadedRate: MoneySchema,
    month: MonthIndexSchema.default(0),
  })
  .strict();

/** Creative or content with a useful life beyond the campaign, amortised straight-line. */
const ContentCostFields = z
  .object({
    category: z.literal('content'),
    label: LabelSchema,
    cost: MoneySchema,
    usefulLifeMonths: WholeMonthsSchema,
    /** Months the campaign uses it; no charge once the content is fully amortised. */
    monthsUsed: WholeMonthsSchema,
    startMonth: MonthIndexSchema.default(0),
  })
  .strict();

/** Paid media, charged as spent. */
const MediaCostFields = z
  .object({
    category: z.literal('media'),
    label: LabelSchema,
    amount: MoneySchema,
    month: MonthIndexSchema.default(0),
  })
  .strict();

/** Discounts and vouchers: only those actually redeemed cost money. */
const IncentivesCostFields = z
  .object({
    category: z.literal('incentives'),
    label: LabelSchema,
    redemptions: z.number('type_number').int('integer').min(0, 'min_0'),
    discountPerRedemption: MoneySchema,
    month: MonthIndexSchema.default(0),
  })
  .strict();

export const CostLineInputSchema = z
  .discriminatedUnion(
    'category',
    [TechnologyCostFields, PeopleCostFields, ContentCostFields, MediaCostFields, IncentivesCostFields],
    { error: 'one_of' },
  )
  .superRefine((line, ctx) => {
    if (line.category === 'technology' && line.touchedCustomers > line.totalCustomers) {
      ctx.addIssue({ code: 'custom', path: ['touchedCustomers'], message: 'at_most_total_customers' });
    }
  });
export type CostLineInput = z.input<typeof CostLineInputSchema>;
export type CostLineParsed = z.output<typeof CostLineInputSchema>;

const CostLineMeta = {
  id: IdSchema,
  /** Undiscounted amount charged to the campaign by this line, over all its months. */
  total: z.number(),
  createdAt: DateTimeSchema,
  updatedAt: DateTimeSchema,
};

export const CostLineSchema = z.discriminatedUnion('category', [
  TechnologyCostFields.extend(CostLineMeta),
  PeopleCostFields.extend(CostLineMeta),
  ContentCostFields.extend(CostLineMeta),
  MediaCostFields.extend(CostLineMeta),
  IncentivesCostFields.extend(CostLineMeta),
]);
export type CostLine = z.infer<typeof CostLineSchema>;

export const CostLineListSchema = z.object({ items: z.array(CostLineSchema), total: z.number() });
export type CostLineList = z.infer<typeof CostLineListSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Campaigns

/**
 * proven: the ROI's lower bound is above 0; incremental_not_profitable: the lift is real but its low end does
 * not pay the costs; unproven: the lift's interval includes 0; blocked_by_srm: the split is broken.
 */
export const RoiVerdictSchema = z.enum([
  'proven',
  'incremental_not_profitable',
  'unproven',
  'blocked_by_srm',
]);
export type RoiVerdict = z.infer<typeof RoiVerdictSchema>;

const FractionRule = z.number('type_number').min(0, 'min_0').max(1, 'max_1');

/** Gross margin rate of each revenue stream, in [0, 1]: the share of incremental revenue that is profit. */
export const GrossMarginsSchema = z
  .object({
    upsell: FractionRule,
    cross_sell: FractionRule,
    retention: FractionRule,
    other: FractionRule,
  })
  .strict();
export type GrossMargins = z.infer<typeof GrossMarginsSchema>;

const HorizonSchema = z.number('type_number').int('integer').min(1, 'min_1').max(120, 'max_120');
const DiscountRateSchema = z.number('type_number').min(0, 'min_0').max(1, 'max_1');
const AcquisitionCostSchema = z.number('type_number').gt(0, 'gt_0').nullable();

const CampaignFieldsSchema = z.object({
  key: KeySchema,
  name: NameSchema,
  /** The program the campaign belongs to (e.g. `winback`); targets and quarter benchmarks are per program. */
  programKey: KeySchema,
  experimentId: z.uuid('format_uuid'),
  /** The treated arm; may be left out when the experiment has exactly one arm besides its control. */
  variantKey: KeySchema.nullable().optional(),
  /** Whole months over which the incremental margin is counted. */
  horizonMonths: HorizonSchema.default(12),
  /** Annual effective discount rate (0.10 = 10% a year). */
  annualDiscountRate: DiscountRateSchema.default(0.1),
  grossMargins: GrossMarginsSchema,
  /** Cost of acquiring one customer, when known: enables LTV:CAC. */
  acquisitionCostPerCustomer: AcquisitionCostSchema.optional(),
  /** Launch date; defaults to the experiment's start. Places the campaign in a quarter. */
  startsOn: DateOnlySchema.nullable().optional(),
  costs: z.array(CostLineInputSchema).max(500, 'max_500').default([]),
});

export const CampaignCreateSchema = CampaignFieldsSchema.strict();
export type CampaignCreate = z.input<typeof CampaignCreateSchema>;
export type CampaignCreateParsed = z.output<typeof CampaignCreateSchema>;

export const CampaignUpdateSchema = z
  .object({
    name: NameSchema,
    programKey: KeySchema,
    experimentId: z.uuid('format_uuid'),
    variantKey: KeySchema.nullable(),
    horizonMonths: HorizonSchema,
    annualDiscountRate: DiscountRateSchema,
    grossMargins: GrossMarginsSchema,
    acquisitionCostPerCustomer: AcquisitionCostSchema,
    startsOn: DateOnlySchema.nullable(),
  })
  .partial()
  .strict()
  .refine((u) => Object.keys(u).length > 0, { message: 'at_least_one_field' });
export type CampaignUpdate = z.infer<typeof CampaignUpdateSchema>;

export const CampaignSchema = z.object({
  id: IdSchema,
  key: KeySchema,
  name: z.string(),
  programKey: KeySchema,
  experimentId: IdSchema,
  experimentKey: KeySchema,
  variantKey: KeySchema.nullable(),
  horizonMonths: z.number().int(),
  annualDiscountRate: z.number(),
  grossMargins: GrossMarginsSchema,
  acquisitionCostPerCustomer: z.number().nullable(),
  startsOn: DateOnlySchema.nullable(),
  /** startsOn, else the day the experiment started; null for a campaign that has not launched. */
  launchDate: DateOnlySchema.nullable(),
  /** Verdict at the last scheduled re-evaluation (null before the first), and when it last changed. */
  lastVerdict: RoiVerdictSchema.nullable(),
  verdictChangedAt: DateTimeSchema.nullable(),
  costs: z.array(CostLineSchema),
  createdAt: DateTimeSchema,
  updatedAt: DateTimeSchema,
});
export type Campaign = z.infer<typeof CampaignSchema>;

export const CampaignListQuerySchema = PaginationQuerySchema.extend({
  programKey: KeySchema.optional(),
});
export type CampaignListQuery = z.infer<typeof CampaignListQuerySchema>;

export const CampaignListSchema = z.object({
  items: z.array(CampaignSchema),
  nextCursor: z.string().nullable(),
});
export type CampaignList = z.infer<typeof CampaignListSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Return on investment

export const ValueIntervalSchema = z.object({ estimate: z.number(), lower: z.number(), upper: z.number() });
export type ValueInterval = z.infer<typeof ValueIntervalSchema>;

/** How months of the horizon after the last observed month are counted. */
export const ProjectionSchema = z.enum(['carry_last_observed_month', 'observed_only']);
export type Projection = z.infer<typeof ProjectionSchema>;

export const MonthlyLiftSchema = z.object({
  /** Month since exposure, 0 = the first month. */
  month: z.number().int(),
  /** False for months carried forward from the last observed month. */
  observed: z.boolean(),
  /** Incremental revenue per treated customer in that month, with its confidence bounds. */
  estimate: z.number(),
  lower: z.number(),
  upper: z.number(),
});
export type MonthlyLift = z.infer<typeof MonthlyLiftSchema>;

export const StreamRoiSchema = z.object({
  stream: RevenueStreamSchema,
  metricKey: KeySchema,
  grossMargin: z.number(),
  /** Present value over the horizon of the incremental revenue of all treated customers. */
  revenuePv: ValueIntervalSchema,
  /** The same times the stream's gross margin. */
  marginPv: ValueIntervalSchema,
  monthly: z.array(MonthlyLiftSchema),
});
export type StreamRoi = z.infer<typeof StreamRoiSchema>;

export const CostSummarySchema = z.object({
  /** Undiscounted total of the ledger. */
  total: z.number(),
  /** Present value of the ledger at the campaign's discount rate. */
  pv: z.number(),
  byCategory: z.record(CostCategorySchema, z.object({ total: z.number(), pv: z.number() })),
});
export type CostSummary = z.infer<typeof CostSummarySchema>;

/** One way of counting the lift over the horizon (see Projection), and what it gives. */
export const RoiFigureSchema = z.object({
  projection: ProjectionSchema,
  /** (PV incremental margin − PV costs) / PV costs, with the interval mapped from the lift's. */
  roi: ValueIntervalSchema,
  incrementalMarginPv: ValueIntervalSchema,
  /** Incremental margin minus costs, both discounted. */
  netPv: ValueIntervalSchema,
  /** Month (1-based) from which the discounted margin stays above the discounted costs; null if never. */
  paybackMonth: z.number().int().nullable(),
  verdict: RoiVerdictSchema,
  reason: z.string(),
});
export type RoiFigure = z.infer<typeof RoiFigureSchema>;

export const LtvToCacSchema = z.object({
  /** Discounted incremental margin per treated customer over the horizon. */
  incrementalLtvPerCustomer: z.number(),
  /** Discounted margin per treated customer over the horizon (baseline spend plus the lift). */
  ltvPerCustomer: z.number().nullable(),
  acquisitionCostPerCustomer: z.number(),
  ratio: z.number().nullable(),
});
export type LtvToCac = z.infer<typeof LtvToCacSchema>;

export const BenchmarkSchema = z.object({
  programKey: KeySchema,
  /** Quarter of the campaign's launch, e.g. `2025-Q1`; null before launch. */
  quarter: z.string().nullable(),
  /** Pooled ROI of the program's other campaigns launched in the quarter before. */
  previousQuarterRoi: z.number().nullable(),
  targetRoi: z.number().nullable(),
  sectorReferenceRoi: z.number().nullable(),
  /**
   * 'above' when the ROI's lower bound clears the target, 'below' when its upper bound is under it,
   * 'inconclusive' otherwise; null without a target.
   */
  vsTarget: z.enum(['above', 'below', 'inconclusive']).nullable(),
  vsPreviousQuarter: z.enum(['better', 'worse', 'inconclusive']).nullable(),
});
export type Benchmark = z.infer<typeof BenchmarkSchema>;

export const RoiBreakdownRowSchema = z.object({
  /** The segment name, or the cohort (acquisition quarter or month). */
  value: z.string(),
  treatedCustomers: z.number().int(),
  holdoutCustomers: z.number().int(),
  /** Share of the campaign's costs charged to these customers (their share of treated customers). */
  costsPv: z.number(),
  incrementalMarginPv: ValueIntervalSchema,
  roi: ValueIntervalSchema,
  verdict: RoiVerdictSchema,
});
export type RoiBreakdownRow = z.infer<typeof RoiBreakdownRowSchema>;

export const RoiBreakdownSchema = z.object({
  by: z.enum(['segment', 'cohort']),
  /** The analysis dimension the rows come from. */
  dimension: z.string(),
  rows: z.array(RoiBreakdownRowSchema),
  note: z.string(),
});
export type RoiBreakdown = z.infer<typeof RoiBreakdownSchema>;

export const CampaignRoiSchema = z.object({
  campaignId: IdSchema,
  campaignKey: KeySchema,
  experimentId: IdSchema,
  /** The results snapshot the figures come from. */
  snapshot: z.object({ id: z.string(), computedAt: DateTimeSchema }),
  variantKey: KeySchema,
  treatedCustomers: z.number().int(),
  holdoutCustomers: z.number().int(),
  horizonMonths: z.number().int(),
  observedMonths: z.number().int(),
  annualDiscountRate: z.number(),
  /** Confidence level of every interval (that of the analysis). */
  confidenceLevel: z.number(),
  srmFlagged: z.boolean(),
  /** The headline: lift after the last observed month carried to the end of the horizon. */
  projected: RoiFigureSchema,
  /** Only the months observed so far, against the whole ledger. */
  observed: RoiFigureSchema,
  streams: z.array(StreamRoiSchema),
  costs: CostSummarySchema,
  /** Incremental margin per treated customer per month at which the projected ROI is 0. */
  breakEvenMarginPerCustomerPerMonth: z.number(),
  ltvToCac: LtvToCacSchema.nullable(),
  benchmark: BenchmarkSchema,
  breakdown: RoiBreakdownSchema.nullable(),
});
export type CampaignRoi = z.infer<typeof CampaignRoiSchema>;

export const CampaignRoiQuerySchema = z
  .object({
    by: z.enum(['segment', 'cohort']).optional(),
  })
  .strict();
export type CampaignRoiQuery = z.infer<typeof CampaignRoiQuerySchema>;

// ---------------------------------------------------------------------------------------------------------------
// Planning before launch

const PositiveRule = z.number('type_number').gt(0, 'gt_0');
const OpenFractionRule = z.number('type_number').gt(0, 'gt_0').lt(1, 'lt_1');

export const PlanMetricSchema = z.discriminatedUnion(
  'type',
  [
    z
      .object({
        type: z.literal('mean'),
        /** Revenue per customer per month without the campaign. */
        baselineMean: PositiveRule,
        /** Per-customer standard deviation of that monthly revenue. */
        standardDeviation: PositiveRule,
      })
      .strict(),
    z
      .object({
        type: z.literal('proportion'),
        /** Share of customers converting in a month without the campaign. */
        baselineRate: OpenFractionRule,
        /** Revenue of one conversion. */
        valuePerConversion: PositiveRule,
      })
      .strict(),
  ],
  { error: 'one_of' },
);
export type PlanMetric = z.infer<typeof PlanMetricSchema>;

export const CampaignPlanRequestSchema = z
  .object({
    /** Customers entering the test, holdout included. */
    audienceSize: z.number('type_number').int('integer').min(2, 'min_2'),
    /** Share of the audience kept as holdout. */
    holdoutShare: OpenFractionRule.default(0.1),
    metric: PlanMetricSchema,
    /** Assumed relative lift of the metric (0.05 = +5%). */
    assumedLift: z.number('type_number').gt(-1, 'gt_-1'),
    stream: RevenueStreamSchema.default('other'),
    grossMargin: z.number('type_number').gt(0, 'gt_0').max(1, 'max_1'),
    horizonMonths: HorizonSchema.default(12),
    annualDiscountRate: DiscountRateSchema.default(0.1),
    costs: z.array(CostLineInputSchema).min(1, 'min_1').max(500, 'max_500'),
    alpha: OpenFractionRule.default(0.05),
    power: OpenFractionRule.default(0.8),
    /** Customers entering per day, to turn sample sizes into days. */
    dailyTraffic: PositiveRule.optional(),
  })
  .strict();
export type CampaignPlanRequest = z.input<typeof CampaignPlanRequestSchema>;
export type CampaignPlanRequestParsed = z.output<typeof CampaignPlanRequestSchema>;

export const LiftBothWaysSchema = z.object({
  /** Relative to the baseline (0.05 = +5%). */
  relative: z.number(),
  /** Revenue per treated customer per month. */
  valuePerCustomerPerMonth: z.number(),
});

export const CampaignPlanSchema = z.object({
  treatedCustomers: z.number().int(),
  holdoutCustomers: z.number().int(),
  whatIf: z.object({
    lift: LiftBothWaysSchema,
    roi: z.number(),
    incrementalMarginPv: z.number(),
    costsPv: z.number(),
    netPv: z.number(),
    paybackMonth: z.number().int().nullable(),
  }),
  breakEven: LiftBothWaysSchema,
  /**
   * Smallest lift the test detects with the requested power at this holdout share and audience; null when no
   * lift the metric allows reaches the power.
   */
  minimumDetectableEffect: LiftBothWaysSchema.nullable(),
  /** True when the test can tell a campaign that just pays back from one with no effect. */
  canProvePayback: z.boolean(),
  message: z.string(),
  /** Holdout share, at the same audience, that would make the MDE no larger than the break-even lift. */
  proposedHoldoutShare: z.number().nullable(),
  /** Audience (all arms) that would, at the chosen holdout share, detect the break-even lift. */
  proposedAudienceSize: z.number().int().nullable(),
  /** Days to enrol the proposed audience at dailyTraffic; null without dailyTraffic. */
  proposedDurationDays: z.number().int().nullable(),
});
export type CampaignPlan = z.infer<typeof CampaignPlanSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Program targets

export const ProgramTargetsUpdateSchema = z
  .object({
    /** ROI the program should reach (0.5 = +50% on its costs). */
    targetRoi: z.number('type_number').min(-1, 'min_-1').nullable(),
    /** Optional external reference ROI for the sector, and where it comes from. */
    sectorReferenceRoi: z.number('type_number').min(-1, 'min_-1').nullable().default(null),
    sectorReferenceSource: z.string().trim().max(500, 'max_length').nullable().default(null),
  })
  .strict();
export type ProgramTargetsUpdate = z.input<typeof ProgramTargetsUpdateSchema>;
export type ProgramTargetsUpdateParsed = z.output<typeof ProgramTargetsUpdateSchema>;

export const ProgramQuarterSchema = z.object({
  quarter: z.string(),
  campaigns: z.number().int(),
  /** (Σ PV margin − Σ PV costs) / Σ PV costs over the quarter's measurable campaigns; null if none. */
  pooledRoi: z.number().nullable(),
  costsPv: z.number(),
  incrementalMarginPv: z.number(),
});
export type ProgramQuarter = z.infer<typeof ProgramQuarterSchema>;

export const ProgramTargetsSchema = z.object({
  programKey: KeySchema,
  targetRoi: z.number().nullable(),
  sectorReferenceRoi: z.number().nullable(),
  sectorReferenceSource: z.string().nullable(),
  updatedAt: DateTimeSchema.nullable(),
  /** The program's pooled ROI per launch quarter, oldest first. */
  trend: z.array(ProgramQuarterSchema),
});
export type ProgramTargets = z.infer<typeof ProgramTargetsSchema>;
