import { Global, Module, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditModule } from '../audit/audit.module';
import { CLOCK, ClockModule, FixedClock } from '../common/clock';
import { configureHttp } from '../common/http';
import { ConfigModule } from '../config/config';
import { PrismaService } from '../database/prisma.service';
import { createTestDatabase, type TestDatabase } from '../database/test-database';
import { InAppChannel } from '../delivery/channels/in-app';
import { startSmtpSink, type SmtpSink } from '../delivery/smtp-sink';
import {
  createCustomers,
  createDelivery,
  createSequence,
  createWorkspace,
  deliveryConfig,
  EMAIL_CONTENT,
  enroll,
  type TestDelivery,
} from '../delivery/test-fixtures';
import { SuppressionModule } from './suppression.module';
import { SuppressionService } from './suppression.service';

/**
 * End to end across modules: the delivery engine renders the unsubscribe link into an e-mail, the recipient's
 * mail client POSTs it (RFC 8058 one-click, no sign-in), and from then on the engine contacts that customer on
 * no channel, while other customers keep receiving their touches.
 */
const NOON = new Date('2025-01-15T12:00:00.000Z');
const DAY = 86_400_000;

let db: TestDatabase;
let sink: SmtpSink;
let delivery: TestDelivery;
let app: INestApplication;
const clock = new FixedClock(NOON);

beforeAll(async () => {
  [db, sink] = await Promise.all([createTestDatabase(), startSmtpSink()]);
  const config = deliveryConfig({
    SMTP_URL: sink.url,
    SESSION_SECRET: 'unused-session-secret-0123456789abcdef',
  });
  delivery = createDelivery(db.prisma, config, {}, { in_app: new InAppChannel() });

  @Global()
  @Module({ providers: [{ provide: PrismaService, useValue: db.prisma }], exports: [PrismaService] })
  class TestDatabaseModule {}
  const moduleRef = await Test.createTestingModule({
    imports: [ConfigModule.forRoot(config), ClockModule, TestDatabaseModule, AuditModule, SuppressionModule],
  })
    .overrideProvider(CLOCK)
    .useValue(clock)
    .compile();
  app = moduleRef.createNestApplication({ bodyParser: false, logger: false });
  configureHttp(app, { bodyLimit: '1mb', trustProxy: false });
  await app.init();
}, 120_000);

afterAll(async () => {
  await app?.close();
  delivery?.close();
  await sink?.close();
  await db?.close();
});

describe('unsubscribe → suppression → delivery skips the customer', () => {
  it('after a one-click unsubscribe, later touches of every channel are suppressed, not sent', async () => {
    // A cap above the three touches, so only the suppression decides who is contacted.
    const ws = await createWorkspace(db.prisma, { frequencyCapCount: 10 });
    const seq = await createSequence(db.prisma, ws, 'unsub-e2e', [
      { delayDays: 0 },
      {
        delayDays: 3,
        channel: 'in_app',
        content: { title: 'Still there, {{ customer.externalId }}?', body: 'Hi' },
      },
      { delayDays: 6, content: EMAIL_CONTENT },
    ]);
    const [leaver, stayer] = await createCustomers(db.prisma, ws, [
      { externalId: 'leaver' },
      { externalId: 'stayer' },
    ]);
    await enroll(db.prisma, ws, seq.id, [leaver!, stayer!], NOON);

    // Day 0: both get the first e-mail, with the unsubscribe link in the List-Unsubscribe header and body.
    await delivery.service.advance(NOON);
    expect(await delivery.service.sendDue(NOON)).toMatchObject({ sent: 2, suppressed: 0 });
    const first = sink.arrivals.find((a) => a.to.includes('leaver@example.test'));
    const header = String(first?.headers['list-unsubscribe'] ?? '');
    const link = /<(https?:\/\/[^>]+\/v1\/unsubscribe\/[^>]+)>/.exec(header)?.[1];
    expect(link, header).toBeDefined();

    // The mail client's one-click POST, without any session or key.
    clock.set(NOON.getTime() + DAY);
    const path = new URL(link as string).pathname;
    const res = await request(app.getHttpServer()).post(path).type('form').send('List-Unsubscribe=One-Click');
    expect(res.status).toBe(200);
    expect(await app.get(SuppressionService).isSuppressed(ws, leaver!)).toBe(true);

    // Days 3 and 6: the leaver's in-app and e-mail touches are suppressed; the stayer gets both.
    for (const day of [3, 6]) {
      const now = new Date(NOON.getTime() + day * DAY);
      await delivery.service.advance(now);
      await delivery.service.sendDue(now);
    }
    const byCustomer = async (customerId: string) =>
      (
        await db.prisma.message.findMany({
          where: { workspaceId: ws, customerId },
          orderBy: { createdAt: 'asc' },
          select: { channel: true, status: true },
        })
      ).map((m) => `${m.channel}:${m.status}`);
    expect(await byCustomer(leaver!)).toEqual(['email:sent', 'in_app:suppressed', 'email:suppressed']);
    expect(await byCustomer(stayer!)).toEqual(['email:sent', 'in_app:sent', 'email:sent']);
    expect(sink.arrivals.filter((a) => a.to.includes('leaver@example.test'))).toHaveLength(1);
    expect(sink.arrivals.filter((a) => a.to.includes('stayer@example.test'))).toHaveLength(2);
  });
});
