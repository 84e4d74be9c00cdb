import { z } from 'zod';
import {
  DateTimeSchema,
  ExternalIdSchema,
  IdSchema,
  KeySchema,
  NameSchema,
  PaginationQuerySchema,
} from './common';

/**
 * Health signals: rules on customer behaviour (events) with a threshold and a window. A rule that holds for a
 * customer opens one signal for them, owned by a team with a response time (SLA), and applies the rule's
 * intervention once: enroll the customer in a sequence, or create a task for a person. The signal resolves
 * itself when the condition stops holding, or is resolved by hand.
 */

export const SignalKindSchema = z.enum([
  'onboarding_incomplete',
  'usage_drop',
  'support_tickets',
  'spend_spike',
]);
export type SignalKind = z.infer<typeof SignalKindSchema>;

const EventNameSchema = z.string().trim().min(1, 'required').max(200, 'max_length');
const DaysSchema = z.number('type_number').int('integer').min(1, 'min_1').max(365, 'max_365');
const PercentSchema = z.number('type_number').gt(0, 'greater_than_0').max(100, 'max_100');

/**
 * Onboarding not completed by day `days`: the customer started (acquisition date, else when the record was
 * created) at least `days` days ago and has no `completionEvent` event. `lookbackDays` (optional) ignores customers
 * who started longer ago than that, so long-standing customers without the event are not flagged forever.
 */
export const OnboardingIncompleteParamsSchema = z
  .object({
    days: DaysSchema,
    completionEvent: EventNameSchema,
    lookbackDays: z.number('type_number').int('integer').min(1, 'min_1').max(3650, 'max_3650').optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.lookbackDays !== undefined && p.lookbackDays < p.days) {
      ctx.addIssue({ code: 'custom', path: ['lookbackDays'], message: 'at_least_days' });
    }
  });

/**
 * Usage down by at least `percent` % week over week: events in the last 7 days against the 7 days before (activity
 * events, or every event named `eventName`). Customers without usage in the earlier week are never flagged.
 */
export const UsageDropParamsSchema = z
  .object({ percent: PercentSchema, eventName: EventNameSchema.optional() })
  .strict();

/** At least `count` events named `eventName` (e.g. `support_ticket`) in the last `days` days. */
export const SupportTicketsParamsSchema = z
  .object({
    count: z.number('type_number').int('integer').min(1, 'min_1').max(10_000, 'max_10000'),
    days: DaysSchema.default(7),
    eventName: EventNameSchema,
  })
  .strict();

/**
 * Spend spike: order amounts in the last `days` days at least `multiple` × (or `percent` % above) those of the
 * `days` days before. Exactly one of `multiple` and `percent`. Customers who spent nothing in the earlier window
 * are never flagged (there is no baseline to spike from).
 */
export const SpendSpikeParamsSchema = z
  .object({
    multiple: z.number('type_number').gt(1, 'greater_than_1').max(1000, 'max_1000').optional(),
    percent: z.number('type_number').gt(0, 'greater_than_0').max(100_000, 'max_100000').optional(),
    days: DaysSchema,
  })
  .strict()
  .superRefine((p, ctx) => {
    if ((p.multiple === undefined) === (p.percent === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['multiple'], message: 'exactly_one_of_multiple_percent' });
    }
  });

/** The params schema of each kind: PATCH bodies carry params without a kind, the server checks them by it. */
export const SignalParamsSchemas = {
  onboarding_incomplete: OnboardingIncompleteParamsSchema,
  usage_drop: UsageDropParamsSchema,
  support_tickets: SupportTicketsParamsSchema,
  spend_spike: SpendSpikeParamsSchema,
} as const;

export type OnboardingIncompleteParams = z.output<typeof OnboardingIncompleteParamsSchema>;
export type UsageDropParams = z.output<typeof UsageDropParamsSchema>;
export type SupportTicketsParams = z.output<typeof SupportTicketsParamsSchema>;
export type SpendSpikeParams = z.output<typeof SpendSpikeParamsSchema>;

/** Rule kind with its params, as stored and as shown. */
export type SignalCondition =
  | { kind: 'onboarding_incomplete'; params: OnboardingIncompleteParams }
  | { kind: 'usage_drop'; params: UsageDropParams }
  | { kind: 'support_tickets'; params: SupportTicketsParams }
  | { kind: 'spend_spike'; params: SpendSpikeParams };

/** What happens once when a signal opens. */
export const SignalInterventionSchema = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('enroll'), sequenceKey: KeySchema }).strict(),
    z
      .object({
        type: z.literal('task'),
        /** Who the task is for: a person or a team queue (free text, e.g. an e-mail address). */
        owner: z.string().trim().min(1, 'required').max(200, 'max_length'),
        title: z.string().trim().min(1, 'required').max(200, 'max_length'),
        instructions: z.string().max(5000, 'max_length').optional(),
        /** Hours after the signal opened when the task is due; the rule's SLA when left out. */
        dueInHours: z.number('type_number').int('integer').min(1, 'min_1').max(8760, 'max_8760').optional(),
      })
      .strict(),
  ],
  { error: 'one_of' },
);
export type SignalIntervention = z.infer<typeof SignalInterventionSchema>;

const OwnerTeamSchema = z.string().trim().min(1, 'required').max(100, 'max_length');
const SlaHoursSchema = z.number('type_number').int('integer').min(1, 'min_1').max(8760, 'max_8760');

const RuleCommon = {
  key: KeySchema,
  name: NameSchema,
  ownerTeam: OwnerTeamSchema,
  /** Response time: an open signal is breached this many hours after it opened. */
  slaHours: SlaHoursSchema,
  intervention: SignalInterventionSchema,
  enabled: z.boolean('type_boolean').default(true),
};

export const SignalRuleCreateSchema = z.discriminatedUnion(
  'kind',
  [
    z
      .object({
        ...RuleCommon,
        kind: z.literal('onboarding_incomplete'),
        params: OnboardingIncompleteParamsSchema,
      })
      .strict(),
    z.object({ ...RuleCommon, kind: z.literal('usage_drop'), params: UsageDropParamsSchema }).strict(),
    z
      .object({ ...RuleCommon, kind: z.literal('support_tickets'), params: SupportTicketsParamsSchema })
      .strict(),
    z.object({ ...RuleCommon, kind: z.literal('spend_spike'), params: SpendSpikeParamsSchema }).strict(),
  ],
  { error: 'one_of' },
);
export type SignalRuleCreate = z.input<typeof SignalRuleCreateSchema>;
export type SignalRuleCreateParsed = z.output<typeof SignalRuleCreateSchema>;

/** PATCH body; `params` are checked against the rule's kind (which cannot change). */
export const SignalRuleUpdateSchema = z
  .object({
    name: NameSchema,
    params: z.record(z.string(), z.unknown()),
    ownerTeam: OwnerTeamSchema,
    slaHours: SlaHoursSchema,
    intervention: SignalInterventionSchema,
    enabled: z.boolean('type_boolean'),
  })
  .partial()
  .strict()
  .superRefine((body, ctx) => {
    if (Object.keys(body).length === 0) ctx.addIssue({ code: 'custom', path: [], message: 'empty_update' });
  });
export type SignalRuleUpdate = z.infer<typeof SignalRuleUpdateSchema>;

export const SignalRuleSchema = z.object({
  id: IdSchema,
  key: z.string(),
  name: z.string(),
  kind: SignalKindSchema,
  params: z.record(z.string(), z.unknown()),
  /** The rule in words, e.g. "Usage down ≥ 50% week over week". */
  description: z.string(),
  ownerTeam: z.string(),
  slaHours: z.number().int(),
  intervention: SignalInterventionSchema,
  enabled: z.boolean(),
  openSignals: z.number().int(),
  createdAt: DateTimeSchema,
});
export type SignalRule = z.infer<typeof SignalRuleSchema>;

export const SignalRuleListSchema = z.object({ items: z.array(SignalRuleSchema) });
export type SignalRuleList = z.infer<typeof SignalRuleListSchema>;

/** What one evaluation of a rule did. */
export const SignalEvaluationSchema = z.object({
  ruleId: IdSchema,
  ruleKey: z.string(),
  evaluatedAt: DateTimeSchema,
  /** Customers for whom the condition holds now. */
  matching: z.number().int(),
  opened: z.number().int(),
  resolved: z.number().int(),
  /** Interventions applied by this run (new signals, and earlier ones whose intervention had failed). */
  interventionsApplied: z.number().int(),
  interventionErrors: z.array(z.object({ signalId: IdSchema, error: z.string() })),
});
export type SignalEvaluation = z.infer<typeof SignalEvaluationSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Signals and the board

export const SignalStatusSchema = z.enum(['open', 'resolved']);
/**
 * SLA of a signal. Open: `on_time`, `due_soon` (in the last quarter of its response time) or `breached` (open at or
 * after its due time). Resolved: `on_time` when resolved before its due time, else `breached`.
 */
export const SlaStatusSchema = z.enum(['on_time', 'due_soon', 'breached']);
export type SlaStatus = z.infer<typeof SlaStatusSchema>;

export const HealthSignalSchema = z.object({
  id: IdSchema,
  ruleId: IdSchema,
  ruleKey: z.string(),
  ruleName: z.string(),
  kind: SignalKindSchema,
  ownerTeam: z.string(),
  customerId: IdSchema,
  customerExternalId: z.string(),
  status: SignalStatusSchema,
  openedAt: DateTimeSchema,
  dueAt: DateTimeSchema,
  resolvedAt: DateTimeSchema.nullable(),
  resolvedBy: z.string().nullable(),
  sla: SlaStatusSchema,
  /** The measured values that fired the rule (counts, amounts, windows). */
  details: z.record(z.string(), z.unknown()),
  /** When the intervention was applied (null: pending or failed, retried on the next evaluation) and its outcome. */
  interventionAt: DateTimeSchema.nullable(),
  intervention: z.record(z.string(), z.unknown()).nullable(),
});
export type HealthSignal = z.infer<typeof HealthSignalSchema>;

export const SignalListQuerySchema = PaginationQuerySchema.extend({
  status: SignalStatusSchema.optional(),
  ruleId: z.uuid('format_uuid').optional(),
  ownerTeam: OwnerTeamSchema.optional(),
  customerExternalId: ExternalIdSchema.optional(),
  sla: SlaStatusSchema.optional(),
});
export type SignalListQuery = z.infer<typeof SignalListQuerySchema>;

export const SignalListSchema = z.object({
  items: z.array(HealthSignalSchema),
  nextCursor: z.string().nullable(),
});
export type SignalList = z.infer<typeof SignalListSchema>;

export const SignalResolveSchema = z
  .object({ note: z.string().trim().max(2000, 'max_length').optional() })
  .strict();
export type SignalResolve = z.infer<typeof SignalResolveSchema>;

export const SignalBoardQuerySchema = z.object({
  ownerTeam: OwnerTeamSchema.optional(),
  /** Most signals listed per rule (oldest first); counts always cover every open signal. */
  perRule: z.coerce.number().int('integer').min(1, 'min_1').max(200, 'max_200').default(20),
});
export type SignalBoardQuery = z.infer<typeof SignalBoardQuerySchema>;

const SlaCountsSchema = z.object({
  open: z.number().int(),
  dueSoon: z.number().int(),
  breached: z.number().int(),
});

export const SignalBoardRuleSchema = SlaCountsSchema.extend({
  ruleId: IdSchema,
  ruleKey: z.string(),
  ruleName: z.string(),
  kind: SignalKindSchema,
  description: z.string(),
  slaHours: z.number().int(),
  oldestOpenedAt: DateTimeSchema,
  /** Oldest first, at most `perRule`. */
  signals: z.array(HealthSignalSchema),
});

export const SignalBoardTeamSchema = SlaCountsSchema.extend({
  ownerTeam: z.string(),
  oldestOpenedAt: DateTimeSchema,
  /** Rules with open signals, the one with the oldest open signal first. */
  rules: z.array(SignalBoardRuleSchema),
});

/** Open signals by owner team and rule, oldest first, with SLA breaches counted and flagged on each signal. */
export const SignalBoardSchema = SlaCountsSchema.extend({
  generatedAt: DateTimeSchema,
  teams: z.array(SignalBoardTeamSchema),
});
export type SignalBoard = z.infer<typeof SignalBoardSchema>;
export type SignalBoardTeam = z.infer<typeof SignalBoardTeamSchema>;
export type SignalBoardRule = z.infer<typeof SignalBoardRuleSchema>;
