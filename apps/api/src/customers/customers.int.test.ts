import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerBulkResult, CustomerDetail, CustomerList } from '@liftlab/contracts';
import { createTestApp, type Agent, type TestApp } from '../../test/app';

let t: TestApp;
let ingest: Agent;
let marketer: Agent;

async function bulk(customers: unknown[], agent: Agent = ingest): Promise<CustomerBulkResult> {
  const res = await agent.post('/v1/customers/bulk').send({ customers });
  expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(200);
  return res.body as CustomerBulkResult;
}

const stored = (externalId: string) =>
  t.prisma.customer.findUniqueOrThrow({
    where: { workspaceId_externalId: { workspaceId: t.workspaceId, externalId } },
  });

beforeAll(async () => {
  t = await createTestApp();
  ingest = await t.keyAgent('ingest');
  marketer = await t.loginAs('marketer');
});

afterAll(() => t?.close());

describe('POST /v1/customers/bulk', () => {
  it('creates customers with their attributes', async () => {
    const result = await bulk([
      {
        externalId: 'crm-1',
        segment: 'vip',
        acquisitionDate: '2023-11-05',
        acquisitionChannel: 'paid_search',
        plan: 'pro',
        country: 'DE',
        timezone: 'Europe/Berlin',
        traits: { ltv: 1200.5, newsletter: true, tier: 'gold', gone: null },
      },
      { externalId: 'crm-2' },
    ]);
    expect(result).toEqual({ created: 2, updated: 0, rejected: [] });
    const c = await stored('crm-1');
    expect(c).toMatchObject({
      segment: 'vip',
      acquisitionChannel: 'paid_search',
      plan: 'pro',
      country: 'DE',
      timezone: 'Europe/Berlin',
      traits: { ltv: 1200.5, newsletter: true, tier: 'gold' },
    });
    expect(c.acquisitionDate?.toISOString()).toBe('2023-11-05T00:00:00.000Z');
    expect(c.createdAt.toISOString()).toBe(t.clock.now().toISOString());
    expect((await stored('crm-2')).traits).toEqual({});
  });

  it('updates only the fields sent: omitted keeps, null clears, traits merge key by key', async () => {
    await bulk([
      { externalId: 'upd-1', segment: 'regular', plan: 'free', country: 'FR', traits: { a: 1, b: 2 } },
    ]);
    const before = await stored('upd-1');
    t.clock.advanceMinutes(5);
    const result = await bulk([
      { externalId: 'upd-1', plan: 'pro', country: null, traits: { b: null, c: 'x' } },
    ]);
    expect(result).toEqual({ created: 0, updated: 1, rejected: [] });
    const after = await stored('upd-1');
    expect(after).toMatchObject({ id: before.id, segment: 'regular', plan: 'pro', country: null });
    expect(after.traits).toEqual({ a: 1, c: 'x' });
    expect(after.createdAt).toEqual(before.createdAt);
    expect(after.updatedAt.getTime() - before.updatedAt.getTime()).toBe(5 * 60_000);
  });

  it('applies entries repeating an externalId in order and stores valid rows next to rejected ones', async () => {
    const result = await bulk([
      { externalId: 'mix-1', segment: 'a' },
      { externalId: 'mix-2', country: 'Germany' },
      { externalId: 'mix-1', segment: 'b', plan: 'team' },
      { plan: 'orphan' },
      { externalId: 'mix-3', acquisitionDate: '2024-13-01', timezone: 'Nowhere/City' },
    ]);
    expect(result).toEqual({
      created: 1,
      updated: 0,
      rejected: [
        { index: 1, field: 'country', rule: 'format_country' },
        { index: 3, field: 'externalId', rule: 'required' },
        { index: 4, field: 'acquisitionDate', rule: 'format_date' },
        { index: 4, field: 'timezone', rule: 'format_timezone' },
      ],
    });
    expect(await stored('mix-1')).toMatchObject({ segment: 'b', plan: 'team' });
    expect(await t.prisma.customer.count({ where: { externalId: { in: ['mix-2', 'mix-3'] } } })).toBe(0);
  });

  it('takes 10 000 customers in one request, mixing new and existing ones', async () => {
    const batch = (from: number, to: number, plan: string) =>
      Array.from({ length: to - from }, (_, i) => ({
        externalId: `bulk-${from + i}`,
        plan,
        segment: (from + i) % 3 === 0 ? 'vip' : 'regular',
        traits: { n: from + i },
      }));
    expect(await bulk(batch(0, 10_000, 'free'))).toEqual({ created: 10_000, updated: 0, rejected: [] });
    expect(await bulk(batch(5_000, 15_000, 'pro'))).toEqual({ created: 5_000, updated: 5_000, rejected: [] });
    expect(await t.prisma.customer.count({ where: { externalId: { startsWith: 'bulk-' } } })).toBe(15_000);
    expect(
      await t.prisma.customer.count({ where: { externalId: { startsWith: 'bulk-' }, plan: 'pro' } }),
    ).toBe(10_000);
    expect((await stored('bulk-4999')).plan).toBe('free');
    expect((await stored('bulk-5000')).plan).toBe('pro');

    const tooMany = await ingest.post('/v1/customers/bulk').send({ customers: batch(0, 10_001, 'x') });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors).toEqual([{ path: 'customers', rule: 'max_10000' }]);
  }, 180_000);

  it('is open to marketers and ingest keys, not to read keys or executives', async () => {
    expect(
      (await marketer.post('/v1/customers/bulk').send({ customers: [{ externalId: 'acl-1' }] })).status,
    ).toBe(200);
    const readKey = await t.keyAgent('read');
    expect(
      (await readKey.post('/v1/customers/bulk').send({ customers: [{ externalId: 'acl-2' }] })).status,
    ).toBe(403);
    const executive = await t.loginAs('executive');
    expect(
      (await executive.post('/v1/customers/bulk').send({ customers: [{ externalId: 'acl-3' }] })).status,
    ).toBe(403);
  });
});

describe('GET /v1/customers', () => {
  beforeAll(async () => {
    await bulk(Array.from({ length: 25 }, (_, i) => ({ externalId: `Page-${String(i).padStart(2, '0')}` })));
  });

  it('pages through search results newest first without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await marketer
        .get('/v1/customers')
        .query({ search: 'page-', limit: 10, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      const page = res.body as CustomerList;
      seen.push(...page.items.map((c) => c.externalId));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
    // All created in one request: the ids still follow request order, newest (last) first.
    expect(seen[0]).toBe('Page-24');
    expect(seen.at(-1)).toBe('Page-00');
  });

  it('validates the query', async () => {
    const bad = await marketer.get('/v1/customers').query({ cursor: 'not-an-id' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ path: 'query.cursor', rule: 'cursor' }]);
    const limit = await marketer.get('/v1/customers').query({ limit: 0 });
    expect(limit.status).toBe(400);
    expect(limit.body.errors[0].path).toBe('query.limit');
  });

  it('is readable by marketers and lifecycle, not by keys or executives', async () => {
    expect((await (await t.loginAs('lifecycle')).get('/v1/customers')).status).toBe(200);
    expect((await ingest.get('/v1/customers')).status).toBe(403);
    expect((await (await t.loginAs('executive')).get('/v1/customers')).status).toBe(403);
  });
});

describe('GET /v1/customers/:externalId', () => {
  it('returns the customer with assignments and latest events first', async () => {
    await bulk([{ externalId: 'detail-1', segment: 'vip', acquisitionDate: '2024-06-30' }]);
    const customer = await stored('detail-1');
    const experiment = await t.prisma.experiment.create({
      data: {
        workspaceId: t.workspaceId,
        key: 'winback-email',
        name: 'Win-back email',
        kind: 'holdout',
        seed: 'winback-email',
        status: 'running',
        variants: {
          create: [
            { key: 'holdout', name: 'Holdout', weight: 0.1, isControl: true, position: 0 },
            { key: 'treated', name: 'Treated', weight: 0.9, position: 1 },
          ],
        },
      },
      include: { variants: true },
    });
    const treated = experiment.variants.find((v) => v.key === 'treated');
    await t.prisma.assignment.create({
      data: {
        workspaceId: t.workspaceId,
        experimentId: experiment.id,
        customerId: customer.id,
        variantId: treated?.id ?? '',
        source: 'server',
        assignedAt: new Date('2025-01-10T00:00:00Z'),
      },
    });
    const events = await ingest.post('/v1/events').send({
      events: [
        {
          clientEventId: 'detail-exp',
          type: 'exposure',
          customerId: 'detail-1',
          experimentKey: 'winback-email',
          variantKey: 'treated',
          occurredAt: '2025-01-10T10:00:00Z',
        },
        {
          clientEventId: 'detail-order',
          type: 'order',
          customerId: 'detail-1',
          amount: 49.9,
          currency: 'EUR',
          revenueStream: 'retention',
          occurredAt: '2025-01-12T10:00:00Z',
        },
      ],
    });
    expect(events.body.accepted).toBe(2);

    const res = await marketer.get('/v1/customers/detail-1');
    expect(res.status).toBe(200);
    const detail = res.body as CustomerDetail;
    expect(detail).toMatchObject({ externalId: 'detail-1', segment: 'vip', acquisitionDate: '2024-06-30' });
    expect(detail.assignments).toEqual([
      {
        experimentId: experiment.id,
        experimentKey: 'winback-email',
        experimentName: 'Win-back email',
        experimentStatus: 'running',
        variantKey: 'treated',
        variantName: 'Treated',
        isControl: false,
        assignedAt: '2025-01-10T00:00:00.000Z',
        source: 'server',
      },
    ]);
    expect(detail.recentEvents.map((e) => [e.clientEventId, e.type, e.experimentKey, e.variantKey])).toEqual([
      ['detail-order', 'order', null, null],
      ['detail-exp', 'exposure', 'winback-email', 'treated'],
    ]);
    expect(detail.recentEvents[0]).toMatchObject({
      amount: 49.9,
      currency: 'EUR',
      revenueStream: 'retention',
    });
  });

  it('answers 404 for an unknown customer', async () => {
    const res = await marketer.get('/v1/customers/nobody');
    expect(res.status).toBe(404);
  });
});
