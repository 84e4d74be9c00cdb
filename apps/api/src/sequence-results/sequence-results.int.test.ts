import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiftEstimate, SequenceResults } from '@liftlab/contracts';
import { createTestApp, type Agent, type TestApp } from '../../test/app';
import { ensureCustomers, insertSequence, type TestSequence } from './test-sequence';

/**
 * Sequence results on a simulated sequence with a known effect (reactivation 32% treated vs 16% holdout).
 * The rows and the expected figures come from fixtures/gen_sequence_results.py (scipy, computed from the rows
 * independently of this code); they are written straight to the database, as the audience planner and the
 * delivery engine would have left them.
 */

type Num = number;
interface Fixture {
  now: string;
  measurementDays: number;
  alpha: number;
  costs: number[];
  reasons: { id: string; label: string }[];
  enrollments: [Num, Num, 'treated' | 'holdout', Num][];
  messages: [Num, Num, 0 | 1, string | null, Num | null, Num | null, Num | null, Num | null][];
  events: [Num, 'order' | 'activity' | 'conversion', string, Num, Num | null][];
  redemptions: [Num, Num, Num][];
  surveyResponses: [Num, Num, Num | null, string, string | null, Num][];
  expected: {
    enrollments: { treated: number; holdout: number; inWindow: number };
    treated: { n: number; reactivated: number; revenue: number };
    holdout: { n: number; reactivated: number; revenue: number };
    absoluteLift: LiftEstimate;
    relativeLift: LiftEstimate;
    incrementalReactivated: LiftEstimate;
    incrementalRevenue: LiftEstimate;
    spend: { total: number; perReactivated: number; perIncrementalReactivated: number };
    funnel: {
      touch: string;
      messages: number;
      sent: number;
      delivered: number;
      opened: number;
      clicked: number;
      converted: number;
      variants: {
        variant: string;
        messages: number;
        sent: number;
        delivered: number;
        opened: number;
        clicked: number;
        converted: number;
      }[];
    }[];
    offer: { offered: number; redeemed: number; adoption: number };
    survey: {
      responses: number;
      reasons: Record<string, number>;
      comments: number;
      allResponses: number;
      allReasons: Record<string, number>;
    };
  };
}

const fixture = JSON.parse(
  readFileSync(join(__dirname, 'fixtures', 'sequence_results.json'), 'utf8'),
) as Fixture;
const E = fixture.expected;
/** Designed reactivation rates of the simulation. */
const TRUE_LIFT = 0.32 - 0.16;

const uuid = (n: number) => `0190a0b0-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;
const externalId = (i: number) => `cust-${String(i).padStart(4, '0')}`;
const date = (ms: number | null) => (ms === null ? null : new Date(ms));

let t: TestApp;
let executive: Agent;
let lifecycle: Agent;
let sequence: TestSequence;
let surveyId: string;
let campaignId: string;
let results: SequenceResults;

function expectClose(actual: number, expected: number, rel = 1e-9): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(expected)));
}

function expectLift(actual: LiftEstimate | null, expected: LiftEstimate): void {
  expect(actual).not.toBeNull();
  expectClose(actual!.estimate, expected.estimate);
  expectClose(actual!.se, expected.se);
  expectClose(actual!.ci[0], expected.ci[0]);
  expectClose(actual!.ci[1], expected.ci[1]);
  expectClose(actual!.pValue, expected.pValue, 1e-7);
}

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set(fixture.now);
  executive = await t.loginAs('executive');
  lifecycle = await t.loginAs('lifecycle');
  const ws = t.workspaceId;
  const now = t.clock.now();

  const offer = await lifecycle.post('/v1/offers').send({
    key: 'winback-15',
    name: '15% off',
    kind: 'discount',
    percent: 15,
    validDays: 14,
    codePrefix: 'WB15',
  });
  expect(offer.status).toBe(201);
  sequence = await insertSequence(t.prisma, ws, {
    key: 'winback',
    launchedAt: new Date('2024-12-31T00:00:00Z'),
    measurementDays: fixture.measurementDays,
    touches: [{ delayDays: 0, offerId: offer.body.id }, { delayDays: 7 }],
  });

  const maxCustomer = Math.max(...fixture.enrollments.map((e) => e[1]));
  const customers = await ensureCustomers(
    t.prisma,
    ws,
    Array.from({ length: maxCustomer + 1 }, (_, i) => externalId(i)),
    now,
  );
  const customerOf = (i: number) => customers.get(externalId(i))!;
  const enrollmentCustomer = new Map(fixture.enrollments.map((e) => [e[0], customerOf(e[1])]));

  await t.prisma.enrollment.createMany({
    data: fixture.enrollments.map(([id, customer, arm, enrolledAt]) => ({
      id: uuid(id),
      workspaceId: ws,
      sequenceId: sequence.sequenceId,
      customerId: customerOf(customer),
      arm,
      status: arm === 'holdout' ? ('holdout' as const) : ('completed' as const),
      enrolledAt: new Date(enrolledAt),
    })),
  });
  await t.prisma.message.createMany({
    data: fixture.messages.map(
      ([id, enrollment, touch, variant, sentAt, deliveredAt, openedAt, clickedAt]) => ({
        id: uuid(id),
        workspaceId: ws,
        sequenceId: sequence.sequenceId,
        enrollmentId: uuid(enrollment),
        touchId: sequence.touchIds[touch]!,
        customerId: enrollmentCustomer.get(enrollment)!,
        channel: 'email' as const,
        contentVariant: variant,
        status: sentAt === null ? ('failed' as const) : ('sent' as const),
        nextAttemptAt: new Date(sentAt ?? fixture.enrollments[0]![3]),
        sentAt: date(sentAt),
        deliveredAt: date(deliveredAt),
        openedAt: date(openedAt),
        clickedAt: date(clickedAt),
      }),
    ),
  });
  await t.prisma.event.createMany({
    data: fixture.events.map(([customer, type, name, occurredAt, amount], i) => ({
      workspaceId: ws,
      clientEventId: `sim-${i}`,
      type,
      name,
      customerId: customerOf(customer),
      occurredAt: new Date(occurredAt),
      ...(amount === null ? {} : { amount: String(amount), currency: 'EUR', value: amount }),
    })),
  });
  await t.prisma.offerRedemption.createMany({
    data: fixture.redemptions.map(([id, enrollment, redeemedAt]) => ({
      id: uuid(id),
      workspaceId: ws,
      offerId: offer.body.id as string,
      customerId: enrollmentCustomer.get(enrollment)!,
      enrollmentId: uuid(enrollment),
      redeemedAt: new Date(redeemedAt),
    })),
  });

  const survey = await lifecycle.post('/v1/surveys').send({
    key: 'why-stop',
    title: 'Why did you stop?',
    questions: [
      { id: 'reason', type: 'single_choice', prompt: 'Why?', options: fixture.reasons },
      { id: 'comment', type: 'free_text', prompt: 'Anything else?' },
    ],
  });
  expect(survey.status).toBe(201);
  surveyId = survey.body.id as string;
  await t.prisma.surveyResponse.createMany({
    data: fixture.surveyResponses.map(([id, customer, enrollment, reason, comment, submittedAt]) => ({
      id: uuid(id),
      surveyId,
      workspaceId: ws,
      customerId: customerOf(customer),
      enrollmentId: enrollment === null ? null : uuid(enrollment),
      answers: comment === null ? { reason } : { reason, comment },
      submittedAt: new Date(submittedAt),
    })),
  });

  const campaign = await t.prisma.campaign.create({
    data: {
      workspaceId: ws,
      key: 'winback-q1',
      name: 'Win-back Q1',
      programKey: 'winback',
      experimentId: sequence.experimentId,
      variantKey: 'treated',
      marginUpsell: 0.6,
      marginCrossSell: 0.5,
      marginRetention: 0.7,
      marginOther: 1,
      costs: {
        create: fixture.costs.map((total, i) => ({
          category: 'media' as const,
          label: `Line ${i}`,
          details: { category: 'media', label: `Line ${i}`, amount: total, month: 0 },
          total,
        })),
      },
    },
  });
  campaignId = campaign.id;

  const res = await executive.get(`/v1/sequences/${sequence.sequenceId}/results`);
  expect(res.status).toBe(200);
  results = res.body as SequenceResults;
});
afterAll(() => t?.close());

describe('sequence results on a simulated sequence', () => {
  it('counts enrollments, and compares only those whose measurement window has ended', () => {
    expect(results.enrollments).toEqual(E.enrollments);
    expect(results.measurementDays).toBe(30);
    expect(results.reactivation.treated).toMatchObject({
      n: E.treated.n,
      reactivated: E.treated.reactivated,
    });
    expect(results.reactivation.holdout).toMatchObject({
      n: E.holdout.n,
      reactivated: E.holdout.reactivated,
    });
    expectClose(results.reactivation.treated.revenue, E.treated.revenue);
    expectClose(results.reactivation.holdout.revenue, E.holdout.revenue);
    expectClose(results.reactivation.treated.rate!, E.treated.reactivated / E.treated.n);
  });

  it('gives the lift with its confidence interval as computed by scipy', () => {
    expectLift(results.reactivation.absoluteLift, E.absoluteLift);
    expectLift(results.reactivation.relativeLift, E.relativeLift);
    expectLift(results.reactivation.incrementalReactivated, E.incrementalReactivated);
    expectLift(results.reactivation.incrementalRevenue, E.incrementalRevenue);
    expect(results.reactivation.notMeasurable).toBeNull();
  });

  it('recovers the known effect: the interval excludes zero and covers the designed lift', () => {
    const [lo, hi] = results.reactivation.absoluteLift!.ci;
    expect(lo).toBeGreaterThan(0);
    expect(lo).toBeLessThan(TRUE_LIFT);
    expect(hi).toBeGreaterThan(TRUE_LIFT);
  });

  it('gives the funnel per touch and per A/B content variant', () => {
    expect(results.funnel).toHaveLength(2);
    results.funnel.forEach((touch, i) => {
      const { touch: _name, ...expected } = E.funnel[i]!;
      expect(touch).toMatchObject({ position: i, enrolledTreated: E.enrollments.treated, ...expected });
    });
    expect(results.funnel[0]!.offerKey).toBe('winback-15');
    expect(results.funnel[1]!.variants).toEqual([]);
  });

  it('gives spend per reactivated and per incremental reactivated customer from the campaign ledger', () => {
    expect(results.spend.total).toBeCloseTo(E.spend.total, 9);
    expectClose(results.spend.perReactivated!, E.spend.perReactivated);
    expectClose(results.spend.perIncrementalReactivated!, E.spend.perIncrementalReactivated);
    expect(results.campaign).toEqual({
      id: campaignId,
      key: 'winback-q1',
      name: 'Win-back Q1',
      verdict: null,
      roiPath: `/v1/campaigns/${campaignId}/roi`,
    });
  });

  it('links to the campaign whose ROI the results/ROI pipeline serves', async () => {
    // What launch records for every enrollment: an assignment on the sequence's holdout experiment. With a
    // revenue metric on the experiment, the ordinary results refresh and ROI apply unchanged.
    const marketer = await t.loginAs('marketer');
    const metric = await marketer.post('/v1/metrics').send({
      key: 'winback-revenue',
      name: 'Win-back revenue per customer',
      kind: 'mean',
      eventName: 'order',
      windowDays: fixture.measurementDays,
      revenueStream: 'retention',
    });
    expect(metric.status, JSON.stringify(metric.body)).toBe(201);
    await t.prisma.experimentMetric.create({
      data: { experimentId: sequence.experimentId, metricId: metric.body.id as string, role: 'primary' },
    });
    await t.prisma.experiment.update({
      where: { id: sequence.experimentId },
      data: { primaryMetricId: metric.body.id as string },
    });
    const variants = await t.prisma.variant.findMany({ where: { experimentId: sequence.experimentId } });
    const variantOf = new Map(variants.map((v) => [v.key, v.id]));
    const enrollments = await t.prisma.enrollment.findMany({ where: { sequenceId: sequence.sequenceId } });
    await t.prisma.assignment.createMany({
      data: enrollments.map((e) => ({
        workspaceId: t.workspaceId,
        experimentId: sequence.experimentId,
        customerId: e.customerId,
        variantId: variantOf.get(e.arm)!,
        assignedAt: e.enrolledAt,
        source: 'server' as const,
      })),
    });
    const refreshed = await marketer.post(`/v1/experiments/${sequence.experimentId}/results/refresh`);
    expect(refreshed.status, JSON.stringify(refreshed.body).slice(0, 400)).toBe(200);

    const roi = await marketer.get(results.campaign!.roiPath);
    expect(roi.status, JSON.stringify(roi.body).slice(0, 400)).toBe(200);
    expect(roi.body).toMatchObject({
      campaignId: campaignId,
      experimentId: sequence.experimentId,
      variantKey: 'treated',
      treatedCustomers: E.enrollments.treated,
      holdoutCustomers: E.enrollments.holdout,
    });
    expect(roi.body.costs.total).toBeCloseTo(E.spend.total, 9);
    // The refresh analyses every metric of 1 260 customers: slow on in-memory PGlite on a busy machine.
  }, 180_000);

  it('gives offer adoption in the treated arm', () => {
    expect(results.offers).toHaveLength(1);
    expect(results.offers[0]).toMatchObject({ key: 'winback-15', kind: 'discount', ...E.offer });
  });

  it('summarises the survey answers of this sequence’s customers only', async () => {
    expect(results.surveys).toHaveLength(1);
    const s = results.surveys[0]!;
    expect(s.responses).toBe(E.survey.responses);
    for (const option of s.questions[0]!.options!) {
      expect(option.count).toBe(E.survey.reasons[option.id]);
      expectClose(option.share, E.survey.reasons[option.id]! / E.survey.responses);
    }
    expect(s.questions[1]!.answered).toBe(E.survey.comments);
    expect(s.questions[1]!.textAnswers).toHaveLength(E.survey.comments);

    const all = await executive.get(`/v1/surveys/${surveyId}/summary`);
    expect(all.body.responses).toBe(E.survey.allResponses);
    for (const option of all.body.questions[0].options as { id: string; count: number }[])
      expect(option.count).toBe(E.survey.allReasons[option.id]);
  });

  it('takes alpha from the query, naming the field of a bad one', async () => {
    const wide = await executive.get(`/v1/sequences/${sequence.sequenceId}/results?alpha=0.01`);
    expect(wide.status).toBe(200);
    const [lo99, hi99] = (wide.body as SequenceResults).reactivation.absoluteLift!.ci;
    const [lo95, hi95] = results.reactivation.absoluteLift!.ci;
    expect(lo99).toBeLessThan(lo95);
    expect(hi99).toBeGreaterThan(hi95);
    const bad = await executive.get(`/v1/sequences/${sequence.sequenceId}/results?alpha=2`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ path: 'query.alpha', rule: 'max_0.5' }]);
  });

  it('is readable by lifecycle, marketers, executives and read keys only', async () => {
    const path = `/v1/sequences/${sequence.sequenceId}/results`;
    expect((await lifecycle.get(path)).status).toBe(200);
    expect((await (await t.loginAs('marketer')).get(path)).status).toBe(200);
    expect((await (await t.keyAgent('read')).get(path)).status).toBe(200);
    expect((await (await t.keyAgent('ingest')).get(path)).status).toBe(403);
    expect((await t.anonymous().get(path)).status).toBe(401);
    expect((await executive.get(`/v1/sequences/${uuid(999_999)}/results`)).status).toBe(404);
  });

  it('says why a sequence without measured enrollments has no lift', async () => {
    const empty = await insertSequence(t.prisma, t.workspaceId, {
      key: 'empty',
      launchedAt: t.clock.now(),
      touches: [{ delayDays: 0 }],
    });
    const res = await executive.get(`/v1/sequences/${empty.sequenceId}/results`);
    expect(res.status).toBe(200);
    const r = res.body as SequenceResults;
    expect(r.reactivation.absoluteLift).toBeNull();
    expect(r.reactivation.notMeasurable).toMatchObject({ field: 'reactivation.treated.n', rule: 'min_2' });
    expect(r.spend).toEqual({ total: null, perReactivated: null, perIncrementalReactivated: null });
    expect(r.campaign).toBeNull();
    expect(r.funnel[0]).toMatchObject({ enrolledTreated: 0, messages: 0, sent: 0, variants: [] });
  });
});
