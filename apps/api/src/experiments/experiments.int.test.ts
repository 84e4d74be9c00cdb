import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Agent, type TestApp } from '../../test/app';

let t: TestApp;
let marketer: Agent;
let marketerId: string;
let admin: Agent;

const abBody = (key: string, extra: Record<string, unknown> = {}) => ({
  key,
  name: `Experiment ${key}`,
  hypothesis: 'A win-back email brings lapsed customers back',
  variants: [
    { key: 'control', name: 'Control', weight: 0.5 },
    { key: 'email', name: 'Email', weight: 0.5 },
  ],
  ...extra,
});

async function createExperiment(key: string, extra: Record<string, unknown> = {}) {
  const res = await marketer.post('/v1/experiments').send(abBody(key, extra));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as {
    id: string;
    status: string;
    variants: { key: string; isControl: boolean; weight: number }[];
  };
}

beforeAll(async () => {
  t = await createTestApp();
  const m = await t.createUser('marketer');
  marketerId = m.user.id;
  marketer = await t.login(m.email, m.password);
  admin = await t.login(t.admin.email, t.admin.password);
  const metric = await marketer
    .post('/v1/metrics')
    .send({ key: 'winback-orders', name: 'Win-back orders', kind: 'proportion', eventName: 'order_placed' });
  expect(metric.status, JSON.stringify(metric.body)).toBe(201);
  const ns = await marketer.post('/v1/namespaces').send({ key: 'pricing', name: 'Pricing tests' });
  expect(ns.status, JSON.stringify(ns.body)).toBe(201);
});

afterAll(() => t?.close());

describe('experiments CRUD', () => {
  it('creates a draft with defaults, the control arm and its metrics', async () => {
    const res = await marketer
      .post('/v1/experiments')
      .send(abBody('winback-email', { metrics: [{ metricKey: 'winback-orders', role: 'primary' }] }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      key: 'winback-email',
      kind: 'ab',
      status: 'draft',
      seed: 'winback-email',
      hashVersion: 2,
      coverage: 1,
      engine: 'frequentist',
      namespace: null,
      startedAt: null,
      frozenAt: null,
      metrics: [{ metricKey: 'winback-orders', role: 'primary' }],
    });
    expect(res.body.variants.map((v: { key: string; isControl: boolean }) => [v.key, v.isControl])).toEqual([
      ['control', true],
      ['email', false],
    ]);

    const got = await marketer.get(`/v1/experiments/${res.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);

    const list = await marketer.get('/v1/experiments?status=draft&limit=10');
    expect(list.status).toBe(200);
    expect(list.body.items.map((e: { key: string }) => e.key)).toContain('winback-email');
  });

  it('creates a holdout experiment with the holdout arm as control, first in bucket order', async () => {
    const res = await marketer.post('/v1/experiments').send({
      key: 'retention-program',
      name: 'Retention program',
      kind: 'holdout',
      variants: [
        { key: 'treated', name: 'Treated', weight: 0.9 },
        { key: 'holdout', name: 'Holdout', weight: 0.1 },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(
      res.body.variants.map((v: { key: string; isControl: boolean; position: number }) => [
        v.key,
        v.isControl,
        v.position,
      ]),
    ).toEqual([
      ['holdout', true, 0],
      ['treated', false, 1],
    ]);
  });

  it('answers 400 naming the field and the rule', async () => {
    const sum = await marketer.post('/v1/experiments').send(
      abBody('bad-weights', {
        variants: [
          { key: 'control', name: 'Control', weight: 0.5 },
          { key: 'email', name: 'Email', weight: 0.6 },
        ],
      }),
    );
    expect(sum.status).toBe(400);
    expect(sum.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(sum.body.errors).toEqual([{ path: 'variants', rule: 'weights_sum_to_1' }]);

    const missing = await marketer.post('/v1/experiments').send({ key: 'no-name', variants: [] });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([{ path: 'name', rule: 'required' }]);

    const coverage = await marketer.post('/v1/experiments').send(abBody('bad-coverage', { coverage: 1.5 }));
    expect(coverage.body.errors).toEqual([{ path: 'coverage', rule: 'max_1' }]);

    const metric = await marketer
      .post('/v1/experiments')
      .send(abBody('bad-metric', { metrics: [{ metricKey: 'nope', role: 'primary' }] }));
    expect(metric.status).toBe(400);
    expect(metric.body.errors).toEqual([{ path: 'metrics.0.metricKey', rule: 'unknown_metric' }]);

    const holdout = await marketer.post('/v1/experiments').send(abBody('bad-holdout', { kind: 'holdout' }));
    expect(holdout.body.errors).toEqual([{ path: 'variants', rule: 'holdout_arms' }]);

    const id = await marketer.get('/v1/experiments/not-a-uuid');
    expect(id.status).toBe(400);
    expect(id.body.errors).toEqual([{ path: 'id', rule: 'format_uuid' }]);
  });

  it('refuses a duplicate key with 409 and an unknown id with 404', async () => {
    await createExperiment('dup-key');
    const dup = await marketer.post('/v1/experiments').send(abBody('dup-key'));
    expect(dup.status).toBe(409);
    expect(dup.body.errors).toEqual([{ path: 'key', rule: 'unique' }]);
    const missing = await marketer.get('/v1/experiments/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b');
    expect(missing.status).toBe(404);
  });

  it('edits anything on a draft', async () => {
    const exp = await createExperiment('editable');
    const res = await marketer.patch(`/v1/experiments/${exp.id}`).send({
      name: 'Renamed',
      coverage: 0.4,
      variants: [
        { key: 'control', name: 'Control', weight: 0.2 },
        { key: 'a', name: 'A', weight: 0.4 },
        { key: 'b', name: 'B', weight: 0.4, isControl: false },
      ],
      targeting: [{ type: 'segment', segments: ['vip'] }],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      name: 'Renamed',
      coverage: 0.4,
      targeting: [{ type: 'segment', operator: 'in', segments: ['vip'] }],
    });
    expect(res.body.variants.map((v: { key: string }) => v.key)).toEqual(['control', 'a', 'b']);
  });

  it('lets executives read but not write, and refuses API keys without the read scope', async () => {
    const exec = await t.loginAs('executive');
    expect((await exec.get('/v1/experiments')).status).toBe(200);
    expect((await exec.post('/v1/experiments').send(abBody('exec-made'))).status).toBe(403);
    const ingest = await t.keyAgent('ingest');
    expect((await ingest.get('/v1/experiments')).status).toBe(403);
    const read = await t.keyAgent('read');
    expect((await read.get('/v1/experiments')).status).toBe(200);
  });
});

describe('experiment lifecycle', () => {
  it('goes draft → running → stopped → concluded and refuses every other transition', async () => {
    const exp = await createExperiment('lifecycle');
    const url = `/v1/experiments/${exp.id}`;

    const early = await marketer.post(`${url}/stop`).send({});
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ status: 409, from: 'draft', to: 'stopped' });
    expect((await marketer.post(`${url}/conclude`).send({ decision: 'inconclusive' })).status).toBe(409);

    // Small clock steps: the marketer's session must stay valid.
    const startAt = t.clock.advanceMinutes(10).toISOString();
    const started = await marketer.post(`${url}/start`).send({});
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({
      status: 'running',
      startedAt: startAt,
      frozenAt: startAt,
    });
    expect((await marketer.post(`${url}/start`).send({})).status).toBe(409);
    expect((await marketer.post(`${url}/conclude`).send({ decision: 'inconclusive' })).status).toBe(409);

    const stopAt = t.clock.advanceMinutes(30).toISOString();
    const stopped = await marketer.post(`${url}/stop`).send({ reason: 'enough data' });
    expect(stopped.body).toMatchObject({ status: 'stopped', stoppedAt: stopAt });
    expect((await marketer.post(`${url}/start`).send({})).status).toBe(409);

    const winner = await marketer
      .post(`${url}/conclude`)
      .send({ decision: 'ship', winnerVariantKey: 'nope' });
    expect(winner.status).toBe(400);
    expect(winner.body.errors).toEqual([{ path: 'winnerVariantKey', rule: 'unknown_variant' }]);
    const concluded = await marketer
      .post(`${url}/conclude`)
      .send({ decision: 'ship', winnerVariantKey: 'email' });
    expect(concluded.body).toMatchObject({ status: 'concluded', concludedAt: stopAt });
    expect((await marketer.post(`${url}/stop`).send({})).status).toBe(409);
    expect((await marketer.patch(url).send({ name: 'late' })).status).toBe(409);
  });

  it('freezes variants and metrics once started, but keeps name and targeting editable', async () => {
    const exp = await createExperiment('frozen');
    const url = `/v1/experiments/${exp.id}`;
    await marketer.post(`${url}/start`).send({}).expect(200);
    const variants = await marketer.patch(url).send({
      variants: [
        { key: 'control', name: 'Control', weight: 0.1 },
        { key: 'email', name: 'Email', weight: 0.9 },
      ],
      metrics: [{ metricKey: 'winback-orders', role: 'secondary' }],
      coverage: 0.5,
    });
    expect(variants.status).toBe(409);
    expect(variants.body.errors).toHaveLength(3);
    expect(variants.body.errors).toEqual(
      expect.arrayContaining([
        { path: 'variants', rule: 'frozen_after_start' },
        { path: 'metrics', rule: 'frozen_after_start' },
        { path: 'coverage', rule: 'use_ramp' },
      ]),
    );
    const unchanged = await marketer.get(url);
    expect(unchanged.body.variants.map((v: { weight: number }) => v.weight)).toEqual([0.5, 0.5]);
    expect(unchanged.body.metrics).toEqual([]);
    const renamed = await marketer.patch(url).send({ name: 'Still editable' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('Still editable');
  });

  it('ramps only running experiments, with weights for exactly its variants', async () => {
    const exp = await createExperiment('rampable', { coverage: 0.1 });
    const url = `/v1/experiments/${exp.id}`;
    expect((await marketer.post(`${url}/ramp`).send({ coverage: 0.5 })).status).toBe(409);
    await marketer.post(`${url}/start`).send({}).expect(200);
    const ramped = await marketer
      .post(`${url}/ramp`)
      .send({ coverage: 0.5, weights: { control: 0.3, email: 0.7 } });
    expect(ramped.status, JSON.stringify(ramped.body)).toBe(200);
    expect(ramped.body.coverage).toBe(0.5);
    expect(ramped.body.variants.map((v: { weight: number }) => v.weight)).toEqual([0.3, 0.7]);
    const bad = await marketer.post(`${url}/ramp`).send({ weights: { control: 0.5, other: 0.5 } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([
      { path: 'weights.other', rule: 'unknown_variant' },
      { path: 'weights.email', rule: 'required' },
    ]);
    const empty = await marketer.post(`${url}/ramp`).send({});
    expect(empty.body.errors).toEqual([{ path: '(body)', rule: 'coverage_or_weights' }]);
  });

  it('records who did what and when in the audit log', async () => {
    const exp = await createExperiment('audited');
    const url = `/v1/experiments/${exp.id}`;
    const at = t.clock.advanceMinutes(5).toISOString();
    await marketer.patch(url).send({ name: 'Audited experiment' }).expect(200);
    await marketer.post(`${url}/start`).send({}).expect(200);
    await marketer.post(`${url}/ramp`).send({ coverage: 0.5 }).expect(200);
    await marketer.post(`${url}/stop`).send({ reason: 'done' }).expect(200);
    await marketer.post(`${url}/conclude`).send({ decision: 'inconclusive' }).expect(200);
    const log = await admin.get(`/v1/audit-log?entityType=experiment&entityId=${exp.id}`);
    expect(log.status).toBe(200);
    const entries = log.body.items as {
      action: string;
      actorType: string;
      actorId: string;
      at: string;
      before: unknown;
      after: unknown;
    }[];
    expect(entries.map((e) => e.action).reverse()).toEqual([
      'experiment.create',
      'experiment.update',
      'experiment.start',
      'experiment.ramp',
      'experiment.stop',
      'experiment.conclude',
    ]);
    for (const e of entries) {
      expect(e.actorType).toBe('user');
      expect(e.actorId).toBe(marketerId);
    }
    const ramp = entries.find((e) => e.action === 'experiment.ramp')!;
    expect(ramp.at).toBe(at);
    expect(ramp.before).toMatchObject({ coverage: 1 });
    expect(ramp.after).toMatchObject({ coverage: 0.5 });
    expect(entries.find((e) => e.action === 'experiment.stop')!.after).toMatchObject({
      status: 'stopped',
      reason: 'done',
    });
  });
});

describe('namespaces', () => {
  it('gives experiments disjoint ranges and refuses an overlapping one', async () => {
    const left = await createExperiment('ns-left', { namespace: { key: 'pricing', start: 0, end: 0.5 } });
    await createExperiment('ns-right', { namespace: { key: 'pricing', start: 0.5, end: 1 } });
    const overlap = await marketer
      .post('/v1/experiments')
      .send(abBody('ns-middle', { namespace: { key: 'pricing', start: 0.4, end: 0.6 } }));
    expect(overlap.status).toBe(409);
    expect(overlap.body.errors).toEqual([{ path: 'namespace', rule: 'overlaps' }]);
    expect(overlap.body.detail).toMatch(/ns-left/);

    const unknown = await marketer
      .post('/v1/experiments')
      .send(abBody('ns-unknown', { namespace: { key: 'nope', start: 0, end: 0.1 } }));
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ path: 'namespace.key', rule: 'unknown_namespace' }]);

    // Moving an experiment within its own slice is fine; into a neighbour's is not.
    const own = await marketer
      .patch(`/v1/experiments/${left.id}`)
      .send({ namespace: { key: 'pricing', start: 0, end: 0.4 } });
    expect(own.status, JSON.stringify(own.body)).toBe(200);
    const into = await marketer
      .patch(`/v1/experiments/${left.id}`)
      .send({ namespace: { key: 'pricing', start: 0.3, end: 0.6 } });
    expect(into.status).toBe(409);

    const list = await marketer.get('/v1/namespaces');
    const pricing = list.body.items.find((n: { key: string }) => n.key === 'pricing');
    expect(
      pricing.ranges.map((r: { experimentKey: string; start: number; end: number }) => [
        r.experimentKey,
        r.start,
        r.end,
      ]),
    ).toEqual([
      ['ns-left', 0, 0.4],
      ['ns-right', 0.5, 1],
    ]);
  });

  it('frees a slice when its experiment is concluded', async () => {
    const ns = await marketer.post('/v1/namespaces').send({ key: 'onboarding', name: 'Onboarding' });
    expect(ns.status).toBe(201);
    const first = await createExperiment('onb-first', { namespace: { key: 'onboarding', start: 0, end: 1 } });
    expect(
      (
        await marketer
          .post('/v1/experiments')
          .send(abBody('onb-second', { namespace: { key: 'onboarding', start: 0, end: 1 } }))
      ).status,
    ).toBe(409);
    for (const step of ['start', 'stop'])
      await marketer.post(`/v1/experiments/${first.id}/${step}`).send({}).expect(200);
    await marketer.post(`/v1/experiments/${first.id}/conclude`).send({ decision: 'rollback' }).expect(200);
    await createExperiment('onb-second', { namespace: { key: 'onboarding', start: 0, end: 1 } });
  });

  it('refuses a duplicate namespace key', async () => {
    const dup = await marketer.post('/v1/namespaces').send({ key: 'pricing', name: 'Again' });
    expect(dup.status).toBe(409);
    expect(dup.body.errors).toEqual([{ path: 'key', rule: 'unique' }]);
  });
});

describe('metrics', () => {
  it('creates, lists and validates metric definitions', async () => {
    const created = await marketer.post('/v1/metrics').send({
      key: 'revenue-per-order',
      name: 'Revenue per order',
      kind: 'ratio',
      eventName: 'order_placed',
      valueProperty: 'amount',
      denominatorEventName: 'order_placed',
      capping: 'percentile',
      capValue: 0.99,
      revenueStream: 'upsell',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      kind: 'ratio',
      windowDays: 14,
      higherIsBetter: true,
      capValue: 0.99,
    });
    const bad = await marketer
      .post('/v1/metrics')
      .send({ key: 'r', name: 'R', kind: 'ratio', eventName: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ path: 'denominatorEventName', rule: 'required_for_ratio' }]);
    const dup = await marketer
      .post('/v1/metrics')
      .send({ key: 'revenue-per-order', name: 'x', kind: 'proportion', eventName: 'x' });
    expect(dup.status).toBe(409);
    const list = await marketer.get('/v1/metrics');
    expect(list.body.items.map((m: { key: string }) => m.key)).toEqual([
      'revenue-per-order',
      'winback-orders',
    ]);
    expect((await marketer.get(`/v1/metrics/${created.body.id}`)).body.key).toBe('revenue-per-order');
  });
});

describe('global holdout settings', () => {
  it('is read by marketers and set by admins only, with an audit entry', async () => {
    const before = await marketer.get('/v1/global-holdout');
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ percent: 0, members: 0, nonMembers: 0 });
    expect(typeof before.body.seed).toBe('string');
    expect((await marketer.put('/v1/global-holdout').send({ percent: 5 })).status).toBe(403);
    const bad = await admin.put('/v1/global-holdout').send({ percent: 80 });
    expect(bad.body.errors).toEqual([{ path: 'percent', rule: 'max_50' }]);
    const set = await admin.put('/v1/global-holdout').send({ percent: 5 });
    expect(set.status).toBe(200);
    expect(set.body.percent).toBe(5);
    const log = await admin.get(`/v1/audit-log?entityType=workspace&entityId=${t.workspaceId}`);
    expect(log.body.items[0]).toMatchObject({
      action: 'global_holdout.update',
      before: { percent: 0 },
      after: { percent: 5 },
    });
  });
});

describe('exposures', () => {
  it('counts exposures per variant from events and checks the sample ratio', async () => {
    const exp = await createExperiment('exposed', {
      variants: [
        { key: 'control', name: 'Control', weight: 0.5 },
        { key: 'email', name: 'Email', weight: 0.5 },
      ],
    });
    await marketer.post(`/v1/experiments/${exp.id}/start`).send({}).expect(200);
    const full = await t.prisma.experiment.findUniqueOrThrow({
      where: { id: exp.id },
      include: { variants: true },
    });
    const control = full.variants.find((v) => v.key === 'control')!;
    const email = full.variants.find((v) => v.key === 'email')!;
    // 300 customers on control, 100 on email: a 3:1 split under 50/50 weights is a clear mismatch.
    await t.prisma.customer.createMany({
      data: Array.from({ length: 400 }, (_, i) => ({ workspaceId: t.workspaceId, externalId: `exp-c-${i}` })),
    });
    const customers = await t.prisma.customer.findMany({ where: { externalId: { startsWith: 'exp-c-' } } });
    const occurredAt = new Date('2025-02-02T00:00:00.000Z');
    await t.prisma.event.createMany({
      data: customers.flatMap((c, i) => {
        const variantId = i < 300 ? control.id : email.id;
        // Every customer is exposed twice: counts of events and of distinct customers differ.
        return [0, 1].map((n) => ({
          workspaceId: t.workspaceId,
          clientEventId: `exp-${c.externalId}-${n}`,
          type: 'exposure' as const,
          name: 'experiment_exposure',
          customerId: c.id,
          experimentId: exp.id,
          variantId,
          occurredAt,
        }));
      }),
    });
    const res = await marketer.get(`/v1/experiments/${exp.id}/exposures`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.totalExposedCustomers).toBe(400);
    expect(res.body.totalExposures).toBe(800);
    expect(
      res.body.variants.map((v: { key: string; exposedCustomers: number; exposures: number }) => [
        v.key,
        v.exposedCustomers,
        v.exposures,
      ]),
    ).toEqual([
      ['control', 300, 600],
      ['email', 100, 200],
    ]);
    // χ² = (300−200)²/200 + (100−200)²/200 = 100, dof 1.
    expect(res.body.srm.chiSquare).toBeCloseTo(100, 9);
    expect(res.body.srm.dof).toBe(1);
    expect(res.body.srm.pValue).toBeLessThan(1e-20);
    expect(res.body.srm.flagged).toBe(true);

    const quiet = await createExperiment('not-exposed');
    const none = await marketer.get(`/v1/experiments/${quiet.id}/exposures`);
    expect(none.body).toMatchObject({ totalExposedCustomers: 0, srm: null });
  });
});
