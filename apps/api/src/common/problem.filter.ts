import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import {
  DOMAIN_ERROR_STATUS,
  DOMAIN_ERROR_TITLE,
  DomainError,
  DomainErrorCode,
  FieldError,
  isFieldErrorList,
} from './domain-error';

/** RFC 7807 problem document as sent on the wire. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code?: DomainErrorCode | string;
  errors?: FieldError[];
  errorId?: string;
  [extension: string]: unknown;
}

const PROBLEM_TYPE_BASE = 'urn:liftlab:problem:';
const RESERVED = new Set(['type', 'title', 'status', 'detail', 'code', 'errors', 'errorId', 'instance']);

const STATUS_CODE: Record<number, DomainErrorCode> = {
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
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    const req = http.getRequest<Request>();
    const problem = this.toProblem(exception, req);
    if (res.headersSent) return;
    const retryAfter = problem.retryAfterSeconds;
    if (typeof retryAfter === 'number')
      res.setHeader('Retry-After', String(Math.max(1, Math.ceil(retryAfter))));
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  toProblem(exception: unknown, req?: Request): ProblemDocument {
    if (exception instanceof DomainError) return fromDomainError(exception);

    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status < 500) return fromHttpException(exception, status);
    }

    const bodyParser = asBodyParserError(exception);
    if (bodyParser) return bodyParser;

    const db = fromDatabaseError(exception);
    if (db) return db;

    const errorId = randomUUID();
    this.logger.error(
      { err: exception, errorId, method: req?.method, url: req?.originalUrl },
      `Unhandled error ${errorId}`,
    );
    return {
      type: `${PROBLEM_TYPE_BASE}internal`,
      title: 'Internal Server Error',
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      errorId,
    };
  }
}

function fromDomainError(e: DomainError): ProblemDocument {
  const doc: ProblemDocument = {
    type: PROBLEM_TYPE_BASE + e.code,
    title: DOMAIN_ERROR_TITLE[e.code],
    status: DOMAIN_ERROR_STATUS[e.code],
    detail: e.message,
    code: e.code,
  };
  if (isFieldErrorList(e.details)) doc.errors = e.details;
  else if (e.details) {
    for (const [k, v] of Object.entries(e.details)) if (!RESERVED.has(k)) doc[k] = v;
  }
  return doc;
}

function fromHttpException(e: HttpException, status: number): ProblemDocument {
  const code = STATUS_CODE[status] ?? 'error';
  const response = e.getResponse();
  let detail = e.message;
  if (typeof response === 'object' && response !== null) {
    const m = (response as { message?: unknown }).message;
    if (typeof m === 'string') detail = m;
    else if (Array.isArray(m)) detail = m.map(String).join('; ');
  }
  const doc: ProblemDocument = {
    type: PROBLEM_TYPE_BASE + code,
    title: (code in DOMAIN_ERROR_TITLE ? DOMAIN_ERROR_TITLE[code as DomainErrorCode] : undefined) ?? e.name,
    status,
    detail,
    code,
  };
  if (status === 429) doc.retryAfterSeconds = 60;
  return doc;
}

/** body-parser throws http-errors with `type` (entity.parse.failed, entity.too.large, ...) and `status`. */
function asBodyParserError(e: unknown): ProblemDocument | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const { type, status } = e as { type?: unknown; status?: unknown };
  if (
    typeof type !== 'string' ||
    (!type.startsWith('entity.') &&
      !type.startsWith('request.') &&
      type !== 'charset.unsupported' &&
      type !== 'encoding.unsupported')
  )
    return undefined;
  if (typeof status !== 'number' || status >= 500) return undefined;
  if (status === 413)
    return fromDomainError(
      new DomainError('payload_too_large', 'The request body is too large.', [
        { path: '(body)', rule: 'maxSize' },
      ]),
    );
  if (type === 'entity.parse.failed')
    return fromDomainError(
      DomainError.validation([{ path: '(body)', rule: 'json' }], 'The request body is not valid JSON.'),
    );
  return fromDomainError(
    DomainError.validation([{ path: '(body)', rule: type }], 'The request body could not be read.'),
  );
}

/** Prisma known request errors, matched by code so this file does not depend on the generated client. */
function fromDatabaseError(e: unknown): ProblemDocument | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const { code, name, meta } = e as { code?: unknown; name?: unknown; meta?: { target?: unknown } };
  if (name !== 'PrismaClientKnownRequestError' || typeof code !== 'string') return undefined;
  if (code === 'P2002') {
    const target = meta?.target;
    const fields = Array.isArray(target) ? target.map(String) : typeof target === 'string' ? [target] : [];
    return fromDomainError(
      DomainError.conflict(
        'A record with the same unique value already exists.',
        fields.map((path) => ({ path, rule: 'unique' })),
      ),
    );
  }
  if (code === 'P2025') return fromDomainError(DomainError.notFound('Record'));
  return undefined;
}
