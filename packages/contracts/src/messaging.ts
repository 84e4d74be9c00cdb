import { z } from 'zod';
import { DateTimeSchema, ExternalIdSchema, IdSchema, paginated, PaginationQuerySchema } from './common';

/**
 * Wire types of the messaging side of win-back sequences: the product's in-app inbox, the suppression list
 * (unsubscribes, bounces, manual entries), call tasks, and the outbox / message log.
 */

export const MESSAGE_CHANNELS = ['email', 'in_app', 'webhook', 'call_task'] as const;
export const MessageChannelSchema = z.enum(MESSAGE_CHANNELS);
export type MessageChannel = z.infer<typeof MessageChannelSchema>;

/** pending → sending → sent | failed | suppressed (see the delivery section of docs/sequences.md). */
export const MESSAGE_STATUSES = ['pending', 'sending', 'sent', 'failed', 'suppressed'] as const;
export const MessageStatusSchema = z.enum(MESSAGE_STATUSES);
export type MessageStatus = z.infer<typeof MessageStatusSchema>;

/** `?flag=true|false` in a query string (absent = no filter). */
const QueryBooleanSchema = z.enum(['true', 'false'], 'one_of').transform((v) => v === 'true');

// ───────────────────────────── in-app inbox ─────────────────────────────

/** An in-app message as the product shows it: `title` and `body` rendered from the touch's Liquid templates. */
export const InboxMessageSchema = z.object({
  id: IdSchema,
  title: z.string().nullable(),
  body: z.string().nullable(),
  html: z.string().nullable(),
  /** Extra rendered data of the touch (call-to-action URL, offer), as the sequence defined it. */
  data: z.unknown().nullable(),
  sequenceId: IdSchema,
  offerCode: z.string().nullable(),
  offerExpiresAt: DateTimeSchema.nullable(),
  /** When it became available in the inbox. */
  sentAt: DateTimeSchema,
  seenAt: DateTimeSchema.nullable(),
});
export type InboxMessage = z.infer<typeof InboxMessageSchema>;

/** Query of GET /v1/customers/:externalId/messages: unseen messages unless `includeSeen=true`. */
export const InboxQuerySchema = z
  .object({
    limit: z.coerce.number().int('integer').min(1, 'min_1').max(100, 'max_100').default(20),
    includeSeen: QueryBooleanSchema.optional(),
  })
  .strict();
export type InboxQuery = z.infer<typeof InboxQuerySchema>;

/** Newest first. */
export const InboxMessageListSchema = z.object({ items: z.array(InboxMessageSchema) });
export type InboxMessageList = z.infer<typeof InboxMessageListSchema>;

// ───────────────────────────── suppression list ─────────────────────────────

export const SUPPRESSION_REASONS = ['unsubscribe', 'hard_bounce', 'complaint', 'manual'] as const;
export const SuppressionReasonSchema = z.enum(SUPPRESSION_REASONS);
export type SuppressionReason = z.infer<typeof SuppressionReasonSchema>;

/** A customer no sequence may contact. */
export const SuppressionSchema = z.object({
  customerId: IdSchema,
  externalId: z.string(),
  reason: SuppressionReasonSchema,
  detail: z.string().nullable(),
  createdAt: DateTimeSchema,
});
export type Suppression = z.infer<typeof SuppressionSchema>;

export const SuppressionListQuerySchema = PaginationQuerySchema.extend({
  reason: SuppressionReasonSchema.optional(),
  /** Part of the externalId. */
  search: z.string().trim().min(1, 'required').max(255, 'max_length').optional(),
}).strict();
export type SuppressionListQuery = z.infer<typeof SuppressionListQuerySchema>;

/** Newest first; the cursor is opaque. */
export const SuppressionListSchema = paginated(SuppressionSchema);
export type SuppressionList = z.infer<typeof SuppressionListSchema>;

/** Body of POST /v1/suppressions. Adding an already suppressed customer keeps the first entry (idempotent). */
export const SuppressionCreateSchema = z
  .object({
    externalId: ExternalIdSchema,
    reason: SuppressionReasonSchema.default('manual'),
    detail: z.string().trim().max(500, 'max_length').optional(),
  })
  .strict();
export type SuppressionCreate = z.input<typeof SuppressionCreateSchema>;
export type SuppressionCreateParsed = z.output<typeof SuppressionCreateSchema>;

/**
 * One bounce or complaint from the mail provider. The customer is found by `messageId` (the Message-ID header
 * Liftlab sent, with or without angle brackets, or the message's id), else `externalId`, else the most recent
 * message sent to `email`. Soft bounces are recorded nowhere: the delivery retries handle them.
 */
export const BOUNCE_TYPES = ['hard_bounce', 'soft_bounce', 'complaint'] as const;
export const BounceNotificationSchema = z
  .object({
    type: z.enum(BOUNCE_TYPES),
    messageId: z.string().trim().min(1, 'required').max(998, 'max_length').optional(),
    externalId: ExternalIdSchema.optional(),
    email: z.email('format_email').max(320, 'max_length').optional(),
    /** Provider diagnostic, e.g. `550 5.1.1 user unknown`. */
    detail: z.string().max(1000, 'max_length').optional(),
  })
  .strict()
  .refine((b) => b.messageId !== undefined || b.externalId !== undefined || b.email !== undefined, {
    message: 'identifier_required',
    path: ['messageId'],
  });
export type BounceNotification = z.infer<typeof BounceNotificationSchema>;

export const MAX_BOUNCES_PER_REQUEST = 1000;

/** Body of POST /v1/suppressions/bounces. */
export const BounceBatchSchema = z
  .object({
    bounces: z
      .array(BounceNotificationSchema)
      .min(1, 'min_1')
      .max(MAX_BOUNCES_PER_REQUEST, `max_${MAX_BOUNCES_PER_REQUEST}`),
  })
  .strict();
export type BounceBatch = z.infer<typeof BounceBatchSchema>;

export const BounceResultSchema = z.object({
  /** Hard bounces and complaints that added (or confirmed) a suppression. */
  suppressed: z.number().int(),
  /** Soft bounces: nothing to do. */
  ignored: z.number().int(),
  /** Notifications whose customer could not be found: their index and the field that did not match. */
  unmatched: z.array(z.object({ index: z.number().int(), field: z.string(), rule: z.string() })),
});
export type BounceResult = z.infer<typeof BounceResultSchema>;

/** Answer of POST /v1/unsubscribe/:token for clients that ask for JSON. */
export const UnsubscribeResultSchema = z.object({ unsubscribed: z.literal(true), createdAt: DateTimeSchema });
export type UnsubscribeResult = z.infer<typeof UnsubscribeResultSchema>;

// ───────────────────────────── call tasks ─────────────────────────────

export const TASK_STATUSES = ['open', 'done', 'cancelled'] as const;
export const TaskStatusSchema = z.enum(TASK_STATUSES);
export type TaskStatus = z.infer<typeof TaskStatusSchema>;

/** What came of the call. */
export const TASK_OUTCOMES = [
  'reached',
  'won_back',
  'not_interested',
  'voicemail',
  'no_answer',
  'wrong_number',
] as const;
export const TaskOutcomeSchema = z.enum(TASK_OUTCOMES);
export type TaskOutcome = z.infer<typeof TaskOutcomeSchema>;

/** A task for a person: from a call-task touch of a sequence (`messageId`) or a health signal (`signalId`). */
export const CallTaskSchema = z.object({
  id: IdSchema,
  customerId: IdSchema,
  externalId: z.string(),
  source: z.enum(['sequence', 'signal', 'other']),
  messageId: IdSchema.nullable(),
  sequenceId: IdSchema.nullable(),
  signalId: IdSchema.nullable(),
  owner: z.string(),
  title: z.string(),
  instructions: z.string(),
  dueAt: DateTimeSchema,
  /** Open and past its due date. */
  overdue: z.boolean(),
  status: TaskStatusSchema,
  outcome: z.string().nullable(),
  notes: z.string().nullable(),
  completedAt: DateTimeSchema.nullable(),
  createdAt: DateTimeSchema,
});
export type CallTask = z.infer<typeof CallTaskSchema>;

export const TaskListQuerySchema = PaginationQuerySchema.extend({
  owner: z.string().trim().min(1, 'required').max(200, 'max_length').optional(),
  status: TaskStatusSchema.optional(),
  /** `true`: open tasks past due; `false`: everything else. */
  overdue: QueryBooleanSchema.optional(),
}).strict();
export type TaskListQuery = z.infer<typeof TaskListQuerySchema>;

/** Soonest due first. */
export const CallTaskListSchema = paginated(CallTaskSchema);
export type CallTaskList = z.infer<typeof CallTaskListSchema>;

/** Body of POST /v1/tasks/:id/complete. */
export const TaskCompleteSchema = z
  .object({
    outcome: TaskOutcomeSchema,
    notes: z.string().trim().max(5000, 'max_length').optional(),
  })
  .strict();
export type TaskComplete = z.infer<typeof TaskCompleteSchema>;

// ───────────────────────────── outbox / message log ─────────────────────────────

/** A message of a sequence touch, with its rendered content and delivery state. */
export const OutboxMessageSchema = z.object({
  id: IdSchema,
  sequenceId: IdSchema,
  sequenceKey: z.string(),
  sequenceName: z.string(),
  enrollmentId: IdSchema,
  touchId: IdSchema,
  touchPosition: z.number().int(),
  customerId: IdSchema,
  externalId: z.string(),
  channel: MessageChannelSchema,
  contentVariant: z.string().nullable(),
  status: MessageStatusSchema,
  /** E-mail subject / in-app title. */
  subject: z.string().nullable(),
  /** Plain-text body (e-mail text part, in-app body). */
  body: z.string().nullable(),
  html: z.string().nullable(),
  /** Webhook JSON, or the channel's extra rendered data. */
  payload: z.unknown().nullable(),
  /** E-mail address, webhook URL or task owner. */
  recipient: z.string().nullable(),
  offerCode: z.string().nullable(),
  offerExpiresAt: DateTimeSchema.nullable(),
  attempts: z.number().int(),
  nextAttemptAt: DateTimeSchema,
  lastError: z.string().nullable(),
  /** RFC 5322 Message-ID, identical on every attempt. */
  providerMessageId: z.string().nullable(),
  /** Stored in the database outbox (no SMTP_URL configured) instead of going out over SMTP. */
  outbox: z.boolean(),
  createdAt: DateTimeSchema,
  sentAt: DateTimeSchema.nullable(),
  deliveredAt: DateTimeSchema.nullable(),
  openedAt: DateTimeSchema.nullable(),
  clickedAt: DateTimeSchema.nullable(),
  seenAt: DateTimeSchema.nullable(),
});
export type OutboxMessage = z.infer<typeof OutboxMessageSchema>;

export const OutboxQuerySchema = PaginationQuerySchema.extend({
  channel: MessageChannelSchema.optional(),
  status: MessageStatusSchema.optional(),
  sequenceId: z.uuid('format_uuid').optional(),
  /** The customer's externalId. */
  customer: ExternalIdSchema.optional(),
  /** `true`: only e-mails kept in the database outbox. */
  outbox: QueryBooleanSchema.optional(),
}).strict();
export type OutboxQuery = z.infer<typeof OutboxQuerySchema>;

/** Newest first; the cursor is opaque. */
export const OutboxMessageListSchema = paginated(OutboxMessageSchema);
export type OutboxMessageList = z.infer<typeof OutboxMessageListSchema>;
