import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './app';
import { registeredRoutes, routeKey, toOpenApiPath } from './routes';

describe('OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('is served at /openapi.json without authentication and is OpenAPI 3', async () => {
    const res = await t.anonymous().get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(res.body.info.title).toBe('Liftlab API');
    expect(res.body.components.securitySchemes).toHaveProperty('liftlab_session');
    expect(res.body.components.securitySchemes).toHaveProperty('apiKey');
  });

  it('documents every route the router serves, with its method', async () => {
    const doc = (await t.anonymous().get('/openapi.json')).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    const routes = registeredRoutes(t.app);
    expect(routes.length).toBeGreaterThan(10);
    const missing = routes
      .filter((r) => !doc.paths[toOpenApiPath(r.path)]?.[r.method.toLowerCase()])
      .map(routeKey);
    expect(missing).toEqual([]);
  });

  it('describes request bodies from the zod contracts', async () => {
    const doc = (await t.anonymous().get('/openapi.json')).body;
    const login = doc.paths['/v1/auth/login'].post;
    const schema = login.requestBody.content['application/json'].schema;
    expect(schema.required).toEqual(expect.arrayContaining(['email', 'password']));
    expect(schema.properties.password.type).toBe('string');
    const createKey = doc.paths['/v1/api-keys'].post.requestBody.content['application/json'].schema;
    expect(createKey.properties.scope.enum).toEqual(['ingest', 'read']);
  });

  it('serves Swagger UI at /docs', async () => {
    const res = await t.anonymous().get('/docs/').redirects(1);
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/swagger-ui/i);
  });
});
