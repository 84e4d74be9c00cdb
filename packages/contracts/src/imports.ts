import { z } from 'zod';
import { DateTimeSchema, ExternalIdSchema, IdSchema, KeySchema } from './common';

/**
 * CSV imports: POST /v1/imports/{customers|orders|experiment} with the file as the request body
 * (`Content-Type: text/csv`, UTF-8, comma separated, first line = column names). Rows are checked one by one;
 * valid rows are stored, invalid ones are listed in the report. Column names are matched ignoring case,
 * spaces, '-' and '_' (`External ID` = `external_id` = `externalId`).
 *
 * - customers: externalId (required), segment, acquisitionDate (YYYY-MM-DD), acquisitionChannel, plan,
 *   country, timezone, and any `trait.<name>` column. Empty cells leave the stored value unchanged.
 * - orders: orderId (required, makes re-importing the same file harmless), customerId, amount, currency,
 *   occurredAt (all required), revenueStream, experimentKey + variantKey (optional attribution).
 * - experiment: customerId, experimentKey, variantKey (required), assignedAt: assignments made outside
 *   Liftlab (e.g. an email tool's holdout list). A customer already assigned to another variant is rejected.
 *   `customer`, `experiment` and `variant` are accepted as column names too. Optional `outcome` (a number:
 *   0/1 for a conversion, or a value such as revenue) and `outcomeAt` (default: assignedAt) store the result
 *   of a test run in another tool as one event per customer (see ExperimentImportQuerySchema); an outcome of
 *   0 stores nothing, as if the customer had not converted. The experiment key may come from the query when
 *   the file has no such column.
 */
export const ImportKindSchema = z.enum(['customers', 'orders', 'experiment']);
export type ImportKind = z.infer<typeof ImportKindSchema>;

export const ImportStatusSchema = z.enum(['running', 'completed', 'failed']);
export type ImportStatus = z.infer<typeof ImportStatusSchema>;

/** Reports keep at most this many row errors (the counts stay exact). */
export const MAX_IMPORT_ERRORS = 1_000;

/** Largest file accepted, in data rows. */
export const MAX_IMPORT_ROWS = 1_000_000;

export const ImportQuerySchema = z
  .object({ fileName: z.string().trim().min(1, 'required').max(255, 'max_length').optional() })
  .strict();
export type ImportQuery = z.infer<typeof ImportQuerySchema>;

/** Event name of imported outcomes when the query does not name one. */
export const DEFAULT_OUTCOME_EVENT = 'outcome';

/**
 * Query of POST /v1/imports/experiment: `outcomeEvent` is the event name the `outcome` column is stored under
 * (what a metric's `eventName` matches); `experimentKey` applies to every row of a file without that column.
 */
export const ExperimentImportQuerySchema = ImportQuerySchema.extend({
  experimentKey: KeySchema.optional(),
  outcomeEvent: z.string().trim().min(1, 'required').max(200, 'max_length').optional(),
}).strict();
export type ExperimentImportQuery = z.infer<typeof ExperimentImportQuerySchema>;

/** A rejected row: its number among the data rows (1 = the line after the header), the column and the rule. */
export const ImportRowErrorSchema = z.object({
  row: z.number().int().min(0),
  field: z.string(),
  rule: z.string(),
});
export type ImportRowError = z.infer<typeof ImportRowErrorSchema>;

export const ImportJobSchema = z.object({
  id: IdSchema,
  kind: ImportKindSchema,
  status: ImportStatusSchema,
  fileName: z.string().nullable(),
  /** Data rows read. */
  total: z.number().int(),
  /** Rows stored, or already present from an earlier import of the same data. */
  accepted: z.number().int(),
  /** Rows refused; each appears in `errors` (up to MAX_IMPORT_ERRORS entries). */
  rejected: z.number().int(),
  errors: z.array(ImportRowErrorSchema),
  createdAt: DateTimeSchema,
  finishedAt: DateTimeSchema.nullable(),
});
export type ImportJob = z.infer<typeof ImportJobSchema>;

/** One row of an experiment import, after column matching. */
export const ExperimentImportRowSchema = z
  .object({
    customerId: ExternalIdSchema,
    experimentKey: KeySchema,
    variantKey: KeySchema,
    assignedAt: DateTimeSchema.optional(),
    outcome: z.number('type_number').optional(),
    outcomeAt: DateTimeSchema.optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.outcomeAt !== undefined && r.outcome === undefined) {
      ctx.addIssue({ code: 'custom', path: ['outcome'], message: 'required_with_outcome_at' });
    }
  });
export type ExperimentImportRow = z.infer<typeof ExperimentImportRowSchema>;
