import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BounceResult, Suppression, SuppressionList } from '@liftlab/contracts';
import { createTestApp, type Agent, type TestApp } from '../../test/app';
import { LinkSigner, signLinkToken } from '../delivery/links';
import { createCustomer, createMessage, createSequence, type TestSequence } from '../outbox/test-messages';
import { SuppressionService } from './suppression.service';

let t: TestApp;
let lifecycle: Agent;
let links: LinkSigner;
let service: SuppressionService;
let seq: TestSequence;

const LINK_SECRET = 'link-secret-for-the-suppression-test-0123';

beforeAll(async () => {
  t = await createTestApp({ env: { LINK_SECRET, PUBLIC_URL: 'http://lift.example' } });
  lifecycle = await t.loginAs('lifecycle');
  links = t.app.get(LinkSigner, { strict: false });
  service = t.app.get(SuppressionService, { strict: false });
  seq = await createSequence(t.prisma, t.workspaceId, 'suppression-seq');
});

afterAll(() => t?.close());

const customer = (externalId: string) => createCustomer(t.prisma, t.workspaceId, externalId);

function unsubscribeToken(customerId: string, messageId?: string): string {
  return links.sign(
    { kind: 'unsubscribe', workspaceId: t.workspaceId, customerId, messageId },
    t.clock.now(),
  );
}

describe('one-click unsubscribe (RFC 8058)', () => {
  it('the e-mail link carries a token that unsubscribes with one POST, without signing in', async () => {
    const id = await customer('unsub-1');
    const messageId = await createMessage(t.prisma, t.workspaceId, seq, id, 'email');
    const url = links.url(
      { kind: 'unsubscribe', workspaceId: t.workspaceId, customerId: id, messageId },
      t.clock.now(),
    );
    expect(url.startsWith('http://lift.example/v1/unsubscribe/')).toBe(true);
    const path = new URL(url).pathname;
    expect(await service.isSuppressed(t.workspaceId, id)).toBe(false);

    // GET only shows the confirmation page: link scanners must not unsubscribe anyone.
    const page = await t.anonymous().get(path);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain(`action="${path}"`);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(await service.isSuppressed(t.workspaceId, id)).toBe(false);

    // The mail client's one-click POST.
    const res = await t.anonymous().post(path).type('form').send('List-Unsubscribe=One-Click');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ unsubscribed: true, createdAt: t.clock.now().toISOString() });
    expect(await service.isSuppressed(t.workspaceId, id)).toBe(true);
    expect(
      await t.prisma.suppression.findUniqueOrThrow({
        where: { workspaceId_customerId: { workspaceId: t.workspaceId, customerId: id } },
      }),
    ).toMatchObject({
      reason: 'unsubscribe',
      detail: `link in message ${messageId}`,
    });
    // Repeating it is harmless and keeps the first entry.
    t.clock.advanceMinutes(10);
    const again = await t.anonymous().post(path).type('form').send('List-Unsubscribe=One-Click');
    expect(again.status).toBe(200);
    expect(again.body.createdAt).toBe(res.body.createdAt);
    expect(await t.prisma.suppression.count({ where: { customerId: id } })).toBe(1);
    const audit = await t.prisma.auditLog.findMany({ where: { entityType: 'suppression', entityId: id } });
    expect(audit.map((a) => [a.action, a.actorType, a.actorId])).toEqual([
      ['suppression.add', 'system', 'unsubscribe-link'],
    ]);
  });

  it('accepts the multipart/form-data encoding and answers browsers with a page', async () => {
    const id = await customer('unsub-multipart');
    const res = await t
      .anonymous()
      .post(`/v1/unsubscribe/${unsubscribeToken(id)}`)
      .field('List-Unsubscribe', 'One-Click');
    expect(res.status).toBe(200);
    expect(await service.isSuppressed(t.workspaceId, id)).toBe(true);

    const other = await customer('unsub-browser');
    const page = await t
      .anonymous()
      .post(`/v1/unsubscribe/${unsubscribeToken(other)}`)
      .set('Accept', 'text/html,application/xhtml+xml')
      .type('form')
      .send({ 'List-Unsubscribe': 'One-Click' });
    expect(page.status).toBe(200);
    expect(page.text).toContain('You are unsubscribed');
    expect(await service.isSuppressed(t.workspaceId, other)).toBe(true);
  });

  it('refuses a POST without the one-click body, naming the field', async () => {
    const id = await customer('unsub-nobody');
    const path = `/v1/unsubscribe/${unsubscribeToken(id)}`;
    const missing = await t.anonymous().post(path).type('form').send('something=else');
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([{ path: 'List-Unsubscribe', rule: 'required' }]);
    const wrong = await t.anonymous().post(path).type('form').send('List-Unsubscribe=Yes');
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors).toEqual([{ path: 'List-Unsubscribe', rule: 'one_click' }]);
    expect(await service.isSuppressed(t.workspaceId, id)).toBe(false);
  });

  it('refuses tampered, foreign, wrong-kind and expired tokens and suppresses nobody', async () => {
    const victim = await customer('unsub-victim');
    const mine = await customer('unsub-attacker');
    const token = unsubscribeToken(mine);
    const [body, sig] = token.split('.') as [string, string];
    const swapped = Buffer.from(Buffer.from(body, 'base64url').toString().replace(mine, victim)).toString(
      'base64url',
    );
    const forgedWithOtherKey = signLinkToken('not-the-link-secret-0123456789abcdefgh', {
      kind: 'unsubscribe',
      workspaceId: t.workspaceId,
      customerId: victim,
      expiresAt: new Date(t.clock.now().getTime() + 86_400_000),
    });
    const openToken = links.sign(
      { kind: 'open', workspaceId: t.workspaceId, customerId: victim },
      t.clock.now(),
    );
    for (const bad of [`${swapped}.${sig}`, forgedWithOtherKey, openToken, 'garbage']) {
      const post = await t
        .anonymous()
        .post(`/v1/unsubscribe/${bad}`)
        .type('form')
        .send('List-Unsubscribe=One-Click');
      expect(post.status, bad).toBe(404);
      expect(post.body).toMatchObject({ code: 'not_found', reason: 'invalid' });
      const get = await t.anonymous().get(`/v1/unsubscribe/${bad}`);
      expect(get.status).toBe(404);
      expect(get.text).toContain('not valid');
    }
    expect(await service.isSuppressed(t.workspaceId, victim)).toBe(false);

    // Valid for one minute (sessions of the other tests must not expire, so the clock moves little).
    const expiring = links.sign(
      { kind: 'unsubscribe', workspaceId: t.workspaceId, customerId: victim },
      t.clock.now(),
      1 / 1440,
    );
    t.clock.advanceMinutes(1);
    const expired = await t
      .anonymous()
      .post(`/v1/unsubscribe/${expiring}`)
      .type('form')
      .send('List-Unsubscribe=One-Click');
    expect(expired.status).toBe(404);
    expect(expired.body.reason).toBe('expired');
    expect((await t.anonymous().get(`/v1/unsubscribe/${expiring}`)).text).toContain('expired');
    expect(await service.isSuppressed(t.workspaceId, victim)).toBe(false);
  });
});

describe('suppression list API', () => {
  it('adds, lists (newest first, paged, filtered) and removes suppressions', async () => {
    const ids = ['list-a', 'list-b', 'list-c'];
    for (const externalId of ids) await customer(externalId);
    for (const [i, externalId] of ids.entries()) {
      t.clock.advanceMinutes(1);
      const res = await lifecycle
        .post('/v1/suppressions')
        .send({ externalId, ...(i === 1 ? { reason: 'complaint', detail: 'phoned in' } : {}) });
      expect(res.status).toBe(201);
      expect(res.body as Suppression).toMatchObject({
        externalId,
        reason: i === 1 ? 'complaint' : 'manual',
        createdAt: t.clock.now().toISOString(),
      });
    }
    const page1 = (await lifecycle.get('/v1/suppressions').query({ search: 'list-', limit: 2 }))
      .body as SuppressionList;
    expect(page1.items.map((s) => s.externalId)).toEqual(['list-c', 'list-b']);
    const page2 = (
      await lifecycle.get('/v1/suppressions').query({ search: 'list-', limit: 2, cursor: page1.nextCursor })
    ).body as SuppressionList;
    expect(page2).toMatchObject({ items: [{ externalId: 'list-a' }], nextCursor: null });
    const complaints = (await lifecycle.get('/v1/suppressions').query({ reason: 'complaint' }))
      .body as SuppressionList;
    expect(complaints.items.map((s) => s.externalId)).toEqual(['list-b']);

    expect((await lifecycle.delete('/v1/suppressions/list-b')).status).toBe(204);
    const cId = (await t.prisma.customer.findFirstOrThrow({ where: { externalId: 'list-b' } })).id;
    expect(await service.isSuppressed(t.workspaceId, cId)).toBe(false);
    expect((await lifecycle.delete('/v1/suppressions/list-b')).status).toBe(404);
    const audit = await t.prisma.auditLog.findMany({ where: { entityId: cId }, orderBy: { at: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['suppression.add', 'suppression.remove']);
  });

  it('names the field of every bad input', async () => {
    const unknown = await lifecycle.post('/v1/suppressions').send({ externalId: 'nobody-here' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ path: 'externalId', rule: 'unknown_customer' }]);
    const bad = await lifecycle.post('/v1/suppressions').send({ externalId: '', reason: 'bored', extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual(
      expect.arrayContaining([
        { path: 'externalId', rule: 'required' },
        { path: 'reason', rule: 'one_of' },
        { path: 'extra', rule: 'unknown_key' },
      ]),
    );
    const query = await lifecycle.get('/v1/suppressions').query({ reason: 'x', limit: 0 });
    expect(query.status).toBe(400);
    expect(query.body.errors).toEqual(
      expect.arrayContaining([
        { path: 'query.reason', rule: 'one_of' },
        { path: 'query.limit', rule: 'min_1' },
      ]),
    );
    const cursor = await lifecycle.get('/v1/suppressions').query({ cursor: 'nonsense' });
    expect(cursor.status).toBe(400);
    expect(cursor.body.errors).toEqual([{ path: 'query.cursor', rule: 'cursor' }]);
  });

  it('is for the lifecycle team (and marketers), not executives or API keys', async () => {
    const executive = await t.loginAs('executive');
    expect((await executive.get('/v1/suppressions')).status).toBe(403);
    expect((await executive.post('/v1/suppressions').send({ externalId: 'x' })).status).toBe(403);
    const ingest = await t.keyAgent('ingest');
    expect((await ingest.get('/v1/suppressions')).status).toBe(403);
    expect((await t.anonymous().get('/v1/suppressions')).status).toBe(401);
    const marketer = await t.loginAs('marketer');
    expect((await marketer.get('/v1/suppressions')).status).toBe(200);
  });
});

describe('POST /v1/suppressions/bounces', () => {
  it('suppresses hard bounces and complaints found by Message-ID, externalId or address; ignores soft bounces', async () => {
    const byMessageId = await customer('bounce-mid');
    await createMessage(t.prisma, t.workspaceId, seq, byMessageId, 'email', {
      providerMessageId: '<0190-abc@liftlab>',
      recipient: 'mid@example.com',
    });
    const byEmail = await customer('bounce-email');
    await createMessage(t.prisma, t.workspaceId, seq, byEmail, 'email', { recipient: 'Someone@Example.com' });
    const byExternal = await customer('bounce-ext');
    const soft = await customer('bounce-soft');

    const ingest = await t.keyAgent('ingest');
    const res = await ingest.post('/v1/suppressions/bounces').send({
      bounces: [
        { type: 'hard_bounce', messageId: '0190-abc@liftlab', detail: '550 5.1.1 user unknown' },
        { type: 'complaint', email: 'someone@example.com' },
        { type: 'hard_bounce', externalId: 'bounce-ext' },
        { type: 'soft_bounce', externalId: 'bounce-soft' },
        { type: 'hard_bounce', messageId: '<unknown@liftlab>' },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body as BounceResult).toEqual({
      suppressed: 3,
      ignored: 1,
      unmatched: [{ index: 4, field: 'messageId', rule: 'unknown_customer' }],
    });
    const reasons = await t.prisma.suppression.findMany({
      where: { customerId: { in: [byMessageId, byEmail, byExternal, soft] } },
    });
    expect(Object.fromEntries(reasons.map((r) => [r.customerId, [r.reason, r.detail]]))).toEqual({
      [byMessageId]: ['hard_bounce', '550 5.1.1 user unknown; message 0190-abc@liftlab'],
      [byEmail]: ['complaint', null],
      [byExternal]: ['hard_bounce', null],
    });
  });

  it('names the field of a bad notification and takes only ingest keys besides the lifecycle team', async () => {
    const ingest = await t.keyAgent('ingest');
    const bad = await ingest.post('/v1/suppressions/bounces').send({
      bounces: [{ type: 'hard_bounce' }, { type: 'bounced', email: 'not-an-email' }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual(
      expect.arrayContaining([
        { path: 'bounces.0.messageId', rule: 'identifier_required' },
        { path: 'bounces.1.type', rule: 'one_of' },
        { path: 'bounces.1.email', rule: 'format_email' },
      ]),
    );
    const empty = await ingest.post('/v1/suppressions/bounces').send({ bounces: [] });
    expect(empty.body.errors).toEqual([{ path: 'bounces', rule: 'min_1' }]);
    const read = await t.keyAgent('read');
    expect((await read.post('/v1/suppressions/bounces').send({ bounces: [] })).status).toBe(403);
  });
});
