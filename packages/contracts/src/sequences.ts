import { z } from 'zod';
import {
  DateTimeSchema,
  ExternalIdSchema,
  IdSchema,
  KeySchema,
  NameSchema,
  PaginationQuerySchema,
} from './common';
import { TargetingSchema } from './experiments';

/**
 * Win-back sequences: a dormant audience, an ordered cadence of touches, and a holdout experiment created at
 * launch so the sequence's incremental effect is measured like any other experiment.
 */

export const TouchChannelSchema = z.enum(['email', 'in_app', 'webhook', 'call_task']);
export type TouchChannel = z.infer<typeof TouchChannelSchema>;

export const SequenceStatusSchema = z.enum(['draft', 'running', 'paused', 'archived']);
export type SequenceStatus = z.infer<typeof SequenceStatusSchema>;

export const EnrollmentArmSchema = z.enum(['treated', 'holdout']);
export type EnrollmentArm = z.infer<typeof EnrollmentArmSchema>;

export const EnrollmentStatusSchema = z.enum(['active', 'completed', 'exited', 'holdout']);
export type EnrollmentStatus = z.infer<typeof EnrollmentStatusSchema>;

/** Event types that count as reactivation: they define "last activity" and exit an enrolled customer. */
export const ActivityEventTypeSchema = z.enum(['order', 'activity', 'conversion']);
export type ActivityEventType = z.infer<typeof ActivityEventTypeSchema>;

const WholeDays = (max: number) =>
  z
    .number('type_number')
    .int('integer')
    .min(0, 'min_0')
    .max(max, `max_${String(max)}`);

// ---------------------------------------------------------------------------------------------------------------
// Audience

/**
 * Who a sequence enrolls. Days inactive = whole days between the customer's last order / activity /
 * conversion event and the audience run; the window is inclusive on both ends. Customers with no such event
 * at all are never in the audience (they were never active, so they are not dormant).
 */
export const AudienceRulesSchema = z
  .object({
    minDaysInactive: WholeDays(3650).default(60),
    maxDaysInactive: WholeDays(3650).default(120),
    /** Sum of the customer's order amounts, all time, at least this much. */
    minPriorSpend: z.number('type_number').min(0, 'min_0').default(0),
    /** Customer segment is one of these (empty = any segment). */
    segments: z
      .array(z.string().trim().min(1, 'required').max(200, 'max_length'))
      .max(100, 'max_100')
      .default([]),
    /** Further conditions on customer columns and traits; same shape as experiment targeting (all must hold). */
    conditions: TargetingSchema.default([]),
    /** Leave out customers who were sent any message (any sequence) in the last N days; 0 turns it off. */
    excludeContactedWithinDays: WholeDays(365).default(14),
    /** Leave out members of the workspace's global holdout (they must see no campaign). */
    excludeGlobalHoldout: z.boolean('type_boolean').default(true),
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.maxDaysInactive < a.minDaysInactive) {
      ctx.addIssue({ code: 'custom', path: ['maxDaysInactive'], message: 'at_least_min_days_inactive' });
    }
  });
export type AudienceRules = z.output<typeof AudienceRulesSchema>;
export type AudienceRulesInput = z.input<typeof AudienceRulesSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Touch content

const Liquid = (max: number) => z.string().max(max, 'max_length');
const LiquidRequired = (max: number) => z.string().trim().min(1, 'required').max(max, 'max_length');
const HttpUrlSchema = z
  .string()
  .max(2000, 'max_length')
  .regex(/^https?:\/\/\S+$/i, 'http_url');

/** E-mail: Liquid subject, plain-text body (always sent) and optional HTML body. */
export const EmailContentFields = z.object({
  subject: LiquidRequired(500),
  text: LiquidRequired(50_000),
  html: Liquid(200_000).optional(),
});
/** In-app message fetched by the product; Liquid title and body. */
export const InAppContentFields = z.object({
  title: LiquidRequired(500),
  body: LiquidRequired(10_000),
  ctaUrl: Liquid(2000).optional(),
});
/** Retargeting webhook: signed JSON POST of the customer to this URL. */
export const WebhookContentFields = z.object({ url: HttpUrlSchema });
/** A task for a person ("call this customer"), due some days after the touch fires. */
export const CallTaskContentFields = z.object({
  owner: z.string().trim().min(1, 'required').max(200, 'max_length'),
  title: LiquidRequired(500),
  instructions: Liquid(10_000).default(''),
  dueInDays: WholeDays(90).default(2),
});

/**
 * Optional A/B split of a touch: each variant carries the full content of the channel and a weight; weights
 * sum to 1. Each enrollment receives exactly one variant; the base content is what previews show.
 */
function withVariants<T extends z.ZodRawShape>(fields: z.ZodObject<T>) {
  const variant = fields
    .extend({
      key: KeySchema,
      weight: z.number('type_number').gt(0, 'gt_0').max(1, 'max_1'),
    })
    .strict();
  return fields
    .extend({ variants: z.array(variant).max(10, 'max_10').optional() })
    .strict()
    .superRefine((content, ctx) => {
      const variants = (content as { variants?: { key: string; weight: number }[] }).variants;
      if (variants === undefined) return;
      if (variants.length < 2) {
        ctx.addIssue({ code: 'custom', path: ['variants'], message: 'at_least_2' });
        return;
      }
      const seen = new Set<string>();
      variants.forEach((v, i) => {
        if (seen.has(v.key))
          ctx.addIssue({ code: 'custom', path: ['variants', i, 'key'], message: 'unique' });
        seen.add(v.key);
      });
      const sum = variants.reduce((s, v) => s + v.weight, 0);
      if (Math.abs(sum - 1) > 1e-6)
        ctx.addIssue({ code: 'custom', path: ['variants'], message: 'weights_sum_to_1' });
    });
}

export const EmailContentSchema = withVariants(EmailContentFields);
export const InAppContentSchema = withVariants(InAppContentFields);
export const WebhookContentSchema = withVariants(WebhookContentFields);
export const CallTaskContentSchema = withVariants(CallTaskContentFields);
export type EmailContent = z.output<typeof EmailContentSchema>;
export type InAppContent = z.output<typeof InAppContentSchema>;
export type WebhookContent = z.output<typeof WebhookContentSchema>;
export type CallTaskContent = z.output<typeof CallTaskContentSchema>;
export type TouchContent = EmailContent | InAppContent | WebhookContent | CallTaskContent;

/** Content schema of a channel (used to re-validate stored content, e.g. by template previews). */
export const TOUCH_CONTENT_SCHEMAS = {
  email: EmailContentSchema,
  in_app: InAppContentSchema,
  webhook: WebhookContentSchema,
  call_task: CallTaskContentSchema,
} as const;

// ---------------------------------------------------------------------------------------------------------------
// Touches

const TouchCommon = {
  /** Days after enrollment at which the touch is due; strictly increasing along the sequence. */
  delayDays: WholeDays(365),
  /** A customer who does not match every condition skips this touch (e.g. call only high-value customers). */
  conditions: TargetingSchema.default([]),
  /** Offer attached to the touch (by offer key); its code and expiry are available to templates. */
  offerKey: KeySchema.nullable().optional(),
};

export const TouchInputSchema = z.discriminatedUnion(
  'channel',
  [
    z.object({ channel: z.literal('email'), content: EmailContentSchema, ...TouchCommon }).strict(),
    z.object({ channel: z.literal('in_app'), content: InAppContentSchema, ...TouchCommon }).strict(),
    z.object({ channel: z.literal('webhook'), content: WebhookContentSchema, ...TouchCommon }).strict(),
    z.object({ channel: z.literal('call_task'), content: CallTaskContentSchema, ...TouchCommon }).strict(),
  ],
  { error: 'one_of' },
);
export type TouchInput = z.input<typeof TouchInputSchema>;
export type TouchParsed = z.output<typeof TouchInputSchema>;

const TouchesSchema = z
  .array(TouchInputSchema)
  .min(1, 'at_least_1')
  .max(20, 'max_20')
  .superRefine((touches, ctx) => {
    for (let i = 1; i < touches.length; i++) {
      if (touches[i]!.delayDays <= touches[i - 1]!.delayDays) {
        ctx.addIssue({ code: 'custom', path: [i, 'delayDays'], message: 'strictly_increasing' });
      }
    }
  });

// ---------------------------------------------------------------------------------------------------------------
// Sequences

const HoldoutPercentSchema = z.number('type_number').min(0, 'min_0').max(50, 'max_50');
const MaxEnrollmentsSchema = z
  .number('type_number')
  .int('integer')
  .min(1, 'min_1')
  .max(10_000_000, 'max_10000000')
  .nullable();
const ReentryDaysSchema = z.number('type_number').int('integer').min(1, 'min_1').max(3650, 'max_3650');
const ExitEventTypesSchema = z.array(ActivityEventTypeSchema).max(3, 'max_3');
const MeasurementDaysSchema = z.number('type_number').int('integer').min(1, 'min_1').max(365, 'max_365');

export const SequenceCreateSchema = z
  .object({
    // 96, not 100: the sequence's holdout experiment is keyed `seq-<key>` within the 100-character key limit.
    key: KeySchema.max(96, 'max_length'),
    name: NameSchema,
    audience: AudienceRulesSchema.default({
      minDaysInactive: 60,
      maxDaysInactive: 120,
      minPriorSpend: 0,
      segments: [],
      conditions: [],
      excludeContactedWithinDays: 14,
      excludeGlobalHoldout: true,
    }),
    /** Percentage points (10 = 10%) of each audience assigned to the holdout and never contacted. */
    holdoutPercent: HoldoutPercentSchema.default(10),
    /** At most this many new enrollments per audience run, highest prior spend first; null = no cap. */
    maxEnrollmentsPerRun: MaxEnrollmentsSchema.optional(),
    /** A customer is enrolled at most once per this many days. */
    reentryDays: ReentryDaysSchema.default(180),
    exitEventTypes: ExitEventTypesSchema.default(['order', 'activity']),
    /** Days after enrollment over which treated and holdout are measured. */
    measurementDays: MeasurementDaysSchema.default(30),
    touches: TouchesSchema,
  })
  .strict();
export type SequenceCreate = z.input<typeof SequenceCreateSchema>;
export type SequenceCreateParsed = z.output<typeof SequenceCreateSchema>;

/**
 * Every field optional. Once launched, the holdout share can no longer change (the experiment is frozen),
 * and `touches` may only change content, delays, conditions and offers, keeping the number and channel of
 * touches (sent messages point at them).
 */
export const SequenceUpdateSchema = z
  .object({
    name: NameSchema,
    audience: AudienceRulesSchema,
    holdoutPercent: HoldoutPercentSchema,
    maxEnrollmentsPerRun: MaxEnrollmentsSchema,
    reentryDays: ReentryDaysSchema,
    exitEventTypes: ExitEventTypesSchema,
    measurementDays: MeasurementDaysSchema,
    touches: TouchesSchema,
  })
  .partial()
  .strict()
  .refine((u) => Object.keys(u).length > 0, { message: 'at_least_one_field' });
export type SequenceUpdate = z.input<typeof SequenceUpdateSchema>;
export type SequenceUpdateParsed = z.output<typeof SequenceUpdateSchema>;

export const TouchViewSchema = z.object({
  id: IdSchema,
  position: z.number().int(),
  delayDays: z.number().int(),
  channel: TouchChannelSchema,
  conditions: z.array(z.unknown()),
  content: z.record(z.string(), z.unknown()),
  offerId: IdSchema.nullable(),
  offerKey: KeySchema.nullable(),
});
export type TouchView = z.infer<typeof TouchViewSchema>;

export const EnrollmentCountsSchema = z.object({
  total: z.number().int(),
  treated: z.number().int(),
  holdout: z.number().int(),
  active: z.number().int(),
  completed: z.number().int(),
  exited: z.number().int(),
});
export type EnrollmentCounts = z.infer<typeof EnrollmentCountsSchema>;

export const SequenceViewSchema = z.object({
  id: IdSchema,
  key: KeySchema,
  name: z.string(),
  status: SequenceStatusSchema,
  audience: AudienceRulesSchema,
  holdoutPercent: z.number(),
  maxEnrollmentsPerRun: z.number().int().nullable(),
  reentryDays: z.number().int(),
  exitEventTypes: z.array(z.string()),
  measurementDays: z.number().int(),
  /** The holdout experiment created at launch (null while draft). */
  experimentId: IdSchema.nullable(),
  experimentKey: z.string().nullable(),
  launchedAt: DateTimeSchema.nullable(),
  lastAudienceRunAt: DateTimeSchema.nullable(),
  createdAt: DateTimeSchema,
  updatedAt: DateTimeSchema,
  touches: z.array(TouchViewSchema),
  enrollments: EnrollmentCountsSchema,
});
export type SequenceView = z.infer<typeof SequenceViewSchema>;

export const SequenceListQuerySchema = PaginationQuerySchema.extend({
  status: SequenceStatusSchema.optional(),
}).strict();
export type SequenceListQuery = z.infer<typeof SequenceListQuerySchema>;

export const SequenceListSchema = z.object({
  items: z.array(SequenceViewSchema),
  nextCursor: z.string().nullable(),
});
export type SequenceList = z.infer<typeof SequenceListSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Audience preview and runs

/** Audience rules to preview without saving a sequence. */
export const AudiencePreviewRequestSchema = z
  .object({
    audience: AudienceRulesSchema,
    holdoutPercent: HoldoutPercentSchema.default(10),
    maxEnrollmentsPerRun: MaxEnrollmentsSchema.optional(),
  })
  .strict();
export type AudiencePreviewRequest = z.input<typeof AudiencePreviewRequestSchema>;

/**
 * Counts of an audience run as it would happen now. A customer excluded for several reasons is counted once,
 * under the first reason in this order: suppressed, unsubscribed, recentlyContacted, globalHoldout,
 * alreadyEnrolled; so matched = sum(excluded) + eligible.
 */
export const AudiencePreviewSchema = z.object({
  asOf: DateTimeSchema,
  /** Customers matching the inactivity window, spend, segment and condition rules. */
  matched: z.number().int(),
  excluded: z.object({
    suppressed: z.number().int(),
    unsubscribed: z.number().int(),
    recentlyContacted: z.number().int(),
    globalHoldout: z.number().int(),
    /** In an active enrollment of any sequence, or enrolled in this sequence within its re-entry period. */
    alreadyEnrolled: z.number().int(),
  }),
  eligible: z.number().int(),
  /** Eligible customers after the per-run cap. */
  wouldEnroll: z.number().int(),
  expectedHoldout: z.number().int(),
  expectedTreated: z.number().int(),
  /** The highest prior spenders among those who would be enrolled (priority order). */
  sample: z.array(
    z.object({
      customerId: IdSchema,
      externalId: z.string(),
      segment: z.string().nullable(),
      priorSpend: z.number(),
      daysInactive: z.number().int(),
      lastActivityAt: DateTimeSchema,
    }),
  ),
});
export type AudiencePreview = z.infer<typeof AudiencePreviewSchema>;

/** Outcome of enrolling customers (an audience run, a launch, or a health-signal intervention). */
export const EnrollmentRunSchema = z.object({
  sequenceId: IdSchema,
  enrolled: z.number().int(),
  treated: z.number().int(),
  holdout: z.number().int(),
});
export type EnrollmentRun = z.infer<typeof EnrollmentRunSchema>;

export const SequenceLaunchResultSchema = z.object({
  sequence: SequenceViewSchema,
  run: EnrollmentRunSchema,
});
export type SequenceLaunchResult = z.infer<typeof SequenceLaunchResultSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Enrollments

export const EnrollmentViewSchema = z.object({
  id: IdSchema,
  sequenceId: IdSchema,
  customerId: IdSchema,
  externalId: ExternalIdSchema,
  reentry: z.number().int(),
  arm: EnrollmentArmSchema,
  status: EnrollmentStatusSchema,
  enrolledAt: DateTimeSchema,
  priorSpend: z.number(),
  daysInactive: z.number().int(),
  nextPosition: z.number().int().nullable(),
  nextDueAt: DateTimeSchema.nullable(),
  exitedAt: DateTimeSchema.nullable(),
  exitReason: z.string().nullable(),
  completedAt: DateTimeSchema.nullable(),
});
export type EnrollmentView = z.infer<typeof EnrollmentViewSchema>;

export const EnrollmentListQuerySchema = PaginationQuerySchema.extend({
  arm: EnrollmentArmSchema.optional(),
  status: EnrollmentStatusSchema.optional(),
}).strict();
export type EnrollmentListQuery = z.infer<typeof EnrollmentListQuerySchema>;

export const EnrollmentListSchema = z.object({
  items: z.array(EnrollmentViewSchema),
  nextCursor: z.string().nullable(),
});
export type EnrollmentList = z.infer<typeof EnrollmentListSchema>;
