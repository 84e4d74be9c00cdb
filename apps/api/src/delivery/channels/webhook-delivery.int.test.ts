import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../database/test-database';
import { startSmtpSink, type SmtpSink } from '../smtp-sink';
import {
  createCustomers,
  createDelivery,
  createSequence,
  createWorkspace,
  deliveryConfig,
  enroll,
  type TestDelivery,
} from '../test-fixtures';
import { ChannelsRepository } from './channels.repository';
import { WebhookChannel } from './webhook';

/**
 * The retargeting webhook driven by the delivery engine: a 500 is retried after the backoff and then
 * delivered, a 400 fails the message at once; every request is signed with the workspace's secret.
 */
const NOON = new Date('2025-01-15T12:00:00.000Z');

let db: TestDatabase;
let sink: SmtpSink;
let delivery: TestDelivery;
let server: Server;
let url = '';
const requests: { path: string; signature: string; timestamp: string; body: string }[] = [];
/** Status per customer externalId, consumed one per request. */
const script = new Map<string, number[]>();

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({
        path: req.url ?? '',
        signature: String(req.headers['x-liftlab-signature']),
        timestamp: String(req.headers['x-liftlab-timestamp']),
        body,
      });
      const who = (JSON.parse(body) as { customer: { externalId: string } }).customer.externalId;
      res.statusCode = script.get(who)?.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/retarget`;
  [db, sink] = await Promise.all([createTestDatabase(), startSmtpSink()]);
  delivery = createDelivery(
    db.prisma,
    deliveryConfig({ SMTP_URL: sink.url }),
    {},
    {
      webhook: new WebhookChannel(new ChannelsRepository(db.prisma)),
    },
  );
});

afterAll(async () => {
  delivery?.close();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await sink?.close();
  await db?.close();
});

describe('webhook touches through the delivery engine', () => {
  it('retries a 500 with backoff and then delivers; fails a 400 permanently; signs every request', async () => {
    const ws = await createWorkspace(db.prisma);
    const seq = await createSequence(db.prisma, ws, 'retarget', [
      { delayDays: 0, channel: 'webhook', content: { url } },
    ]);
    const [flaky, broken] = await createCustomers(db.prisma, ws, [
      { externalId: 'flaky' },
      { externalId: 'broken' },
    ]);
    script.set('flaky', [500, 200]);
    script.set('broken', [400]);
    await enroll(db.prisma, ws, seq.id, [flaky!, broken!], NOON);

    await delivery.service.advance(NOON);
    await delivery.service.sendDue(NOON);
    const after1 = async (customerId: string) =>
      db.prisma.message.findFirstOrThrow({ where: { workspaceId: ws, customerId } });
    const first = await after1(flaky!);
    expect(first).toMatchObject({ status: 'pending', attempts: 1, lastError: 'webhook answered 500' });
    expect(first.nextAttemptAt.getTime()).toBeGreaterThan(NOON.getTime());
    expect(await after1(broken!)).toMatchObject({ status: 'failed', lastError: 'webhook answered 400' });

    // Not yet due: nothing is sent before the backoff elapses.
    await delivery.service.sendDue(new Date(first.nextAttemptAt.getTime() - 1));
    expect(requests.filter((r) => r.body.includes('"flaky"'))).toHaveLength(1);

    await delivery.service.sendDue(first.nextAttemptAt);
    const done = await after1(flaky!);
    expect(done).toMatchObject({ status: 'sent', attempts: 2 });
    expect(done.sentAt?.toISOString()).toBe(first.nextAttemptAt.toISOString());

    const flakyRequests = requests.filter((r) => r.body.includes('"flaky"'));
    expect(flakyRequests.map((r) => (JSON.parse(r.body) as { attempt: number }).attempt)).toEqual([1, 2]);
    expect(requests.filter((r) => r.body.includes('"broken"'))).toHaveLength(1);
    for (const r of requests) {
      expect(r.path).toBe('/retarget');
      const expected = createHmac('sha256', 'webhook-secret')
        .update(`${r.timestamp}.${r.body}`)
        .digest('hex');
      expect(r.signature).toBe(`sha256=${expected}`);
    }
  });
});
