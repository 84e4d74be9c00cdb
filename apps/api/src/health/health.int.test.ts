import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app';

describe('health and metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('GET /health reports the database up and migrations current, without authentication', async () => {
    const res = await t.anonymous().get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', database: 'up', migrations: 'current' });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reports pending migrations as degraded (503)', async () => {
    const latest = await t.prisma.$queryRawUnsafe<{ migration_name: string }[]>(
      'SELECT migration_name FROM _prisma_migrations ORDER BY migration_name DESC LIMIT 1',
    );
    const name = latest[0]?.migration_name ?? '';
    await t.prisma.$executeRawUnsafe(
      `UPDATE _prisma_migrations SET migration_name = 'x' WHERE migration_name = $1`,
      name,
    );
    try {
      const res = await t.anonymous().get('/health');
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ status: 'degraded', database: 'up', migrations: 'pending' });
    } finally {
      await t.prisma.$executeRawUnsafe(
        `UPDATE _prisma_migrations SET migration_name = $1 WHERE migration_name = 'x'`,
        name,
      );
    }
    expect((await t.anonymous().get('/health')).status).toBe(200);
  });

  it('keeps a well-formed incoming X-Request-Id and replaces a malformed one', async () => {
    const kept = await t.anonymous().get('/health').set('X-Request-Id', 'abc-123.def');
    expect(kept.headers['x-request-id']).toBe('abc-123.def');
    const replaced = await t.anonymous().get('/health').set('X-Request-Id', 'bad id with spaces');
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('GET /metrics exposes process metrics and an HTTP histogram labelled by route pattern', async () => {
    const admin = await t.login(t.admin.email, t.admin.password);
    await admin.patch('/v1/users/00000000-0000-7000-8000-000000000000').send({ name: 'x' });
    const res = await t.anonymous().get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toContain('process_cpu_user_seconds_total');
    expect(res.text).toContain('nodejs_heap_size_used_bytes');
    expect(res.text).toMatch(
      /http_request_duration_seconds_count\{method="PATCH",route="\/v1\/users\/:id",status_code="404"\} 1/,
    );
    expect(res.text).toMatch(
      /http_request_duration_seconds_bucket\{le="0.005",method="POST",route="\/v1\/auth\/login"/,
    );
    expect(res.text).not.toContain('00000000-0000-7000-8000-000000000000');
  });
});
