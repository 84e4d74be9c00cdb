import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Agent, type TestApp } from '../../test/app';
import type { UserActor } from '../auth/actor';
import { AuditService } from './audit.service';

describe('audit log', () => {
  let t: TestApp;
  let admin: Agent;
  let audit: AuditService;
  let actor: UserActor;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.login(t.admin.email, t.admin.password);
    audit = t.app.get(AuditService);
    actor = {
      type: 'user',
      id: t.admin.user.id,
      role: 'admin',
      workspaceId: t.workspaceId,
      email: t.admin.email,
      sessionId: 'x',
    };
  });
  afterAll(() => t.close());

  it('records actor, action, entity and JSON snapshots, without secrets, at the clock time', async () => {
    await audit.record(
      actor,
      'experiment.start',
      { type: 'experiment', id: 'exp-1' },
      { status: 'draft', startedAt: null },
      { status: 'running', startedAt: new Date('2025-01-15T09:00:00Z'), passwordHash: 'scrypt$x', big: 12n },
    );
    const res = await admin.get('/v1/audit-log').query({ entityType: 'experiment', entityId: 'exp-1' });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      {
        id: expect.any(String),
        actorType: 'user',
        actorId: t.admin.user.id,
        action: 'experiment.start',
        entityType: 'experiment',
        entityId: 'exp-1',
        before: { status: 'draft', startedAt: null },
        after: { status: 'running', startedAt: '2025-01-15T09:00:00.000Z', big: '12' },
        at: t.clock.now().toISOString(),
      },
    ]);
    expect(res.body.nextCursor).toBeNull();
  });

  it('rolls back with the transaction it was written in', async () => {
    await expect(
      t.prisma.$transaction(async (tx) => {
        await audit.record(actor, 'experiment.stop', { type: 'experiment', id: 'exp-tx' }, null, null, {
          tx,
        });
        throw new Error('change failed');
      }),
    ).rejects.toThrow('change failed');
    const res = await admin.get('/v1/audit-log').query({ entityId: 'exp-tx' });
    expect(res.body.items).toEqual([]);
  });

  it('pages newest first with a cursor', async () => {
    for (let i = 0; i < 5; i++) {
      t.clock.advance(1000);
      await audit.record(actor, `metric.update.${i}`, { type: 'metric', id: 'm-1' }, null, { i });
    }
    const first = await admin.get('/v1/audit-log').query({ entityType: 'metric', limit: 2 });
    expect(first.body.items.map((e: { action: string }) => e.action)).toEqual([
      'metric.update.4',
      'metric.update.3',
    ]);
    const second = await admin
      .get('/v1/audit-log')
      .query({ entityType: 'metric', limit: 2, cursor: first.body.nextCursor });
    expect(second.body.items.map((e: { action: string }) => e.action)).toEqual([
      'metric.update.2',
      'metric.update.1',
    ]);
    const third = await admin
      .get('/v1/audit-log')
      .query({ entityType: 'metric', limit: 2, cursor: second.body.nextCursor });
    expect(third.body.items.map((e: { action: string }) => e.action)).toEqual(['metric.update.0']);
    expect(third.body.nextCursor).toBeNull();
  });

  it('validates the query and is readable by marketers but not lifecycle, executives or keys', async () => {
    const bad = await admin.get('/v1/audit-log').query({ limit: 0, cursor: 'garbage' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ path: 'query.limit', rule: 'min_1' }]);
    const badCursor = await admin.get('/v1/audit-log').query({ cursor: 'garbage' });
    expect(badCursor.body.errors).toEqual([{ path: 'query.cursor', rule: 'invalid_cursor' }]);
    expect((await (await t.loginAs('marketer')).get('/v1/audit-log')).status).toBe(200);
    expect((await (await t.loginAs('lifecycle')).get('/v1/audit-log')).status).toBe(403);
    expect((await (await t.loginAs('executive')).get('/v1/audit-log')).status).toBe(403);
    expect((await (await t.keyAgent('read')).get('/v1/audit-log')).status).toBe(403);
  });
});
