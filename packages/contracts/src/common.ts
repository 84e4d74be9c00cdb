import { z } from 'zod';

/** Database identifier of any row (opaque string). */
export const IdSchema = z.string().min(1, 'required').max(191, 'max_length');
export type Id = z.infer<typeof IdSchema>;

/**
 * Human-chosen key of an experiment, metric, namespace or variant. Keys end up in URLs, SDK payloads and
 * hashing seeds, so they are kept to lowercase letters, digits, '-', '_' and '.'.
 */
export const KeySchema = z
  .string()
  .min(1, 'required')
  .max(100, 'max_length')
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'key_format');
export type Key = z.infer<typeof KeySchema>;

/** The customer identifier of the customer's own systems; the unit that is hashed into variants. */
export const ExternalIdSchema = z.string().min(1, 'required').max(255, 'max_length');

/** A non-empty display name. */
export const NameSchema = z.string().trim().min(1, 'required').max(200, 'max_length');

/** ISO-8601 timestamp as it travels over JSON. */
export const DateTimeSchema = z.iso.datetime({ offset: true });

/** A share of a population, 0 (nobody) to 1 (everybody). */
export const FractionSchema = z.number().min(0, 'min_0').max(1, 'max_1');

/** Query of every list endpoint: keyset pagination. */
export const PaginationQuerySchema = z.object({
  limit: z.coerce.number().int('integer').min(1, 'min_1').max(500, 'max_500').default(50),
  cursor: z.string().min(1, 'required').optional(),
});
export type PaginationQuery = z.infer<typeof PaginationQuerySchema>;

/** A page of `item`; `nextCursor` is null on the last page. */
export function paginated<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** One invalid field: dotted path into the request body and the rule it broke. */
export const FieldErrorSchema = z.object({ path: z.string(), rule: z.string() });
export type FieldError = z.infer<typeof FieldErrorSchema>;

/** RFC 7807 problem details, the body of every error response. */
export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  errors: z.array(FieldErrorSchema).optional(),
  errorId: z.string().optional(),
});
export type Problem = z.infer<typeof ProblemSchema>;

/**
 * Turns zod issues into `{path, rule}` pairs. The rule is the custom message when a schema set one (our schemas
 * use rule names such as 'weights_sum_to_1' as messages), else zod's issue code.
 */
export function toFieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map(String);
    // One entry per unknown key, so the client sees which field to drop.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...path, key].join('.'), rule: 'unknown_key' }));
    }
    return [{ path: path.join('.'), rule: ruleOf(issue) }];
  });
}

const RULE_NAME = /^[a-z][a-z0-9_]*$/;

function ruleOf(issue: z.core.$ZodIssue): string {
  if (RULE_NAME.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      // zod does not keep the input by default; its message names what was received.
      return /received undefined$/.test(issue.message) ? 'required' : `type_${issue.expected}`;
    case 'too_small':
      return `min_${String(issue.minimum)}`;
    case 'too_big':
      return `max_${String(issue.maximum)}`;
    case 'invalid_value':
      return 'one_of';
    case 'invalid_format':
      return `format_${issue.format}`;
    case 'unrecognized_keys':
      return 'unknown_key';
    default:
      return issue.code;
  }
}
