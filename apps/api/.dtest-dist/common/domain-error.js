"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DomainError = exports.DOMAIN_ERROR_TITLE = exports.DOMAIN_ERROR_STATUS = void 0;
exports.isFieldErrorList = isFieldErrorList;
exports.DOMAIN_ERROR_STATUS = {
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
exports.DOMAIN_ERROR_TITLE = {
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
class DomainError extends Error {
    code;
    details;
    name = 'DomainError';
    constructor(code, message, details) {
        super(message);
        this.code = code;
        this.details = details;
    }
    get status() {
        return exports.DOMAIN_ERROR_STATUS[this.code];
    }
    static validation(errors, message = 'The request is invalid.') {
        return new DomainError('validation_failed', message, errors);
    }
    /** Single-field validation error: `DomainError.invalid('coverage', 'max_1')`. */
    static invalid(path, rule, message) {
        return new DomainError('validation_failed', message ?? `${path}: ${rule}`, [{ path, rule }]);
    }
    static notFound(entity, id) {
        return new DomainError('not_found', id === undefined ? `${entity} not found.` : `${entity} ${id} not found.`);
    }
    static conflict(message, details) {
        return new DomainError('conflict', message, details);
    }
    static invalidTransition(entity, from, to) {
        return new DomainError('invalid_transition', `${entity} cannot go from ${from} to ${to}.`, { from, to });
    }
    static unauthenticated(message = 'Sign in or send an API key.') {
        return new DomainError('unauthenticated', message);
    }
    static forbidden(message = 'You are not allowed to do this.') {
        return new DomainError('forbidden', message);
    }
    static rateLimited(retryAfterSeconds, message = 'Too many attempts; try again later.') {
        return new DomainError('rate_limited', message, { retryAfterSeconds });
    }
}
exports.DomainError = DomainError;
function isFieldErrorList(value) {
    return (Array.isArray(value) &&
        value.every((e) => typeof e === 'object' &&
            e !== null &&
            typeof e.path === 'string' &&
            typeof e.rule === 'string'));
}
//# sourceMappingURL=domain-error.js.map