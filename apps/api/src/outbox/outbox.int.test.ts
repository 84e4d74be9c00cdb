import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxMessage, OutboxMessageList } from '@liftlab/contracts';
import { createTestApp, type Agent, type TestApp } from '../../test/app';
import { LinkSigner } from '../delivery/links';
import { createCustomer, createMessage, createSequence, type TestSequence } from './test-messages';
import { PIXEL_GIF } from './tracking.controller';

let t: TestApp;
let lifecycle: Agent;
let links: LinkSigner;
let s1: TestSequence;
let s2: TestSequence;
let alice: string;
let bob: string;
const ids = {} as Record<'aliceEmail' | 'aliceInApp' | 'bobEmail' | 'bobEmail2' | 'bobWebhook', string>;
const at = (minutes: number) => new Date(Date.parse('2025-01-14T08:00:00.000Z') + minutes * 60_000);

beforeAll(async () => {
  t = await createTestApp();
  lifecycle = await t.loginAs('lifecycle');
  links = t.app.get(LinkSigner, { strict: false });
  const ws = t.workspaceId;
  s1 = await createSequence(t.prisma, ws, 'outbox-1');
  s2 = await createSequence(t.prisma, ws, 'outbox-2');
  alice = await createCustomer(t.prisma, ws, 'alice');
  bob = await createCustomer(t.prisma, ws, 'bob');
  ids.aliceEmail = await createMessage(t.prisma, ws, s1, alice, 'email', {
    createdAt: at(0),
    subject: 'We miss you, alice',
    body: 'Come back: 20% off',
    html: '<p>Come back: <b>20% off</b></p>',
    recipient: 'alice@example.com',
    providerMessageId: '<a1@liftlab>',
    outbox: true,
  });
  ids.aliceInApp = await createMessage(t.prisma, ws, s1, alice, 'in_app', { createdAt: at(1) });
  ids.bobEmail = await createMessage(t.prisma, ws, s1, bob, 'email', { createdAt: at(2), status: 'pending' });
  ids.bobEmail2 = await createMessage(t.prisma, ws, s2, bob, 'email', {
    createdAt: at(3),
    status: 'suppressed',
  });
  ids.bobWebhook = await createMessage(t.prisma, ws, s2, bob, 'webhook', {
    createdAt: at(4),
    status: 'failed',
  });
});

afterAll(() => t?.close());

async function list(query: Record<string, unknown> = {}): Promise<OutboxMessageList> {
  const res = await lifecycle.get('/v1/outbox').query(query);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as OutboxMessageList;
}

describe('outbox / message log', () => {
  it('lists messages newest first with the rendered e-mail content of the database outbox', async () => {
    const all = await list();
    expect(all.items.map((m) => m.id)).toEqual([
      ids.bobWebhook,
      ids.bobEmail2,
      ids.bobEmail,
      ids.aliceInApp,
      ids.aliceEmail,
    ]);
    expect(all.items.at(-1)).toEqual({
      id: ids.aliceEmail,
      sequenceId: s1.id,
      sequenceKey: 'outbox-1',
      sequenceName: 'Sequence outbox-1',
      enrollmentId: expect.any(String),
      touchId: s1.touches.email,
      touchPosition: 0,
      customerId: alice,
      externalId: 'alice',
      channel: 'email',
      contentVariant: null,
      status: 'sent',
      subject: 'We miss you, alice',
      body: 'Come back: 20% off',
      html: '<p>Come back: <b>20% off</b></p>',
      payload: null,
      recipient: 'alice@example.com',
      offerCode: null,
      offerExpiresAt: null,
      attempts: 0,
      nextAttemptAt: at(0).toISOString(),
      lastError: null,
      providerMessageId: '<a1@liftlab>',
      outbox: true,
      createdAt: at(0).toISOString(),
      sentAt: at(0).toISOString(),
      deliveredAt: null,
      openedAt: null,
      clickedAt: null,
      seenAt: null,
    } satisfies OutboxMessage);
  });

  it('filters by channel, status, sequence, customer and database outbox, and pages', async () => {
    const idsOf = async (q: Record<string, unknown>) => (await list(q)).items.map((m) => m.id);
    expect(await idsOf({ channel: 'email' })).toEqual([ids.bobEmail2, ids.bobEmail, ids.aliceEmail]);
    expect(await idsOf({ status: 'failed' })).toEqual([ids.bobWebhook]);
    expect(await idsOf({ sequenceId: s2.id })).toEqual([ids.bobWebhook, ids.bobEmail2]);
    expect(await idsOf({ customer: 'alice' })).toEqual([ids.aliceInApp, ids.aliceEmail]);
    expect(await idsOf({ customer: 'nobody' })).toEqual([]);
    expect(await idsOf({ outbox: 'true' })).toEqual([ids.aliceEmail]);
    expect(await idsOf({ channel: 'email', customer: 'bob', status: 'pending' })).toEqual([ids.bobEmail]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: OutboxMessageList = await list({ limit: 2, ...(cursor ? { cursor } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((m) => m.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual((await list()).items.map((m) => m.id));
  });

  it('returns one message, 404 for unknown ids, and names bad query fields', async () => {
    const one = await lifecycle.get(`/v1/outbox/${ids.aliceEmail}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      id: ids.aliceEmail,
      externalId: 'alice',
      html: expect.stringContaining('<b>'),
    });
    expect((await lifecycle.get('/v1/outbox/0190a0b0-0000-7000-8000-000000000000')).status).toBe(404);
    const bad = await lifecycle.get('/v1/outbox').query({ channel: 'sms', sequenceId: 'seq-1', limit: 501 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual(
      expect.arrayContaining([
        { path: 'query.channel', rule: 'one_of' },
        { path: 'query.sequenceId', rule: 'format_uuid' },
        { path: 'query.limit', rule: 'max_500' },
      ]),
    );
  });

  it('is for the lifecycle team and marketers', async () => {
    const executive = await t.loginAs('executive');
    expect((await executive.get('/v1/outbox')).status).toBe(403);
    expect((await (await t.keyAgent('read')).get('/v1/outbox')).status).toBe(403);
    expect((await t.anonymous().get('/v1/outbox')).status).toBe(401);
  });
});

describe('open and click tracking', () => {
  const claims = () => ({ workspaceId: t.workspaceId, customerId: alice, messageId: ids.aliceEmail });
  const stored = () => t.prisma.message.findUniqueOrThrow({ where: { id: ids.aliceEmail } });

  it('the open pixel answers a 1×1 GIF without sign-in and records the first open only', async () => {
    const token = links.sign({ kind: 'open', ...claims() }, t.clock.now());
    const first = await t.anonymous().get(`/v1/t/o/${token}`);
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toBe('image/gif');
    expect(first.headers['cache-control']).toContain('no-store');
    expect(Buffer.from(first.body as Buffer).equals(PIXEL_GIF)).toBe(true);
    expect(PIXEL_GIF.subarray(0, 6).toString()).toBe('GIF89a');
    expect(PIXEL_GIF.readUInt16LE(6)).toBe(1);
    expect(PIXEL_GIF.readUInt16LE(8)).toBe(1);
    const openedAt = t.clock.now().toISOString();
    expect((await stored()).openedAt?.toISOString()).toBe(openedAt);
    t.clock.advanceMinutes(3);
    expect((await t.anonymous().get(`/v1/t/o/${token}`)).status).toBe(200);
    expect((await stored()).openedAt?.toISOString()).toBe(openedAt);
  });

  it('a click records clickedAt once and redirects only to the signed URL', async () => {
    const url = 'https://shop.example/back?utm_source=liftlab';
    const token = links.sign({ kind: 'click', ...claims(), url }, t.clock.now());
    const res = await t.anonymous().get(`/v1/t/c/${token}`).redirects(0);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(url);
    const clickedAt = t.clock.now().toISOString();
    expect((await stored()).clickedAt?.toISOString()).toBe(clickedAt);
    t.clock.advanceMinutes(1);
    await t.anonymous().get(`/v1/t/c/${token}`).redirects(0);
    expect((await stored()).clickedAt?.toISOString()).toBe(clickedAt);
  });

  it('a click also counts as the open when images were blocked', async () => {
    const token = links.sign(
      {
        kind: 'click',
        workspaceId: t.workspaceId,
        customerId: alice,
        messageId: ids.aliceInApp,
        url: 'https://x.example/',
      },
      t.clock.now(),
    );
    expect((await t.anonymous().get(`/v1/t/c/${token}`).redirects(0)).status).toBe(302);
    const m = await t.prisma.message.findUniqueOrThrow({ where: { id: ids.aliceInApp } });
    expect(m.openedAt?.toISOString()).toBe(t.clock.now().toISOString());
    expect(m.clickedAt?.toISOString()).toBe(t.clock.now().toISOString());
  });

  it('never redirects or records for a tampered, wrong-kind or expired token', async () => {
    const bobClaims = { workspaceId: t.workspaceId, customerId: bob, messageId: ids.bobEmail2 };
    const token = links.sign({ kind: 'click', ...bobClaims, url: 'https://shop.example/' }, t.clock.now());
    const [body, sig] = token.split('.') as [string, string];
    const evil = Buffer.from(
      Buffer.from(body, 'base64url').toString().replace('https://shop.example/', 'https://evil.example/'),
    ).toString('base64url');
    const tampered = await t.anonymous().get(`/v1/t/c/${evil}.${sig}`).redirects(0);
    expect(tampered.status).toBe(404);
    expect(tampered.headers.location).toBeUndefined();
    expect(tampered.body.reason).toBe('bad_signature');

    const openToken = links.sign({ kind: 'open', ...bobClaims }, t.clock.now());
    expect((await t.anonymous().get(`/v1/t/c/${openToken}`).redirects(0)).status).toBe(404);

    const short = links.sign({ kind: 'open', ...bobClaims }, t.clock.now(), 1 / 1440);
    t.clock.advanceMinutes(1);
    const expired = await t.anonymous().get(`/v1/t/o/${short}`);
    expect(expired.status).toBe(404);
    expect(expired.body.reason).toBe('expired');
    const m = await t.prisma.message.findUniqueOrThrow({ where: { id: ids.bobEmail2 } });
    expect([m.openedAt, m.clickedAt]).toEqual([null, null]);
  });
});
