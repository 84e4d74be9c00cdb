import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PrismaService } from '../../database/prisma.service';
import { createTestDatabase, type TestDatabase } from '../../database/test-database';
import {
  channelMessage,
  createCustomer,
  createMessage,
  createSequence,
  type TestSequence,
} from '../../outbox/test-messages';
import { CallTaskChannel } from './call-task';
import { ChannelsRepository } from './channels.repository';
import { InAppChannel } from './in-app';
import { WebhookChannel } from './webhook';

const NOW = new Date('2025-02-10T10:00:00.000Z');

interface Received {
  url: string | undefined;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A webhook receiver whose answers the test scripts: each request takes the next status (or hangs). */
class Receiver {
  server!: Server;
  url = '';
  received: Received[] = [];
  script: (number | 'hang')[] = [];

  async start(): Promise<void> {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.received.push({
          url: req.url,
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        const next = this.script.shift() ?? 200;
        if (next === 'hang') return; // never answers: the channel's timeout must fire
        res.statusCode = next;
        res.end(next >= 300 && next < 400 ? '' : JSON.stringify({ ok: next < 300 }));
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/liftlab`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

let db: TestDatabase;
let prisma: PrismaService;
let workspaceId: string;
let repo: ChannelsRepository;
let webhook: WebhookChannel;
const receiver = new Receiver();
let seq: TestSequence;
let customerId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = db.prisma;
  workspaceId = (await prisma.workspace.create({ data: { name: 'channels', globalHoldoutSeed: 'seed' } })).id;
  repo = new ChannelsRepository(prisma);
  webhook = new WebhookChannel(repo);
  await receiver.start();
  seq = await createSequence(prisma, workspaceId, 'winback', { webhookUrl: receiver.url, offer: true });
  customerId = await createCustomer(prisma, workspaceId, 'cust-1', {
    segment: 'vip',
    traits: { tier: 'gold', ltv: 1200 },
  });
});

afterAll(async () => {
  await receiver.stop();
  await db?.close();
});

beforeEach(() => {
  receiver.received = [];
  receiver.script = [];
});

/** A fresh webhook message each time (one message per enrollment and touch): a new customer per call. */
let n = 0;
async function webhookMessage(recipient: string | null = null): Promise<string> {
  const c = await createCustomer(prisma, workspaceId, `wh-${++n}`, { traits: { n } });
  return createMessage(prisma, workspaceId, seq, c, 'webhook', {
    status: 'sending',
    recipient,
    payload: { note: 'rendered by the engine' },
    offerCode: 'BACK-123',
  });
}

function verifySignature(secret: string, r: Received): boolean {
  const timestamp = r.headers['x-liftlab-timestamp'] as string;
  const given = (r.headers['x-liftlab-signature'] as string).replace(/^sha256=/, '');
  const expected = createHmac('sha256', secret).update(`${timestamp}.${r.body}`).digest('hex');
  return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

describe('webhook channel', () => {
  it('POSTs the customer, touch and offer as JSON signed with the workspace secret', async () => {
    expect(await prisma.messagingSettings.count({ where: { workspaceId } })).toBe(0);
    const id = await webhookMessage();
    const outcome = await webhook.send(await channelMessage(prisma, id), NOW);
    expect(outcome).toEqual({ kind: 'sent', deliveredAt: NOW });

    // The settings row was created on first use, with a random secret, and is reused afterwards.
    const settings = await prisma.messagingSettings.findUniqueOrThrow({ where: { workspaceId } });
    expect(settings.webhookSecret.length).toBeGreaterThanOrEqual(40);
    expect((await repo.ensureSettings(workspaceId)).webhookSecret).toBe(settings.webhookSecret);

    expect(receiver.received.map((x) => x.url)).toEqual(['/hooks/liftlab']);
    const r = receiver.received[0] as Received;
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers['x-liftlab-timestamp']).toBe(String(NOW.getTime() / 1000));
    expect(r.headers['x-liftlab-message-id']).toBe(id);
    expect(r.headers['x-liftlab-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifySignature(settings.webhookSecret, r)).toBe(true);
    expect(verifySignature('some-other-secret', r)).toBe(false);
    // A changed body no longer matches the signature.
    expect(verifySignature(settings.webhookSecret, { ...r, body: r.body.replace('wh-', 'xx-') })).toBe(false);

    expect(JSON.parse(r.body)).toEqual({
      id,
      type: 'sequence.touch',
      attempt: 1,
      sentAt: NOW.toISOString(),
      sequence: { id: seq.id, key: 'winback', name: 'Sequence winback' },
      touch: { id: seq.touches.webhook, position: 2, contentVariant: null },
      customer: {
        externalId: `wh-${n}`,
        segment: null,
        plan: null,
        country: null,
        timezone: null,
        traits: { n },
      },
      offer: {
        key: 'winback-offer',
        name: '20% off',
        kind: 'discount',
        details: { percent: 20 },
        code: 'BACK-123',
        expiresAt: null,
      },
      data: { note: 'rendered by the engine' },
    });
  });

  it('posts to the message recipient when the engine set one, else to the touch url', async () => {
    const id = await webhookMessage(`${receiver.url}?via=recipient`);
    expect((await webhook.send(await channelMessage(prisma, id), NOW)).kind).toBe('sent');
    expect(receiver.received.map((r) => r.url)).toEqual(['/hooks/liftlab?via=recipient']);
  });

  it('asks for a retry on 500 and succeeds on the next attempt with a fresh signature', async () => {
    const settings = await repo.ensureSettings(workspaceId);
    receiver.script = [500, 200];
    const id = await webhookMessage();
    // As the engine hands it over: `attempts` already counts the attempt being made.
    const message = { ...(await channelMessage(prisma, id)), attempts: 1 };
    expect(await webhook.send(message, NOW)).toEqual({ kind: 'retry', error: 'webhook answered 500' });
    const later = new Date(NOW.getTime() + 60_000);
    expect(await webhook.send({ ...message, attempts: 2 }, later)).toEqual({
      kind: 'sent',
      deliveredAt: later,
    });
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received.map((r) => JSON.parse(r.body).attempt)).toEqual([1, 2]);
    expect(receiver.received.map((r) => r.headers['x-liftlab-timestamp'])).toEqual([
      String(NOW.getTime() / 1000),
      String(later.getTime() / 1000),
    ]);
    expect(receiver.received.every((r) => verifySignature(settings.webhookSecret, r))).toBe(true);
  });

  it('retries on 429 and 503, gives up at once on 400, 404, 410 and redirects', async () => {
    const outcomes: string[] = [];
    for (const status of [429, 503, 400, 404, 410, 301]) {
      receiver.script = [status];
      const id = await webhookMessage();
      const outcome = await webhook.send(await channelMessage(prisma, id), NOW);
      outcomes.push(`${status}:${outcome.kind}`);
    }
    expect(outcomes).toEqual([
      '429:retry',
      '503:retry',
      '400:permanent',
      '404:permanent',
      '410:permanent',
      '301:permanent',
    ]);
  });

  it('retries when the receiver does not answer in time or cannot be reached', async () => {
    receiver.script = ['hang'];
    const id = await webhookMessage();
    const slow = new WebhookChannel(repo);
    slow.timeoutMs = 300;
    const started = Date.now();
    expect(await slow.send(await channelMessage(prisma, id), NOW)).toEqual({
      kind: 'retry',
      error: 'webhook timed out after 300 ms',
    });
    expect(Date.now() - started).toBeLessThan(5_000);

    // Nothing listens on this port: connection refused.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const unreachable = await webhookMessage(`http://127.0.0.1:${port}/x`);
    const outcome = await webhook.send(await channelMessage(prisma, unreachable), NOW);
    expect(outcome.kind).toBe('retry');
    expect(outcome.kind === 'retry' && outcome.error).toMatch(/network error: ECONNREFUSED/);
  });
});

describe('in-app channel', () => {
  it('makes the message available (sent) and refuses an empty one', async () => {
    const id = await createMessage(prisma, workspaceId, seq, customerId, 'in_app', { status: 'sending' });
    const inApp = new InAppChannel();
    expect(await inApp.send(await channelMessage(prisma, id), NOW)).toEqual({
      kind: 'sent',
      deliveredAt: NOW,
    });
    const empty = { ...(await channelMessage(prisma, id)), subject: ' ', body: null };
    expect((await inApp.send(empty, NOW)).kind).toBe('permanent');
  });
});

describe('call-task channel', () => {
  it('creates one task per message, due dueInDays after the send, even when the attempt is repeated', async () => {
    const channel = new CallTaskChannel(repo);
    const c = await createCustomer(prisma, workspaceId, 'call-1');
    const id = await createMessage(prisma, workspaceId, seq, c, 'call_task', {
      status: 'sending',
      subject: 'Call call-1',
      body: 'Ask why they left',
      recipient: null,
    });
    const message = await channelMessage(prisma, id);
    expect(await channel.send(message, NOW)).toEqual({ kind: 'sent', deliveredAt: NOW });
    // A second attempt (e.g. the worker died after the insert, before recording "sent") finds the same task.
    expect(await channel.send({ ...message, attempts: 1 }, new Date(NOW.getTime() + 3_600_000))).toEqual({
      kind: 'sent',
      deliveredAt: new Date(NOW.getTime() + 3_600_000),
    });
    const tasks = await prisma.callTask.findMany({ where: { messageId: id } });
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
      workspaceId,
      customerId: c,
      owner: 'sales-team',
      title: 'Call call-1',
      instructions: 'Ask why they left',
      status: 'open',
      dueAt: new Date(NOW.getTime() + 3 * 86_400_000),
      createdAt: NOW,
    });
  });

  it('uses the A/B content variant of the message for owner and due date, and the engine’s recipient first', async () => {
    const channel = new CallTaskChannel(repo);
    const c1 = await createCustomer(prisma, workspaceId, 'call-b');
    const b = await createMessage(prisma, workspaceId, seq, c1, 'call_task', {
      contentVariant: 'b',
      subject: null,
      body: null,
    });
    await channel.send(await channelMessage(prisma, b), NOW);
    expect(await prisma.callTask.findUniqueOrThrow({ where: { messageId: b } })).toMatchObject({
      owner: 'team-b',
      title: 'Call B',
      instructions: 'B',
      dueAt: new Date(NOW.getTime() + 5 * 86_400_000),
    });
    const c2 = await createCustomer(prisma, workspaceId, 'call-owner');
    const owned = await createMessage(prisma, workspaceId, seq, c2, 'call_task', { recipient: 'alice' });
    await channel.send(await channelMessage(prisma, owned), NOW);
    expect((await prisma.callTask.findUniqueOrThrow({ where: { messageId: owned } })).owner).toBe('alice');
  });
});
