import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateExperiment, globalHoldoutGroup, type SdkPayload } from '@liftlab/sdk';
import { SdkPayloadSchema, type AssignmentResult } from '@liftlab/contracts';
import { createDatabaseAdapter } from '../database/adapters';
import { PrismaService } from '../database/prisma.service';
import { createTestApp, type Agent, type TestApp } from '../../test/app';

let t: TestApp;
let second: TestApp;
let secondPrisma: PrismaService | undefined;
let marketer: Agent;
let admin: Agent;
let ingest: Agent;

const SEGMENTS = ['vip', 'regular', 'lapsed'];

async function seedCustomers(prefix: string, n: number) {
  await t.prisma.customer.createMany({
    data: Array.from({ length: n }, (_, i) => ({
      workspaceId: t.workspaceId,
      externalId: `${prefix}-${i}`,
      segment: SEGMENTS[i % 3]!,
      plan: i % 2 === 0 ? 'pro' : 'free',
      traits: { ltv: i },
    })),
  });
  return Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
}

async function running(key: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await marketer.post('/v1/experiments').send({
    key,
    name: key,
    variants: [
      { key: 'control', name: 'Control', weight: 0.5 },
      { key: 'treatment', name: 'Treatment', weight: 0.5 },
    ],
    ...extra,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  await marketer.post(`/v1/experiments/${res.body.id}/start`).send({}).expect(200);
  return res.body.id as string;
}

async function assign(
  agent: Agent,
  customers: string[],
  experiments?: string[],
): Promise<AssignmentResult[]> {
  const res = await agent.post('/v1/assign').send({ customers, ...(experiments ? { experiments } : {}) });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.assignments as AssignmentResult[];
}

const byCustomer = (rows: AssignmentResult[]) => new Map(rows.map((r) => [r.customer, r]));

beforeAll(async () => {
  t = await createTestApp();
  // A second, independent app instance on the same database (its own connection when on PostgreSQL).
  second = await createTestApp({
    configure: (builder) => {
      const shared = t.database.url
        ? (secondPrisma = new PrismaService(createDatabaseAdapter({ DATABASE_URL: t.database.url }), {
            migrateOnStart: false,
          }))
        : t.prisma;
      return builder.overrideProvider(PrismaService).useValue(shared);
    },
  });
  marketer = await t.loginAs('marketer');
  admin = await t.login(t.admin.email, t.admin.password);
  ingest = await t.keyAgent('ingest');
}, 180_000);

afterAll(async () => {
  // The second app shares the first one's database: close it first, the first one last.
  await second?.close();
  await secondPrisma?.close();
  await t?.close();
});

describe('POST /v1/assign', () => {
  it('validates the body and names the field', async () => {
    const res = await ingest.post('/v1/assign').send({ customers: [] });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'customers', rule: 'min_1' }]);
  });

  it('assigns by the shared hashing and keeps the first assignment (sticky)', async () => {
    const ids = await seedCustomers('st', 200);
    await running('sticky-test');
    const first = await assign(ingest, ids, ['sticky-test']);
    expect(first.every((r) => r.inExperiment && r.reason === 'assigned')).toBe(true);
    const stored = await t.prisma.assignment.count({ where: { experiment: { key: 'sticky-test' } } });
    expect(stored).toBe(200);
    // Same decision as the SDK evaluating the experiment locally.
    const payload = (await ingest.get('/v1/sdk/payload')).body as SdkPayload;
    const exp = payload.experiments.find((e) => e.key === 'sticky-test')!;
    for (const r of first) expect(r.variant).toBe(evaluateExperiment(exp, { id: r.customer }).variant);

    const again = await assign(ingest, ids, ['sticky-test']);
    expect(again.map((r) => [r.customer, r.variant])).toEqual(first.map((r) => [r.customer, r.variant]));
    expect(again.every((r) => r.reason === 'sticky')).toBe(true);
  });

  it('never moves an assigned customer when coverage ramps from 10% to 50% or weights change', async () => {
    const ids = await seedCustomers('ramp', 1000);
    const id = await running('ramp-test', { coverage: 0.1 });
    const at10 = byCustomer(await assign(ingest, ids, ['ramp-test']));
    const in10 = [...at10.values()].filter((r) => r.inExperiment);
    expect(in10.length).toBeGreaterThan(60);
    expect(in10.length).toBeLessThan(140);
    expect([...at10.values()].filter((r) => !r.inExperiment).every((r) => r.reason === 'not_covered')).toBe(
      true,
    );

    await marketer.post(`/v1/experiments/${id}/ramp`).send({ coverage: 0.5 }).expect(200);
    const at50 = byCustomer(await assign(ingest, ids, ['ramp-test']));
    for (const r of in10)
      expect(at50.get(r.customer)).toMatchObject({ variant: r.variant, reason: 'sticky' });
    const in50 = [...at50.values()].filter((r) => r.inExperiment);
    expect(in50.length).toBeGreaterThan(420);
    expect(in50.length).toBeLessThan(580);

    // A weights ramp changes where new customers land, not where assigned ones are.
    await marketer
      .post(`/v1/experiments/${id}/ramp`)
      .send({ coverage: 1, weights: { control: 0.1, treatment: 0.9 } })
      .expect(200);
    const at100 = byCustomer(await assign(ingest, ids, ['ramp-test']));
    for (const r of in50) expect(at100.get(r.customer)!.variant).toBe(r.variant);
    expect([...at100.values()].every((r) => r.inExperiment)).toBe(true);
    const assignedRows = await t.prisma.assignment.count({ where: { experimentId: id } });
    expect(assignedRows).toBe(1000);
  });

  it('is sticky across two app instances on one database', async () => {
    const ids = await seedCustomers('multi', 300);
    const id = await running('multi-instance');
    const fromFirst = await assign(ingest, ids.slice(0, 150), ['multi-instance']);
    // Make hashing disagree with the stored decisions: only stickiness can keep the answers equal.
    await marketer
      .post(`/v1/experiments/${id}/ramp`)
      .send({ weights: { control: 0.05, treatment: 0.95 } })
      .expect(200);
    const secondIngest = second.withKey(await t.createApiKey('ingest', 'second instance key'));
    const fromSecond = byCustomer(await assign(secondIngest, ids, ['multi-instance']));
    for (const r of fromFirst)
      expect(fromSecond.get(r.customer)).toMatchObject({ variant: r.variant, reason: 'sticky' });
    const newOnes = ids.slice(150).map((c) => fromSecond.get(c)!);
    expect(newOnes.every((r) => r.reason === 'assigned')).toBe(true);
    const back = byCustomer(await assign(ingest, ids, ['multi-instance']));
    for (const r of newOnes) expect(back.get(r.customer)!.variant).toBe(r.variant);
  });

  it('applies targeting and holdout experiments, and explains every exclusion', async () => {
    const ids = await seedCustomers('tg', 60);
    await running('vip-only', { targeting: [{ type: 'segment', segments: ['vip'] }] });
    const rows = await assign(ingest, ids, ['vip-only']);
    for (const r of rows) {
      const vip = Number(r.customer.split('-')[1]) % 3 === 0;
      expect(r.inExperiment).toBe(vip);
      if (!vip) expect(r.reason).toBe('not_targeted');
    }

    await running('program-holdout', {
      kind: 'holdout',
      variants: [
        { key: 'holdout', name: 'Holdout', weight: 0.1 },
        { key: 'treated', name: 'Treated', weight: 0.9 },
      ],
    });
    const holdout = await assign(ingest, ids, ['program-holdout']);
    expect(new Set(holdout.map((r) => r.variant))).toEqual(new Set(['holdout', 'treated']));

    const draft = await marketer.post('/v1/experiments').send({
      key: 'still-draft',
      name: 'Draft',
      variants: [
        { key: 'a', name: 'A', weight: 0.5 },
        { key: 'b', name: 'B', weight: 0.5 },
      ],
    });
    expect(draft.status).toBe(201);
    const odd = await assign(ingest, ['tg-0', 'nobody'], ['still-draft', 'no-such-experiment']);
    expect(odd.map((r) => [r.customer, r.experiment, r.reason])).toEqual([
      ['tg-0', 'still-draft', 'not_running'],
      ['tg-0', 'no-such-experiment', 'unknown_experiment'],
      ['nobody', 'still-draft', 'unknown_customer'],
      ['nobody', 'no-such-experiment', 'unknown_customer'],
    ]);
  });

  it('keeps global holdout members out of every experiment, decided once', async () => {
    await admin.put('/v1/global-holdout').send({ percent: 20 }).expect(200);
    const settings = await t.prisma.workspace.findUniqueOrThrow({ where: { id: t.workspaceId } });
    const ids = await seedCustomers('gh', 400);
    await running('gh-one');
    await running('gh-two', { coverage: 1 });
    const rows = await assign(ingest, ids, ['gh-one', 'gh-two']);
    const members = ids.filter(
      (id) => globalHoldoutGroup(id, { seed: settings.globalHoldoutSeed, percent: 20 }) === 'holdout',
    );
    expect(members.length).toBeGreaterThan(50);
    expect(members.length).toBeLessThan(110);
    for (const r of rows) {
      if (members.includes(r.customer))
        expect(r).toMatchObject({ inExperiment: false, variant: null, reason: 'global_holdout' });
      else expect(r.inExperiment).toBe(true);
    }
    const storedForMembers = await t.prisma.assignment.count({
      where: { customer: { externalId: { in: members } }, experiment: { key: { in: ['gh-one', 'gh-two'] } } },
    });
    expect(storedForMembers).toBe(0);
    const summary = await marketer.get('/v1/global-holdout');
    expect(summary.body.members).toBe(members.length);

    // Lowering the percent does not release anyone already decided.
    await admin.put('/v1/global-holdout').send({ percent: 0 }).expect(200);
    const later = await assign(ingest, members, ['gh-one']);
    expect(later.every((r) => r.reason === 'global_holdout')).toBe(true);
  });

  it('refuses a read-scope key', async () => {
    const read = await t.keyAgent('read');
    expect((await read.post('/v1/assign').send({ customers: ['st-0'] })).status).toBe(403);
  });
});

describe('GET /v1/sdk/payload', () => {
  it('serves running experiments with an ETag and answers 304 while nothing changed', async () => {
    const first = await ingest.get('/v1/sdk/payload');
    expect(first.status).toBe(200);
    expect(SdkPayloadSchema.safeParse(first.body).success).toBe(true);
    const etag = first.headers['etag'] as string;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(first.body.experiments.every((e: { key: string }) => e.key !== 'still-draft')).toBe(true);

    t.clock.advanceMinutes(5);
    const same = await ingest.get('/v1/sdk/payload').set('If-None-Match', etag);
    expect(same.status).toBe(304);
    expect(same.text ?? '').toBe('');

    const exp = await t.prisma.experiment.findFirstOrThrow({ where: { key: 'gh-two' } });
    await marketer.post(`/v1/experiments/${exp.id}/ramp`).send({ coverage: 0.8 }).expect(200);
    const changed = await ingest.get('/v1/sdk/payload').set('If-None-Match', etag);
    expect(changed.status).toBe(200);
    expect(changed.headers['etag']).not.toBe(etag);
    expect(changed.body.experiments.find((e: { key: string }) => e.key === 'gh-two').coverage).toBe(0.8);
  });

  it('embeds the stored decisions of the customers asked for', async () => {
    const rows = byCustomer(await assign(ingest, ['st-1', 'gh-0'], ['sticky-test']));
    const res = await ingest.get('/v1/sdk/payload?customers=st-1,gh-0,unknown');
    expect(res.status).toBe(200);
    expect(res.body.sticky['st-1']).toMatchObject({
      assignments: { 'sticky-test': rows.get('st-1')!.variant },
    });
    expect(Object.keys(res.body.sticky).sort()).toEqual(['gh-0', 'st-1']);
    expect(typeof res.body.sticky['gh-0'].globalHoldout).toBe('boolean');
    const tooMany = await ingest.get(
      `/v1/sdk/payload?customers=${Array.from({ length: 101 }, (_, i) => `c${i}`).join(',')}`,
    );
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors).toEqual([{ path: 'query.customers', rule: 'max_100' }]);
  });

  it('is not served to read-scope keys or anonymous callers', async () => {
    expect((await (await t.keyAgent('read')).get('/v1/sdk/payload')).status).toBe(403);
    expect((await t.anonymous().get('/v1/sdk/payload')).status).toBe(401);
  });
});
