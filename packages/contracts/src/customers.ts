import { z } from 'zod';
import { DateTimeSchema, ExternalIdSchema, IdSchema, PaginationQuerySchema } from './common';

/** Most customers a single bulk upsert may carry. */
export const MAX_CUSTOMERS_PER_BATCH = 10_000;

const AttributeSchema = z.string().trim().min(1, 'required').max(100, 'max_length');

/** Calendar date as `YYYY-MM-DD` (a real date: 2025-02-30 is refused). */
export const CalendarDateSchema = z.iso.date('format_date');

/** ISO 3166-1 alpha-2 country code, upper case (`DE`, `US`). */
export const CountryCodeSchema = z.string().regex(/^[A-Z]{2}$/, 'format_country');

/** An IANA time zone name the runtime knows (`Europe/Berlin`). */
export const TimeZoneSchema = z
  .string()
  .max(64, 'max_length')
  .refine(isTimeZone, { message: 'format_timezone', params: { rule: 'format_timezone' } });

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/**
 * Free-form attributes for targeting and segmentation: a flat object of scalars. Keys with a null value are
 * removed from the stored traits.
 */
export const TraitsSchema = z
  .record(
    z.string().min(1, 'required').max(100, 'max_length'),
    z.union([z.string().max(1000, 'max_length'), z.number(), z.boolean(), z.null()]),
  )
  .refine((traits) => Object.keys(traits).length <= 100, {
    message: 'max_keys_100',
    params: { rule: 'max_keys_100' },
  });
export type Traits = z.infer<typeof TraitsSchema>;

/**
 * One customer in a bulk upsert, identified by `externalId` (the id in your CRM or shop). An omitted field
 * keeps its stored value, `null` clears it; `traits` are merged key by key into the stored traits.
 */
export const CustomerInputSchema = z
  .object({
    externalId: ExternalIdSchema,
    segment: AttributeSchema.nullable().optional(),
    acquisitionDate: CalendarDateSchema.nullable().optional(),
    acquisitionChannel: AttributeSchema.nullable().optional(),
    plan: AttributeSchema.nullable().optional(),
    country: CountryCodeSchema.nullable().optional(),
    timezone: TimeZoneSchema.nullable().optional(),
    traits: TraitsSchema.optional(),
  })
  .strict();
export type CustomerInput = z.infer<typeof CustomerInputSchema>;

/**
 * Body of POST /v1/customers/bulk. Rows are validated one by one (see CustomerBulkResultSchema), so the
 * request itself only requires a non-empty list of at most 10 000 entries.
 */
export const CustomerBulkRequestSchema = z
  .object({
    customers: z
      .array(z.unknown())
      .min(1, 'min_1')
      .max(MAX_CUSTOMERS_PER_BATCH, `max_${MAX_CUSTOMERS_PER_BATCH}`),
  })
  .strict();
export type CustomerBulkRequest = z.infer<typeof CustomerBulkRequestSchema>;

/** The documented shape of the bulk body (each entry a CustomerInput). */
export const CustomerBulkRequestDocSchema = z.object({
  customers: z.array(CustomerInputSchema).min(1).max(MAX_CUSTOMERS_PER_BATCH),
});

/** A rejected entry of a batch: its position in the request, the offending field and the rule it broke. */
export const RowErrorSchema = z.object({
  index: z.number().int().min(0),
  field: z.string(),
  rule: z.string(),
});
export type RowError = z.infer<typeof RowErrorSchema>;

export const CustomerBulkResultSchema = z.object({
  /** Customers that did not exist before. */
  created: z.number().int(),
  /** Existing customers that were updated (entries repeating an externalId are applied in order). */
  updated: z.number().int(),
  /** One entry per broken rule; an entry with several problems appears several times. Valid rows are stored. */
  rejected: z.array(RowErrorSchema),
});
export type CustomerBulkResult = z.infer<typeof CustomerBulkResultSchema>;

export const CustomerSchema = z.object({
  id: IdSchema,
  externalId: z.string(),
  segment: z.string().nullable(),
  acquisitionDate: z.string().nullable(),
  acquisitionChannel: z.string().nullable(),
  plan: z.string().nullable(),
  country: z.string().nullable(),
  timezone: z.string().nullable(),
  traits: z.record(z.string(), z.unknown()),
  createdAt: DateTimeSchema,
  updatedAt: DateTimeSchema,
});
export type Customer = z.infer<typeof CustomerSchema>;

export const CustomerListQuerySchema = PaginationQuerySchema.extend({
  /** Case-insensitive part of the externalId. */
  search: z.string().trim().min(1, 'required').max(255, 'max_length').optional(),
});
export type CustomerListQuery = z.infer<typeof CustomerListQuerySchema>;

export const CustomerListSchema = z.object({
  items: z.array(CustomerSchema),
  nextCursor: z.string().nullable(),
});
export type CustomerList = z.infer<typeof CustomerListSchema>;

export const CustomerAssignmentSchema = z.object({
  experimentId: IdSchema,
  experimentKey: z.string(),
  experimentName: z.string(),
  experimentStatus: z.string(),
  variantKey: z.string(),
  variantName: z.string(),
  isControl: z.boolean(),
  assignedAt: DateTimeSchema,
  source: z.enum(['server', 'sdk', 'import']),
});
export type CustomerAssignment = z.infer<typeof CustomerAssignmentSchema>;

export const CustomerEventSchema = z.object({
  id: z.string(),
  clientEventId: z.string(),
  type: z.enum(['exposure', 'conversion', 'order', 'activity']),
  name: z.string(),
  occurredAt: DateTimeSchema,
  receivedAt: DateTimeSchema,
  experimentKey: z.string().nullable(),
  variantKey: z.string().nullable(),
  value: z.number().nullable(),
  amount: z.number().nullable(),
  currency: z.string().nullable(),
  revenueStream: z.enum(['upsell', 'cross_sell', 'retention', 'other']).nullable(),
  properties: z.record(z.string(), z.unknown()),
});
export type CustomerEvent = z.infer<typeof CustomerEventSchema>;

/** How many of a customer's latest events GET /v1/customers/:externalId returns. */
export const CUSTOMER_RECENT_EVENTS = 50;

export const CustomerDetailSchema = CustomerSchema.extend({
  assignments: z.array(CustomerAssignmentSchema),
  /** Latest events first, at most CUSTOMER_RECENT_EVENTS. */
  recentEvents: z.array(CustomerEventSchema),
});
export type CustomerDetail = z.infer<typeof CustomerDetailSchema>;
