import type { RowError } from '@liftlab/contracts';
import type { z } from 'zod';
import { zodFieldErrors } from '../common/zod.pipe';

export interface ValidRow<T> {
  /** Position in the request. */
  index: number;
  value: T;
}

export interface ValidatedRows<T> {
  valid: ValidRow<T>[];
  rejected: RowError[];
}

/**
 * Validates each entry of a batch on its own, so one bad entry never sinks the others. Errors carry the
 * entry's index, the field inside the entry (`(entry)` when the entry itself is not an object) and the rule,
 * named exactly as in a 400 response.
 */
export function validateRows<S extends z.ZodType>(
  rows: readonly unknown[],
  schema: S,
): ValidatedRows<z.output<S>> {
  const valid: ValidRow<z.output<S>>[] = [];
  const rejected: RowError[] = [];
  rows.forEach((row, index) => {
    const result = schema.safeParse(row);
    if (result.success) {
      valid.push({ index, value: result.data });
      return;
    }
    for (const e of zodFieldErrors(result.error, row)) {
      rejected.push({ index, field: e.path === '(body)' ? '(entry)' : e.path, rule: e.rule });
    }
  });
  return { valid, rejected };
}

/** Sorts errors by entry, keeping the order of errors within an entry. */
export function byIndex(errors: RowError[]): RowError[] {
  return errors
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.index - b.e.index || a.i - b.i)
    .map(({ e }) => e);
}
