import { z } from 'zod';
import { DateTimeSchema, ExternalIdSchema, KeySchema } from './common';
import { RowErrorSchema } from './customers';
import { RevenueStreamSchema } from './metrics';

/** Most events a single POST /v1/events may carry. */
export const MAX_EVENTS_PER_BATCH = 10_000;

export const EventTypeSchema = z.enum(['exposure', 'conversion', 'order', 'activity']);
export type EventType = z.infer<typeof EventTypeSchema>;

/** Event names used when a sender leaves `name` out. */
export const DEFAULT_EVENT_NAMES = { exposure: 'experiment_exposure', order: 'order' } as const;

/** Largest order amount stored exactly (numeric(18,4)). */
export const MAX_ORDER_AMOUNT = 99_999_999_999_999;

/** Properties are kept for analysis but must stay small: at most this many bytes as JSON. */
export const MAX_EVENT_PROPERTIES_BYTES = 8_192;

const rule = (name: string) => ({ message: name, params: { rule: name } });

/**
 * One event. `clientEventId` is chosen by the sender and makes re-sending harmless: an event whose id was
 * already received is ignored. `customerId` is the customer's externalId; unknown customers are created.
 *
 * - exposure: the customer saw `variantKey` of `experimentKey` (both required).
 * - conversion / activity: something the customer did; `name` (required) is what metrics count, `value` optional.
 * - order: `amount` (>= 0) in `currency` (ISO 4217), optionally attributed to a `revenueStream`; its `value`
 *   defaults to the amount.
 * `experimentKey` + `variantKey` may be given on any type to attribute it explicitly; they go together.
 */
export const EventInputSchema = z
  .object({
    clientEventId: z.string().trim().min(1, 'required').max(200, 'max_length'),
    type: EventTypeSchema,
    /** What metrics match on (`eventName`). */
    name: z.string().trim().min(1, 'required').max(200, 'max_length').optional(),
    customerId: ExternalIdSchema,
    /** When it happened; defaults to the time the server received it. */
    occurredAt: DateTimeSchema.optional(),
    experimentKey: KeySchema.optional(),
    variantKey: KeySchema.optional(),
    value: z.number().finite().optional(),
    amount: z.number().min(0, 'min_0').max(MAX_ORDER_AMOUNT, 'max_amount').optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'format_currency')
      .optional(),
    revenueStream: RevenueStreamSchema.optional(),
    properties: z
      .record(z.string().min(1, 'required').max(100, 'max_length'), z.json())
      .refine((p) => JSON.stringify(p).length <= MAX_EVENT_PROPERTIES_BYTES, rule('max_bytes_8192'))
      .optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
    const issue = (path: string, name: string) =>
      ctx.addIssue({ code: 'custom', path: [path], ...rule(name) });
    if (e.type === 'exposure') {
      if (e.experimentKey === undefined) issue('experimentKey', 'required');
      if (e.variantKey === undefined) issue('variantKey', 'required');
    } else if ((e.experimentKey === undefined) !== (e.variantKey === undefined)) {
      issue(e.experimentKey === undefined ? 'experimentKey' : 'variantKey', 'required_together');
    }
    if ((e.type === 'conversion' || e.type === 'activity') && e.name === undefined) issue('name', 'required');
    if (e.type === 'order') {
      if (e.amount === undefined) issue('amount', 'required');
      if (e.currency === undefined) issue('currency', 'required');
    } else {
      if (e.amount !== undefined) issue('amount', 'order_only');
      if (e.currency !== undefined) issue('currency', 'order_only');
      if (e.revenueStream !== undefined) issue('revenueStream', 'order_only');
    }
  });
export type EventInput = z.infer<typeof EventInputSchema>;

/**
 * Body of POST /v1/events. Events are validated one by one (see EventIngestResultSchema), so the request
 * itself only requires a non-empty list of at most 10 000 entries.
 */
export const EventIngestRequestSchema = z
  .object({
    events: z.array(z.unknown()).min(1, 'min_1').max(MAX_EVENTS_PER_BATCH, `max_${MAX_EVENTS_PER_BATCH}`),
  })
  .strict();
export type EventIngestRequest = z.infer<typeof EventIngestRequestSchema>;

/** The documented shape of the ingest body (each entry an EventInput). */
export const EventIngestRequestDocSchema = z.object({
  events: z.array(EventInputSchema).min(1).max(MAX_EVENTS_PER_BATCH),
});

export const EventIngestResultSchema = z.object({
  /** Events stored by this request. */
  accepted: z.number().int(),
  /** Valid events already received before (same clientEventId, also earlier in this batch): ignored. */
  duplicates: z.number().int(),
  /** One entry per broken rule; an event with several problems appears several times. Nothing of it is stored. */
  rejected: z.array(RowErrorSchema),
});
export type EventIngestResult = z.infer<typeof EventIngestResultSchema>;
