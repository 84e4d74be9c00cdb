import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthSignal, SignalBoard, SignalEvaluation, SignalRule } from '@liftlab/contracts';
import { createTestApp, type Agent, type TestApp } from '../../test/app';
import { FixedClock } from '../common/clock';
import { SignalsScheduler } from './signals.scheduler';
import { SignalsService } from './signals.service';

/**
 * Health signals against a real database with a fixed clock: each kind fires exactly on its threshold and
 * window boundaries and not below them, re-evaluation is idempotent (no second signal, no second task), signals
 * resolve when the condition stops holding, the SLA is computed, and the board groups what is open.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = new Date('2025-03-15T00:00:00.000Z');
const ago = (ms: number, from = NOW) => new Date(from.getTime() - ms).toISOString();

let t: TestApp;
let lifecycle: Agent;
let marketer: Agent;
let executive: Agent;
let ingest: Agent;
let eventSeq = 0;

async function customers(list: { externalId: string; acquisitionDate?: string }[]): Promise<void> {
  const res = await ingest.post('/v1/customers/bulk').send({
    customers: list.map((c) => ({ acquisitionDate: '2020-01-01', ...c })),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

async function events(list: Record<string, unknown>[]): Promise<void> {
  const res = await ingest
    .post('/v1/events')
    .send({ events: list.map((e) => ({ clientEventId: `e-${eventSeq++}`, ...e })) });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.rejected).toEqual([]);
}

const named = (customerId: string, name: string, occurredAt: string) => ({
  type: 'activity',
  name,
  customerId,
  occurredAt,
});
const order = (customerId: string, amount: number, occurredAt: string) => ({
  type: 'order',
  customerId,
  amount,
  currency: 'EUR',
  occurredAt,
});

async function createRule(body: Record<string, unknown>, agent: Agent = lifecycle): Promise<SignalRule> {
  const res = await agent.post('/v1/signal-rules').send({
    ownerTeam: 'success',
    slaHours: 24,
    intervention: { type: 'task', owner: 'csm@liftlab.test', title: 'Call the customer' },
    ...body,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as SignalRule;
}

async function evaluate(rule: SignalRule): Promise<SignalEvaluation> {
  const res = await lifecycle.post(`/v1/signal-rules/${rule.id}/evaluate`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as SignalEvaluation;
}

async function signalsOf(rule: SignalRule, status?: 'open' | 'resolved'): Promise<HealthSignal[]> {
  const res = await executive
    .get('/v1/signals')
    .query({ ruleId: rule.id, limit: 500, ...(status ? { status } : {}) });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items as HealthSignal[];
}

const openCustomers = async (rule: SignalRule): Promise<string[]> =>
  (await signalsOf(rule, 'open')).map((s) => s.customerExternalId).sort();

beforeAll(async () => {
  t = await createTestApp({
    clock: new FixedClock(NOW),
    env: { SIGNALS_CRON: 'off', SESSION_TTL_HOURS: String(24 * 90) },
  });
  [lifecycle, marketer, executive, ingest] = await Promise.all([
    t.loginAs('lifecycle'),
    t.loginAs('marketer'),
    t.loginAs('executive'),
    t.keyAgent('ingest'),
  ]);
}, 120_000);

afterAll(() => t?.close());

describe('onboarding not completed by day N', () => {
  it('fires from exactly day N, ignores completed and out-of-lookback customers, resolves on completion', async () => {
    t.clock.set(NOW);
    await customers([
      { externalId: 'ob-day14', acquisitionDate: '2025-03-01' }, // exactly 14 days before NOW
      { externalId: 'ob-day13', acquisitionDate: '2025-03-02' },
      { externalId: 'ob-done', acquisitionDate: '2025-02-20' },
      { externalId: 'ob-day29', acquisitionDate: '2025-02-14' },
      { externalId: 'ob-day30', acquisitionDate: '2025-02-13' }, // exactly lookbackDays: outside
    ]);
    await events([named('ob-done', 'onboarding_completed', ago(10 * DAY))]);
    const rule = await createRule({
      key: 'onboarding-14',
      name: 'Onboarding stalled',
      kind: 'onboarding_incomplete',
      params: { days: 14, completionEvent: 'onboarding_completed', lookbackDays: 30 },
    });
    const first = await evaluate(rule);
    expect(first).toMatchObject({ matching: 2, opened: 2, resolved: 0, interventionsApplied: 2 });
    expect(await openCustomers(rule)).toEqual(['ob-day14', 'ob-day29']);

    // One millisecond earlier, day 14 is not reached yet for ob-day14...
    // ob-day30 is 1 ms short of the 30-day lookback, so inside it.
    t.clock.set(new Date(NOW.getTime() - 1));
    const earlier = await evaluate(rule);
    expect(earlier).toMatchObject({ matching: 2, opened: 1, resolved: 1 });
    expect(await openCustomers(rule)).toEqual(['ob-day29', 'ob-day30']);

    t.clock.set(NOW);
    await events([named('ob-day29', 'onboarding_completed', ago(HOUR))]);
    // ob-day14 matches again: a new signal (the earlier one was resolved because the condition had cleared).
    const later = await evaluate(rule);
    expect(later).toMatchObject({ matching: 1, opened: 1, resolved: 2 });
    expect(await openCustomers(rule)).toEqual(['ob-day14']);
    const resolved = (await signalsOf(rule, 'resolved')).find((s) => s.customerExternalId === 'ob-day29');
    expect(resolved).toMatchObject({ resolvedBy: 'evaluator', resolvedAt: NOW.toISOString() });
  });
});

describe('usage down week over week', () => {
  it('fires at exactly the percent, not below, with half-open weekly windows', async () => {
    t.clock.set(NOW);
    const n = (customerId: string, count: number, from: number, to: number) =>
      Array.from({ length: count }, (_, i) =>
        named(customerId, 'app_open', ago(from - ((from - to) * (i + 1)) / (count + 1))),
      );
    await customers(['ud-50', 'ud-40', 'ud-new', 'ud-edges', 'ud-old'].map((externalId) => ({ externalId })));
    await events([
      // 10 → 5: exactly 50 % down.
      ...n('ud-50', 10, 14 * DAY, 7 * DAY),
      ...n('ud-50', 5, 7 * DAY, 0),
      // 10 → 6: 40 % down.
      ...n('ud-40', 10, 14 * DAY, 7 * DAY),
      ...n('ud-40', 6, 7 * DAY, 0),
      // No usage the week before: nothing to drop from.
      ...n('ud-new', 3, 7 * DAY, 0),
      // The week before is (now−14d, now−7d], this week (now−7d, now]: 2 → 1, exactly 50 %, only when both
      // edges are honoured (now−7d counted in this week would give 1 → 2; now−14d+1ms left out, 1 → 1).
      named('ud-edges', 'app_open', ago(14 * DAY - 1)),
      named('ud-edges', 'app_open', ago(7 * DAY)),
      named('ud-edges', 'app_open', ago(0)),
      // Only at exactly now−14d: outside both weeks.
      ...Array.from({ length: 4 }, () => named('ud-old', 'app_open', ago(14 * DAY))),
      // Other events do not count as this rule's usage.
      named('ud-50', 'other_event', ago(DAY)),
    ]);
    const rule = await createRule({
      key: 'usage-drop-50',
      name: 'Usage down',
      kind: 'usage_drop',
      params: { percent: 50, eventName: 'app_open' },
    });
    await evaluate(rule);
    expect(await openCustomers(rule)).toEqual(['ud-50', 'ud-edges']);
    const signal = (await signalsOf(rule, 'open')).find((s) => s.customerExternalId === 'ud-50');
    expect(signal?.details).toEqual({ previousWeek: 10, currentWeek: 5, dropPercent: 50 });

    // A 40 % rule takes ud-40 too; ud-old (nothing in either week) stays out.
    const forty = await createRule({
      key: 'usage-drop-40',
      name: 'Usage down 40',
      kind: 'usage_drop',
      params: { percent: 40, eventName: 'app_open' },
    });
    await evaluate(forty);
    expect(await openCustomers(forty)).toEqual(['ud-40', 'ud-50', 'ud-edges']);

    // A week later the old week (10) has left the window and last week's usage is the baseline: ud-50 5 → 0.
    // ud-new's first week becomes a baseline too; ud-edges' signal stays the one already open.
    t.clock.set(new Date(NOW.getTime() + 7 * DAY));
    await evaluate(rule);
    expect(await openCustomers(rule)).toEqual(['ud-40', 'ud-50', 'ud-edges', 'ud-new']);
  });
});

describe('support tickets in a window', () => {
  it('fires at exactly the count inside (now − days, now], not below, and creates one task per signal', async () => {
    t.clock.set(NOW);
    await customers(['st-3', 'st-2', 'st-edge-out', 'st-edge-in'].map((externalId) => ({ externalId })));
    const ticket = (c: string, at: string) => named(c, 'support_ticket', at);
    await events([
      ticket('st-3', ago(6 * DAY)),
      ticket('st-3', ago(DAY)),
      ticket('st-3', ago(0)),
      ticket('st-2', ago(2 * DAY)),
      ticket('st-2', ago(3 * DAY)),
      ticket('st-edge-out', ago(7 * DAY)),
      ticket('st-edge-out', ago(DAY)),
      ticket('st-edge-out', ago(2 * DAY)),
      ticket('st-edge-in', ago(7 * DAY - 1)),
      ticket('st-edge-in', ago(DAY)),
      ticket('st-edge-in', ago(2 * DAY)),
    ]);
    const rule = await createRule({
      key: 'tickets-3',
      name: 'Many tickets',
      kind: 'support_tickets',
      ownerTeam: 'support',
      slaHours: 24,
      params: { count: 3, days: 7, eventName: 'support_ticket' },
      intervention: {
        type: 'task',
        owner: 'support-lead@liftlab.test',
        title: 'Call about the tickets',
        instructions: 'Ask what went wrong.',
        dueInHours: 4,
      },
    });
    expect(rule.params).toEqual({ count: 3, days: 7, eventName: 'support_ticket' });
    const first = await evaluate(rule);
    expect(first).toMatchObject({ matching: 2, opened: 2, interventionsApplied: 2, interventionErrors: [] });
    const open = await signalsOf(rule, 'open');
    expect(open.map((s) => s.customerExternalId).sort()).toEqual(['st-3', 'st-edge-in']);
    expect(open.find((s) => s.customerExternalId === 'st-3')?.details).toEqual({
      count: 3,
      eventName: 'support_ticket',
    });

    const tasks = await t.prisma.callTask.findMany({ where: { signalId: { in: open.map((s) => s.id) } } });
    expect(tasks).toHaveLength(2);
    for (const task of tasks) {
      expect(task).toMatchObject({
        owner: 'support-lead@liftlab.test',
        title: 'Call about the tickets',
        instructions: 'Ask what went wrong.',
        status: 'open',
        dueAt: new Date(NOW.getTime() + 4 * HOUR),
      });
      const signal = open.find((s) => s.id === task.signalId);
      expect(task.customerId).toBe(signal?.customerId);
      expect(signal?.intervention).toEqual({
        type: 'task',
        taskId: task.id,
        owner: 'support-lead@liftlab.test',
      });
      expect(signal?.interventionAt).toBe(NOW.toISOString());
    }

    // Re-evaluating changes nothing: no second signal, no second task.
    expect(await evaluate(rule)).toMatchObject({
      matching: 2,
      opened: 0,
      resolved: 0,
      interventionsApplied: 0,
    });
    // One millisecond later st-edge-in's oldest ticket has left the window: resolved; its task stays.
    t.clock.set(new Date(NOW.getTime() + 1));
    expect(await evaluate(rule)).toMatchObject({
      matching: 1,
      opened: 0,
      resolved: 1,
      interventionsApplied: 0,
    });
    expect(await signalsOf(rule)).toHaveLength(2);
    expect(await openCustomers(rule)).toEqual(['st-3']);
    expect(
      await t.prisma.callTask.count({ where: { customerId: { in: open.map((s) => s.customerId) } } }),
    ).toBe(2);
  });

  it('a signal resolved by hand stays resolved while its condition holds, and a new episode opens a new one', async () => {
    t.clock.set(NOW);
    await customers([{ externalId: 'st-manual' }]);
    await events([1, 2, 3].map((d) => named('st-manual', 'escalation', ago(d * DAY))));
    const rule = await createRule({
      key: 'escalations',
      name: 'Escalations',
      kind: 'support_tickets',
      params: { count: 3, days: 7, eventName: 'escalation' },
    });
    await evaluate(rule);
    const [signal] = await signalsOf(rule, 'open');
    expect(signal).toBeDefined();

    const resolved = await lifecycle
      .post(`/v1/signals/${signal?.id}/resolve`)
      .send({ note: 'Called, all fine' });
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
    expect(resolved.body).toMatchObject({
      status: 'resolved',
      resolvedAt: NOW.toISOString(),
      sla: 'on_time',
    });
    expect(resolved.body.resolvedBy).toMatch(/^user:lifecycle-/);
    const again = await lifecycle.post(`/v1/signals/${signal?.id}/resolve`).send({});
    expect(again.status).toBe(409);

    // Same episode: still three escalations in the window, no new signal.
    expect(await evaluate(rule)).toMatchObject({ matching: 1, opened: 0 });
    // The escalations age out (condition cleared), then three new ones: a new signal.
    t.clock.set(new Date(NOW.getTime() + 7 * DAY));
    expect(await evaluate(rule)).toMatchObject({ matching: 0, opened: 0 });
    await events([1, 2, 3].map((h) => named('st-manual', 'escalation', ago(h * HOUR, t.clock.now()))));
    expect(await evaluate(rule)).toMatchObject({ matching: 1, opened: 1 });
    expect(await signalsOf(rule)).toHaveLength(2);
  });
});

describe('spend spike', () => {
  it('fires at exactly the multiple or percent, not below, and never without a baseline', async () => {
    t.clock.set(NOW);
    await customers(
      ['sp-200', 'sp-199', 'sp-150', 'sp-149', 'sp-zero', 'sp-edges'].map((externalId) => ({ externalId })),
    );
    await events([
      order('sp-200', 60, ago(45 * DAY)),
      order('sp-200', 40, ago(31 * DAY)),
      order('sp-200', 200, ago(DAY)),
      order('sp-199', 100, ago(40 * DAY)),
      order('sp-199', 199.99, ago(DAY)),
      order('sp-150', 100, ago(40 * DAY)),
      order('sp-150', 150, ago(DAY)),
      order('sp-149', 100, ago(40 * DAY)),
      order('sp-149', 149.99, ago(DAY)),
      order('sp-zero', 500, ago(DAY)),
      // The earlier window is (now−60d, now−30d]: 100 at now−30d counts, 1000 at now−60d does not.
      order('sp-edges', 1000, ago(60 * DAY)),
      order('sp-edges', 100, ago(30 * DAY)),
      order('sp-edges', 200, ago(30 * DAY - 1)),
    ]);
    const double = await createRule({
      key: 'spend-double',
      name: 'Spend doubled',
      kind: 'spend_spike',
      params: { multiple: 2, days: 30 },
    });
    await evaluate(double);
    expect(await openCustomers(double)).toEqual(['sp-200', 'sp-edges']);
    const s200 = (await signalsOf(double)).find((s) => s.customerExternalId === 'sp-200');
    expect(s200?.details).toEqual({ previousSpend: 100, currentSpend: 200, ratio: 2 });

    const fifty = await createRule({
      key: 'spend-plus-50',
      name: 'Spend up half',
      kind: 'spend_spike',
      params: { percent: 50, days: 30 },
    });
    await evaluate(fifty);
    expect(await openCustomers(fifty)).toEqual(['sp-150', 'sp-199', 'sp-200', 'sp-edges']);
  });
});

describe('SLA and the board', () => {
  it('counts on-time, due-soon and breached signals by team and rule, oldest first', async () => {
    t.clock.set(NOW);
    const board = async (at: Date, query: Record<string, string> = {}): Promise<SignalBoard> => {
      t.clock.set(at);
      const res = await executive.get('/v1/signals/board').query(query);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body as SignalBoard;
    };
    const ruleIn = (b: SignalBoard, team: string, key: string) =>
      b.teams.find((x) => x.ownerTeam === team)?.rules.find((r) => r.ruleKey === key);

    // spend-double's two signals opened at NOW with a 24 h SLA: due soon from 18 h, breached from 24 h.
    const onTime = await board(new Date(NOW.getTime() + 18 * HOUR - 1));
    expect(ruleIn(onTime, 'success', 'spend-double')).toMatchObject({ open: 2, dueSoon: 0, breached: 0 });
    expect(ruleIn(onTime, 'success', 'spend-double')?.signals.map((s) => s.sla)).toEqual([
      'on_time',
      'on_time',
    ]);

    const dueSoon = await board(new Date(NOW.getTime() + 18 * HOUR));
    expect(ruleIn(dueSoon, 'success', 'spend-double')).toMatchObject({ open: 2, dueSoon: 2, breached: 0 });

    const breached = await board(new Date(NOW.getTime() + 24 * HOUR));
    const spend = ruleIn(breached, 'success', 'spend-double');
    expect(spend).toMatchObject({ open: 2, dueSoon: 0, breached: 2, slaHours: 24 });
    expect(spend?.signals.map((s) => s.sla)).toEqual(['breached', 'breached']);
    expect(ruleIn(breached, 'support', 'tickets-3')).toMatchObject({ open: 1, breached: 1 });
    // Every open signal of the workspace is counted, teams add up, the longest-waiting team and rule come first.
    const open = await t.prisma.healthSignal.count({ where: { workspaceId: t.workspaceId, status: 'open' } });
    expect(breached.open).toBe(open);
    expect(breached.teams.reduce((s, team) => s + team.open, 0)).toBe(open);
    expect(breached.breached).toBe(breached.teams.reduce((s, team) => s + team.breached, 0));
    for (const list of [breached.teams, ...breached.teams.map((team) => team.rules)]) {
      expect(list.map((x) => x.oldestOpenedAt)).toEqual([...list.map((x) => x.oldestOpenedAt)].sort());
    }
    for (const rule of breached.teams.flatMap((team) => team.rules)) {
      expect(rule.signals.map((s) => s.openedAt)).toEqual([...rule.signals.map((s) => s.openedAt)].sort());
      expect(rule.oldestOpenedAt).toBe(rule.signals[0]?.openedAt);
    }
    const list = await executive.get('/v1/signals').query({ sla: 'breached', ruleId: spend?.ruleId });
    expect(list.body.items).toHaveLength(2);

    const support = await board(new Date(NOW.getTime() + 24 * HOUR), { ownerTeam: 'support' });
    expect(support.teams.map((team) => team.ownerTeam)).toEqual(['support']);
    const perRule = await board(new Date(NOW.getTime() + 24 * HOUR), { perRule: '1' });
    expect(ruleIn(perRule, 'success', 'spend-double')).toMatchObject({ open: 2, breached: 2 });
    expect(ruleIn(perRule, 'success', 'spend-double')?.signals).toHaveLength(1);
  });
});

describe('scheduled evaluation', () => {
  it('evaluate(now) runs every enabled rule and skips disabled ones', async () => {
    t.clock.set(NOW);
    await customers([{ externalId: 'sch-1' }]);
    await events([1, 2].map((d) => named('sch-1', 'complaint', ago(d * DAY))));
    const on = await createRule({
      key: 'complaints-on',
      name: 'Complaints',
      kind: 'support_tickets',
      params: { count: 2, eventName: 'complaint' },
    });
    const off = await createRule({
      key: 'complaints-off',
      name: 'Complaints (off)',
      kind: 'support_tickets',
      params: { count: 1, eventName: 'complaint' },
      enabled: false,
    });
    const { results, failures } = await t.app.get(SignalsService).evaluate(NOW);
    expect(failures).toEqual([]);
    expect(results.find((r) => r.ruleId === on.id)).toMatchObject({ matching: 1, opened: 1 });
    expect(results.find((r) => r.ruleId === off.id)).toBeUndefined();
    // The scheduler's tick does the same with the clock's now: nothing new.
    await t.app.get(SignalsScheduler).tick();
    expect(await signalsOf(on)).toHaveLength(1);
    expect(await signalsOf(off)).toHaveLength(0);
  });
});

describe('interventions', () => {
  it('enrolls the customers of new signals in the sequence once, retrying while the sequence cannot take them', async () => {
    t.clock.set(NOW);
    const people = ['en-1', 'en-2', 'en-3', 'en-4'];
    await customers(people.map((externalId) => ({ externalId })));
    await events(people.map((c) => named(c, 'cancel_intent', ago(HOUR))));
    const created = await lifecycle.post('/v1/sequences').send({
      key: 'signal-save',
      name: 'Save the account',
      // Nobody matches the audience itself: every enrollment below comes from the signal.
      audience: { segments: ['no-such-segment'] },
      holdoutPercent: 10,
      touches: [
        { channel: 'email', delayDays: 0, content: { subject: 'Can we help?', text: 'Reply to this' } },
      ],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const rule = await createRule({
      key: 'cancel-intent',
      name: 'Cancel intent',
      kind: 'support_tickets',
      params: { count: 1, days: 7, eventName: 'cancel_intent' },
      intervention: { type: 'enroll', sequenceKey: 'signal-save' },
    });

    // A draft sequence takes no enrollments: the signals open, their intervention stays pending with the reason.
    const draft = await evaluate(rule);
    expect(draft).toMatchObject({ matching: 4, opened: 4, interventionsApplied: 0 });
    expect(draft.interventionErrors).toHaveLength(4);
    const pending = await signalsOf(rule, 'open');
    for (const s of pending) {
      expect(s.interventionAt).toBeNull();
      expect(s.intervention).toMatchObject({ type: 'enroll', sequenceKey: 'signal-save' });
      expect(String(s.intervention?.error)).toMatch(/draft/);
    }

    const launched = await lifecycle.post(`/v1/sequences/${created.body.id}/launch`);
    expect(launched.status, JSON.stringify(launched.body)).toBe(200);
    expect(launched.body.run.enrolled).toBe(0);

    const applied = await evaluate(rule);
    expect(applied).toMatchObject({
      matching: 4,
      opened: 0,
      interventionsApplied: 4,
      interventionErrors: [],
    });
    const enrollments = await t.prisma.enrollment.findMany({ where: { sequenceId: created.body.id } });
    const ids = new Map((await signalsOf(rule, 'open')).map((s) => [s.customerId, s]));
    expect(enrollments.map((e) => e.customerId).sort()).toEqual([...ids.keys()].sort());
    for (const e of enrollments) {
      expect(e.enrolledAt).toEqual(NOW);
      expect(e.status).toBe(e.arm === 'treated' ? 'active' : 'holdout');
    }
    for (const s of ids.values()) {
      expect(s.interventionAt).toBe(NOW.toISOString());
      expect(s.intervention).toMatchObject({
        type: 'enroll',
        sequenceKey: 'signal-save',
        sequenceId: created.body.id,
        result: { enrolled: 4 },
      });
    }

    // Once applied, never again: no second enrollment on re-evaluation.
    t.clock.set(new Date(NOW.getTime() + HOUR));
    expect(await evaluate(rule)).toMatchObject({ opened: 0, interventionsApplied: 0 });
    expect(await t.prisma.enrollment.count({ where: { sequenceId: created.body.id } })).toBe(4);
  });

  it('concurrent evaluations of one rule open one signal and one task per customer', async () => {
    t.clock.set(NOW);
    const people = ['cc-1', 'cc-2', 'cc-3'];
    await customers(people.map((externalId) => ({ externalId })));
    await events(people.map((c) => named(c, 'chargeback', ago(HOUR))));
    const rule = await createRule({
      key: 'chargebacks',
      name: 'Chargebacks',
      kind: 'support_tickets',
      params: { count: 1, days: 7, eventName: 'chargeback' },
    });
    const runs = await Promise.all([evaluate(rule), evaluate(rule), evaluate(rule)]);
    expect(runs.reduce((s, r) => s + r.opened, 0)).toBe(3);
    expect(runs.reduce((s, r) => s + r.interventionsApplied, 0)).toBe(3);
    const signals = await signalsOf(rule);
    expect(signals).toHaveLength(3);
    expect(await t.prisma.callTask.count({ where: { signalId: { in: signals.map((s) => s.id) } } })).toBe(3);

    // A resolve needs no body.
    const resolved = await marketer.post(`/v1/signals/${signals[0]?.id}/resolve`);
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
    expect(resolved.body.status).toBe('resolved');
  });
});

describe('rules API', () => {
  it('refuses bad input with 4xx naming the field and the rule', async () => {
    const base = {
      key: 'bad',
      name: 'Bad',
      ownerTeam: 'success',
      slaHours: 24,
      intervention: { type: 'task', owner: 'a', title: 'b' },
    };
    const cases: [Record<string, unknown>, { path: string; rule: string }][] = [
      [
        { kind: 'usage_drop', params: { percent: 0 } },
        { path: 'params.percent', rule: 'greater_than_0' },
      ],
      [
        { kind: 'usage_drop', params: { percent: 101 } },
        { path: 'params.percent', rule: 'max_100' },
      ],
      [
        { kind: 'spend_spike', params: { multiple: 2, percent: 50, days: 30 } },
        { path: 'params.multiple', rule: 'exactly_one_of_multiple_percent' },
      ],
      [
        { kind: 'spend_spike', params: { days: 30 } },
        { path: 'params.multiple', rule: 'exactly_one_of_multiple_percent' },
      ],
      [
        { kind: 'spend_spike', params: { multiple: 1, days: 30 } },
        { path: 'params.multiple', rule: 'greater_than_1' },
      ],
      [
        { kind: 'support_tickets', params: { count: 0, eventName: 'x' } },
        { path: 'params.count', rule: 'min_1' },
      ],
      [
        { kind: 'support_tickets', params: { count: 2 } },
        { path: 'params.eventName', rule: 'required' },
      ],
      [
        { kind: 'onboarding_incomplete', params: { days: 1.5, completionEvent: 'x' } },
        { path: 'params.days', rule: 'integer' },
      ],
      [
        { kind: 'onboarding_incomplete', params: { days: 14, completionEvent: 'x', lookbackDays: 7 } },
        { path: 'params.lookbackDays', rule: 'at_least_days' },
      ],
      [
        { kind: 'usage_drop', params: { percent: 50, extra: 1 } },
        { path: 'params.extra', rule: 'unknown_key' },
      ],
      [
        { kind: 'mood_swing', params: {} },
        { path: 'kind', rule: 'one_of' },
      ],
      [
        { kind: 'usage_drop', params: { percent: 50 }, slaHours: 0 },
        { path: 'slaHours', rule: 'min_1' },
      ],
      [
        { kind: 'usage_drop', params: { percent: 50 }, intervention: { type: 'email' } },
        { path: 'intervention.type', rule: 'one_of' },
      ],
      [
        { kind: 'usage_drop', params: { percent: 50 }, intervention: { type: 'task', owner: 'a' } },
        { path: 'intervention.title', rule: 'required' },
      ],
      [
        {
          kind: 'usage_drop',
          params: { percent: 50 },
          intervention: { type: 'enroll', sequenceKey: 'nope' },
        },
        { path: 'intervention.sequenceKey', rule: 'unknown_sequence' },
      ],
    ];
    for (const [body, error] of cases) {
      const res = await lifecycle.post('/v1/signal-rules').send({ ...base, ...body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.errors, JSON.stringify(body)).toContainEqual(error);
    }

    const rule = await createRule({
      key: 'patchable',
      name: 'P',
      kind: 'onboarding_incomplete',
      params: { days: 7, completionEvent: 'x' },
    });
    const dup = await lifecycle
      .post('/v1/signal-rules')
      .send({ ...base, key: 'patchable', kind: 'usage_drop', params: { percent: 5 } });
    expect(dup.status).toBe(409);
    expect(dup.body.errors).toEqual([{ path: 'key', rule: 'unique' }]);

    // PATCH params are checked against the rule's kind.
    const badPatch = await lifecycle.patch(`/v1/signal-rules/${rule.id}`).send({ params: { percent: 50 } });
    expect(badPatch.status).toBe(400);
    expect(badPatch.body.errors).toEqual(
      expect.arrayContaining([
        { path: 'params.days', rule: 'required' },
        { path: 'params.percent', rule: 'unknown_key' },
      ]),
    );
    const empty = await lifecycle.patch(`/v1/signal-rules/${rule.id}`).send({});
    expect(empty.status).toBe(400);
    const patched = await marketer
      .patch(`/v1/signal-rules/${rule.id}`)
      .send({ params: { days: 10, completionEvent: 'setup_done' }, slaHours: 48, enabled: false });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body).toMatchObject({
      params: { days: 10, completionEvent: 'setup_done' },
      description: "No 'setup_done' by day 10",
      slaHours: 48,
      enabled: false,
    });

    expect((await lifecycle.get('/v1/signal-rules/00000000-0000-7000-8000-000000000000')).status).toBe(404);
    expect((await lifecycle.get('/v1/signal-rules/not-a-uuid')).status).toBe(400);
    expect(
      (await lifecycle.post('/v1/signals/00000000-0000-7000-8000-000000000000/resolve').send({})).status,
    ).toBe(404);
    const badQuery = await lifecycle.get('/v1/signals').query({ sla: 'late' });
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.errors).toEqual([{ path: 'query.sla', rule: 'one_of' }]);

    const listed = await executive.get('/v1/signal-rules');
    expect(listed.status).toBe(200);
    const tickets = (listed.body.items as SignalRule[]).find((r) => r.key === 'tickets-3');
    expect(tickets?.openSignals).toBe(
      await t.prisma.healthSignal.count({ where: { ruleId: tickets?.id, status: 'open' } }),
    );
    expect(tickets?.openSignals).toBeGreaterThan(0);

    expect((await lifecycle.delete(`/v1/signal-rules/${rule.id}`)).status).toBe(204);
    expect((await lifecycle.get(`/v1/signal-rules/${rule.id}`)).status).toBe(404);
  });

  it('lets lifecycle and marketers edit, executives read, and nobody else in', async () => {
    const body = {
      key: 'roles-check',
      name: 'Roles',
      kind: 'usage_drop',
      params: { percent: 30 },
      ownerTeam: 'success',
      slaHours: 8,
      intervention: { type: 'task', owner: 'a', title: 'b' },
    };
    expect((await executive.post('/v1/signal-rules').send(body)).status).toBe(403);
    const readKey = await t.keyAgent('read');
    expect((await readKey.get('/v1/signals/board')).status).toBe(403);
    expect((await ingest.get('/v1/signal-rules')).status).toBe(403);
    expect((await t.anonymous().get('/v1/signals/board')).status).toBe(401);
    const created = await lifecycle.post('/v1/signal-rules').send(body);
    expect(created.status).toBe(201);
    expect((await executive.post(`/v1/signal-rules/${created.body.id}/evaluate`)).status).toBe(403);
    expect((await executive.get(`/v1/signal-rules/${created.body.id}`)).status).toBe(200);
    expect((await executive.get('/v1/signals')).status).toBe(200);
    const [anyOpen] = await t.prisma.healthSignal.findMany({ where: { status: 'open' }, take: 1 });
    expect((await executive.post(`/v1/signals/${anyOpen?.id}/resolve`).send({})).status).toBe(403);
    expect((await executive.delete(`/v1/signal-rules/${created.body.id}`)).status).toBe(403);
    expect((await marketer.delete(`/v1/signal-rules/${created.body.id}`)).status).toBe(204);
  });
});
