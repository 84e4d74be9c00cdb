import { z } from 'zod';
import {
  DateTimeSchema,
  FractionSchema,
  IdSchema,
  KeySchema,
  NameSchema,
  PaginationQuerySchema,
} from './common';

export const ExperimentKindSchema = z.enum(['ab', 'holdout']);
export type ExperimentKind = z.infer<typeof ExperimentKindSchema>;

export const ExperimentStatusSchema = z.enum(['draft', 'running', 'stopped', 'concluded']);
export type ExperimentStatus = z.infer<typeof ExperimentStatusSchema>;

export const EngineSchema = z.enum(['frequentist', 'sequential', 'bayesian']);
export type Engine = z.infer<typeof EngineSchema>;

export const MetricRoleSchema = z.enum(['primary', 'secondary', 'guardrail']);
export type MetricRole = z.infer<typeof MetricRoleSchema>;

/** Arm keys of a holdout experiment: the control group that gets nothing, and everyone treated. */
export const HOLDOUT_CONTROL_KEY = 'holdout';
export const HOLDOUT_TREATED_KEY = 'treated';

/** Weights are floats typed by people; they must add up to 1 within this tolerance. */
export const WEIGHT_SUM_TOLERANCE = 1e-6;

// ---------------------------------------------------------------------------------------------------------------
// Variants

export const VariantInputSchema = z
  .object({
    key: KeySchema,
    name: NameSchema,
    weight: FractionSchema,
    /** The arm the others are compared against. When no arm is flagged, the first one is the control. */
    isControl: z.boolean().optional(),
  })
  .strict();
export type VariantInput = z.infer<typeof VariantInputSchema>;

type Issue = (path: (string | number)[], rule: string) => void;

/** Checks a list of arms on its own (without knowing the experiment kind). */
export function checkVariants(variants: readonly VariantInput[], issue: Issue): void {
  if (variants.length < 2) {
    issue([], 'at_least_2');
    return;
  }
  const seen = new Set<string>();
  variants.forEach((v, i) => {
    if (seen.has(v.key)) issue([i, 'key'], 'unique');
    seen.add(v.key);
  });
  const sum = variants.reduce((s, v) => s + v.weight, 0);
  if (Math.abs(sum - 1) > WEIGHT_SUM_TOLERANCE) issue([], 'weights_sum_to_1');
  if (variants.filter((v) => v.isControl === true).length > 1) issue([], 'one_control');
}

/**
 * A holdout experiment has exactly two arms: 'holdout' (the control that receives nothing) and 'treated'.
 * The holdout arm is the control whatever flags say.
 */
export function checkHoldoutVariants(variants: readonly VariantInput[], issue: Issue): void {
  const keys = variants.map((v) => v.key).sort();
  if (keys.length !== 2 || keys[0] !== HOLDOUT_CONTROL_KEY || keys[1] !== HOLDOUT_TREATED_KEY) {
    issue([], 'holdout_arms');
    return;
  }
  variants.forEach((v, i) => {
    if (v.key === HOLDOUT_TREATED_KEY && v.isControl === true) issue([i, 'isControl'], 'holdout_is_control');
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Targeting

export const TargetingOperatorSchema = z.enum([
  'eq',
  'neq',
  'in',
  'not_in',
  'gt',
  'gte',
  'lt',
  'lte',
  'contains',
  'exists',
  'not_exists',
]);
export type TargetingOperator = z.infer<typeof TargetingOperatorSchema>;

const ScalarSchema = z.union([z.string().max(500, 'max_length'), z.number(), z.boolean()]);

/**
 * Attribute path into the customer: a column (segment, plan, country, timezone, acquisitionChannel,
 * acquisitionDate, externalId) or a trait, written `traits.<name>`.
 */
export const AttributePathSchema = z
  .string()
  .min(1, 'required')
  .max(200, 'max_length')
  .regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_-]+)*$/, 'attribute_path');

export const AttributeRuleSchema = z
  .object({
    type: z.literal('attribute'),
    attribute: AttributePathSchema,
    operator: TargetingOperatorSchema,
    value: z.union([ScalarSchema, z.array(ScalarSchema).max(1000, 'max_1000')]).optional(),
  })
  .strict()
  .superRefine((rule, ctx) => {
    const issue = (rule_: string) => ctx.addIssue({ code: 'custom', path: ['value'], message: rule_ });
    const list = Array.isArray(rule.value);
    switch (rule.operator) {
      case 'exists':
      case 'not_exists':
        if (rule.value !== undefined) issue('no_value_for_exists');
        break;
      case 'in':
      case 'not_in':
        if (!list || (rule.value as unknown[]).length === 0) issue('non_empty_list');
        break;
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte':
        if (typeof rule.value !== 'number' && typeof rule.value !== 'string') issue('number_or_string');
        break;
      default:
        if (rule.value === undefined || list) issue('scalar');
    }
  });
export type AttributeRule = z.infer<typeof AttributeRuleSchema>;

/** Shortcut for the most common rule: the customer's segment is (or is not) one of these. */
export const SegmentRuleSchema = z
  .object({
    type: z.literal('segment'),
    operator: z.enum(['in', 'not_in']).default('in'),
    segments: z.array(z.string().min(1, 'required').max(200, 'max_length')).min(1, 'non_empty_list'),
  })
  .strict();
export type SegmentRule = z.infer<typeof SegmentRuleSchema>;

/** All rules of an experiment must hold (AND) for a customer to be eligible. */
export const TargetingRuleSchema = z.discriminatedUnion('type', [AttributeRuleSchema, SegmentRuleSchema]);
export type TargetingRule = z.infer<typeof TargetingRuleSchema>;
export const TargetingSchema = z.array(TargetingRuleSchema).max(50, 'max_50');

// ---------------------------------------------------------------------------------------------------------------
// Namespaces

/** Experiments in one namespace take disjoint slices [start, end) of it, so no customer is in two of them. */
export const NamespaceRangeInputSchema = z
  .object({
    key: KeySchema,
    start: FractionSchema,
    end: FractionSchema,
  })
  .strict()
  .refine((r) => r.start < r.end, { path: ['end'], message: 'greater_than_start' });
export type NamespaceRangeInput = z.infer<typeof NamespaceRangeInputSchema>;

export const NamespaceCreateSchema = z.object({ key: KeySchema, name: NameSchema }).strict();
export type NamespaceCreate = z.infer<typeof NamespaceCreateSchema>;

export const NamespaceSchema = z.object({
  id: IdSchema,
  key: KeySchema,
  name: z.string(),
  /** Slices taken by experiments, sorted by start. */
  ranges: z.array(
    z.object({
      experimentId: IdSchema,
      experimentKey: KeySchema,
      status: ExperimentStatusSchema,
      start: z.number(),
      end: z.number(),
    }),
  ),
});
export type Namespace = z.infer<typeof NamespaceSchema>;
export const NamespaceListSchema = z.object({ items: z.array(NamespaceSchema) });

// ---------------------------------------------------------------------------------------------------------------
// Global holdout

/**
 * The workspace-wide control group excluded from every campaign. `percent` is in percentage points (5 = 5%).
 * Membership is decided once per customer and then kept, so changing the percent only affects customers not
 * seen yet.
 */
export const GlobalHoldoutUpdateSchema = z
  .object({
    percent: z.number().min(0, 'min_0').max(50, 'max_50'),
  })
  .strict();
export type GlobalHoldoutUpdate = z.infer<typeof GlobalHoldoutUpdateSchema>;

export const GlobalHoldoutSchema = z.object({
  percent: z.number(),
  seed: z.string(),
  /** Customers decided to be in the holdout so far. */
  members: z.number().int(),
  /** Customers decided to be outside it so far. */
  nonMembers: z.number().int(),
});
export type GlobalHoldout = z.infer<typeof GlobalHoldoutSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Experiments

export const ExperimentMetricInputSchema = z
  .object({ metricKey: KeySchema, role: MetricRoleSchema })
  .strict();
export type ExperimentMetricInput = z.infer<typeof ExperimentMetricInputSchema>;

function checkMetrics(metrics: readonly ExperimentMetricInput[], issue: Issue): void {
  const seen = new Set<string>();
  metrics.forEach((m, i) => {
    if (seen.has(m.metricKey)) issue([i, 'metricKey'], 'unique');
    seen.add(m.metricKey);
  });
  if (metrics.filter((m) => m.role === 'primary').length > 1) issue([], 'at_most_one_primary');
}

const ExperimentFieldsSchema = z.object({
  key: KeySchema,
  name: NameSchema,
  kind: ExperimentKindSchema.default('ab'),
  hypothesis: z.string().max(5000, 'max_length').default(''),
  /** Hashing seed; defaults to the key, as in GrowthBook. */
  seed: z.string().min(1, 'required').max(200, 'max_length').optional(),
  /** Share of eligible customers who enter the experiment at all. */
  coverage: FractionSchema.default(1),
  variants: z.array(VariantInputSchema).max(20, 'max_20'),
  namespace: NamespaceRangeInputSchema.nullable().optional(),
  targeting: TargetingSchema.default([]),
  engine: EngineSchema.default('frequentist'),
  metrics: z.array(ExperimentMetricInputSchema).max(50, 'max_50').default([]),
});

export const ExperimentCreateSchema = ExperimentFieldsSchema.strict().superRefine((exp, ctx) => {
  const at =
    (field: string): Issue =>
    (path, rule) =>
      ctx.addIssue({ code: 'custom', path: [field, ...path], message: rule });
  checkVariants(exp.variants, at('variants'));
  if (exp.kind === 'holdout') checkHoldoutVariants(exp.variants, at('variants'));
  checkMetrics(exp.metrics, at('metrics'));
});
export type ExperimentCreate = z.input<typeof ExperimentCreateSchema>;
export type ExperimentCreateParsed = z.output<typeof ExperimentCreateSchema>;

/**
 * PATCH body. Every field is optional; variants, metrics, kind, seed and namespace are refused once the
 * experiment has started (checked by the server, which knows the status).
 */
export const ExperimentUpdateSchema = z
  .object({
    name: NameSchema,
    kind: ExperimentKindSchema,
    hypothesis: z.string().max(5000, 'max_length'),
    seed: z.string().min(1, 'required').max(200, 'max_length'),
    coverage: FractionSchema,
    variants: z.array(VariantInputSchema).max(20, 'max_20'),
    namespace: NamespaceRangeInputSchema.nullable(),
    targeting: TargetingSchema,
    engine: EngineSchema,
    metrics: z.array(ExperimentMetricInputSchema).max(50, 'max_50'),
  })
  .partial()
  .strict()
  .superRefine((exp, ctx) => {
    const at =
      (field: string): Issue =>
      (path, rule) =>
        ctx.addIssue({ code: 'custom', path: [field, ...path], message: rule });
    if (Object.keys(exp).length === 0) ctx.addIssue({ code: 'custom', path: [], message: 'empty_update' });
    if (exp.variants) {
      checkVariants(exp.variants, at('variants'));
      if (exp.kind === 'holdout') checkHoldoutVariants(exp.variants, at('variants'));
    }
    if (exp.metrics) checkMetrics(exp.metrics, at('metrics'));
  });
export type ExperimentUpdate = z.infer<typeof ExperimentUpdateSchema>;

/**
 * Ramp a running experiment: widen or narrow coverage and/or change weights. Customers already assigned keep
 * their variant; only new customers see the new split.
 */
export const ExperimentRampSchema = z
  .object({
    coverage: FractionSchema.optional(),
    /** New weight per variant key; every variant must be listed and the weights must sum to 1. */
    weights: z.record(KeySchema, FractionSchema).optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.coverage === undefined && r.weights === undefined) {
      ctx.addIssue({ code: 'custom', path: [], message: 'coverage_or_weights' });
    }
    if (r.weights) {
      const sum = Object.values(r.weights).reduce((s, w) => s + w, 0);
      if (Math.abs(sum - 1) > WEIGHT_SUM_TOLERANCE) {
        ctx.addIssue({ code: 'custom', path: ['weights'], message: 'weights_sum_to_1' });
      }
    }
  });
export type ExperimentRamp = z.infer<typeof ExperimentRampSchema>;

export const ExperimentStopSchema = z
  .object({ reason: z.string().max(2000, 'max_length').optional() })
  .strict();
export type ExperimentStop = z.infer<typeof ExperimentStopSchema>;

export const ConclusionDecisionSchema = z.enum(['ship', 'rollback', 'inconclusive']);
export const ExperimentConcludeSchema = z
  .object({
    decision: ConclusionDecisionSchema,
    /** The variant that ships when the decision is 'ship'. */
    winnerVariantKey: KeySchema.optional(),
    notes: z.string().max(5000, 'max_length').optional(),
  })
  .strict()
  .refine((c) => c.decision !== 'ship' || c.winnerVariantKey !== undefined, {
    path: ['winnerVariantKey'],
    message: 'required_for_ship',
  });
export type ExperimentConclude = z.infer<typeof ExperimentConcludeSchema>;

export const VariantSchema = z.object({
  id: IdSchema,
  key: KeySchema,
  name: z.string(),
  weight: z.number(),
  isControl: z.boolean(),
  position: z.number().int(),
});
export type Variant = z.infer<typeof VariantSchema>;

export const ExperimentMetricSchema = z.object({
  metricId: IdSchema,
  metricKey: KeySchema,
  role: MetricRoleSchema,
});
export type ExperimentMetric = z.infer<typeof ExperimentMetricSchema>;

export const ExperimentSchema = z.object({
  id: IdSchema,
  key: KeySchema,
  name: z.string(),
  kind: ExperimentKindSchema,
  hypothesis: z.string(),
  status: ExperimentStatusSchema,
  seed: z.string(),
  hashVersion: z.number().int(),
  coverage: z.number(),
  namespace: z.object({ id: IdSchema, key: KeySchema, start: z.number(), end: z.number() }).nullable(),
  targeting: z.array(TargetingRuleSchema),
  engine: EngineSchema,
  variants: z.array(VariantSchema),
  metrics: z.array(ExperimentMetricSchema),
  startedAt: DateTimeSchema.nullable(),
  stoppedAt: DateTimeSchema.nullable(),
  concludedAt: DateTimeSchema.nullable(),
  frozenAt: DateTimeSchema.nullable(),
  createdAt: DateTimeSchema,
  updatedAt: DateTimeSchema,
});
export type Experiment = z.infer<typeof ExperimentSchema>;

export const ExperimentListQuerySchema = PaginationQuerySchema.extend({
  status: ExperimentStatusSchema.optional(),
});
export type ExperimentListQuery = z.infer<typeof ExperimentListQuerySchema>;

export const ExperimentListSchema = z.object({
  items: z.array(ExperimentSchema),
  nextCursor: z.string().nullable(),
});
export type ExperimentList = z.infer<typeof ExperimentListSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Exposures and sample-ratio mismatch

export const VariantExposureSchema = z.object({
  variantId: IdSchema,
  key: KeySchema,
  weight: z.number(),
  /** Customers assigned to the arm (stored assignments). */
  assigned: z.number().int(),
  /** Distinct customers with at least one exposure event for the arm. */
  exposedCustomers: z.number().int(),
  /** Exposure events for the arm. */
  exposures: z.number().int(),
});
export type VariantExposure = z.infer<typeof VariantExposureSchema>;

export const SrmResultSchema = z.object({
  /** Pearson chi-square statistic of exposed customers per arm against the configured weights. */
  chiSquare: z.number(),
  /** Arms − 1. */
  dof: z.number().int(),
  pValue: z.number(),
  /** True when pValue < threshold: the split is unlikely under the configured weights. */
  flagged: z.boolean(),
  threshold: z.number(),
});
export type SrmResult = z.infer<typeof SrmResultSchema>;

export const ExperimentExposuresSchema = z.object({
  experimentId: IdSchema,
  experimentKey: KeySchema,
  totalExposedCustomers: z.number().int(),
  totalExposures: z.number().int(),
  variants: z.array(VariantExposureSchema),
  /** Null while nobody has been exposed (there is nothing to test). */
  srm: SrmResultSchema.nullable(),
});
export type ExperimentExposures = z.infer<typeof ExperimentExposuresSchema>;
