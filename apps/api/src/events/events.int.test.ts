import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventIngestResult, RowError } from '@liftlab/contracts';
import { createTestApp, type Agent, type TestApp } from '../../test/app';

let t: TestApp;
let ingest: Agent;

/** Small deterministic generator (mulberry32) so the mixed stream is the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

async function send(events: unknown[], agent: Agent = ingest): Promise<EventIngestResult> {
  const res = await agent.post('/v1/events').send({ events });
  expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(200);
  return res.body as EventIngestResult;
}

async function storedEvents(where: { clientEventId?: { startsWith: string } } = {}): Promise<number> {
  return t.prisma.event.count({ where: { workspaceId: t.workspaceId, ...where } });
}

const conversion = (id: string, customer: string, extra: Record<string, unknown> = {}) => ({
  clientEventId: id,
  type: 'conversion',
  name: 'upgrade',
  customerId: customer,
  occurredAt: '2025-01-14T10:00:00Z',
  ...extra,
});

beforeAll(async () => {
  t = await createTestApp();
  ingest = await t.keyAgent('ingest');
  await t.prisma.experiment.create({
    data: {
      workspaceId: t.workspaceId,
      key: 'checkout-cta',
      name: 'Checkout CTA',
      kind: 'ab',
      seed: 'checkout-cta',
      status: 'running',
      variants: {
        create: [
          { key: 'control', name: 'Control', weight: 0.5, isControl: true, position: 0 },
          { key: 'green', name: 'Green', weight: 0.5, position: 1 },
        ],
      },
    },
  });
});

afterAll(() => t?.close());

describe('POST /v1/events', () => {
  it('stores each type with its fields and creates unknown customers', async () => {
    await t.prisma.customer.create({
      data: { workspaceId: t.workspaceId, externalId: 'known-1', plan: 'pro' },
    });
    const result = await send([
      {
        clientEventId: 'types-1',
        type: 'exposure',
        customerId: 'known-1',
        experimentKey: 'checkout-cta',
        variantKey: 'green',
        occurredAt: '2025-01-14T08:00:00+01:00',
      },
      conversion('types-2', 'new-1', { value: 3.5, properties: { plan: 'pro', seats: 3 } }),
      {
        clientEventId: 'types-3',
        type: 'order',
        customerId: 'new-1',
        amount: 129.99,
        currency: 'EUR',
        revenueStream: 'upsell',
      },
      { clientEventId: 'types-4', type: 'activity', name: 'login', customerId: 'new-2' },
    ]);
    expect(result).toEqual({ accepted: 4, duplicates: 0, rejected: [] });

    const events = await t.prisma.event.findMany({
      where: { clientEventId: { startsWith: 'types-' } },
      include: { customer: true, experiment: true, variant: true },
      orderBy: { id: 'asc' },
    });
    expect(events.map((e) => [e.clientEventId, e.type, e.name, e.customer.externalId])).toEqual([
      ['types-1', 'exposure', 'experiment_exposure', 'known-1'],
      ['types-2', 'conversion', 'upgrade', 'new-1'],
      ['types-3', 'order', 'order', 'new-1'],
      ['types-4', 'activity', 'login', 'new-2'],
    ]);
    const [exposure, conv, order, activity] = events;
    expect(exposure?.experiment?.key).toBe('checkout-cta');
    expect(exposure?.variant?.key).toBe('green');
    expect(exposure?.occurredAt.toISOString()).toBe('2025-01-14T07:00:00.000Z');
    expect(exposure?.customer.plan).toBe('pro');
    expect(conv?.value).toBe(3.5);
    expect(conv?.properties).toEqual({ plan: 'pro', seats: 3 });
    expect(order?.amount?.toString()).toBe('129.99');
    expect(order?.currency).toBe('EUR');
    expect(order?.revenueStream).toBe('upsell');
    // No occurredAt: the time the server received it (the test clock).
    expect(activity?.occurredAt.toISOString()).toBe(t.clock.now().toISOString());
    expect(activity?.receivedAt.toISOString()).toBe(t.clock.now().toISOString());
    expect(await t.prisma.customer.count({ where: { externalId: { in: ['new-1', 'new-2'] } } })).toBe(2);
  });

  it('is idempotent: re-sending a batch stores nothing and counts duplicates', async () => {
    const batch = Array.from({ length: 50 }, (_, i) => conversion(`idem-${i}`, `idem-customer-${i % 7}`));
    expect(await send(batch)).toEqual({ accepted: 50, duplicates: 0, rejected: [] });
    expect(await send(batch)).toEqual({ accepted: 0, duplicates: 50, rejected: [] });
    // A different payload under an already used id is still the same event: ignored.
    expect(await send([conversion('idem-3', 'someone-else', { name: 'other' })])).toEqual({
      accepted: 0,
      duplicates: 1,
      rejected: [],
    });
    expect(await storedEvents({ clientEventId: { startsWith: 'idem-' } })).toBe(50);
    const kept = await t.prisma.event.findFirst({
      where: { clientEventId: 'idem-3' },
      include: { customer: true },
    });
    expect(kept?.name).toBe('upgrade');
    expect(kept?.customer.externalId).toBe('idem-customer-3');
  });

  it('rejects each invalid event with its index, field and rule and stores the valid ones', async () => {
    const result = await send([
      conversion('rows-ok-1', 'c1'),
      { type: 'conversion', name: 'upgrade', customerId: 'c1' },
      { clientEventId: 'rows-2', type: 'order', customerId: 'c1', currency: 'EUR' },
      { clientEventId: 'rows-3', type: 'order', customerId: 'c1', amount: -5, currency: 'euro' },
      { clientEventId: 'rows-4', type: 'exposure', customerId: 'c1', experimentKey: 'nope', variantKey: 'x' },
      {
        clientEventId: 'rows-5',
        type: 'exposure',
        customerId: 'c1',
        experimentKey: 'checkout-cta',
        variantKey: 'red',
      },
      conversion('rows-6', 'c1', { occurredAt: '2025-01-17T09:00:00Z' }),
      'not an event',
      conversion('rows-8', 'c1', { colour: 'blue' }),
      { clientEventId: 'rows-9', type: 'purchase', customerId: 'c1' },
      conversion('rows-10', '', { value: 'high' }),
      conversion('rows-ok-11', 'c2', { occurredAt: '2025-01-16T08:00:00Z' }),
    ]);
    expect(result.accepted).toBe(2);
    expect(result.duplicates).toBe(0);
    expect(result.rejected).toEqual<RowError[]>([
      { index: 1, field: 'clientEventId', rule: 'required' },
      { index: 2, field: 'amount', rule: 'required' },
      { index: 3, field: 'amount', rule: 'min_0' },
      { index: 3, field: 'currency', rule: 'format_currency' },
      { index: 4, field: 'experimentKey', rule: 'unknown_experiment' },
      { index: 5, field: 'variantKey', rule: 'unknown_variant' },
      { index: 6, field: 'occurredAt', rule: 'not_in_future' },
      { index: 7, field: '(entry)', rule: 'type_object' },
      { index: 8, field: 'colour', rule: 'unknown_key' },
      { index: 9, field: 'type', rule: 'one_of' },
      { index: 10, field: 'customerId', rule: 'required' },
      { index: 10, field: 'value', rule: 'type_number' },
    ]);
    expect(await storedEvents({ clientEventId: { startsWith: 'rows-' } })).toBe(2);
  });

  it('rejects cross-field rules per type', async () => {
    const result = await send([
      { clientEventId: 'x-1', type: 'exposure', customerId: 'c1' },
      { clientEventId: 'x-2', type: 'conversion', customerId: 'c1', experimentKey: 'checkout-cta' },
      { clientEventId: 'x-3', type: 'activity', name: 'login', customerId: 'c1', amount: 3, currency: 'EUR' },
    ]);
    expect(result.accepted).toBe(0);
    expect(result.rejected).toEqual<RowError[]>([
      { index: 0, field: 'experimentKey', rule: 'required' },
      { index: 0, field: 'variantKey', rule: 'required' },
      { index: 1, field: 'variantKey', rule: 'required_together' },
      { index: 1, field: 'name', rule: 'required' },
      { index: 2, field: 'amount', rule: 'order_only' },
      { index: 2, field: 'currency', rule: 'order_only' },
    ]);
  });

  it('stores exactly the unique valid events of a large mixed stream of valid, invalid and repeated events', async () => {
    const rnd = random(20250115);
    const stream: unknown[] = [];
    const validIds = new Set<string>();
    const invalidPositions = new Set<number>();
    const customers = Array.from({ length: 400 }, (_, i) => `stream-customer-${i}`);
    for (let i = 0; i < 15_000; i++) {
      const roll = rnd();
      const customer = customers[Math.floor(rnd() * customers.length)] ?? 'stream-customer-0';
      if (roll < 0.15 && validIds.size > 0) {
        // Repeat of an earlier valid event (possibly in an earlier batch).
        const ids = [...validIds];
        stream.push(conversion(ids[Math.floor(rnd() * ids.length)] ?? 'none', customer));
      } else if (roll < 0.3) {
        invalidPositions.add(i);
        const kind = Math.floor(rnd() * 4);
        if (kind === 0) stream.push({ type: 'conversion', name: 'x', customerId: customer });
        else if (kind === 1)
          stream.push({ clientEventId: `stream-bad-${i}`, type: 'order', customerId: customer });
        else if (kind === 2)
          stream.push({
            clientEventId: `stream-bad-${i}`,
            type: 'exposure',
            customerId: customer,
            experimentKey: 'checkout-cta',
            variantKey: 'missing',
          });
        else stream.push(conversion(`stream-bad-${i}`, customer, { occurredAt: 'yesterday' }));
      } else {
        const id = `stream-${i}`;
        validIds.add(id);
        stream.push(
          rnd() < 0.5
            ? conversion(id, customer, { value: Math.round(rnd() * 1000) / 10 })
            : {
                clientEventId: id,
                type: 'exposure',
                customerId: customer,
                experimentKey: 'checkout-cta',
                variantKey: rnd() < 0.5 ? 'control' : 'green',
                occurredAt: '2025-01-10T12:00:00Z',
              },
        );
      }
    }

    let accepted = 0;
    let duplicates = 0;
    const rejectedPositions = new Set<number>();
    const batchSize = 5_000;
    for (let start = 0; start < stream.length; start += batchSize) {
      const result = await send(stream.slice(start, start + batchSize));
      accepted += result.accepted;
      duplicates += result.duplicates;
      for (const r of result.rejected) rejectedPositions.add(start + r.index);
    }

    const storedStream =
      (await storedEvents({ clientEventId: { startsWith: 'stream-' } })) -
      (await storedEvents({ clientEventId: { startsWith: 'stream-bad-' } }));
    expect(storedStream).toBe(validIds.size);
    expect(await storedEvents({ clientEventId: { startsWith: 'stream-bad-' } })).toBe(0);
    expect(accepted).toBe(validIds.size);
    expect(rejectedPositions).toEqual(invalidPositions);
    expect(accepted + duplicates + invalidPositions.size).toBe(stream.length);
    expect(
      await t.prisma.customer.count({ where: { externalId: { startsWith: 'stream-customer-' } } }),
    ).toBeLessThanOrEqual(customers.length);
  }, 180_000);

  it('stores each event once when overlapping batches arrive at the same time', async () => {
    const batch = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, i) =>
        conversion(`race-${from + i}`, `race-customer-${(from + i) % 50}`),
      );
    const results = await Promise.all([send(batch(0, 600)), send(batch(300, 900)), send(batch(0, 900))]);
    expect(results.reduce((n, r) => n + r.accepted, 0)).toBe(900);
    expect(results.reduce((n, r) => n + r.duplicates, 0)).toBe(600 + 600 + 900 - 900);
    expect(await storedEvents({ clientEventId: { startsWith: 'race-' } })).toBe(900);
    expect(await t.prisma.customer.count({ where: { externalId: { startsWith: 'race-customer-' } } })).toBe(
      50,
    );
  });

  it('takes a batch of 10 000 events and refuses a larger one as a whole', async () => {
    const batch = Array.from({ length: 10_000 }, (_, i) =>
      conversion(`big-${i}`, `big-customer-${i % 2500}`),
    );
    expect(await send(batch)).toEqual({ accepted: 10_000, duplicates: 0, rejected: [] });
    expect(await storedEvents({ clientEventId: { startsWith: 'big-' } })).toBe(10_000);
    expect(await t.prisma.customer.count({ where: { externalId: { startsWith: 'big-customer-' } } })).toBe(
      2500,
    );

    const tooMany = await ingest
      .post('/v1/events')
      .send({ events: [...batch, conversion('big-extra', 'x')] });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors).toEqual([{ path: 'events', rule: 'max_10000' }]);
  }, 180_000);

  it('answers malformed bodies with 400 naming the problem, never 5xx', async () => {
    const cases: [unknown, { path: string; rule: string }][] = [
      [{}, { path: 'events', rule: 'required' }],
      [{ events: [] }, { path: 'events', rule: 'min_1' }],
      [{ events: 'all of them' }, { path: 'events', rule: 'type_array' }],
      [[conversion('a', 'b')], { path: '(body)', rule: 'type_object' }],
    ];
    for (const [body, error] of cases) {
      const res = await ingest.post('/v1/events').send(body as object);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.errors).toEqual([error]);
    }
    const broken = await ingest
      .post('/v1/events')
      .set('Content-Type', 'application/json')
      .send('{"events": [');
    expect(broken.status).toBe(400);
  });

  it('is open to ingest keys and admins only', async () => {
    const admin = await t.login(t.admin.email, t.admin.password);
    expect((await admin.post('/v1/events').send({ events: [conversion('acl-1', 'c1')] })).status).toBe(200);
    const readKey = await t.keyAgent('read');
    expect((await readKey.post('/v1/events').send({ events: [conversion('acl-2', 'c1')] })).status).toBe(403);
    const marketer = await t.loginAs('marketer');
    expect((await marketer.post('/v1/events').send({ events: [conversion('acl-3', 'c1')] })).status).toBe(
      403,
    );
    expect(await storedEvents({ clientEventId: { startsWith: 'acl-' } })).toBe(1);
  });
});
