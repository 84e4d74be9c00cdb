import type {
  Campaign,
  CampaignRoi,
  CostLineList,
  ExperimentResults,
  Portfolio,
  SignalBoard,
} from '@liftlab/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Agent, type TestApp } from '../../test/app';
import { FixedClock } from '../common/clock';
import {
  DEMO_CAMPAIGNS,
  DEMO_CUSTOMERS,
  DEMO_EXPERIMENTS,
  DEMO_GROSS_MARGINS,
  DEMO_MONTHLY_REVENUE,
  DEMO_SIGNAL_RULES,
  DEMO_TRUE_EFFECTS,
  trueRevenueLift,
  type DemoExperimentKey,
} from './demo-data';
import { seedDemo, type SeedReport } from './seed';

const NOW = new Date('2025-03-01T12:00:00.000Z');
const DAY = 86_400_000;
let t: TestApp;
let admin: Agent;
let first: SeedReport;

beforeAll(async () => {
  t = await createTestApp({ clock: new FixedClock(NOW) });
  first = await seedDemo(t.prisma, NOW);
  admin = await t.login(t.admin.email, t.admin.password);
}, 300_000);
afterAll(() => t?.close());

/** Per arm: customers assigned, and how many of them had `eventName` within 14 days after their exposure. */
async function armOutcomes(experimentKey: string, eventName: string) {
  const rows = await t.prisma.$queryRaw<
    { variant: string; is_control: boolean; n: bigint; converted: bigint }[]
  >`
    WITH exposed AS (
      SELECT a.workspace_id, a.customer_id, v.key, v.is_control, x.occurred_at
        FROM assignments a
        JOIN experiments e ON e.id = a.experiment_id
        JOIN variants v ON v.id = a.variant_id
        JOIN events x ON x.workspace_id = a.workspace_id AND x.customer_id = a.customer_id
                     AND x.experiment_id = e.id AND x.type = 'exposure'
       WHERE e.key = ${experimentKey}),
    converted AS (
      SELECT DISTINCT x.customer_id
        FROM exposed x
        JOIN events o ON o.workspace_id = x.workspace_id AND o.customer_id = x.customer_id
                     AND o.occurred_at >= x.occurred_at AND o.occurred_at < x.occurred_at + interval '14 days'
       WHERE o.name = ${eventName})
    SELECT x.key AS variant, x.is_control, count(*) AS n, count(c.customer_id) AS converted
      FROM exposed x LEFT JOIN converted c ON c.customer_id = x.customer_id
     GROUP BY x.key, x.is_control`;
  const control = rows.find((r) => r.is_control);
  const treatment = rows.find((r) => !r.is_control);
  if (!control || !treatment) throw new Error(`arms missing for ${experimentKey}`);
  const rate = (r: typeof control) => Number(r.converted) / Number(r.n);
  return {
    control: { n: Number(control.n), rate: rate(control) },
    treatment: { n: Number(treatment.n), rate: rate(treatment) },
  };
}

async function get<T>(path: string): Promise<T> {
  const res = await admin.get(path);
  expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(200);
  return res.body as T;
}

async function experimentId(key: string): Promise<string> {
  const e = await t.prisma.experiment.findFirstOrThrow({ where: { key }, select: { id: true } });
  return e.id;
}

async function campaign(key: string): Promise<Campaign> {
  const list = await get<{ items: Campaign[] }>('/v1/campaigns?limit=50');
  const found = list.items.find((c) => c.key === key);
  if (!found) throw new Error(`campaign ${key} missing`);
  return found;
}

const design = (key: DemoExperimentKey) => DEMO_EXPERIMENTS.find((e) => e.key === key)!;

describe('demo seed', () => {
  it('creates customers, both experiments, assignments, events, results and campaigns', async () => {
    expect(first.customersCreated).toBe(DEMO_CUSTOMERS);
    expect(first.experimentsCreated).toEqual(['checkout-upsell-banner', 'winback-email-q1']);
    expect(first.assignmentsCreated).toBeGreaterThan(DEMO_CUSTOMERS);
    expect(first.eventsCreated).toBeGreaterThan(first.assignmentsCreated);
    expect(first.resultsComputed).toEqual(['checkout-upsell-banner', 'winback-email-q1']);
    expect(first.campaignsCreated).toEqual(DEMO_CAMPAIGNS.map((c) => c.key));
    // The win-back sequence's holdout experiment is checked on its own below.
    const experiments = await t.prisma.experiment.findMany({
      where: { key: { in: DEMO_EXPERIMENTS.map((e) => e.key) } },
      include: { variants: true, metrics: true },
    });
    expect(
      experiments.every((e) => e.status === 'running' && e.startedAt !== null && e.metrics.length === 2),
    ).toBe(true);
    // Every assigned customer is assigned at their exposure: that is when the analysis counts them in.
    const [mismatched] = await t.prisma.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM assignments a
        LEFT JOIN events x ON x.customer_id = a.customer_id AND x.experiment_id = a.experiment_id
                          AND x.type = 'exposure' AND x.occurred_at = a.assigned_at
       WHERE x.id IS NULL
         AND a.experiment_id NOT IN (SELECT experiment_id FROM sequences WHERE experiment_id IS NOT NULL)`;
    expect(Number(mismatched?.n)).toBe(0);
  });

  it('launches the demo win-back sequence with enrollments in both arms', async () => {
    expect(first.sequencesCreated).toEqual(['winback-dormant']);
    expect(first.enrollmentsCreated).toBeGreaterThan(0);
    const sequence = await t.prisma.sequence.findFirstOrThrow({
      where: { key: 'winback-dormant' },
      include: { touches: { orderBy: { position: 'asc' } } },
    });
    expect(sequence.status).toBe('running');
    expect(sequence.touches.map((x) => [x.channel, x.delayDays])).toEqual([
      ['email', 0],
      ['in_app', 3],
      ['webhook', 7],
      ['call_task', 14],
    ]);
    const arms = await t.prisma.enrollment.groupBy({
      by: ['arm'],
      where: { sequenceId: sequence.id },
      _count: { _all: true },
    });
    expect(arms.map((a) => a.arm).sort()).toEqual(['holdout', 'treated']);
    const assignments = await t.prisma.assignment.count({ where: { experimentId: sequence.experimentId! } });
    expect(assignments).toBe(first.enrollmentsCreated);
  });

  it('creates the demo signal rules and opens spend-spike signals with one task each', async () => {
    expect(first.signalRulesCreated).toEqual(DEMO_SIGNAL_RULES.map((r) => r.key));
    const board = await get<SignalBoard>('/v1/signals/board');
    expect(board.open).toBe(first.signalsOpened);
    const spike = board.teams
      .find((team) => team.ownerTeam === 'account-management')
      ?.rules.find((r) => r.ruleKey === 'spend-spike-30d');
    expect(spike?.open).toBeGreaterThan(0);
    const signals = await t.prisma.healthSignal.findMany({ where: { rule: { key: 'spend-spike-30d' } } });
    expect(await t.prisma.callTask.count({ where: { signalId: { in: signals.map((x) => x.id) } } })).toBe(
      signals.length,
    );
  });

  it('changes nothing when run again', async () => {
    const counts = async () => ({
      customers: await t.prisma.customer.count(),
      assignments: await t.prisma.assignment.count(),
      events: await t.prisma.event.count(),
      experiments: await t.prisma.experiment.count(),
      metrics: await t.prisma.metric.count(),
      snapshots: await t.prisma.resultSnapshot.count(),
      campaigns: await t.prisma.campaign.count(),
      costs: await t.prisma.campaignCost.count(),
      targets: await t.prisma.programTarget.count(),
      audit: await t.prisma.auditLog.count(),
    });
    const before = await counts();
    const again = await seedDemo(t.prisma, new Date(NOW.getTime() + 3_600_000));
    expect(again).toMatchObject({
      customersCreated: 0,
      metricsCreated: [],
      experimentsCreated: [],
      assignmentsCreated: 0,
      eventsCreated: 0,
      resultsComputed: [],
      campaignsCreated: [],
    });
    expect(await counts()).toEqual(before);
  }, 300_000);

  it('targets the holdout test at lapsed and regular customers, about 20% held out', async () => {
    const segments = await t.prisma.$queryRaw<{ segment: string }[]>`
      SELECT DISTINCT c.segment FROM assignments a
        JOIN experiments e ON e.id = a.experiment_id JOIN customers c ON c.id = a.customer_id
       WHERE e.key = 'winback-email-q1' ORDER BY c.segment`;
    expect(segments.map((s) => s.segment)).toEqual(['lapsed', 'regular']);
    const { control, treatment } = await armOutcomes('winback-email-q1', 'order');
    const share = control.n / (control.n + treatment.n);
    expect(Math.abs(share - 0.2)).toBeLessThan(0.03);
  });

  it('exposes nobody before they became a customer', async () => {
    const [early] = await t.prisma.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM events x JOIN customers c ON c.id = x.customer_id
       WHERE x.type IN ('exposure', 'order') AND x.occurred_at < c.acquisition_date`;
    expect(Number(early?.n)).toBe(0);
  });

  for (const [key, effect] of Object.entries(DEMO_TRUE_EFFECTS)) {
    it(`${key}: the observed difference matches the built-in effect within sampling error`, async () => {
      const eventName = effect.metric === 'plan_upgrade' ? 'plan_upgrade' : 'order';
      const { control, treatment } = await armOutcomes(key, eventName);
      expect(Math.abs(control.rate - effect.control)).toBeLessThan(
        4 * Math.sqrt((effect.control * (1 - effect.control)) / control.n),
      );
      const se = Math.sqrt(
        (effect.control * (1 - effect.control)) / control.n +
          (effect.treatment * (1 - effect.treatment)) / treatment.n,
      );
      const observed = treatment.rate - control.rate;
      expect(Math.abs(observed - (effect.treatment - effect.control))).toBeLessThan(3 * se);
      // Built to be detectable: the true difference is well above the noise of these sample sizes.
      expect((effect.treatment - effect.control) / se).toBeGreaterThan(2);
    });

    it(`${key}: its stored results hold the primary metric with an interval covering the built-in effect`, async () => {
      const results = await get<ExperimentResults>(`/v1/experiments/${await experimentId(key)}/results`);
      const primary = results.metrics.find((m) => m.role === 'primary');
      expect(primary?.key).toBe(effect.metric);
      const treated = primary?.variants.find((v) => !v.isControl);
      const [lower, upper] = treated?.absolute?.ci ?? [null, null];
      const truth = effect.treatment - effect.control;
      expect(lower).not.toBeNull();
      expect(upper).not.toBeNull();
      expect(lower as number).toBeLessThan(truth);
      expect(upper as number).toBeGreaterThan(truth);
    });
  }

  it('stores each campaign with its cost ledger', async () => {
    for (const demo of DEMO_CAMPAIGNS) {
      const c = await campaign(demo.key);
      expect(c).toMatchObject({
        experimentId: await experimentId(demo.experimentKey),
        variantKey: demo.variantKey,
        programKey: demo.programKey,
        horizonMonths: 12,
        annualDiscountRate: 0.1,
        grossMargins: DEMO_GROSS_MARGINS,
        launchDate: new Date(NOW.getTime() - design(demo.experimentKey).startedDaysAgo * DAY)
          .toISOString()
          .slice(0, 10),
      });
      const ledger = await get<CostLineList>(`/v1/campaigns/${c.id}/costs`);
      const touched = await t.prisma.assignment.count({
        where: { experiment: { key: demo.experimentKey }, variant: { key: demo.variantKey } },
      });
      const entered = demo.costs(touched, DEMO_CUSTOMERS);
      expect(ledger.items.map((l) => [l.category, l.label])).toEqual(
        entered.map((l) => [l.category, l.label]),
      );
      expect(ledger.total).toBeGreaterThan(0);
    }
    const winback = await get<CostLineList>(`/v1/campaigns/${(await campaign('winback-q1')).id}/costs`);
    expect(new Set(winback.items.map((l) => l.category))).toEqual(
      new Set(['technology', 'people', 'content', 'media', 'incentives']),
    );
  });

  for (const demo of DEMO_CAMPAIGNS) {
    it(`${demo.key}: GET /v1/campaigns/:id/roi gives a ROI with its interval and a verdict from the seeded data`, async () => {
      const c = await campaign(demo.key);
      const roi = await get<CampaignRoi>(`/v1/campaigns/${c.id}/roi`);
      const exp = design(demo.experimentKey);
      // Every customer was exposed at least (startedDaysAgo − exposureDays) days ago: that many whole months.
      expect(roi.observedMonths).toBe(Math.floor((exp.startedDaysAgo - exp.exposureDays) / 30));
      expect(roi.observedMonths).toBeGreaterThanOrEqual(1);
      expect(roi.treatedCustomers).toBe(
        await t.prisma.assignment.count({
          where: { experiment: { key: demo.experimentKey }, variant: { key: demo.variantKey } },
        }),
      );
      const { estimate, lower, upper } = roi.projected.roi;
      for (const x of [estimate, lower, upper]) expect(Number.isFinite(x)).toBe(true);
      expect(lower).toBeLessThan(estimate);
      expect(estimate).toBeLessThan(upper);
      expect(['proven', 'incremental_not_profitable', 'unproven']).toContain(roi.projected.verdict);
      expect(roi.projected.reason.length).toBeGreaterThan(0);
      expect(c.lastVerdict).toBe(roi.projected.verdict);

      // The built-in lift of each observed month lies inside that month's interval (before the metric's cap,
      // which only trims the largest orders), and the ROI the built-in lifts earn lies inside the ROI's interval.
      const model = DEMO_MONTHLY_REVENUE[demo.experimentKey];
      const stream = roi.streams.find((s) => s.metricKey === model.metric);
      expect(stream?.stream).toBe(model.revenueStream);
      for (const m of stream?.monthly.filter((x) => x.observed) ?? []) {
        const truth = trueRevenueLift(demo.experimentKey, m.month);
        expect(m.lower, `month ${m.month}`).toBeLessThan(truth);
        expect(m.upper, `month ${m.month}`).toBeGreaterThan(truth);
      }
      const monthlyRate = Math.pow(1 + roi.annualDiscountRate, 1 / 12) - 1;
      let marginPv = 0;
      for (let k = 0; k < roi.horizonMonths; k++) {
        marginPv +=
          roi.treatedCustomers *
          DEMO_GROSS_MARGINS[model.revenueStream] *
          trueRevenueLift(demo.experimentKey, k) *
          Math.pow(1 + monthlyRate, -(k + 1));
      }
      const trueRoi = (marginPv - roi.costs.pv) / roi.costs.pv;
      expect(lower).toBeLessThan(trueRoi);
      expect(upper).toBeGreaterThan(trueRoi);
    });
  }

  it('lists both campaigns, measured, in the portfolio of their launch period', async () => {
    const launches = DEMO_CAMPAIGNS.map((c) =>
      new Date(NOW.getTime() - design(c.experimentKey).startedDaysAgo * DAY).toISOString().slice(0, 10),
    );
    const from = [...launches].sort()[0];
    const portfolio = await get<Portfolio>(
      `/v1/reports/portfolio?from=${from}&to=${NOW.toISOString().slice(0, 10)}`,
    );
    expect(portfolio.campaigns.map((c) => c.key).sort()).toEqual(DEMO_CAMPAIGNS.map((c) => c.key).sort());
    expect(portfolio.totals.measurable).toBe(DEMO_CAMPAIGNS.length);
    for (const c of portfolio.campaigns) {
      expect(c.roi).not.toBeNull();
      expect(c.targetRoi).not.toBeNull();
    }
  });
});
