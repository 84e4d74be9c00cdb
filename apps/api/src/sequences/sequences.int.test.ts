import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AudiencePreview,
  EnrollmentList,
  SequenceCreate,
  SequenceLaunchResult,
  SequenceView,
  TargetingRule,
} from '@liftlab/contracts';
import { matchesTargeting } from '@liftlab/sdk';
import { createTestApp, type Agent, type TestApp } from '../../test/app';
import { customerAttributes } from '../assignment/bucketing';
import { FixedClock } from '../common/clock';
import { decideArm, holdoutVariants } from './audience';
import { SequencesService } from './sequences.service';

/**
 * Audiences and enrollment through the API on a real database with a fixed clock. Each test builds its own
 * population in its own segment, so the audiences of different tests never overlap.
 */

const NOW = new Date('2025-06-01T12:00:00.000Z');
const DAY = 86_400_000;
const daysAgo = (d: number, now = NOW) => new Date(now.getTime() - d * DAY);

let t: TestApp;
let lifecycle: Agent;
let executive: Agent;
let marketer: Agent;
let service: SequencesService;

beforeAll(async () => {
  t = await createTestApp({ clock: new FixedClock(NOW), env: { AUDIENCE_CRON: 'off' } });
  lifecycle = await t.loginAs('lifecycle');
  executive = await t.loginAs('executive');
  marketer = await t.loginAs('marketer');
  service = t.app.get(SequencesService);
}, 300_000);
afterAll(() => t?.close());

interface Person {
  externalId: string;
  segment: string;
  /** Days since the last event (fractional allowed); null = no event at all. */
  lastDaysAgo: number | null;
  /** Total order amount, as one order 1 day before the last event (0 = activity events only). */
  spend?: number;
  traits?: Record<string, unknown>;
  plan?: string;
}

/** Customers and their events, written directly; returns externalId → id. */
async function people(rows: Person[]): Promise<Map<string, string>> {
  const ws = t.workspaceId;
  await t.prisma.customer.createMany({
    data: rows.map((r) => ({
      workspaceId: ws,
      externalId: r.externalId,
      segment: r.segment,
      plan: r.plan ?? null,
      traits: (r.traits ?? {}) as object,
    })),
  });
  const stored = await t.prisma.customer.findMany({
    where: { workspaceId: ws, externalId: { in: rows.map((r) => r.externalId) } },
    select: { id: true, externalId: true },
  });
  const ids = new Map(stored.map((c) => [c.externalId, c.id]));
  const events: object[] = [];
  for (const r of rows) {
    if (r.lastDaysAgo === null) continue;
    const customerId = ids.get(r.externalId)!;
    const last = new Date(NOW.getTime() - r.lastDaysAgo * DAY);
    if (r.spend) {
      events.push({
        workspaceId: ws,
        clientEventId: `${r.externalId}-order`,
        type: 'order',
        name: 'order',
        customerId,
        occurredAt: new Date(last.getTime() - DAY),
        amount: r.spend,
        currency: 'EUR',
      });
    }
    events.push({
      workspaceId: ws,
      clientEventId: `${r.externalId}-last`,
      type: 'activity',
      name: 'login',
      customerId,
      occurredAt: last,
    });
  }
  for (let i = 0; i < events.length; i += 5000) {
    await t.prisma.event.createMany({ data: events.slice(i, i + 5000) as never });
  }
  return ids;
}

const EMAIL = {
  channel: 'email',
  delayDays: 0,
  content: { subject: 'We miss you', text: 'Come back' },
} as const;

function sequenceBody(key: string, segment: string, overrides: Partial<SequenceCreate> = {}): SequenceCreate {
  return {
    key,
    name: `Win-back ${key}`,
    audience: { segments: [segment], excludeContactedWithinDays: 14 },
    holdoutPercent: 10,
    touches: [
      { ...EMAIL, delayDays: 1 },
      { channel: 'in_app', delayDays: 3, content: { title: 'Hello', body: 'again' } },
    ],
    ...overrides,
  };
}

async function create(body: SequenceCreate): Promise<SequenceView> {
  const res = await lifecycle.post('/v1/sequences').send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as SequenceView;
}

async function launch(id: string): Promise<SequenceLaunchResult> {
  const res = await lifecycle.post(`/v1/sequences/${id}/launch`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as SequenceLaunchResult;
}

async function preview(audience: object, extra: object = {}): Promise<AudiencePreview> {
  const res = await lifecycle.post('/v1/sequences/audience-preview').send({ audience, ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as AudiencePreview;
}

async function enrolledExternalIds(sequenceId: string): Promise<string[]> {
  const rows = await t.prisma.$queryRaw<{ external_id: string }[]>`
    SELECT c.external_id FROM enrollments e JOIN customers c ON c.id = e.customer_id
     WHERE e.sequence_id = ${sequenceId}::uuid ORDER BY c.external_id`;
  return rows.map((r) => r.external_id);
}

describe('audience rules', () => {
  it('includes 60 and 120 whole days inactive and excludes 59 and 121', async () => {
    const seg = 'bounds';
    await people([
      { externalId: 'b-59', segment: seg, lastDaysAgo: 59 },
      { externalId: 'b-59.99', segment: seg, lastDaysAgo: 59.99 },
      { externalId: 'b-60', segment: seg, lastDaysAgo: 60 },
      { externalId: 'b-90', segment: seg, lastDaysAgo: 90 },
      { externalId: 'b-120', segment: seg, lastDaysAgo: 120 },
      { externalId: 'b-120.99', segment: seg, lastDaysAgo: 120.99 },
      { externalId: 'b-121', segment: seg, lastDaysAgo: 121 },
      { externalId: 'b-never', segment: seg, lastDaysAgo: null },
    ]);
    const p = await preview({ segments: [seg] });
    expect(p.matched).toBe(4);
    expect(p.eligible).toBe(4);
    expect(p.sample.map((s) => s.externalId).sort()).toEqual(['b-120', 'b-120.99', 'b-60', 'b-90']);
    expect(Object.fromEntries(p.sample.map((s) => [s.externalId, s.daysInactive]))).toEqual({
      'b-60': 60,
      'b-90': 90,
      'b-120': 120,
      'b-120.99': 120,
    });

    const s = await create(sequenceBody('bounds', seg, { holdoutPercent: 0 }));
    const { run } = await launch(s.id);
    expect(run.enrolled).toBe(4);
    expect(await enrolledExternalIds(s.id)).toEqual(['b-120', 'b-120.99', 'b-60', 'b-90']);
  });

  it('honours a custom window and the minimum prior spend (sum of order amounts)', async () => {
    const seg = 'spend';
    await people([
      { externalId: 's-low', segment: seg, lastDaysAgo: 40, spend: 99.99 },
      { externalId: 's-edge', segment: seg, lastDaysAgo: 40, spend: 100 },
      { externalId: 's-high', segment: seg, lastDaysAgo: 45, spend: 500 },
      { externalId: 's-late', segment: seg, lastDaysAgo: 10, spend: 500 },
    ]);
    const p = await preview({
      segments: [seg],
      minDaysInactive: 30,
      maxDaysInactive: 50,
      minPriorSpend: 100,
    });
    expect(p.matched).toBe(2);
    expect(p.sample.map((s) => [s.externalId, s.priorSpend])).toEqual([
      ['s-high', 500],
      ['s-edge', 100],
    ]);
  });

  it('filters on segments and traits with the same semantics as experiment targeting', async () => {
    const seg = 'traits';
    const population: Person[] = [
      {
        externalId: 't-1',
        segment: seg,
        lastDaysAgo: 80,
        traits: { tier: 'gold', ltv: 1200, tags: ['b2b', 'eu'] },
      },
      {
        externalId: 't-2',
        segment: seg,
        lastDaysAgo: 80,
        traits: { tier: 'silver', ltv: '300', tags: ['eu'] },
      },
      {
        externalId: 't-3',
        segment: seg,
        lastDaysAgo: 80,
        traits: { tier: 'gold', ltv: 'n/a', nested: { a: 1 } },
      },
      {
        externalId: 't-4',
        segment: seg,
        lastDaysAgo: 80,
        traits: { tier: '', ltv: 40, vip: true },
        plan: 'pro',
      },
      { externalId: 't-5', segment: seg, lastDaysAgo: 80, traits: {}, plan: 'free' },
      { externalId: 't-6', segment: `${seg}-other`, lastDaysAgo: 80, traits: { tier: 'gold', ltv: 5000 } },
    ];
    await people(population);
    const rules: TargetingRule[][] = [
      [{ type: 'attribute', attribute: 'traits.tier', operator: 'eq', value: 'gold' }],
      [{ type: 'attribute', attribute: 'traits.tier', operator: 'neq', value: 'gold' }],
      [{ type: 'attribute', attribute: 'traits.tier', operator: 'exists' }],
      [{ type: 'attribute', attribute: 'traits.tier', operator: 'not_exists' }],
      [{ type: 'attribute', attribute: 'traits.ltv', operator: 'gte', value: 300 }],
      [{ type: 'attribute', attribute: 'traits.ltv', operator: 'lt', value: '1000' }],
      [{ type: 'attribute', attribute: 'traits.ltv', operator: 'eq', value: 300 }],
      [{ type: 'attribute', attribute: 'traits.tags', operator: 'contains', value: 'b2b' }],
      [{ type: 'attribute', attribute: 'traits.tags', operator: 'in', value: ['eu', 'us'] }],
      [{ type: 'attribute', attribute: 'traits.tags', operator: 'not_in', value: ['b2b'] }],
      [{ type: 'attribute', attribute: 'traits.nested.a', operator: 'eq', value: '1' }],
      [{ type: 'attribute', attribute: 'traits.vip', operator: 'eq', value: 'true' }],
      [{ type: 'attribute', attribute: 'plan', operator: 'in', value: ['pro', 'team'] }],
      [{ type: 'attribute', attribute: 'externalId', operator: 'contains', value: '-3' }],
      [{ type: 'segment', operator: 'not_in', segments: ['nobody'] }],
      [
        { type: 'attribute', attribute: 'traits.tier', operator: 'eq', value: 'gold' },
        { type: 'attribute', attribute: 'traits.ltv', operator: 'gt', value: 1000 },
      ],
    ];
    const customers = await t.prisma.customer.findMany({ where: { segment: seg } });
    for (const conditions of rules) {
      const expected = customers
        .filter((c) => matchesTargeting(conditions as never, customerAttributes(c)))
        .map((c) => c.externalId)
        .sort();
      const p = await preview({ segments: [seg], conditions });
      expect(p.sample.map((s) => s.externalId).sort(), JSON.stringify(conditions)).toEqual(expected);
    }
    // A sanity check that the comparison above is not vacuous.
    const gold = await preview({ segments: [seg], conditions: rules[0] });
    expect(gold.sample.map((s) => s.externalId).sort()).toEqual(['t-1', 't-3']);
  });
});

describe('exclusions', () => {
  it('excludes suppressed, unsubscribed, recently contacted, global holdout and enrolled customers', async () => {
    const seg = 'excl';
    const ids = await people(
      ['ok', 'bounced', 'unsub', 'contacted', 'contacted-long-ago', 'global', 'global-out', 'enrolled'].map(
        (name, i) => ({ externalId: `x-${name}`, segment: seg, lastDaysAgo: 70, spend: 100 + i }),
      ),
    );
    const ws = t.workspaceId;
    await t.prisma.suppression.createMany({
      data: [
        { workspaceId: ws, customerId: ids.get('x-bounced')!, reason: 'hard_bounce' },
        // Unsubscribed and bounced at once is counted once, under the first reason.
        { workspaceId: ws, customerId: ids.get('x-unsub')!, reason: 'unsubscribe' },
      ],
    });
    await t.prisma.globalHoldoutMember.createMany({
      data: [
        { workspaceId: ws, customerId: ids.get('x-global')!, inHoldout: true },
        { workspaceId: ws, customerId: ids.get('x-global-out')!, inHoldout: false },
      ],
    });
    // Another sequence already holds x-enrolled (active) and has messaged the two "contacted" customers.
    const other = await create(
      sequenceBody('excl-other', 'nobody', { audience: { segments: ['nobody'] }, holdoutPercent: 0 }),
    );
    await launch(other.id);
    const run = await service.enrollCustomers(
      ws,
      other.id,
      [ids.get('x-enrolled')!, ids.get('x-contacted')!, ids.get('x-contacted-long-ago')!],
      NOW,
    );
    expect(run.enrolled).toBe(3);
    const otherEnrollments = await t.prisma.enrollment.findMany({
      where: { sequenceId: other.id },
      include: { sequence: { include: { touches: true } } },
    });
    for (const [name, sentDaysAgo] of [
      ['x-contacted', 3],
      ['x-contacted-long-ago', 30],
    ] as const) {
      const e = otherEnrollments.find((x) => x.customerId === ids.get(name))!;
      await t.prisma.message.create({
        data: {
          workspaceId: ws,
          sequenceId: other.id,
          enrollmentId: e.id,
          touchId: e.sequence.touches[0]!.id,
          customerId: e.customerId,
          channel: 'email',
          status: 'sent',
          nextAttemptAt: daysAgo(sentDaysAgo),
          sentAt: daysAgo(sentDaysAgo),
        },
      });
      await t.prisma.enrollment.update({
        where: { id: e.id },
        data: { status: 'completed', nextDueAt: null },
      });
    }

    const p = await preview({ segments: [seg] });
    expect(p.matched).toBe(8);
    expect(p.excluded).toEqual({
      suppressed: 1,
      unsubscribed: 1,
      recentlyContacted: 1,
      globalHoldout: 1,
      alreadyEnrolled: 1,
    });
    expect(p.eligible).toBe(3);
    expect(p.sample.map((s) => s.externalId).sort()).toEqual([
      'x-contacted-long-ago',
      'x-global-out',
      'x-ok',
    ]);

    // Each exclusion can be turned off where the rules allow it.
    const loose = await preview({
      segments: [seg],
      excludeContactedWithinDays: 0,
      excludeGlobalHoldout: false,
    });
    expect(loose.excluded).toMatchObject({ recentlyContacted: 0, globalHoldout: 0 });
    expect(loose.eligible).toBe(5);

    const s = await create(sequenceBody('excl', seg, { holdoutPercent: 0 }));
    await launch(s.id);
    expect(await enrolledExternalIds(s.id)).toEqual(['x-contacted-long-ago', 'x-global-out', 'x-ok']);
  });

  it('decides the global holdout of customers never seen by an experiment, and fills a capped run', async () => {
    const seg = 'gh';
    await people(
      Array.from({ length: 60 }, (_, i) => ({
        externalId: `gh-${i}`,
        segment: seg,
        lastDaysAgo: 70,
        spend: 1000 - i,
      })),
    );
    await t.prisma.workspace.update({ where: { id: t.workspaceId }, data: { globalHoldoutPercent: 50 } });
    try {
      const s = await create(sequenceBody('gh', seg, { holdoutPercent: 0, maxEnrollmentsPerRun: 20 }));
      const { run } = await launch(s.id);
      expect(run.enrolled).toBe(20);
      const decided = await t.prisma.$queryRaw<{ in_holdout: boolean; n: number }[]>`
        SELECT g.in_holdout, count(*)::int AS n FROM global_holdout_members g
          JOIN customers c ON c.id = g.customer_id WHERE c.segment = ${seg} GROUP BY g.in_holdout`;
      const inHoldout = decided.find((d) => d.in_holdout)?.n ?? 0;
      expect(inHoldout).toBeGreaterThan(0);
      const members = await t.prisma.globalHoldoutMember.findMany({
        where: {
          inHoldout: true,
          customerId: {
            in: (await t.prisma.enrollment.findMany({ where: { sequenceId: s.id } })).map(
              (e) => e.customerId,
            ),
          },
        },
      });
      expect(members).toEqual([]);
    } finally {
      await t.prisma.workspace.update({ where: { id: t.workspaceId }, data: { globalHoldoutPercent: 0 } });
    }
  });
});

describe('priority, cap and re-entry', () => {
  it('enrolls the highest prior spenders first up to the cap, the rest on later runs', async () => {
    const seg = 'cap';
    await people([
      { externalId: 'c-10', segment: seg, lastDaysAgo: 70, spend: 10 },
      { externalId: 'c-500', segment: seg, lastDaysAgo: 70, spend: 500 },
      { externalId: 'c-50', segment: seg, lastDaysAgo: 70, spend: 50 },
      { externalId: 'c-900', segment: seg, lastDaysAgo: 100, spend: 900 },
      { externalId: 'c-0', segment: seg, lastDaysAgo: 70 },
    ]);
    const s = await create(sequenceBody('cap', seg, { holdoutPercent: 0, maxEnrollmentsPerRun: 2 }));
    const p = (await lifecycle.get(`/v1/sequences/${s.id}/audience-preview`)).body as AudiencePreview;
    expect(p).toMatchObject({ eligible: 5, wouldEnroll: 2, expectedHoldout: 0, expectedTreated: 2 });
    expect(p.sample.map((x) => x.externalId)).toEqual(['c-900', 'c-500']);
    const { run } = await launch(s.id);
    expect(run.enrolled).toBe(2);
    expect(await enrolledExternalIds(s.id)).toEqual(['c-500', 'c-900']);
    const runs = await service.runAudiences(new Date(NOW.getTime() + 3_600_000));
    expect(runs.find((r) => r.sequenceId === s.id)?.enrolled).toBe(2);
    expect(await enrolledExternalIds(s.id)).toEqual(['c-10', 'c-50', 'c-500', 'c-900']);
  });

  it('enrolls a customer once per re-entry period and again after it, in the same arm', async () => {
    const seg = 'reentry';
    await people(
      Array.from({ length: 40 }, (_, i) => ({ externalId: `r-${i}`, segment: seg, lastDaysAgo: 61 })),
    );
    const s = await create(
      sequenceBody('reentry', seg, { reentryDays: 30, measurementDays: 20, holdoutPercent: 30 }),
    );
    const { run } = await launch(s.id);
    expect(run.enrolled).toBe(40);
    const firstArms = await t.prisma.enrollment.findMany({
      where: { sequenceId: s.id },
      select: { customerId: true, arm: true },
    });

    // The cadence finishes for the treated arm; within the period nobody comes back in.
    await t.prisma.enrollment.updateMany({
      where: { sequenceId: s.id, status: 'active' },
      data: { status: 'completed', nextDueAt: null, nextPosition: null },
    });
    const day29 = new Date(NOW.getTime() + 29 * DAY);
    expect((await service.runAudience(t.workspaceId, s.id, day29)).enrolled).toBe(0);

    const day31 = new Date(NOW.getTime() + 31 * DAY);
    const again = await service.runAudience(t.workspaceId, s.id, day31);
    expect(again.enrolled).toBe(40);
    const rows = await t.prisma.enrollment.findMany({ where: { sequenceId: s.id, reentry: 1 } });
    expect(rows).toHaveLength(40);
    const armOf = new Map(firstArms.map((e) => [e.customerId, e.arm]));
    for (const e of rows) {
      expect(e.arm).toBe(armOf.get(e.customerId));
      expect(e.enrolledAt).toEqual(day31);
      expect(e.daysInactive).toBe(92);
    }
    // Still one assignment per customer on the experiment: the first one.
    const assignments = await t.prisma.assignment.count({
      where: { experimentId: s.experimentId ?? (await launchedExperiment(s.id)) },
    });
    expect(assignments).toBe(40);
  });

  it('does not run paused sequences and refuses interventions into them', async () => {
    const seg = 'paused';
    const ids = await people([{ externalId: 'p-1', segment: seg, lastDaysAgo: 61 }]);
    const s = await create(sequenceBody('paused', seg, { audience: { segments: ['nobody'] } }));
    await launch(s.id);
    const paused = await lifecycle.post(`/v1/sequences/${s.id}/pause`);
    expect(paused.status).toBe(200);
    expect((paused.body as SequenceView).status).toBe('paused');
    expect((await lifecycle.post(`/v1/sequences/${s.id}/pause`)).status).toBe(409);
    const runs = await service.runAudiences(NOW);
    expect(runs.find((r) => r.sequenceId === s.id)).toBeUndefined();
    await expect(service.enrollCustomers(t.workspaceId, s.id, [ids.get('p-1')!], NOW)).rejects.toMatchObject({
      code: 'invalid_transition',
    });
    expect((await lifecycle.post(`/v1/sequences/${s.id}/resume`)).status).toBe(200);
    const run = await service.enrollCustomers(t.workspaceId, s.id, [ids.get('p-1')!], NOW);
    expect(run.enrolled).toBe(1);
  });
});

async function launchedExperiment(sequenceId: string): Promise<string> {
  const s = await t.prisma.sequence.findUniqueOrThrow({ where: { id: sequenceId } });
  return s.experimentId!;
}

describe('holdout', () => {
  it('splits a few thousand customers at the configured share, by hash, recorded on the experiment', async () => {
    const seg = 'split';
    const n = 3000;
    await people(
      Array.from({ length: n }, (_, i) => ({
        externalId: `split-${i}`,
        segment: seg,
        lastDaysAgo: 61 + (i % 50),
        spend: i % 7 === 0 ? 0 : 10 + (i % 90),
      })),
    );
    const s = await create(sequenceBody('split', seg, { holdoutPercent: 20 }));
    const launched = await launch(s.id);
    expect(launched.run.enrolled).toBe(n);
    expect(launched.sequence).toMatchObject({ status: 'running', experimentKey: 'seq-split' });
    expect(launched.sequence.enrollments).toMatchObject({ total: n, active: launched.run.treated });

    const experiment = await t.prisma.experiment.findUniqueOrThrow({
      where: { id: launched.sequence.experimentId! },
      include: { variants: true },
    });
    expect(experiment).toMatchObject({
      kind: 'holdout',
      status: 'running',
      key: 'seq-split',
      seed: 'seq-split',
    });
    expect(experiment.variants.map((v) => [v.key, v.weight, v.isControl]).sort()).toEqual([
      ['holdout', 0.2, true],
      ['treated', 0.8, false],
    ]);

    // The share: binomial sd at n=3000, p=0.2 is 0.0073; allow 4 sd.
    const share = launched.run.holdout / n;
    expect(Math.abs(share - 0.2)).toBeLessThan(4 * Math.sqrt((0.2 * 0.8) / n));

    const rows = await t.prisma.$queryRaw<
      {
        external_id: string;
        arm: string;
        status: string;
        next_due_at: Date | null;
        next_position: number | null;
        variant: string | null;
        source: string | null;
        assigned_at: Date | null;
      }[]
    >`
      SELECT c.external_id, e.arm::text, e.status::text, e.next_due_at, e.next_position, v.key AS variant,
             a.source::text AS source, a.assigned_at
        FROM enrollments e
        JOIN customers c ON c.id = e.customer_id
        LEFT JOIN assignments a ON a.customer_id = e.customer_id AND a.experiment_id = ${experiment.id}::uuid
        LEFT JOIN variants v ON v.id = a.variant_id
       WHERE e.sequence_id = ${s.id}::uuid`;
    expect(rows).toHaveLength(n);
    const design = { key: 'seq-split', seed: 'seq-split', hashVersion: 2, variants: holdoutVariants(20) };
    for (const r of rows) {
      // Deterministic: the arm is the hash decision for this customer and seed, and the assignment agrees.
      expect(r.arm).toBe(decideArm(design, r.external_id));
      expect(r.variant).toBe(r.arm);
      expect(r.source).toBe('server');
      expect(r.assigned_at).toEqual(NOW);
      if (r.arm === 'holdout') {
        expect(r).toMatchObject({ status: 'holdout', next_due_at: null, next_position: null });
      } else {
        expect(r).toMatchObject({ status: 'active', next_position: 0 });
        expect(r.next_due_at).toEqual(new Date(NOW.getTime() + DAY));
      }
    }

    // The enrollment list pages and filters by arm.
    const page = (await lifecycle.get(`/v1/sequences/${s.id}/enrollments?arm=holdout&limit=100`))
      .body as EnrollmentList;
    expect(page.items).toHaveLength(100);
    expect(page.items.every((e) => e.arm === 'holdout' && e.nextDueAt === null)).toBe(true);
    const next = (
      await lifecycle.get(`/v1/sequences/${s.id}/enrollments?arm=holdout&limit=100&cursor=${page.nextCursor}`)
    ).body as EnrollmentList;
    expect(next.items[0]!.id < page.items.at(-1)!.id).toBe(true);

    // /v1/assign never puts a customer outside the audience into the sequence's experiment.
    const ingest = await t.keyAgent('ingest');
    await ingest.post('/v1/customers/bulk').send({ customers: [{ externalId: 'stranger' }] });
    const assigned = await ingest
      .post('/v1/assign')
      .send({ customers: ['stranger', 'split-1'], experiments: ['seq-split'] });
    expect(assigned.status).toBe(200);
    const results = (
      assigned.body as { assignments: { customer: string; inExperiment: boolean; variant: string | null }[] }
    ).assignments;
    expect(results.find((a) => a.customer === 'stranger')?.inExperiment).toBe(false);
    expect(results.find((a) => a.customer === 'split-1')?.variant).toBe(
      rows.find((r) => r.external_id === 'split-1')!.arm,
    );
  });
});

describe('validation, lifecycle and roles', () => {
  it('answers 400 naming the field and the rule', async () => {
    const res = await lifecycle.post('/v1/sequences').send({
      key: 'Bad Key',
      name: 'x',
      holdoutPercent: 75,
      audience: { minDaysInactive: 90, maxDaysInactive: 30 },
      touches: [EMAIL, { ...EMAIL, delayDays: 0 }, { channel: 'webhook', delayDays: 9, content: {} }],
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { path: 'key', rule: 'key_format' },
        { path: 'holdoutPercent', rule: 'max_50' },
        { path: 'audience.maxDaysInactive', rule: 'at_least_min_days_inactive' },
        { path: 'touches.2.content.url', rule: 'required' },
      ]),
    );
    const delays = await lifecycle.post('/v1/sequences').send(
      sequenceBody('delays', 'x', {
        touches: [EMAIL, { ...EMAIL, delayDays: 5 }, { ...EMAIL, delayDays: 5 }],
      }),
    );
    expect(delays.status).toBe(400);
    expect(delays.body.errors).toEqual([{ path: 'touches.2.delayDays', rule: 'strictly_increasing' }]);
    const offer = await lifecycle
      .post('/v1/sequences')
      .send(sequenceBody('offer-missing', 'x', { touches: [{ ...EMAIL, offerKey: 'nope' }] }));
    expect(offer.status).toBe(400);
    expect(offer.body.errors).toEqual([{ path: 'touches.0.offerKey', rule: 'unknown_offer' }]);
    const preview = await lifecycle
      .post('/v1/sequences/audience-preview')
      .send({ audience: { minPriorSpend: -1 } });
    expect(preview.status).toBe(400);
    expect(preview.body.errors).toEqual([{ path: 'audience.minPriorSpend', rule: 'min_0' }]);
  });

  it('keys are unique, launch happens once, and a launched sequence keeps its holdout and touch shape', async () => {
    const s = await create(sequenceBody('life', 'nobody'));
    const dup = await lifecycle.post('/v1/sequences').send(sequenceBody('life', 'nobody'));
    expect(dup.status).toBe(409);
    expect(dup.body.errors).toEqual([{ path: 'key', rule: 'unique' }]);

    const draftEdit = await lifecycle.patch(`/v1/sequences/${s.id}`).send({
      holdoutPercent: 15,
      touches: [EMAIL, { channel: 'webhook', delayDays: 7, content: { url: 'https://example.test/hook' } }],
    });
    expect(draftEdit.status, JSON.stringify(draftEdit.body)).toBe(200);
    expect((draftEdit.body as SequenceView).touches.map((x) => x.channel)).toEqual(['email', 'webhook']);

    await launch(s.id);
    expect((await lifecycle.post(`/v1/sequences/${s.id}/launch`)).status).toBe(409);
    const holdout = await lifecycle.patch(`/v1/sequences/${s.id}`).send({ holdoutPercent: 20 });
    expect(holdout.status).toBe(409);
    expect(holdout.body.errors).toEqual([{ path: 'holdoutPercent', rule: 'locked_after_launch' }]);
    const channel = await lifecycle.patch(`/v1/sequences/${s.id}`).send({
      touches: [EMAIL, { channel: 'in_app', delayDays: 7, content: { title: 't', body: 'b' } }],
    });
    expect(channel.status).toBe(409);
    expect(channel.body.errors).toEqual([{ path: 'touches.1.channel', rule: 'locked_after_launch' }]);
    const before = (await lifecycle.get(`/v1/sequences/${s.id}`)).body as SequenceView;
    const content = await lifecycle.patch(`/v1/sequences/${s.id}`).send({
      touches: [
        { ...EMAIL, content: { subject: 'New subject', text: 'Come back' } },
        { channel: 'webhook', delayDays: 8, content: { url: 'https://example.test/hook2' } },
      ],
    });
    expect(content.status).toBe(200);
    const after = content.body as SequenceView;
    expect(after.touches.map((x) => x.id)).toEqual(before.touches.map((x) => x.id));
    expect(after.touches[0]!.content).toMatchObject({ subject: 'New subject' });
    expect((await lifecycle.delete(`/v1/sequences/${s.id}`)).status).toBe(409);

    const audit = await t.prisma.auditLog.findMany({ where: { entityId: s.id }, orderBy: { at: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['sequence.create', 'sequence.update', 'sequence.launch']),
    );
  });

  it('lets lifecycle and marketers write, executives only read', async () => {
    const body = sequenceBody('roles', 'nobody');
    expect((await executive.post('/v1/sequences').send(body)).status).toBe(403);
    const created = await marketer.post('/v1/sequences').send(body);
    expect(created.status).toBe(201);
    const id = (created.body as SequenceView).id;
    expect((await executive.get(`/v1/sequences/${id}`)).status).toBe(200);
    expect((await executive.get('/v1/sequences')).status).toBe(200);
    expect((await executive.post(`/v1/sequences/${id}/launch`)).status).toBe(403);
    expect((await executive.patch(`/v1/sequences/${id}`).send({ name: 'x' })).status).toBe(403);
    expect((await executive.get(`/v1/sequences/${id}/enrollments`)).status).toBe(403);
    expect((await t.anonymous().get('/v1/sequences')).status).toBe(401);
    expect((await lifecycle.get('/v1/sequences/not-a-uuid')).status).toBe(400);
    expect((await lifecycle.delete(`/v1/sequences/${id}`)).status).toBe(204);
    expect((await lifecycle.get(`/v1/sequences/${id}`)).status).toBe(404);
  });
});
