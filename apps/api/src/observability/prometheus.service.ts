import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/**
 * One registry per application instance (not prom-client's global one), so several apps in one process — the
 * integration tests — never clash over metric names. Other modules may register their own metrics on `registry`.
 */
@Injectable()
export class PrometheusService {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration in seconds, by method, route pattern and status code',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
  }

  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

/** Times every request; labels use the matched route pattern (`/v1/experiments/:id`) to keep cardinality low. */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly prometheus: PrometheusService) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const end = this.prometheus.httpDuration.startTimer();
    res.on('finish', () => {
      const pattern = (req.route as { path?: unknown } | undefined)?.path;
      const route =
        typeof pattern === 'string'
          ? `${req.baseUrl}${pattern}`
          : res.statusCode === 404
            ? 'unmatched'
            : 'other';
      end({ method: req.method, route, status_code: String(res.statusCode) });
    });
    next();
  }
}
