import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import express, { type NextFunction, type Request, type Response } from 'express';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Logger } from 'nestjs-pino';
import { SESSION_COOKIE } from './auth/decorators';
import { configureHttp } from './common/http';
import { AppConfig } from './config/config';
import { repoRoot } from './database/paths';

/** Paths the admin app's SPA fallback never answers. */
const API_PREFIXES = ['/v1', '/health', '/metrics', '/docs', '/openapi.json'];

export interface SetupOptions {
  /** Serve the built admin app when found (default true). */
  serveAdmin?: boolean;
}

/**
 * Everything main.ts does to the app before listening, shared with the integration tests so they exercise the
 * same stack: logger, body parsing, cookies, the exception filter, OpenAPI + Swagger UI, the admin app.
 */
export function setupApp(app: INestApplication, options: SetupOptions = {}): { document: OpenAPIObject } {
  const config = app.get(AppConfig);
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  configureHttp(app, { bodyLimit: config.BODY_LIMIT, trustProxy: config.TRUST_PROXY });
  const document = setupOpenApi(app);
  if (options.serveAdmin !== false) serveAdminApp(app, config);
  return { document };
}

export function setupOpenApi(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Liftlab API')
    .setDescription(
      'Experiments, assignment, event ingestion and results. Users sign in with a session cookie; ' +
        'systems send `Authorization: Bearer <API key>`. Errors are RFC 7807 problem documents.',
    )
    .setVersion('1')
    .addCookieAuth(SESSION_COOKIE, { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE }, SESSION_COOKIE)
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'API key (scope ingest or read)' },
      'apiKey',
    )
    .build();
  const document = SwaggerModule.createDocument(app, builder);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'openapi.json',
    yamlDocumentUrl: 'openapi.yaml',
    customSiteTitle: 'Liftlab API',
  });
  return document;
}

export function adminDistDir(config: AppConfig): string | undefined {
  const dir = config.ADMIN_DIST_DIR
    ? resolve(config.ADMIN_DIST_DIR)
    : join(repoRoot(), 'apps', 'admin', 'dist');
  return existsSync(join(dir, 'index.html')) ? dir : undefined;
}

/** Static files of the admin app with SPA fallback: unknown GET paths outside the API get index.html. */
export function serveAdminApp(app: INestApplication, config: AppConfig): string | undefined {
  const dir = adminDistDir(config);
  if (!dir) return undefined;
  const http = app as NestExpressApplication;
  const isApiPath = (path: string) => API_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));
  const files = express.static(dir, { index: false, fallthrough: true, maxAge: '1h' });
  http.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || isApiPath(req.path)) return next();
    files(req, res, () => {
      if (!req.accepts('html')) return next();
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(join(dir, 'index.html'));
    });
  });
  return dir;
}
