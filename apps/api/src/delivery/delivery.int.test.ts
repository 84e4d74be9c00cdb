import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../database/test-database';
import { startSmtpSink, type SmtpSink } from './smtp-sink';
import {
  createCustomers,
  createDelivery,
  createSequence,
  createWorkspace,
  deliveryConfig,
  enroll,
  type TestDelivery,
} from './test-fixtures';
import { verifyLinkToken } from './links';

const MINUTE = 60_000;
const DAY = 86_400_000;
const NOON = new Date('2025-01-15T12:00:00.000Z');

let db: TestDatabase;
let sink: SmtpSink;
let delivery: TestDelivery;

beforeAll(async () => {
  [db, sink] = await Promise.all([createTestDatabase(), startSmtpSink()]);
  delivery = createDelivery(db.prisma, deliveryConfig({ SMTP_URL: sink.url }));
});

afterAll(async () => {
  delivery?.close();
  await sink?.close();
  await db?.close();
});

beforeEach(async () => {
  sink.rule = null;
  // Each test's sends must not see another test's leftovers (the engine works across workspaces).
  await db.prisma.message.deleteMany({});
  await db.prisma.enrollment.deleteMany({});
});

const messagesOf = (workspaceId: string) =>
  db.prisma.message.findMany({ where: { workspaceId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
const arrivalsFor = (address: string) => sink.arrivals.filter((a) => a.to.includes(address));

describe('advance and send', () => {
  it('writes the message with its final Message-ID before sending, then delivers it once with RFC 8058 headers', async () => {
    const ws = await createWorkspace(db.prisma);
    const seq = await createSequence(db.prisma, ws, 'basic', [{ delayDays: 0 }, { delayDays: 3 }]);
    const [customer] = await createCustomers(db.prisma, ws, [{ externalId: 'basic-1' }]);
    const [enrollment] = await enroll(db.prisma, ws, seq.id, [customer!], NOON);

    const advanced = await delivery.service.advance(NOON);
    expect(advanced).toMatchObject({ messages: 1, exited: 0, completed: 0 });
    const [pending] = await messagesOf(ws);
    expect(pending).toMatchObject({
      status: 'pending',
      subject: 'We miss you, basic-1',
      recipient: 'basic-1@example.test',
      providerMessageId: `<${pending!.id}@liftlab>`,
      attempts: 0,
    });
    expect(pending!.body).toMatch(/^Come back! Unsubscribe: https:\/\/liftlab\.test\/v1\/unsubscribe\//);
    const e = await db.prisma.enrollment.findUniqueOrThrow({ where: { id: enrollment! } });
    expect(e).toMatchObject({ status: 'active', nextPosition: 1, leaseOwner: null });
    expect(e.nextDueAt?.toISOString()).toBe(new Date(NOON.getTime() + 3 * DAY).toISOString());

    // Replaying the step (as after a crash) writes nothing new: unique (enrollment, touch).
    await db.prisma.enrollment.update({
      where: { id: enrollment! },
      data: { nextPosition: 0, nextDueAt: NOON },
    });
    expect((await delivery.service.advance(NOON)).messages).toBe(0);
    expect(await db.prisma.message.count({ where: { workspaceId: ws } })).toBe(1);

    const sent = await delivery.service.sendDue(NOON);
    expect(sent).toMatchObject({ sent: 1, failed: 0, deferred: 0 });
    const [arrival, ...more] = arrivalsFor('basic-1@example.test');
    expect(more).toHaveLength(0);
    expect(arrival!.messageId).toBe(pending!.providerMessageId);
    expect(arrival!.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    const unsubscribe =
      /<(https:\/\/liftlab\.test\/v1\/unsubscribe\/([^>]+))>, <mailto:hello@liftlab\.test\?subject=unsubscribe>/.exec(
        arrival!.headers['list-unsubscribe'] ?? '',
      );
    expect(unsubscribe, arrival!.headers['list-unsubscribe']).not.toBeNull();
    const verified = verifyLinkToken(
      'delivery-test-link-secret-0123456789abcdef',
      unsubscribe![2]!,
      'unsubscribe',
      NOON,
    );
    expect(verified).toMatchObject({ ok: true, claims: { customerId: customer, messageId: pending!.id } });
    expect(arrival!.raw).toContain('Content-Type: text/plain');
    expect(arrival!.raw).toContain('Content-Type: text/html');
    const done = await db.prisma.message.findUniqueOrThrow({ where: { id: pending!.id } });
    expect(done).toMatchObject({ status: 'sent', attempts: 1, outbox: false, leaseOwner: null });
    // The HTML part carries the open-tracking image for this very message.
    const pixel = /<img src="https:\/\/liftlab\.test\/v1\/t\/o\/([^"]+)" width="1" height="1"/.exec(
      done.html ?? '',
    );
    expect(pixel, done.html ?? '').not.toBeNull();
    expect(
      verifyLinkToken('delivery-test-link-secret-0123456789abcdef', pixel![1]!, 'open', NOON),
    ).toMatchObject({ ok: true, claims: { customerId: customer, messageId: pending!.id } });
    expect(done.sentAt?.toISOString()).toBe(NOON.toISOString());

    // Nothing is due any more.
    expect((await delivery.service.sendDue(NOON)).claimed).toBe(0);
  });

  it('without SMTP_URL stores e-mail in the database outbox (sent, outbox = true)', async () => {
    const outbox = createDelivery(db.prisma, deliveryConfig({ SMTP_URL: undefined }));
    const ws = await createWorkspace(db.prisma);
    const seq = await createSequence(db.prisma, ws, 'outbox', [{ delayDays: 0 }]);
    const customers = await createCustomers(db.prisma, ws, [{ externalId: 'outbox-1' }]);
    await enroll(db.prisma, ws, seq.id, customers, NOON);
    const { advance, send } = await outbox.service.tick(NOON);
    expect(advance.completed).toBe(1);
    expect(send.sent).toBe(1);
    const [m] = await messagesOf(ws);
    expect(m).toMatchObject({ status: 'sent', outbox: true, subject: 'We miss you, outbox-1' });
    expect(arrivalsFor('outbox-1@example.test')).toHaveLength(0);
  });

  it('skips touches whose conditions do not match, and records the A/B content variant', async () => {
    const ws = await createWorkspace(db.prisma);
    const seq = await createSequence(db.prisma, ws, 'conditions', [
      {
        delayDays: 0,
        conditions: [{ type: 'segment', operator: 'in', segments: ['vip'] }],
        content: { subject: 'VIP only', text: 'vip' },
      },
      {
        delayDays: 0,
        content: {
          subject: 'base',
          text: 'base',
          variants: [
            { key: 'short', weight: 0.5, subject: 'Short {{ customer.segment }}', text: 'a' },
            { key: 'long', weight: 0.5, subject: 'A longer subject for {{ customer.segment }}', text: 'b' },
          ],
        },
      },
    ]);
    const customers = await createCustomers(
      db.prisma,
      ws,
      Array.from({ length: 20 }, (_, i) => ({ externalId: `cond-${i}`, segment: i < 5 ? 'vip' : 'regular' })),
    );
    await enroll(db.prisma, ws, seq.id, customers, NOON);
    // Two passes: the first writes touch 0 (VIPs) or skips it; touch 1 is due at once.
    const first = await delivery.service.advance(NOON);
    expect(first.skippedTouches).toBe(15);
    const messages = await messagesOf(ws);
    const vip = messages.filter((m) => m.touchId === seq.touchIds[0]);
    expect(vip).toHaveLength(5);
    const split = messages.filter((m) => m.touchId === seq.touchIds[1]);
    expect(split).toHaveLength(20);
    for (const m of split) {
      const segment = customers.indexOf(m.customerId) < 5 ? 'vip' : 'regular';
      expect(m.subject).toBe(
        m.contentVariant === 'short' ? `Short ${segment}` : `A longer subject for ${segment}`,
      );
    }
    expect(new Set(split.map((m) => m.contentVariant))).toEqual(new Set(['short', 'long']));
    expect(await db.prisma.enrollment.count({ where: { sequenceId: seq.id, status: 'completed' } })).toBe(20);
  });

  it('fails a message whose template is broken, naming the touch field', async () => {
    const ws = await createWorkspace(db.prisma);
    const seq = await createSequence(db.prisma, ws, 'broken', [
      { delayDays: 0 },
      { delayDays: 0, content: { subject: 'Hi {{ customer.traits.nickname }}', text: 'x' } },
    ]);
    const customers = await createCustomers(db.prisma, ws, [{ externalId: 'broken-1' }]);
    await enroll(db.prisma, ws, seq.id, customers, NOON);
    await delivery.service.advance(NOON);
    const broken = await db.prisma.message.findFirstOrThrow({ where: { touchId: seq.touchIds[1] } });
    expect(broken.status).toBe('failed');
    expect(broken.lastError).toMatch(
      /^touches\[1\]\.content\.subject: undefined variable: customer\.traits\.nickname/,
    );
  });
});

describe('quiet hours across time zones', () => {
  it('defers (never drops) to 08:00 local time, including across a DST night, then sends', async () => {
    const ws = await createWorkspace(db.prisma, { quietHoursStart: '21:00', quietHoursEnd: '08:00' });
    const seq = await createSequence(db.prisma, ws, 'quiet', [{ delayDays: 0 }]);
    const zones = ['America/New_York', 'Europe/Paris', 'Asia/Kolkata', 'America/Los_Angeles', null];
    const customers = await createCustomers(
      db.prisma,
      ws,
      zones.map((timezone, i) => ({ externalId: `quiet-${i}`, timezone })),
    );
    // 22:00 EST on Saturday 8 March 2025: New York springs forward at 02:00 that night.
    const now = new Date('2025-03-09T03:00:00.000Z');
    await enroll(db.prisma, ws, seq.id, customers, now);
    const { send } = await delivery.service.tick(now);
    expect(send).toMatchObject({ sent: 2, deferred: 3, suppressed: 0 });

    const expected: Record<string, string | null> = {
      // 22:00 EST → 08:00 EDT after the jump = 12:00Z (it would be 13:00Z without the DST change).
      'America/New_York': '2025-03-09T12:00:00.000Z',
      // 04:00 CET → 08:00 CET = 07:00Z (Paris changes three weeks later).
      'Europe/Paris': '2025-03-09T07:00:00.000Z',
      // 08:30 IST: the window has just ended; sent now.
      'Asia/Kolkata': null,
      // 19:00 PST: the window has not begun; sent now.
      'America/Los_Angeles': null,
      // No zone → the workspace default (UTC): 03:00 → 08:00Z.
      default: '2025-03-09T08:00:00.000Z',
    };
    const byCustomer = new Map((await messagesOf(ws)).map((m) => [m.customerId, m]));
    zones.forEach((zone, i) => {
      const m = byCustomer.get(customers[i]!)!;
      const due = expected[zone ?? 'default'];
      if (due === null) {
        expect(m.status, String(zone)).toBe('sent');
      } else {
        expect(m.status, String(zone)).toBe('pending');
        expect(m.nextAttemptAt.toISOString(), String(zone)).toBe(due);
        expect(m.lastError).toMatch(/^quiet hours in /);
      }
    });

    // The deferred ones go out when their windows end, not a minute earlier.
    const sentAt = async (at: string) => (await delivery.service.sendDue(new Date(at))).sent;
    expect(await sentAt('2025-03-09T06:59:00.000Z')).toBe(0);
    expect(await sentAt('2025-03-09T07:00:00.000Z')).toBe(1);
    expect(await sentAt('2025-03-09T08:00:00.000Z')).toBe(1);
    expect(await sentAt('2025-03-09T11:59:00.000Z')).toBe(0);
    expect(await sentAt('2025-03-09T12:00:00.000Z')).toBe(1);
    const final = await messagesOf(ws);
    expect(final.every((m) => m.status === 'sent')).toBe(true);
    const ny = final.find((m) => m.customerId === customers[0])!;
    expect(ny.sentAt?.toISOString()).toBe('2025-03-09T12:00:00.000Z');
    expect(arrivalsFor('quiet-0@example.test')).toHaveLength(1);
  });
});

describe('contact rules', () => {
  it('caps messages per customer across two sequences, deferring the excess until the window frees', async () => {
    const ws = await createWorkspace(db.prisma, { frequencyCapCount: 1, frequencyCapDays: 7 });
    const a = await createSequence(db.prisma, ws, 'cap-a', [{ delayDays: 0 }]);
    const b = await createSequence(db.prisma, ws, 'cap-b', [{ delayDays: 0 }, { delayDays: 2 }]);
    const customers = await createCustomers(db.prisma, ws, [
      { externalId: 'cap-1' },
      { externalId: 'cap-2' },
    ]);
    await enroll(db.prisma, ws, a.id, customers, NOON);
    await enroll(db.prisma, ws, b.id, [customers[0]!], NOON);

    // Both sequences' first touches are due at once for cap-1: one goes, the other waits 7 days.
    const first = await delivery.service.tick(NOON);
    expect(first.send).toMatchObject({ sent: 2, deferred: 1 });
    const deferred = (await messagesOf(ws)).filter((m) => m.status === 'pending');
    expect(deferred).toHaveLength(1);
    expect(deferred[0]!.customerId).toBe(customers[0]);
    expect(deferred[0]!.lastError).toBe('frequency cap');
    expect(deferred[0]!.nextAttemptAt.toISOString()).toBe(new Date(NOON.getTime() + 7 * DAY).toISOString());

    // Day 2: sequence b's second touch is written, and capped too (until the same day-7 release).
    const day2 = new Date(NOON.getTime() + 2 * DAY);
    const second = await delivery.service.tick(day2);
    expect(second.advance.messages).toBe(1);
    expect(second.send).toMatchObject({ sent: 0, deferred: 1 });

    // Day 7: the first send leaves the window; exactly one of the two waiting messages may go, the other waits
    // another 7 days. cap-2 never had more than one.
    const day7 = new Date(NOON.getTime() + 7 * DAY);
    const third = await delivery.service.sendDue(day7);
    expect(third).toMatchObject({ sent: 1, deferred: 1 });
    const sentTimes = (await messagesOf(ws))
      .filter((m) => m.customerId === customers[0] && m.status === 'sent')
      .map((m) => m.sentAt!.toISOString());
    expect(sentTimes.sort()).toEqual([NOON.toISOString(), day7.toISOString()]);
    expect(arrivalsFor('cap-1@example.test')).toHaveLength(2);
    expect(arrivalsFor('cap-2@example.test')).toHaveLength(1);
  });

  it('exits a customer who reactivates between touches; the next touch is never written', async () => {
    const ws = await createWorkspace(db.prisma);
    const seq = await createSequence(db.prisma, ws, 'exit', [{ delayDays: 0 }, { delayDays: 3 }]);
    const customers = await createCustomers(db.prisma, ws, [
      { externalId: 'exit-1' },
      { externalId: 'exit-2' },
    ]);
    const enrollments = await enroll(db.prisma, ws, seq.id, customers, NOON);
    await delivery.service.tick(NOON);

    // exit-1 orders on day 1; exit-2 only has an event type that is not an exit event.
    await db.prisma.event.createMany({
      data: [
        {
          workspaceId: ws,
          clientEventId: 'o1',
          type: 'order',
          name: 'purchase',
          customerId: customers[0]!,
          occurredAt: new Date(NOON.getTime() + DAY),
        },
        {
          workspaceId: ws,
          clientEventId: 'x2',
          type: 'exposure',
          name: 'page',
          customerId: customers[1]!,
          occurredAt: new Date(NOON.getTime() + DAY),
        },
        // An order after "now" (clock skew, a backfill) does not count yet.
        {
          workspaceId: ws,
          clientEventId: 'o2',
          type: 'order',
          name: 'purchase',
          customerId: customers[1]!,
          occurredAt: new Date(NOON.getTime() + 10 * DAY),
        },
      ],
    });
    const day3 = new Date(NOON.getTime() + 3 * DAY);
    const { advance } = await delivery.service.tick(day3);
    expect(advance).toMatchObject({ exited: 1, messages: 1 });
    const exited = await db.prisma.enrollment.findUniqueOrThrow({ where: { id: enrollments[0]! } });
    expect(exited).toMatchObject({
      status: 'exited',
      exitReason: 'reactivated',
      nextPosition: null,
      nextDueAt: null,
    });
    expect(exited.exitedAt?.toISOString()).toBe(day3.toISOString());
    const touch1 = await db.prisma.message.findMany({ where: { touchId: seq.touchIds[1] } });
    expect(touch1.map((m) => m.customerId)).toEqual([customers[1]]);
    expect(arrivalsFor('exit-1@example.test')).toHaveLength(1);
  });

  it('holds a paused sequence: no touch is written or sent until it resumes', async () => {
    const ws = await createWorkspace(db.prisma);
    const seq = await createSequence(db.prisma, ws, 'paused', [{ delayDays: 0 }, { delayDays: 3 }]);
    const customers = await createCustomers(db.prisma, ws, [
      { externalId: 'pause-1' },
      { externalId: 'pause-2' },
    ]);
    await enroll(db.prisma, ws, seq.id, customers, NOON);
    // One message written, then the sequence is paused before it is sent.
    await delivery.service.advance(NOON);
    expect(await messagesOf(ws)).toHaveLength(2);
    await db.prisma.sequence.update({ where: { id: seq.id }, data: { status: 'paused' } });
    const day3 = new Date(NOON.getTime() + 3 * DAY);
    await delivery.service.tick(day3);
    expect((await messagesOf(ws)).map((m) => m.status)).toEqual(['pending', 'pending']);
    expect(arrivalsFor('pause-1@example.test')).toHaveLength(0);

    await db.prisma.sequence.update({ where: { id: seq.id }, data: { status: 'running' } });
    await delivery.service.tick(day3);
    await delivery.service.tick(day3);
    const after = await messagesOf(ws);
    // Both touches are due by day 3: each customer gets both, once.
    expect(after.map((m) => m.status)).toEqual(['sent', 'sent', 'sent', 'sent']);
    expect(arrivalsFor('pause-1@example.test')).toHaveLength(2);
  });

  it('honours the suppression list: nothing is sent and the message is marked suppressed', async () => {
    const ws = await createWorkspace(db.prisma);
    const seq = await createSequence(db.prisma, ws, 'suppressed', [{ delayDays: 0 }]);
    const customers = await createCustomers(db.prisma, ws, [
      { externalId: 'supp-1' },
      { externalId: 'supp-2' },
    ]);
    await enroll(db.prisma, ws, seq.id, customers, NOON);
    await delivery.service.advance(NOON);
    // Unsubscribed after the message was written, before it was sent.
    await db.prisma.suppression.create({
      data: { workspaceId: ws, customerId: customers[0]!, reason: 'unsubscribe' },
    });
    const send = await delivery.service.sendDue(NOON);
    expect(send).toMatchObject({ sent: 1, suppressed: 1 });
    const m = await db.prisma.message.findFirstOrThrow({ where: { customerId: customers[0] } });
    expect(m).toMatchObject({
      status: 'suppressed',
      lastError: 'customer is suppressed (unsubscribe)',
      attempts: 0,
    });
    expect(arrivalsFor('supp-1@example.test')).toHaveLength(0);
    expect(arrivalsFor('supp-2@example.test')).toHaveLength(1);
  });
});

describe('SMTP failures', () => {
  it('retries a transient failure (451) with exponential backoff, then sends once', async () => {
    const ws = await createWorkspace(db.prisma);
    const seq = await createSequence(db.prisma, ws, 'transient', [{ delayDays: 0 }]);
    const customers = await createCustomers(db.prisma, ws, [{ externalId: 'transient-1' }]);
    await enroll(db.prisma, ws, seq.id, customers, NOON);
    sink.rule = (stage, address, attempt) =>
      stage === 'rcpt' && address === 'transient-1@example.test' && attempt <= 2
        ? { code: 451, message: 'Greylisted, try again later' }
        : null;

    expect((await delivery.service.tick(NOON)).send).toMatchObject({ retried: 1, sent: 0 });
    let m = await db.prisma.message.findFirstOrThrow({ where: { workspaceId: ws } });
    expect(m).toMatchObject({ status: 'pending', attempts: 1 });
    expect(m.lastError).toMatch(/^SMTP 451 /);
    expect(m.nextAttemptAt.toISOString()).toBe(new Date(NOON.getTime() + MINUTE).toISOString());

    expect((await delivery.service.sendDue(new Date(NOON.getTime() + 59_000))).claimed).toBe(0);
    expect((await delivery.service.sendDue(new Date(NOON.getTime() + MINUTE))).retried).toBe(1);
    m = await db.prisma.message.findFirstOrThrow({ where: { workspaceId: ws } });
    expect(m.attempts).toBe(2);
    // Second wait doubles: 2 minutes.
    expect(m.nextAttemptAt.toISOString()).toBe(new Date(NOON.getTime() + 3 * MINUTE).toISOString());

    expect((await delivery.service.sendDue(new Date(NOON.getTime() + 3 * MINUTE))).sent).toBe(1);
    m = await db.prisma.message.findFirstOrThrow({ where: { workspaceId: ws } });
    expect(m).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
    const arrivals = arrivalsFor('transient-1@example.test');
    expect(arrivals).toHaveLength(1);
    expect(arrivals[0]!.messageId).toBe(m.providerMessageId);
  });

  it('records a permanent failure; a 550 on the recipient also suppresses the customer (hard bounce)', async () => {
    const ws = await createWorkspace(db.prisma);
    const seq = await createSequence(db.prisma, ws, 'permanent', [{ delayDays: 0 }]);
    const customers = await createCustomers(db.prisma, ws, [
      { externalId: 'bounce-1' },
      { externalId: 'reject-1' },
    ]);
    await enroll(db.prisma, ws, seq.id, customers, NOON);
    sink.rule = (stage, address) => {
      if (stage === 'rcpt' && address === 'bounce-1@example.test')
        return { code: 550, message: 'No such user' };
      if (stage === 'data' && address === 'reject-1@example.test')
        return { code: 554, message: 'Content rejected' };
      return null;
    };
    expect((await delivery.service.tick(NOON)).send).toMatchObject({ failed: 2, sent: 0, retried: 0 });
    const [bounce, reject] = await Promise.all(
      customers.map((c) => db.prisma.message.findFirstOrThrow({ where: { customerId: c } })),
    );
    expect(bounce).toMatchObject({ status: 'failed', attempts: 1 });
    expect(bounce!.lastError).toMatch(/^SMTP 550 /);
    expect(reject).toMatchObject({ status: 'failed', attempts: 1 });
    expect(reject!.lastError).toMatch(/^SMTP 554 /);
    const suppressions = await db.prisma.suppression.findMany({ where: { workspaceId: ws } });
    expect(suppressions.map((s) => [s.customerId, s.reason])).toEqual([[customers[0], 'hard_bounce']]);
    // Failed is final: later ticks do not touch them.
    expect((await delivery.service.sendDue(new Date(NOON.getTime() + DAY))).claimed).toBe(0);
  });
});

describe('several workers', () => {
  it('two service instances ticking at once on the same database never send a message twice', async () => {
    const ws = await createWorkspace(db.prisma, { frequencyCapCount: 10 });
    const seq = await createSequence(db.prisma, ws, 'concurrent', [{ delayDays: 0 }, { delayDays: 0 }]);
    const count = 100;
    const customers = await createCustomers(
      db.prisma,
      ws,
      Array.from({ length: count }, (_, i) => ({ externalId: `conc-${i}` })),
    );
    await enroll(db.prisma, ws, seq.id, customers, NOON);
    const config = deliveryConfig({ SMTP_URL: sink.url });
    const workers = [0, 1].map(() => createDelivery(db.prisma, config, { advanceBatch: 40, sendBatch: 25 }));
    const before = sink.arrivals.length;
    try {
      const results = await Promise.all(workers.map((w) => w.service.tick(NOON)));
      // A second round picks up anything one worker left while the other held it.
      await Promise.all(workers.map((w) => w.service.tick(NOON)));
      const written = results.reduce((s, r) => s + r.advance.messages, 0);
      expect(written).toBe(2 * count);
    } finally {
      for (const w of workers) w.close();
    }
    const messages = await messagesOf(ws);
    expect(messages).toHaveLength(2 * count);
    expect(messages.every((m) => m.status === 'sent' && m.attempts === 1)).toBe(true);
    const ids = sink.arrivals.slice(before).map((a) => a.messageId);
    expect(ids).toHaveLength(2 * count);
    expect(new Set(ids).size).toBe(2 * count);
    expect(new Set(ids)).toEqual(new Set(messages.map((m) => m.providerMessageId)));
  }, 180_000);
});
