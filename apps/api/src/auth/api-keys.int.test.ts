import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Agent, type TestApp } from '../../test/app';

describe('API keys', () => {
  let t: TestApp;
  let admin: Agent;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.login(t.admin.email, t.admin.password);
  });
  afterAll(() => t.close());

  it('shows the full key once and stores only its SHA-256 and prefix', async () => {
    const res = await admin.post('/v1/api-keys').send({ name: 'CRM export', scope: 'ingest' });
    expect(res.status).toBe(201);
    const { key, apiKey } = res.body as { key: string; apiKey: Record<string, unknown> };
    expect(key.length).toBeGreaterThanOrEqual(40);
    expect(apiKey).toMatchObject({
      name: 'CRM export',
      scope: 'ingest',
      prefix: key.slice(0, 8),
      revokedAt: null,
    });
    expect(JSON.stringify(apiKey)).not.toContain(key);

    const row = await t.prisma.apiKey.findUniqueOrThrow({ where: { id: String(apiKey.id) } });
    expect(row.hash).toBe(createHash('sha256').update(key).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(key);

    const list = await admin.get('/v1/api-keys');
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.body)).not.toContain(key);
    expect(list.body.items.map((k: { id: string }) => k.id)).toContain(apiKey.id);
  });

  it('an ingest key can assign but not read results; a read key the reverse', async () => {
    const ingest = await t.keyAgent('ingest');
    const read = await t.keyAgent('read');
    expect((await ingest.get('/v1/auth/me')).body.actor).toMatchObject({ type: 'api_key', scope: 'ingest' });
    expect((await ingest.get('/v1/sdk/payload')).status).toBe(200);
    expect((await ingest.get('/v1/experiments')).status).toBe(403);
    expect((await read.get('/v1/experiments')).status).toBe(200);
    expect((await read.get('/v1/sdk/payload')).status).toBe(403);
    // No key may manage users or keys.
    expect((await read.get('/v1/users')).status).toBe(403);
    expect((await ingest.post('/v1/api-keys').send({ name: 'x', scope: 'read' })).status).toBe(403);
  });

  it('rejects unknown keys and malformed Authorization headers with 401', async () => {
    expect((await t.withKey('lli_not-a-real-key').get('/v1/auth/me')).status).toBe(401);
    const malformed = await t.anonymous().get('/v1/auth/me').set('Authorization', 'Basic abc');
    expect(malformed.status).toBe(401);
    expect(malformed.body.detail).toMatch(/Bearer/);
  });

  it('records lastUsedAt, at most once a minute', async () => {
    const created = await admin.post('/v1/api-keys').send({ name: 'usage', scope: 'read' });
    const agent = t.withKey(created.body.key);
    const id = created.body.apiKey.id as string;
    await agent.get('/v1/auth/me');
    const first = await t.prisma.apiKey.findUniqueOrThrow({ where: { id } });
    expect(first.lastUsedAt?.toISOString()).toBe(t.clock.now().toISOString());
    t.clock.advance(30_000);
    await agent.get('/v1/auth/me');
    expect((await t.prisma.apiKey.findUniqueOrThrow({ where: { id } })).lastUsedAt).toEqual(first.lastUsedAt);
    t.clock.advance(31_000);
    await agent.get('/v1/auth/me');
    expect((await t.prisma.apiKey.findUniqueOrThrow({ where: { id } })).lastUsedAt?.toISOString()).toBe(
      t.clock.now().toISOString(),
    );
  });

  it('a revoked key stops working at once; revoking is idempotent and audited', async () => {
    const created = await admin.post('/v1/api-keys').send({ name: 'temporary', scope: 'read' });
    const agent = t.withKey(created.body.key);
    expect((await agent.get('/v1/auth/me')).status).toBe(200);
    const revoked = await admin.delete(`/v1/api-keys/${created.body.apiKey.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toBe(t.clock.now().toISOString());
    expect((await agent.get('/v1/auth/me')).status).toBe(401);
    expect((await admin.delete(`/v1/api-keys/${created.body.apiKey.id}`)).status).toBe(200);

    const audit = await admin
      .get('/v1/audit-log')
      .query({ entityType: 'api_key', entityId: created.body.apiKey.id });
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual([
      'api_key.revoke',
      'api_key.create',
    ]);
    expect(JSON.stringify(audit.body)).not.toContain(created.body.key);
  });

  it('validates the body and answers 404 for unknown or malformed ids', async () => {
    const bad = await admin.post('/v1/api-keys').send({ name: '', scope: 'write' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual(
      expect.arrayContaining([
        { path: 'name', rule: 'required' },
        { path: 'scope', rule: 'one_of' },
      ]),
    );
    expect((await admin.delete('/v1/api-keys/00000000-0000-7000-8000-000000000000')).status).toBe(404);
    expect((await admin.delete('/v1/api-keys/not-a-uuid')).status).toBe(404);
  });
});
