import { Global, Module } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { AppConfig } from '../config/config';
import type { RequestWithActor } from '../auth/decorators';

/** Header carrying the request id in both directions. */
export const REQUEST_ID_HEADER = 'x-request-id';
const SAFE_REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * Paths removed from every log line: credentials in headers, and any field that could hold a password, a
 * session token or an API key wherever it is nested.
 */
const SENSITIVE_FIELDS = [
  'password',
  'currentPassword',
  'newPassword',
  'initialPassword',
  'passwordHash',
  'apiKey',
  'token',
  'secret',
  'authorization',
  'cookie',
  'hash',
];
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  ...SENSITIVE_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]),
];

/** Incoming X-Request-Id is kept when it is short and plain, otherwise a new id is made; it is echoed back. */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers[REQUEST_ID_HEADER];
  const id = typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

const QUIET_PATHS = ['/metrics', '/health'];

/** Where log lines go: stdout unless a test provides a stream to read them back. */
export const LOG_DESTINATION = Symbol.for('liftlab.log-destination');

@Global()
@Module({ providers: [{ provide: LOG_DESTINATION, useFactory: () => null }], exports: [LOG_DESTINATION] })
export class LogDestinationModule {}

export function loggerParams(config: AppConfig, destination?: DestinationStream | null): Params {
  const options: NonNullable<Exclude<Params['pinoHttp'], unknown[]>> = {
    level: config.LOG_LEVEL,
    genReqId: requestId,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    // Headers are left out entirely (not just redacted): only the fields below are logged for a request.
    serializers: {
      req: (req: { id: unknown; method: string; url: string; headers?: Record<string, unknown> }) => ({
        id: req.id,
        method: req.method,
        url: stripQuerySecrets(req.url),
        userAgent: req.headers?.['user-agent'],
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customProps: (req) => {
      const actor = (req as unknown as RequestWithActor).actor;
      return actor ? { actor: { type: actor.type, id: actor.id } } : {};
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    autoLogging: {
      ignore: (req) => QUIET_PATHS.some((p) => req.url === p || req.url?.startsWith(`${p}?`)),
    },
    quietReqLogger: true,
  };
  return { pinoHttp: destination ? [options, destination] : options };
}

/** Query strings never carry credentials by design; drop any that look like one anyway. */
function stripQuerySecrets(url: string): string {
  return url.replace(/([?&](?:api_?key|key|token|password|secret)=)[^&]*/gi, '$1[redacted]');
}
