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
  })
  .strict();
export type ExperimentImportRow = z.infer<typeof ExperimentImportRowSchema>;
