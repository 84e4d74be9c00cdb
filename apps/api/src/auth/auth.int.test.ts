import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD, type TestApp } from '../../test/app';

describe('auth: sessions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      env: { LOGIN_MAX_FAILURES: '3', LOGIN_WINDOW_SECONDS: '60', SESSION_TTL_HOURS: '2' },
    });
  });
  afterAll(() => t.close());

  it('creates the first admin from FIRST_ADMIN_* and lets them sign in', async () => {
    const res = await t
      .anonymous()
      .post('/v1/auth/login')
      .send({ email: TEST_ADMIN_EMAIL, password: TEST_ADMIN_PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ email: TEST_ADMIN_EMAIL, role: 'admin', disabledAt: null });
    expect(res.body.user.passwordHash).toBeUndefined();
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^liftlab_session=[\w-]{43};/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
  });

  it('stores only a hash of the session token', async () => {
    const agent = t.anonymous();
    const res = await agent
      .post('/v1/auth/login')
      .send({ email: TEST_ADMIN_EMAIL, password: TEST_ADMIN_PASSWORD });
    const token = /liftlab_session=([^;]+)/.exec(String(res.headers['set-cookie']))?.[1] ?? '';
    expect(token.length).toBeGreaterThan(20);
    const sessions = await t.prisma.session.findMany();
    expect(sessions.length).toBeGreaterThan(0);
    expect(sessions.every((s) => s.id !== token && !s.id.includes(token))).toBe(true);
  });

  it('me returns the signed-in user; without a cookie it is 401', async () => {
    const agent = await t.login(TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD);
    const me = await agent.get('/v1/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.actor).toMatchObject({ type: 'user', user: { email: TEST_ADMIN_EMAIL, role: 'admin' } });
    const anon = await t.anonymous().get('/v1/auth/me');
    expect(anon.status).toBe(401);
    expect(anon.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(anon.body).toMatchObject({ status: 401, code: 'unauthenticated' });
  });

  it('refuses a wrong password and an unknown email alike', async () => {
    const wrong = await t
      .anonymous()
      .post('/v1/auth/login')
      .send({ email: TEST_ADMIN_EMAIL, password: 'nope' });
    const unknown = await t
      .anonymous()
      .post('/v1/auth/login')
      .send({ email: 'ghost@liftlab.test', password: 'nope' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.detail).toBe(unknown.body.detail);
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('validates the login body, naming the field', async () => {
    const res = await t.anonymous().post('/v1/auth/login').send({ email: TEST_ADMIN_EMAIL });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'password', rule: 'required' }]);
  });

  it('rate-limits repeated failures per email and IP with 429 + Retry-After, then recovers', async () => {
    const victim = await t.createUser('marketer');
    for (let i = 0; i < 3; i++) {
      const res = await t
        .anonymous()
        .post('/v1/auth/login')
        .send({ email: victim.email, password: `bad-${i}` });
      expect(res.status).toBe(401);
    }
    const blocked = await t
      .anonymous()
      .post('/v1/auth/login')
      .send({ email: victim.email, password: victim.password });
    expect(blocked.status).toBe(429);
    expect(blocked.body.code).toBe('rate_limited');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(60);
    // Another account from the same client is not locked by this one's failures.
    const other = await t
      .anonymous()
      .post('/v1/auth/login')
      .send({ email: TEST_ADMIN_EMAIL, password: TEST_ADMIN_PASSWORD });
    expect(other.status).toBe(200);
    t.clock.advance(61_000);
    const after = await t
      .anonymous()
      .post('/v1/auth/login')
      .send({ email: victim.email, password: victim.password });
    expect(after.status).toBe(200);
  });

  it('logout ends the session server-side and clears the cookie', async () => {
    const agent = await t.login(TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD);
    const cookieBefore = await t.prisma.session.count();
    const out = await agent.post('/v1/auth/logout');
    expect(out.status).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/liftlab_session=;/);
    expect(await t.prisma.session.count()).toBe(cookieBefore - 1);
    expect((await agent.get('/v1/auth/me')).status).toBe(401);
  });

  it('a session expires after SESSION_TTL_HOURS (fixed clock)', async () => {
    const u = await t.createUser('executive');
    const agent = await t.login(u.email, u.password);
    t.clock.advance(2 * 3_600_000 - 1000);
    expect((await agent.get('/v1/auth/me')).status).toBe(200);
    t.clock.advance(2000);
    const expired = await agent.get('/v1/auth/me');
    expect(expired.status).toBe(401);
    expect(expired.body.detail).toMatch(/expired/);
  });

  it('a disabled user can neither use an open session nor sign in', async () => {
    const u = await t.createUser('lifecycle');
    const agent = await t.login(u.email, u.password);
    const admin = await t.login(TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD);
    expect((await admin.patch(`/v1/users/${u.user.id}`).send({ disabled: true })).status).toBe(200);
    expect((await agent.get('/v1/auth/me')).status).toBe(401);
    const again = await t.anonymous().post('/v1/auth/login').send({ email: u.email, password: u.password });
    expect(again.status).toBe(401);
  });

  it('changing the own password requires the current one and signs out other sessions', async () => {
    const u = await t.createUser('marketer');
    const a = await t.login(u.email, u.password);
    const b = await t.login(u.email, u.password);
    const bad = await a
      .post('/v1/auth/password')
      .send({ currentPassword: 'wrong', newPassword: 'a-new-long-password' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ path: 'currentPassword', rule: 'mismatch' }]);
    const short = await a
      .post('/v1/auth/password')
      .send({ currentPassword: u.password, newPassword: 'short' });
    expect(short.body.errors).toEqual([{ path: 'newPassword', rule: 'min_12' }]);
    const ok = await a
      .post('/v1/auth/password')
      .send({ currentPassword: u.password, newPassword: 'a-new-long-password' });
    expect(ok.status).toBe(204);
    expect((await a.get('/v1/auth/me')).status).toBe(200);
    expect((await b.get('/v1/auth/me')).status).toBe(401);
    expect(
      (await t.anonymous().post('/v1/auth/login').send({ email: u.email, password: 'a-new-long-password' }))
        .status,
    ).toBe(200);
  });
});
