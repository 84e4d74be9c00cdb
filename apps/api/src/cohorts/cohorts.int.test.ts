import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelSpend, CohortExplorer, CohortRow, LtvCac } from '@liftlab/contracts';
import { createTestApp, type Agent, type TestApp } from '../../test/app';
import { FixedClock } from '../common/clock';

/**
 * Cohort explorer, LTV:CAC and channel spend on eleven customers whose every cell is counted by hand below.
 *
 * Now is 2025-05-15 12:00 UTC, so complete calendar months run to April.
 *   January cohort (acquired 2025-01-10, search): A1 order 100 Jan 12, support contact Jan 15, active Feb 3,
 *     order 50 Apr 2; A2 order 20 Jan 20, order 30 Mar 5; A3 active Feb 10; A4 only an exposure (not activity).
 *   February cohort (2025-02-05, social): B1 order 40 Feb 6, order 60 Mar 10, support contact Mar 20;
 *     B2 active Apr 20.
 *   March cohort (2025-03-20, search): C1 order 10 Mar 21 and order 99 May 3 (current month: not counted);
 *     C2 support contacts Mar 25 and 26, active Apr 1; C3, C4, C5 nothing.
 *   Z1 (acquired 2024-12-15) has orders but lies outside the period.
 * Support contacts are activity events named `support_contact` (A1 resolved, C2 resolved only the second time).
 */

const NOW = new Date('2025-05-15T12:00:00Z');

let t: TestApp;
let marketer: Agent;
let executive: Agent;

interface Seed {
  id: string;
  acquired: string;
  channel: string;
  plan: string;
}

const CUSTOMERS: Record<string, Seed> = {
  A1: { id: randomUUID(), acquired: '2025-01-10', channel: 'search', plan: 'pro' },
  A2: { id: randomUUID(), acquired: '2025-01-10', channel: 'search', plan: 'basic' },
  A3: { id: randomUUID(), acquired: '2025-01-10', channel: 'search', plan: 'basic' },
  A4: { id: randomUUID(), acquired: '2025-01-10', channel: 'search', plan: 'basic' },
  B1: { id: randomUUID(), acquired: '2025-02-05', channel: 'social', plan: 'pro' },
  B2: { id: randomUUID(), acquired: '2025-02-05', channel: 'social', plan: 'basic' },
  C1: { id: randomUUID(), acquired: '2025-03-20', channel: 'search', plan: 'basic' },
  C2: { id: randomUUID(), acquired: '2025-03-20', channel: 'search', plan: 'basic' },
  C3: { id: randomUUID(), acquired: '2025-03-20', channel: 'search', plan: 'basic' },
  C4: { id: randomUUID(), acquired: '2025-03-20', channel: 'search', plan: 'basic' },
  C5: { id: randomUUID(), acquired: '2025-03-20', channel: 'search', plan: 'basic' },
  Z1: { id: randomUUID(), acquired: '2024-12-15', channel: 'search', plan: 'basic' },
};

type EventSeed = [
  string,
  'order' | 'activity' | 'exposure',
  string,
  string,
  number | null,
  Record<string, string>?,
];
const EVENTS: EventSeed[] = [
  ['A1', 'order', 'order', '2025-01-12T10:00:00Z', 100],
  ['A1', 'activity', 'support_contact', '2025-01-15T10:00:00Z', null, { resolved: 'true' }],
  ['A1', 'activity', 'login', '2025-02-03T10:00:00Z', null],
  ['A1', 'order', 'order', '2025-04-02T10:00:00Z', 50],
  ['A2', 'order', 'order', '2025-01-20T10:00:00Z', 20],
  ['A2', 'order', 'order', '2025-03-05T10:00:00Z', 30],
  ['A3', 'activity', 'login', '2025-02-10T10:00:00Z', null],
  ['A4', 'exposure', 'exposure', '2025-02-01T10:00:00Z', null],
  ['B1', 'order', 'order', '2025-02-06T10:00:00Z', 40],
  ['B1', 'order', 'order', '2025-03-10T10:00:00Z', 60],
  ['B1', 'activity', 'support_contact', '2025-03-20T10:00:00Z', null, { resolved: 'true' }],
  ['B2', 'activity', 'login', '2025-04-20T10:00:00Z', null],
  ['C1', 'order', 'order', '2025-03-21T10:00:00Z', 10],
  ['C1', 'order', 'order', '2025-05-03T10:00:00Z', 99],
  ['C2', 'activity', 'support_contact', '2025-03-25T10:00:00Z', null, { resolved: 'false' }],
  ['C2', 'activity', 'support_contact', '2025-03-26T10:00:00Z', null, { resolved: 'true' }],
  ['C2', 'activity', 'login', '2025-04-01T10:00:00Z', null],
  ['Z1', 'order', 'order', '2025-01-05T10:00:00Z', 500],
];

beforeAll(async () => {
  t = await createTestApp({ clock: new FixedClock(NOW) });
  marketer = await t.loginAs('marketer');
  executive = await t.loginAs('executive');
  const ws = t.workspaceId;
  await t.prisma.customer.createMany({
    data: Object.entries(CUSTOMERS).map(([externalId, c]) => ({
      id: c.id,
      workspaceId: ws,
      externalId,
      acquisitionDate: new Date(`${c.acquired}T00:00:00Z`),
      acquisitionChannel: c.channel,
      plan: c.plan,
    })),
  });
  await t.prisma.event.createMany({
    data: EVENTS.map(([who, type, name, at, amount, properties], i) => ({
      workspaceId: ws,
      clientEventId: `e${i}`,
      type,
      name,
      customerId: CUSTOMERS[who]!.id,
      occurredAt: new Date(at),
      amount,
      currency: amount === null ? null : 'EUR',
      properties: properties ?? {},
    })),
  });
});

afterAll(() => t.close());

const cells = (row: CohortRow | undefined) =>
  row?.cells.map((c) => [c.month, c.customers, c.activeCustomers, round(c.cumulativeRevenuePerCustomer)]);
const round = (x: number) => Math.round(x * 1e6) / 1e6;

async function explore(query: Record<string, string | number>): Promise<CohortExplorer> {
  const res = await executive
    .get('/v1/cohorts')
    .query({ from: '2025-01', to: '2025-03', months: 4, ...query });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as CohortExplorer;
}

describe('GET /v1/cohorts', () => {
  it('counts the retention heatmap by acquisition month by hand', async () => {
    const body = await explore({});
    expect(body.rows.map((r) => [r.cohort, r.customers])).toEqual([
      ['2025-01', 4],
      ['2025-02', 2],
      ['2025-03', 5],
    ]);
    const [jan, feb, mar] = body.rows;
    // [month, customers observed, active, cumulative revenue per customer]
    expect(cells(jan)).toEqual([
      [0, 4, 2, 30],
      [1, 4, 2, 30],
      [2, 4, 1, 37.5],
      [3, 4, 1, 50],
    ]);
    expect(jan!.cells.map((c) => c.retention)).toEqual([0.5, 0.5, 0.25, 0.25]);
    expect(cells(feb)).toEqual([
      [0, 2, 1, 20],
      [1, 2, 1, 50],
      [2, 2, 1, 50],
    ]);
    expect(cells(mar)).toEqual([
      [0, 5, 2, 2],
      [1, 5, 1, 2],
    ]);
    // 30-day windows: January days 30–59 A2, A3; 60–89 A1; 90–119 nobody. February B1, then B2.
    expect(jan!.nDay).toEqual({ d30: 0.5, d60: 0.25, d90: 0 });
    expect(feb!.nDay).toEqual({ d30: 0.5, d60: 0.5, d90: null });
    expect(mar!.nDay).toEqual({ d30: null, d60: null, d90: null });
    expect(body.total!.customers).toBe(11);
    expect(cells(body.total!)![0]).toEqual([0, 11, 5, round(170 / 11)]);
    expect(body.total!.nDay.d30).toBe(3 / 6);
    expect(round(body.total!.nDay.d60!)).toBe(round(2 / 6));
    expect(body.total!.nDay.d90).toBe(0);
  });

  it('pools acquisition months within a channel, each month only over cohorts old enough', async () => {
    const body = await explore({ dimension: 'acquisitionChannel' });
    expect(body.rows.map((r) => [r.cohort, r.customers])).toEqual([
      ['search', 9],
      ['social', 2],
    ]);
    expect(cells(body.rows[0])).toEqual([
      [0, 9, 4, round(130 / 9)],
      [1, 9, 3, round(130 / 9)],
      [2, 4, 1, 37.5],
      [3, 4, 1, 50],
    ]);
  });

  it('splits by plan and by orders-only activity', async () => {
    const body = await explore({ dimension: 'plan', activity: 'orders' });
    const pro = body.rows.find((r) => r.cohort === 'pro')!;
    // A1 (January) and B1 (February): orders in months 0 (both), 1 (B1), 2 (nobody), 3 (A1).
    expect(cells(pro)).toEqual([
      [0, 2, 2, 70],
      [1, 2, 1, 100],
      [2, 2, 0, 100],
      [3, 1, 1, 150],
    ]);
  });

  it('builds behavioural cohorts from an event condition in the first N days', async () => {
    const contacted = await explore({ dimension: 'behaviour', behaviourEvent: 'support_contact' });
    // Within 30 days of acquisition: A1 (day 5) and C2 (days 5, 6); B1's contact came on day 43.
    const yes = contacted.rows.find((r) => r.cohort === 'yes')!;
    expect(yes.customers).toBe(2);
    expect(cells(yes)).toEqual([
      [0, 2, 2, 50],
      [1, 2, 2, 50],
      [2, 1, 0, 100],
      [3, 1, 1, 150],
    ]);
    expect(contacted.rows.find((r) => r.cohort === 'no')!.customers).toBe(9);

    const once = await explore({
      dimension: 'behaviour',
      behaviourEvent: 'support_contact',
      behaviourMaxCount: 1,
    });
    expect(once.rows.find((r) => r.cohort === 'yes')!.customers).toBe(1);

    const resolved = await explore({
      dimension: 'behaviour',
      behaviourEvent: 'support_contact',
      behaviourMaxCount: 1,
      behaviourProperty: 'resolved',
      behaviourValue: 'true',
    });
    expect(resolved.rows.find((r) => r.cohort === 'yes')!.customers).toBe(2);
  });

  it('refuses bad queries naming the field', async () => {
    const cases: [Record<string, string | number>, string, string][] = [
      [{ dimension: 'shoe_size' }, 'query.dimension', 'dimension_format'],
      [{ dimension: 'behaviour' }, 'query.behaviourEvent', 'required_for_behaviour'],
      [{ from: '2025-13' }, 'query.from', 'format_month'],
      [{ from: '2025-04', to: '2025-03' }, 'query.to', 'not_before_from'],
      [{ months: 0 }, 'query.months', 'min_1'],
      [{ activity: 'clicks' }, 'query.activity', 'one_of'],
      [
        { dimension: 'behaviour', behaviourEvent: 'x', behaviourMinCount: 3, behaviourMaxCount: 2 },
        'query.behaviourMaxCount',
        'min_behaviour_min_count',
      ],
      [{ behaviourProperty: 'resolved' }, 'query.behaviourValue', 'with_behaviour_property'],
      [{ colour: 'red' }, 'query.colour', 'unknown_key'],
    ];
    for (const [query, path, rule] of cases) {
      const res = await marketer.get('/v1/cohorts').query(query);
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(res.body.errors, JSON.stringify(res.body.errors)).toContainEqual({ path, rule });
    }
    const tooLong = await marketer.get('/v1/cohorts').query({ from: '2000-01', to: '2025-01' });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.errors).toContainEqual({ path: 'query.from', rule: 'max_120_months' });
  });
});

describe('channel spend and LTV:CAC', () => {
  it('adds the predicted CLV of the latest customer-value fit per acquired customer', async () => {
    const fitId = randomUUID();
    const fittedAt = new Date('2025-05-01T00:00:00Z');
    await t.prisma.clvFit.create({
      data: {
        id: fitId,
        workspaceId: t.workspaceId,
        trigger: 'manual',
        params: {},
        logLikelihood: -1,
        converged: true,
        calibrationEnd: fittedAt,
        thresholds: {},
        horizonMonths: 12,
        annualDiscountRate: 0.1,
        customers: 2,
        fittedAt,
        durationMs: 1,
      },
    });
    const value = (customerId: string, predictedClv: number) => ({
      workspaceId: t.workspaceId,
      customerId,
      fitId,
      frequency: 1,
      recency: 1,
      age: 1,
      monetary: 1,
      predictedPurchases: 1,
      probabilityAlive: 1,
      expectedSpend: 1,
      predictedClv,
      segment: 'passive' as const,
      fittedAt,
    });
    await t.prisma.customerValue.createMany({
      data: [value(CUSTOMERS.A1!.id, 200), value(CUSTOMERS.B1!.id, 80), value(CUSTOMERS.Z1!.id, 1000)],
    });
    await t.prisma.channelSpend.createMany({
      data: [
        { workspaceId: t.workspaceId, channel: 'search', month: new Date('2025-01-01'), amount: 900 },
        { workspaceId: t.workspaceId, channel: 'social', month: new Date('2025-02-01'), amount: 40 },
      ],
    });
    try {
      const res = await executive
        .get('/v1/ltv-cac')
        .query({ from: '2025-01', to: '2025-03', grossMargin: 0.5 });
      expect(res.status).toBe(200);
      const body = res.body as LtvCac;
      expect(body.clvFit).toEqual({ fittedAt: fittedAt.toISOString(), horizonMonths: 12 });
      const by = new Map(body.channels.map((c) => [c.channel, c]));
      // search: A1's 200 over 9 customers (Z1 was acquired before the period); CAC 100.
      expect(by.get('search')!.predictedClv).toBeCloseTo(200 / 9, 12);
      expect(by.get('search')!.predictedClvToCac).toBeCloseTo((0.5 * 200) / 9 / 100, 12);
      // social: B1's 80 over 2 customers = 40; CAC 20 → 0.5 × 40 / 20 = 1.
      expect(by.get('social')!.predictedClv).toBe(40);
      expect(by.get('social')!.predictedClvToCac).toBe(1);
    } finally {
      await t.prisma.customerValue.deleteMany({ where: { fitId } });
      await t.prisma.clvFit.delete({ where: { id: fitId } });
      await t.prisma.channelSpend.deleteMany({ where: { workspaceId: t.workspaceId } });
    }
  });

  it('records, edits and deletes spend; a second entry for the same month conflicts', async () => {
    const created = await marketer
      .post('/v1/channel-spend')
      .send({ channel: 'search', month: '2025-01', amount: 300 });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const row = created.body as ChannelSpend;
    expect(row).toMatchObject({ channel: 'search', month: '2025-01', amount: 300, note: '' });

    const again = await marketer
      .post('/v1/channel-spend')
      .send({ channel: 'search', month: '2025-01', amount: 1 });
    expect(again.status).toBe(409);

    const edited = await marketer.patch(`/v1/channel-spend/${row.id}`).send({ amount: 250, note: 'agency' });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ amount: 250, note: 'agency' });

    const tmp = await marketer.post('/v1/channel-spend').send({ channel: 'tv', month: '2025-02', amount: 5 });
    expect((await marketer.delete(`/v1/channel-spend/${tmp.body.id}`)).status).toBe(204);
    expect((await marketer.delete(`/v1/channel-spend/${tmp.body.id}`)).status).toBe(404);

    const bad = await marketer.post('/v1/channel-spend').send({ channel: '', month: '2025-1', amount: -3 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual(
      expect.arrayContaining([
        { path: 'channel', rule: 'required' },
        { path: 'month', rule: 'format_month' },
        { path: 'amount', rule: 'min_0' },
      ]),
    );
    expect(
      (await executive.post('/v1/channel-spend').send({ channel: 'x', month: '2025-01', amount: 1 })).status,
    ).toBe(403);
  });

  it('imports CSV all or nothing, naming bad cells', async () => {
    const bad = await marketer
      .post('/v1/channel-spend/import')
      .set('Content-Type', 'text/csv')
      .send('channel,month,amount\nsearch,2025-03,600\nsocial,2025-02,abc\n,2025-02,5\n');
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([
      { path: 'rows.3.amount', rule: 'type_number' },
      { path: 'rows.4.channel', rule: 'required' },
    ]);
    const header = await marketer
      .post('/v1/channel-spend/import')
      .set('Content-Type', 'text/csv')
      .send('channel,monthh,amount\nsearch,2025-03,600\n');
    expect(header.status).toBe(400);
    expect(header.body.errors).toEqual(
      expect.arrayContaining([
        { path: '(file).monthh', rule: 'unknown_column' },
        { path: '(file).month', rule: 'required_column' },
      ]),
    );
    const json = await marketer.post('/v1/channel-spend/import').send({ csv: 'x' });
    expect(json.status).toBe(400);
    expect(json.body.errors).toEqual([{ path: '(body)', rule: 'content_type_csv' }]);

    const ok = await marketer
      .post('/v1/channel-spend/import')
      .set('Content-Type', 'text/csv')
      .send(
        'channel,month,amount,note\nsearch,2025-01,300,\nsearch,2025-03-01,600,launch\nsocial,2025-02,40,\n' +
          'display,2025-02,50,\nsearch,2024-12,1000,before the period\n',
      );
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toEqual({ created: 4, updated: 1 });
    const list = await executive.get('/v1/channel-spend').query({ from: '2025-01', to: '2025-03' });
    expect(list.status).toBe(200);
    expect((list.body.items as ChannelSpend[]).map((s) => [s.channel, s.month, s.amount])).toEqual([
      ['search', '2025-01', 300],
      ['display', '2025-02', 50],
      ['social', '2025-02', 40],
      ['search', '2025-03', 600],
    ]);
  });

  it('computes CAC, LTV, LTV:CAC and payback by hand', async () => {
    const res = await executive
      .get('/v1/ltv-cac')
      .query({ from: '2025-01', to: '2025-03', horizonMonths: 3, grossMargin: 0.5 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const body = res.body as LtvCac;
    const by = new Map(body.channels.map((c) => [c.channel, c]));
    expect([...by.keys()]).toEqual(['display', 'search', 'social']);

    // search: 900 over 9 customers; margin per customer 0.5 × 130/9, 0.5 × 130/9, then January only 0.5 × 37.5.
    const search = by.get('search')!;
    expect(search.customers).toBe(9);
    expect(search.spend).toBe(900);
    expect(search.cac).toBe(100);
    expect(search.curve.map((p) => [p.month, p.customers, round(p.cumulativeMargin)])).toEqual([
      [0, 9, round(65 / 9)],
      [1, 9, round(65 / 9)],
      [2, 4, 18.75],
    ]);
    expect(search.ltv).toBe(18.75);
    expect(search.ltvMonths).toBe(3);
    expect(search.ltvToCac).toBe(0.1875);
    expect(search.paybackMonths).toBeNull();

    // social: CAC 40 / 2 = 20; margin per customer 10, 25, 25 → pays back in month 2.
    const social = by.get('social')!;
    expect(social.cac).toBe(20);
    expect(social.curve.map((p) => p.cumulativeMargin)).toEqual([10, 25, 25]);
    expect(social.ltv).toBe(25);
    expect(social.ltvToCac).toBe(1.25);
    expect(social.paybackMonths).toBe(2);

    expect(by.get('display')).toMatchObject({
      customers: 0,
      spend: 50,
      cac: null,
      ltv: 0,
      ltvToCac: null,
      paybackMonths: null,
      curve: [],
    });

    // Without a customer-value fit there is no prediction.
    expect(body.clvFit).toBeNull();
    expect(search.predictedClv).toBeNull();
    expect(search.predictedClvToCac).toBeNull();

    const bad = await executive.get('/v1/ltv-cac').query({ grossMargin: 2 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toContainEqual({ path: 'query.grossMargin', rule: 'max_1' });
  });
});
