import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import type { NextFunction, Request, Response } from 'express';
import { ProblemFilter } from './problem.filter';

export interface HttpOptions {
  /** JSON/urlencoded body limit, e.g. '20mb'. */
  bodyLimit: string;
  /** Behind a reverse proxy: take the client IP and protocol from X-Forwarded-* headers. */
  trustProxy: boolean;
}

/**
 * Request plumbing shared by the server and the tests: body parsing (whose errors — bad JSON, too large — go
 * through the same ProblemFilter as everything else), cookies, and the global exception filter.
 * The app must be created with `{ bodyParser: false }`.
 */
export function configureHttp(app: INestApplication, options: HttpOptions): ProblemFilter {
  const express = app as NestExpressApplication;
  const filter = new ProblemFilter();
  // One proxy hop when configured: req.ip is then the client from X-Forwarded-For, not the proxy.
  express.set('trust proxy', options.trustProxy ? 1 : false);
  express.disable('x-powered-by');
  express.useBodyParser('json', {
    limit: options.bodyLimit,
    type: ['application/json', 'application/*+json'],
  });
  express.useBodyParser('urlencoded', { limit: options.bodyLimit, extended: false });
  express.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const problem = filter.toProblem(err, req);
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  });
  express.use(cookieParser());
  app.useGlobalFilters(filter);
  return filter;
}
