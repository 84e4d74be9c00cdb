import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Agent, type TestApp } from '../../test/app';

describe('users', () => {
  let t: TestApp;
  let admin: Agent;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.login(t.admin.email, t.admin.password);
  });
  afterAll(() => t.close());

  it('admin creates a user with a password; the email is normalised and the hash never leaves the server', async () => {
    const res = await admin
      .post('/v1/users')
      .send({ email: '  Mia@Example.COM ', name: 'Mia', role: 'marketer', password: 'marketing-rocks-42' });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ email: 'mia@example.com', role: 'marketer', disabledAt: null });
    expect(res.body.initialPassword).toBeUndefined();
    expect(JSON.stringify(res.body)).not.toMatch(/scrypt|passwordHash/);
    const stored = await t.prisma.user.findUniqueOrThrow({ where: { email: 'mia@example.com' } });
    expect(stored.passwordHash).toMatch(/^scrypt\$/);
    expect(stored.passwordHash).not.toContain('marketing-rocks-42');
    const mia = await t.login('mia@example.com', 'marketing-rocks-42');
    expect((await mia.get('/v1/auth/me')).body.actor.user.role).toBe('marketer');
  });

  it('without a password one is generated and returned once', async () => {
    const res = await admin
      .post('/v1/users')
      .send({ email: 'exec@example.com', name: 'Exec', role: 'executive' });
    expect(res.status).toBe(201);
    expect(res.body.initialPassword).toMatch(/^[A-Za-z0-9]{20}$/);
    await t.login('exec@example.com', res.body.initialPassword);
    const list = await admin.get('/v1/users');
    expect(JSON.stringify(list.body)).not.toContain(res.body.initialPassword);
  });

  it('refuses a duplicate email (409) and invalid fields (400 naming each)', async () => {
    const dup = await admin
      .post('/v1/users')
      .send({ email: 'MIA@example.com', name: 'Again', role: 'lifecycle' });
    expect(dup.status).toBe(409);
    expect(dup.body.errors).toEqual([{ path: 'email', rule: 'unique' }]);
    const bad = await admin
      .post('/v1/users')
      .send({ email: 'nope', name: 'X', role: 'owner', password: 'short' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual(
      expect.arrayContaining([
        { path: 'email', rule: 'format_email' },
        { path: 'role', rule: 'one_of' },
        { path: 'password', rule: 'min_12' },
      ]),
    );
  });

  it('lists users of the workspace; non-admins are refused', async () => {
    const list = await admin.get('/v1/users');
    expect(list.status).toBe(200);
    expect(list.body.items.map((u: { email: string }) => u.email)).toEqual(
      expect.arrayContaining([t.admin.email, 'mia@example.com']),
    );
    const marketer = await t.loginAs('marketer');
    expect((await marketer.get('/v1/users')).status).toBe(403);
    expect(
      (await marketer.post('/v1/users').send({ email: 'a@b.co', name: 'A', role: 'admin' })).status,
    ).toBe(403);
  });

  it('changes a role with immediate effect and records before/after in the audit log', async () => {
    const u = await t.createUser('executive');
    const agent = await t.login(u.email, u.password);
    expect((await agent.get('/v1/audit-log')).status).toBe(403);
    const res = await admin.patch(`/v1/users/${u.user.id}`).send({ role: 'marketer', name: 'Promoted' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ role: 'marketer', name: 'Promoted' });
    expect((await agent.get('/v1/audit-log')).status).toBe(200);

    const audit = await admin.get('/v1/audit-log').query({ entityType: 'user', entityId: u.user.id });
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({
      action: 'user.update',
      actorType: 'user',
      actorId: t.admin.user.id,
      before: { role: 'executive' },
      after: { role: 'marketer', name: 'Promoted' },
    });
  });

  it('an admin password reset signs the user out everywhere', async () => {
    const u = await t.createUser('lifecycle');
    const agent = await t.login(u.email, u.password);
    expect(
      (await admin.patch(`/v1/users/${u.user.id}`).send({ password: 'reset-by-admin-123' })).status,
    ).toBe(200);
    expect((await agent.get('/v1/auth/me')).status).toBe(401);
    await t.login(u.email, 'reset-by-admin-123');
  });

  it('never leaves the workspace without an active admin', async () => {
    const self = await admin.patch(`/v1/users/${t.admin.user.id}`).send({ role: 'marketer' });
    expect(self.status).toBe(409);
    expect(self.body.errors).toEqual([{ path: 'role', rule: 'last_admin' }]);
    const second = await t.createUser('admin');
    expect((await admin.patch(`/v1/users/${second.user.id}`).send({ disabled: true })).status).toBe(200);
    expect((await admin.patch(`/v1/users/${t.admin.user.id}`).send({ disabled: true })).status).toBe(409);
    expect((await admin.patch(`/v1/users/${second.user.id}`).send({ disabled: false })).status).toBe(200);
    const demoted = await admin.patch(`/v1/users/${second.user.id}`).send({ role: 'executive' });
    expect(demoted.status).toBe(200);
  });

  it('rejects an empty patch and unknown ids', async () => {
    const empty = await admin.patch(`/v1/users/${t.admin.user.id}`).send({});
    expect(empty.status).toBe(400);
    expect(empty.body.errors).toEqual([{ path: '(body)', rule: 'at_least_one_field' }]);
    expect(
      (await admin.patch('/v1/users/00000000-0000-7000-8000-000000000000').send({ name: 'X' })).status,
    ).toBe(404);
  });
});
