import { z } from 'zod';
import { DateTimeSchema, ExternalIdSchema, KeySchema } from './common';
import { ExperimentKindSchema, TargetingRuleSchema } from './experiments';

/** Largest customers × experiments product one /v1/assign call may ask for. */
export const MAX_ASSIGN_PAIRS = 10_000;

export const AssignRequestSchema = z
  .object({
    /** Customers by their external id. */
    customers: z.array(ExternalIdSchema).min(1, 'min_1').max(1000, 'max_1000'),
    /** Experiment keys; absent means every running experiment. */
    experiments: z.array(KeySchema).min(1, 'min_1').max(100, 'max_100').optional(),
  })
  .strict()
  .refine((r) => r.customers.length * (r.experiments?.length ?? 1) <= MAX_ASSIGN_PAIRS, {
    path: ['customers'],
    message: 'max_10000_pairs',
  });
export type AssignRequest = z.infer<typeof AssignRequestSchema>;

/**
 * Why a customer did or did not get a variant. Checked in this order: unknown customer, experiment not
 * running, global holdout, stored (sticky) assignment, targeting, namespace, coverage.
 */
export const AssignReasonSchema = z.enum([
  'assigned',
  'sticky',
  'unknown_customer',
  'unknown_experiment',
  'not_running',
  'global_holdout',
  'not_targeted',
  'namespace',
  'not_covered',
]);
export type AssignReason = z.infer<typeof AssignReasonSchema>;

export const AssignmentResultSchema = z.object({
  customer: ExternalIdSchema,
  experiment: KeySchema,
  inExperiment: z.boolean(),
  /** Variant key; null when not in the experiment. */
  variant: KeySchema.nullable(),
  reason: AssignReasonSchema,
  assignedAt: DateTimeSchema.nullable(),
});
export type AssignmentResult = z.infer<typeof AssignmentResultSchema>;

export const AssignResponseSchema = z.object({ assignments: z.array(AssignmentResultSchema) });
export type AssignResponse = z.infer<typeof AssignResponseSchema>;

// ---------------------------------------------------------------------------------------------------------------
// SDK payload: everything an SDK needs to evaluate running experiments locally, byte-compatible with the
// types of @liftlab/sdk.

export const SdkVariantSchema = z.object({
  key: KeySchema,
  weight: z.number(),
  isControl: z.boolean(),
});

export const SdkExperimentSchema = z.object({
  key: KeySchema,
  kind: ExperimentKindSchema,
  seed: z.string(),
  hashVersion: z.number().int(),
  coverage: z.number(),
  variants: z.array(SdkVariantSchema),
  /** GrowthBook-style namespace: [namespace key, start, end). */
  namespace: z.tuple([z.string(), z.number(), z.number()]).nullable(),
  targeting: z.array(TargetingRuleSchema),
});
export type SdkExperiment = z.infer<typeof SdkExperimentSchema>;

export const SdkGlobalHoldoutSchema = z.object({
  seed: z.string(),
  /** Percentage points, 0..50. */
  percent: z.number(),
});

export const SdkPayloadQuerySchema = z.object({
  /** Comma-separated external ids whose stored assignments should be embedded (at most 100). */
  customers: z
    .string()
    .optional()
    .transform((s) => (s ? s.split(',').filter((x) => x.length > 0) : []))
    .pipe(z.array(ExternalIdSchema).max(100, 'max_100')),
});

export const SdkStickyCustomerSchema = z.object({
  /** Stored global-holdout decision; absent when not decided yet. */
  globalHoldout: z.boolean().optional(),
  /** experiment key → variant key, as stored on the server. */
  assignments: z.record(z.string(), z.string()),
});

export const SdkPayloadSchema = z.object({
  version: z.literal(1),
  generatedAt: DateTimeSchema,
  globalHoldout: SdkGlobalHoldoutSchema.nullable(),
  experiments: z.array(SdkExperimentSchema),
  /** externalId → stored decisions; they win over hashing so that nobody moves after a ramp. */
  sticky: z.record(z.string(), SdkStickyCustomerSchema),
});
export type SdkPayload = z.infer<typeof SdkPayloadSchema>;
