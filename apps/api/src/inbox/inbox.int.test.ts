import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboxMessage, InboxMessageList } from '@liftlab/contracts';
import { createTestApp, type Agent, type TestApp } from '../../test/app';
import { createCustomer, createMessage, createSequence } from '../outbox/test-messages';

let t: TestApp;
let readKey: Agent;
let ingestKey: Agent;
const ids = {} as Record<'older' | 'newer' | 'pending' | 'email' | 'others', string>;

const at = (minutes: number) => new Date(Date.parse('2025-01-10T08:00:00.000Z') + minutes * 60_000);

beforeAll(async () => {
  t = await createTestApp();
  readKey = await t.keyAgent('read');
  ingestKey = await t.keyAgent('ingest');
  const ws = t.workspaceId;
  const customer = await createCustomer(t.prisma, ws, 'inbox-1');
  const other = await createCustomer(t.prisma, ws, 'inbox-2');
  // One in-app message per sequence (a message is unique per enrollment and touch).
  const seqs = await Promise.all(['s1', 's2', 's3', 's4'].map((k) => createSequence(t.prisma, ws, k)));
  const [s1, s2, s3, s4] = seqs as [(typeof seqs)[0], (typeof seqs)[0], (typeof seqs)[0], (typeof seqs)[0]];
  ids.older = await createMessage(t.prisma, ws, s1, customer, 'in_app', {
    createdAt: at(0),
    subject: 'Older',
    body: 'First message',
    payload: { ctaUrl: 'https://shop.example/a' },
    offerCode: 'BACK-1',
  });
  ids.newer = await createMessage(t.prisma, ws, s2, customer, 'in_app', {
    createdAt: at(60),
    subject: 'Newer',
  });
  ids.pending = await createMessage(t.prisma, ws, s3, customer, 'in_app', {
    createdAt: at(90),
    status: 'pending',
  });
  ids.email = await createMessage(t.prisma, ws, s1, customer, 'email', { createdAt: at(120) });
  ids.others = await createMessage(t.prisma, ws, s4, other, 'in_app', { createdAt: at(30) });
});

afterAll(() => t?.close());

const list = async (agent: Agent, externalId: string, query: Record<string, unknown> = {}) => {
  const res = await agent.get(`/v1/customers/${externalId}/messages`).query(query);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return (res.body as InboxMessageList).items;
};

describe('in-app inbox', () => {
  it('lists only the customer’s sent, unseen in-app messages, newest first', async () => {
    const items = await list(readKey, 'inbox-1');
    expect(items.map((m) => m.id)).toEqual([ids.newer, ids.older]);
    expect(items[1]).toEqual({
      id: ids.older,
      title: 'Older',
      body: 'First message',
      html: null,
      data: { ctaUrl: 'https://shop.example/a' },
      sequenceId: expect.any(String),
      offerCode: 'BACK-1',
      offerExpiresAt: null,
      sentAt: at(0).toISOString(),
      seenAt: null,
    } satisfies InboxMessage);
    expect((await list(ingestKey, 'inbox-1', { limit: 1 })).map((m) => m.id)).toEqual([ids.newer]);
  });

  it('marks a message seen once; it leaves the unseen list but stays with includeSeen', async () => {
    const first = await ingestKey.post(`/v1/customers/inbox-1/messages/${ids.older}/seen`);
    expect(first.status).toBe(200);
    expect(first.body.seenAt).toBe(t.clock.now().toISOString());
    const seenAt = first.body.seenAt as string;
    t.clock.advanceMinutes(5);
    const again = await readKey.post(`/v1/customers/inbox-1/messages/${ids.older}/seen`);
    expect(again.status).toBe(200);
    expect(again.body.seenAt).toBe(seenAt);
    expect((await list(readKey, 'inbox-1')).map((m) => m.id)).toEqual([ids.newer]);
    expect((await list(readKey, 'inbox-1', { includeSeen: 'true' })).map((m) => m.id)).toEqual([
      ids.newer,
      ids.older,
    ]);
    const stored = await t.prisma.message.findUniqueOrThrow({ where: { id: ids.older } });
    expect(stored.seenAt?.toISOString()).toBe(seenAt);
  });

  it('404s for another customer’s message, a non-in-app or unsent message, and an unknown customer', async () => {
    for (const id of [ids.others, ids.email, ids.pending]) {
      const res = await readKey.post(`/v1/customers/inbox-1/messages/${id}/seen`);
      expect(res.status, id).toBe(404);
    }
    expect((await t.prisma.message.findUniqueOrThrow({ where: { id: ids.others } })).seenAt).toBeNull();
    expect((await readKey.get('/v1/customers/nobody/messages')).status).toBe(404);
    expect((await readKey.post(`/v1/customers/inbox-1/messages/not-a-uuid/seen`)).status).toBe(404);
  });

  it('names the bad query field', async () => {
    const res = await readKey
      .get('/v1/customers/inbox-1/messages')
      .query({ limit: 1000, includeSeen: 'yes', x: 1 });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { path: 'query.limit', rule: 'max_100' },
        { path: 'query.includeSeen', rule: 'one_of' },
        { path: 'query.x', rule: 'unknown_key' },
      ]),
    );
  });

  it('is for the product’s API keys (and admins), not for signed-in team members', async () => {
    const lifecycle = await t.loginAs('lifecycle');
    expect((await lifecycle.get('/v1/customers/inbox-1/messages')).status).toBe(403);
    expect((await lifecycle.post(`/v1/customers/inbox-1/messages/${ids.newer}/seen`)).status).toBe(403);
    expect((await t.anonymous().get('/v1/customers/inbox-1/messages')).status).toBe(401);
    const admin = await t.login(t.admin.email, t.admin.password);
    expect((await admin.get('/v1/customers/inbox-1/messages')).status).toBe(200);
  });
});
