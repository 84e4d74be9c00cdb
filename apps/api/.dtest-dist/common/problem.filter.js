"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.ProblemFilter = void 0;
const common_1 = require("@nestjs/common");
const node_crypto_1 = require("node:crypto");
const domain_error_1 = require("./domain-error");
const PROBLEM_TYPE_BASE = 'urn:liftlab:problem:';
const RESERVED = new Set(['type', 'title', 'status', 'detail', 'code', 'errors', 'errorId', 'instance']);
const STATUS_CODE = {
    400: 'validation_failed',
    401: 'unauthenticated',
    403: 'forbidden',
    404: 'not_found',
    409: 'conflict',
    412: 'precondition_failed',
    413: 'payload_too_large',
    429: 'rate_limited',
    503: 'unavailable',
};
/**
 * The one exception filter. DomainError → its status; Nest HttpExceptions, body-parser errors and well-known
 * database errors → the closest domain code; anything else → 500 with only an `errorId`, the cause being logged
 * under that id (the client never sees internals).
 */
let ProblemFilter = class ProblemFilter {
    logger = new common_1.Logger('ProblemFilter');
    catch(exception, host) {
        if (host.getType() !== 'http')
            throw exception;
        const http = host.switchToHttp();
        const res = http.getResponse();
        const req = http.getRequest();
        const problem = this.toProblem(exception, req);
        if (res.headersSent)
            return;
        const retryAfter = problem.retryAfterSeconds;
        if (typeof retryAfter === 'number')
            res.setHeader('Retry-After', String(Math.max(1, Math.ceil(retryAfter))));
        res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
    }
    toProblem(exception, req) {
        if (exception instanceof domain_error_1.DomainError)
            return fromDomainError(exception);
        if (exception instanceof common_1.HttpException) {
            const status = exception.getStatus();
            if (status < 500)
                return fromHttpException(exception, status);
        }
        const bodyParser = asBodyParserError(exception);
        if (bodyParser)
            return bodyParser;
        const db = fromDatabaseError(exception);
        if (db)
            return db;
        const errorId = (0, node_crypto_1.randomUUID)();
        this.logger.error({ err: exception, errorId, method: req?.method, url: req?.originalUrl }, `Unhandled error ${errorId}`);
        return {
            type: `${PROBLEM_TYPE_BASE}internal`,
            title: 'Internal Server Error',
            status: common_1.HttpStatus.INTERNAL_SERVER_ERROR,
            errorId,
        };
    }
};
exports.ProblemFilter = ProblemFilter;
exports.ProblemFilter = ProblemFilter = __decorate([
    (0, common_1.Catch)()
], ProblemFilter);
function fromDomainError(e) {
    const doc = {
        type: PROBLEM_TYPE_BASE + e.code,
        title: domain_error_1.DOMAIN_ERROR_TITLE[e.code],
        status: domain_error_1.DOMAIN_ERROR_STATUS[e.code],
        detail: e.message,
        code: e.code,
    };
    if ((0, domain_error_1.isFieldErrorList)(e.details))
        doc.errors = e.details;
    else if (e.details) {
        for (const [k, v] of Object.entries(e.details))
            if (!RESERVED.has(k))
                doc[k] = v;
    }
    return doc;
}
function fromHttpException(e, status) {
    const code = STATUS_CODE[status] ?? 'error';
    const response = e.getResponse();
    let detail = e.message;
    if (typeof response === 'object' && response !== null) {
        const m = response.message;
        if (typeof m === 'string')
            detail = m;
        else if (Array.isArray(m))
            detail = m.map(String).join('; ');
    }
    const doc = {
        type: PROBLEM_TYPE_BASE + code,
        title: (code in domain_error_1.DOMAIN_ERROR_TITLE ? domain_error_1.DOMAIN_ERROR_TITLE[code] : undefined) ?? e.name,
        status,
        detail,
        code,
    };
    if (status === 429)
        doc.retryAfterSeconds = 60;
    return doc;
}
/** body-parser throws http-errors with `type` (entity.parse.failed, entity.too.large, ...) and `status`. */
function asBodyParserError(e) {
    if (typeof e !== 'object' || e === null)
        return undefined;
    const { type, status } = e;
    if (typeof type !== 'string' ||
        (!type.startsWith('entity.') &&
            !type.startsWith('request.') &&
            type !== 'charset.unsupported' &&
            type !== 'encoding.unsupported'))
        return undefined;
    if (typeof status !== 'number' || status >= 500)
        return undefined;
    if (status === 413)
        return fromDomainError(new domain_error_1.DomainError('payload_too_large', 'The request body is too large.', [
            { path: '(body)', rule: 'maxSize' },
        ]));
    if (type === 'entity.parse.failed')
        return fromDomainError(domain_error_1.DomainError.validation([{ path: '(body)', rule: 'json' }], 'The request body is not valid JSON.'));
    return fromDomainError(domain_error_1.DomainError.validation([{ path: '(body)', rule: type }], 'The request body could not be read.'));
}
/** Prisma known request errors, matched by code so this file does not depend on the generated client. */
function fromDatabaseError(e) {
    if (typeof e !== 'object' || e === null)
        return undefined;
    const { code, name, meta } = e;
    if (name !== 'PrismaClientKnownRequestError' || typeof code !== 'string')
        return undefined;
    if (code === 'P2002') {
        const target = meta?.target;
        const fields = Array.isArray(target) ? target.map(String) : typeof target === 'string' ? [target] : [];
        return fromDomainError(domain_error_1.DomainError.conflict('A record with the same unique value already exists.', fields.map((path) => ({ path, rule: 'unique' }))));
    }
    if (code === 'P2025')
        return fromDomainError(domain_error_1.DomainError.notFound('Record'));
    return undefined;
}
//# sourceMappingURL=problem.filter.js.map