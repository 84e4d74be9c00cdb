/**
 * The one error type services throw. The global ProblemFilter maps `code` to an HTTP status and renders
 * RFC 7807 problem JSON, so services never touch HTTP.
 */
export type DomainErrorCode =
  | 'validation_failed'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'invalid_transition'
  | 'precondition_failed'
  | 'payload_too_large'
  | 'rate_limited'
  | 'unavailable';

/** A field-level complaint: `path` is dotted (`events.3.occurredAt`), `rule` is what it broke (`required`, `min_1`). */
export interface FieldError {
  path: string;
  rule: string;
}

export const DOMAIN_ERROR_STATUS: Record<DomainErrorCode, number> = {
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  invalid_transition: 409,
  precondition_failed: 412,
  payload_too_large: 413,
  rate_limited: 429,
  unavailable: 503,
};

export const DOMAIN_ERROR_TITLE: Record<DomainErrorCode, string> = {
  validation_failed: 'Validation failed',
  unauthenticated: 'Authentication required',
  forbidden: 'Forbidden',
  not_found: 'Not found',
  conflict: 'Conflict',
  invalid_transition: 'Invalid status transition',
  precondition_failed: 'Precondition failed',
  payload_too_large: 'Payload too large',
  rate_limited: 'Too many requests',
  unavailable: 'Service unavailable',
};

/**
 * `details` is either a list of field errors (rendered as `errors`) or a plain object whose members are added to
 * the problem document as extension members (e.g. `{ from: 'draft', to: 'concluded' }`, `{ retryAfterSeconds }`).
 */
export type DomainErrorDetails = FieldError[] | Record<string, unknown>;

export class DomainError extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: DomainErrorDetails,
  ) {
    super(message);
  }

  get status(): number {
    return DOMAIN_ERROR_STATUS[this.code];
  }

  static validation(errors: FieldError[], message = 'The request is invalid.'): DomainError {
    return new DomainError('validation_failed', message, errors);
  }

  /** Single-field validation error: `DomainError.invalid('coverage', 'max_1')`. */
  static invalid(path: string, rule: string, message?: string): DomainError {
    return new DomainError('validation_failed', message ?? `${path}: ${rule}`, [{ path, rule }]);
  }

  static notFound(entity: string, id?: string): DomainError {
    return new DomainError(
      'not_found',
      id === undefined ? `${entity} not found.` : `${entity} ${id} not found.`,
    );
  }

  static conflict(message: string, details?: DomainErrorDetails): DomainError {
    return new DomainError('conflict', message, details);
  }

  static invalidTransition(entity: string, from: string, to: string): DomainError {
    return new DomainError('invalid_transition', `${entity} cannot go from ${from} to ${to}.`, { from, to });
  }

  static unauthenticated(message = 'Sign in or send an API key.'): DomainError {
    return new DomainError('unauthenticated', message);
  }

  static forbidden(message = 'You are not allowed to do this.'): DomainError {
    return new DomainError('forbidden', message);
  }

  static rateLimited(
    retryAfterSeconds: number,
    message = 'Too many attempts; try again later.',
  ): DomainError {
    return new DomainError('rate_limited', message, { retryAfterSeconds });
  }
}

export function isFieldErrorList(value: unknown): value is FieldError[] {
  return (
    Array.isArray(value) &&
    value.every(
      (e) =>
        typeof e === 'object' &&
        e !== null &&
        typeof (e as FieldError).path === 'string' &&
        typeof (e as FieldError).rule === 'string',
    )
  );
}
