import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ADMIN_EMAIL, FIRST_RUN_LOGIN_FILE } from '../src/auth/first-run.service';
import { LOG_DESTINATION } from '../src/observability/logging';
import { createTestApp, type TestApp } from './app';

/** First run without FIRST_ADMIN_*, with logs captured at info level. */
describe('first run and logs', () => {
  let t: TestApp;
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const logText = () => lines.join('\n');

  beforeAll(async () => {
    t = await createTestApp({
      env: { LOG_LEVEL: 'info', FIRST_ADMIN_EMAIL: '', FIRST_ADMIN_PASSWORD: '' },
      configure: (b) => b.overrideProvider(LOG_DESTINATION).useValue(sink),
    });
  });
  afterAll(() => t.close());

  it('creates admin@liftlab.local with a generated password, printed once and saved for the owner only', async () => {
    const printed = lines.filter((l) => l.includes('First-run login'));
    expect(printed).toHaveLength(1);
    const password = /First-run login: \S+ \/ (\S+)/.exec(printed[0] ?? '')?.[1] ?? '';
    expect(password).toMatch(/^[A-Za-z0-9]{20}$/);
    const file = join(t.config.DATA_DIR, FIRST_RUN_LOGIN_FILE);
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(`email: ${DEFAULT_ADMIN_EMAIL}\npassword: ${password}\n`);
    expect(statSync(file).mode & 0o077).toBe(0);
    const agent = await t.login(DEFAULT_ADMIN_EMAIL, password);
    expect((await agent.get('/v1/auth/me')).body.actor.user.role).toBe('admin');
    expect(await t.prisma.auditLog.count({ where: { action: 'user.create', actorType: 'system' } })).toBe(1);
  });

  it('logs requests as JSON with request ids and the actor, never passwords, cookies or API keys', async () => {
    const user = await t.createUser('marketer', { password: 'very-secret-password-1' });
    const login = await t
      .anonymous()
      .post('/v1/auth/login')
      .send({ email: user.email, password: user.password });
    const token = /liftlab_session=([^;]+)/.exec(String(login.headers['set-cookie']))?.[1] ?? '';
    expect(token).not.toBe('');
    await t
      .anonymous()
      .get('/v1/auth/me')
      .set('Cookie', `liftlab_session=${token}`)
      .set('X-Request-Id', 'req-42');
    const key = await t.createApiKey('ingest');
    await t.withKey(key).get('/v1/auth/me');
    await t.anonymous().post('/v1/auth/login').send({ email: user.email, password: 'wrong-password-oops' });

    const text = logText();
    for (const secret of [user.password, token, key, key.slice(8), 'wrong-password-oops']) {
      expect(text).not.toContain(secret);
    }
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const me = entries.find((e) => (e.req as { id?: string } | undefined)?.id === 'req-42');
    expect(me).toMatchObject({
      req: { method: 'GET', url: '/v1/auth/me' },
      res: { statusCode: 200 },
      actor: { type: 'user', id: user.user.id },
    });
    expect(me?.responseTime).toEqual(expect.any(Number));
  });
});
