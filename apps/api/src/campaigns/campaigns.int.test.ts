import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignRoi, ExperimentResults, Portfolio } from '@liftlab/contracts';
import { createTestApp, type Agent, type TestApp } from '../../test/app';
import { FixedClock } from '../common/clock';
import { CampaignsService } from './campaigns.service';

/**
 * The campaign pipeline through the API: a simulated holdout campaign with a known lift by month since
 * exposure is ingested (customers, exposures, orders), the experiment's results are refreshed, a campaign with
 * a known ledger is created, and its ROI is checked against a computation by hand from the snapshot.
 */

const DAY = 86_400_000;
const LAUNCH = new Date('2025-01-05T09:00:00Z');
/** Every customer's months 0–2 since exposure are complete by then; month 3 is complete for nobody. */
const NOW = new Date('2025-04-20T00:00:00Z');

/** True incremental revenue per treated customer in months 0, 1, 2 since exposure: 20 × extra-order chance. */
const EXTRA_ORDER = 20;
const EXTRA_CHANCE = [0.2, 0.15, 0.125];
const TRUE_LIFT = EXTRA_CHANCE.map((p) => p * EXTRA_ORDER);

const GROSS_MARGINS = { upsell: 0.6, cross_sell: 0.5, retention: 0.7, other: 1 };
const LEDGER = [
  { category: 'people', label: 'CRM manager', hours: 40, loadedRate: 90 },
  { category: 'media', label: 'Paid social', amount: 2000 },
  { category: 'incentives', label: '5 off', redemptions: 300, discountPerRedemption: 5, month: 1 },
  { category: 'content', label: 'Creative', cost: 6000, usefulLifeMonths: 12, monthsUsed: 6 },
  {
    category: 'technology',
    label: 'E-mail platform',
    monthlyCost: 1000,
    totalCustomers: 20000,
    touchedCustomers: 4000,
    months: 3,
  },
];
/** The same ledger month by month, by hand: month → undiscounted cost. */
const LEDGER_BY_MONTH = [3600 + 2000 + 500 + 200, 1500 + 500 + 200, 500 + 200, 500, 500, 500];

let t: TestApp;
let marketer: Agent;
let executive: Agent;
let lifecycle: Agent;
let admin: Agent;
let readKey: Agent;
let ingestKey: Agent;
let smtp: SMTPServer;
const mails: { to: string[]; raw: string }[] = [];

function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), a | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

interface Arm {
  key: string;
  share: number;
  treated: boolean;
}

/**
 * Customers exposed over 10 days from LAUNCH. Everyone orders with the same habit in months 0–2; treated
 * customers place an extra order of 20 with the month's chance (mid-tier customers twice as often as VIPs) when
 * `lift` is on.
 */
async function seedCampaign(options: {
  experimentKey: string;
  prefix: string;
  customers: number;
  arms: Arm[];
  lift: boolean;
  seed: number;
}): Promise<void> {
  const next = random(options.seed);
  const customers: object[] = [];
  const events: object[] = [];
  for (let i = 0; i < options.customers; i++) {
    const externalId = `${options.prefix}-${i}`;
    const segment = next() < 0.5 ? 'mid-tier' : 'vip';
    customers.push({ externalId, segment, acquisitionDate: next() < 0.5 ? '2024-02-10' : '2024-08-10' });
    let u = next();
    const arm = options.arms.find((a) => (u -= a.share) < 0) ?? (options.arms.at(-1) as Arm);
    const exposedAt = LAUNCH.getTime() + 3_600_000 + Math.floor(next() * 10 * DAY);
    let n = 0;
    const event = (extra: object) =>
      events.push({ clientEventId: `${externalId}-${n++}`, customerId: externalId, ...extra });
    event({
      type: 'exposure',
      name: 'experiment_exposure',
      occurredAt: new Date(exposedAt).toISOString(),
      experimentKey: options.experimentKey,
      variantKey: arm.key,
    });
    const order = (at: number, amount: number) =>
      event({
        type: 'order',
        name: 'order',
        occurredAt: new Date(at).toISOString(),
        amount,
        currency: 'EUR',
      });
    for (let month = 0; month < 3; month++) {
      const start = exposedAt + month * 30 * DAY;
      if (next() < 0.5) order(start + next() * 29 * DAY, Math.round(10 + 40 * next()));
      const chance = (EXTRA_CHANCE[month] as number) * (segment === 'mid-tier' ? 4 / 3 : 2 / 3);
      if (arm.treated && options.lift && next() < chance) order(start + next() * 29 * DAY, EXTRA_ORDER);
    }
  }
  for (let i = 0; i < customers.length; i += 5000) {
    const res = await ingestKey.post('/v1/customers/bulk').send({ customers: customers.slice(i, i + 5000) });
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
  }
  for (let i = 0; i < events.length; i += 10_000) {
    const res = await ingestKey.post('/v1/events').send({ events: events.slice(i, i + 10_000) });
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
    expect(res.body.rejected).toEqual([]);
  }
}

async function createExperiment(key: string, kind: 'ab' | 'holdout', variants: object[]): Promise<string> {
  const res = await marketer
    .post('/v1/experiments')
    .send({ key, name: key, kind, variants, metrics: [{ metricKey: 'upsell-revenue', role: 'primary' }] });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const started = await marketer.post(`/v1/experiments/${res.body.id}/start`);
  expect(started.status, JSON.stringify(started.body)).toBe(200);
  return res.body.id as string;
}

async function refresh(experimentId: string): Promise<ExperimentResults> {
  const res = await marketer.post(`/v1/experiments/${experimentId}/results/refresh`);
  expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(200);
  return res.body as ExperimentResults;
}

async function createCampaign(body: Record<string, unknown>): Promise<{ id: string; key: string }> {
  const res = await marketer
    .post('/v1/campaigns')
    .send({ programKey: 'upsell', grossMargins: GROSS_MARGINS, ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; key: string };
}

async function roiOf(id: string, agent: Agent = marketer, query = ''): Promise<CampaignRoi> {
  const res = await agent.get(`/v1/campaigns/${id}/roi${query}`);
  expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(200);
  return res.body as CampaignRoi;
}

let mainExperiment: string;
let flatExperiment: string;
let skewedExperiment: string;
let results: ExperimentResults;
let main: { id: string; key: string };

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as AddressInfo).port;

  const clock = new FixedClock(LAUNCH);
  t = await createTestApp({
    clock,
    env: { SMTP_URL: `smtp://127.0.0.1:${port}`, PUBLIC_URL: 'http://liftlab.example.com' },
  });
  const users = await Promise.all(
    (['marketer', 'executive', 'lifecycle'] as const).map((r) => t.createUser(r)),
  );
  // Sessions last hours; the clock jumps months between launch and analysis, so everyone signs in again.
  const signIn = async () => {
    const [m, e, l] = users;
    if (!m || !e || !l) throw new Error('test users missing');
    marketer = await t.login(m.email, m.password);
    executive = await t.login(e.email, e.password);
    lifecycle = await t.login(l.email, l.password);
    admin = await t.login(t.admin.email, t.admin.password);
  };
  await signIn();
  readKey = await t.keyAgent('read');
  ingestKey = await t.keyAgent('ingest');

  const metric = await marketer.post('/v1/metrics').send({
    key: 'upsell-revenue',
    name: 'Upsell revenue per customer',
    kind: 'mean',
    eventName: 'order',
    windowDays: 30,
    revenueStream: 'upsell',
  });
  expect(metric.status, JSON.stringify(metric.body)).toBe(201);

  mainExperiment = await createExperiment('upsell-email', 'holdout', [
    { key: 'holdout', name: 'Holdout', weight: 0.2 },
    { key: 'treated', name: 'Upsell e-mail', weight: 0.8 },
  ]);
  flatExperiment = await createExperiment('flat-email', 'holdout', [
    { key: 'holdout', name: 'Holdout', weight: 0.5 },
    { key: 'treated', name: 'Newsletter', weight: 0.5 },
  ]);
  skewedExperiment = await createExperiment('skewed-email', 'ab', [
    { key: 'control', name: 'Control', weight: 0.5 },
    { key: 'email', name: 'E-mail', weight: 0.5 },
  ]);

  clock.set(NOW);
  await signIn();
  await seedCampaign({
    experimentKey: 'upsell-email',
    prefix: 'u',
    customers: 4000,
    arms: [
      { key: 'holdout', share: 0.2, treated: false },
      { key: 'treated', share: 0.8, treated: true },
    ],
    lift: true,
    seed: 11,
  });
  await seedCampaign({
    experimentKey: 'flat-email',
    prefix: 'f',
    customers: 1200,
    arms: [
      { key: 'holdout', share: 0.5, treated: false },
      { key: 'treated', share: 0.5, treated: true },
    ],
    lift: false,
    seed: 22,
  });
  // Configured 50/50, delivered 65/35: a sample-ratio mismatch.
  await seedCampaign({
    experimentKey: 'skewed-email',
    prefix: 's',
    customers: 1200,
    arms: [
      { key: 'control', share: 0.65, treated: false },
      { key: 'email', share: 0.35, treated: true },
    ],
    lift: true,
    seed: 33,
  });
  results = await refresh(mainExperiment);
  await refresh(flatExperiment);
  await refresh(skewedExperiment);

  main = await createCampaign({
    key: 'upsell-email-q1',
    name: 'Upsell e-mail, Q1',
    experimentId: mainExperiment,
    horizonMonths: 12,
    annualDiscountRate: 0.1,
    acquisitionCostPerCustomer: 120,
    costs: LEDGER,
  });
}, 300_000);

afterAll(async () => {
  await t?.close();
  await new Promise<void>((resolve) => smtp?.close(() => resolve()));
});

// ---------------------------------------------------------------------------------------------------------------

/** ROI by hand from the snapshot: month by month, the last observed month carried to the horizon. */
function roiByHand(
  lifts: { estimate: number; lower: number; upper: number }[],
  treated: number,
  margin: number,
  costsByMonth: number[],
  horizon = 12,
  rate = 0.1,
) {
  const rm = Math.pow(1 + rate, 1 / 12) - 1;
  let costs = 0;
  costsByMonth.forEach((c, m) => (costs += c / Math.pow(1 + rm, m)));
  const pv = { estimate: 0, lower: 0, upper: 0 };
  for (let k = 0; k < horizon; k++) {
    const lift = lifts[Math.min(k, lifts.length - 1)] as { estimate: number; lower: number; upper: number };
    const d = 1 / Math.pow(1 + rm, k + 1);
    pv.estimate += treated * margin * lift.estimate * d;
    pv.lower += treated * margin * lift.lower * d;
    pv.upper += treated * margin * lift.upper * d;
  }
  return {
    costs,
    marginPv: pv,
    roi: {
      estimate: (pv.estimate - costs) / costs,
      lower: (pv.lower - costs) / costs,
      upper: (pv.upper - costs) / costs,
    },
  };
}

function snapshotLifts(r: ExperimentResults) {
  const series = r.revenueByMonth.find((s) => s.metricKey === 'upsell-revenue');
  return (series?.months ?? []).map((m) => {
    const treated = m.variants.find((v) => v.key === 'treated');
    const effect = treated?.absolute;
    return {
      month: m.month,
      estimate: effect?.estimate as number,
      lower: effect?.ci[0] as number,
      upper: effect?.ci[1] as number,
    };
  });
}

describe('the simulated campaign through the API', () => {
  it('the analysis recovers the known lift by month since exposure', () => {
    const lifts = snapshotLifts(results);
    expect(lifts.map((l) => l.month)).toEqual([0, 1, 2]);
    lifts.forEach((l, k) => {
      expect(l.lower).toBeLessThan(TRUE_LIFT[k] as number);
      expect(l.upper).toBeGreaterThan(TRUE_LIFT[k] as number);
    });
    expect(results.srm?.flagged).toBe(false);
  });

  it('ROI equals the hand computation from the snapshot and the ledger', async () => {
    const roi = await roiOf(main.id);
    const treated = results.metrics[0]?.variants.find((v) => v.key === 'treated')?.n as number;
    expect(treated).toBeGreaterThan(3000);
    const hand = roiByHand(snapshotLifts(results), treated, GROSS_MARGINS.upsell, LEDGER_BY_MONTH);

    expect(roi.snapshot.id).toBe(results.id);
    expect(roi.treatedCustomers).toBe(treated);
    expect(roi.observedMonths).toBe(3);
    expect(roi.costs.total).toBeCloseTo(
      LEDGER_BY_MONTH.reduce((a, b) => a + b, 0),
      9,
    );
    expect(roi.costs.pv).toBeCloseTo(hand.costs, 6);
    for (const key of ['estimate', 'lower', 'upper'] as const) {
      expect(roi.projected.incrementalMarginPv[key]).toBeCloseTo(hand.marginPv[key], 4);
      expect(roi.projected.roi[key]).toBeCloseTo(hand.roi[key], 9);
    }
    expect(roi.projected.verdict).toBe('proven');
    expect(roi.projected.projection).toBe('carry_last_observed_month');

    // The true lift's ROI lies inside the reported interval.
    const truth = roiByHand(
      TRUE_LIFT.map((v) => ({ estimate: v, lower: v, upper: v })),
      treated,
      GROSS_MARGINS.upsell,
      LEDGER_BY_MONTH,
    );
    expect(truth.roi.estimate).toBeGreaterThan(roi.projected.roi.lower);
    expect(truth.roi.estimate).toBeLessThan(roi.projected.roi.upper);

    // Observed months only: three months of margin against the whole ledger.
    const observed = roiByHand(snapshotLifts(results), treated, GROSS_MARGINS.upsell, LEDGER_BY_MONTH, 3);
    expect(roi.observed.roi.estimate).toBeCloseTo(observed.roi.estimate, 9);

    expect(roi.streams).toHaveLength(1);
    expect(roi.streams[0]?.monthly.map((m) => m.observed)).toEqual([
      true,
      true,
      true,
      ...Array(9).fill(false),
    ]);
    expect(roi.ltvToCac?.acquisitionCostPerCustomer).toBe(120);
    expect(roi.ltvToCac?.incrementalLtvPerCustomer).toBeCloseTo(hand.marginPv.estimate / treated, 9);
    expect(roi.ltvToCac?.ratio).toBeCloseTo((roi.ltvToCac?.ltvPerCustomer as number) / 120, 12);
    // Payback by hand: the first month from which the discounted margin so far covers the discounted costs.
    const rm = Math.pow(1.1, 1 / 12) - 1;
    const lifts = snapshotLifts(results);
    let cumulative = 0;
    let payback: number | null = null;
    for (let k = 0; k < 12; k++) {
      const lift = (lifts[Math.min(k, 2)] as { estimate: number }).estimate;
      cumulative += (treated * GROSS_MARGINS.upsell * lift) / Math.pow(1 + rm, k + 1);
      cumulative -= (LEDGER_BY_MONTH[k] ?? 0) / Math.pow(1 + rm, k);
      if (cumulative >= 0) payback ??= k + 1;
      else payback = null;
    }
    expect(roi.projected.paybackMonth).toBe(payback);
  });

  it('breaks the return down by segment: mid-tier customers pay more than VIPs', async () => {
    const roi = await roiOf(main.id, executive, '?by=segment');
    expect(roi.breakdown?.by).toBe('segment');
    const rows = roi.breakdown?.rows ?? [];
    expect(rows.map((r) => r.value).sort()).toEqual(['all customers', 'mid-tier', 'vip']);
    const get = (v: string) => rows.find((r) => r.value === v) as (typeof rows)[number];
    expect(get('mid-tier').roi.estimate).toBeGreaterThan(get('vip').roi.estimate);
    expect(get('mid-tier').costsPv + get('vip').costsPv).toBeCloseTo(get('all customers').costsPv, 6);
    expect(get('all customers').costsPv).toBeCloseTo(roi.costs.pv, 6);

    const cohorts = await roiOf(main.id, marketer, '?by=cohort');
    expect(cohorts.breakdown?.dimension).toBe('acquisitionCohort');
    expect(cohorts.breakdown?.rows.length).toBeGreaterThanOrEqual(3);

    const bad = await marketer.get(`/v1/campaigns/${main.id}/roi?by=channel`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ path: 'query.by', rule: 'one_of' }]);
  });
});

describe('verdicts', () => {
  it('proven → incremental, not yet profitable when the costs outgrow the low end of the lift', async () => {
    const c = await createCampaign({
      key: 'big-spend',
      name: 'Big spend',
      experimentId: mainExperiment,
      costs: LEDGER,
    });
    expect((await roiOf(c.id)).projected.verdict).toBe('proven');

    const service = t.app.get(CampaignsService);
    await service.recordVerdicts(t.clock.now());
    const tv = await marketer
      .post(`/v1/campaigns/${c.id}/costs`)
      .send({ category: 'media', label: 'TV', amount: 150000 });
    expect(tv.status, JSON.stringify(tv.body)).toBe(201);
    const after = await roiOf(c.id);
    expect(after.projected.verdict).toBe('incremental_not_profitable');
    expect(after.projected.roi.lower).toBeLessThan(0);

    t.clock.advanceMinutes(60);
    const { changed } = await service.recordVerdicts(t.clock.now());
    expect(changed).toBeGreaterThanOrEqual(1);
    const got = await marketer.get(`/v1/campaigns/${c.id}`);
    expect(got.body).toMatchObject({
      lastVerdict: 'incremental_not_profitable',
      verdictChangedAt: t.clock.now().toISOString(),
    });
    const audit = await admin.get(`/v1/audit-log?entityType=campaign&entityId=${c.id}`);
    const changes = (
      audit.body.items as { action: string; before: unknown; after: { verdict: string } }[]
    ).filter((e) => e.action === 'campaign.verdict');
    expect(changes.map((e) => [(e.before as { verdict: string | null }).verdict, e.after.verdict])).toEqual([
      ['proven', 'incremental_not_profitable'],
      [null, 'proven'],
    ]);
  });

  it('unproven when the campaign has no effect', async () => {
    const c = await createCampaign({
      key: 'flat',
      name: 'Newsletter',
      experimentId: flatExperiment,
      costs: LEDGER,
    });
    const roi = await roiOf(c.id);
    expect(roi.projected.verdict).toBe('unproven');
    expect(roi.projected.roi.lower).toBeLessThan(0);
  });

  it('blocked by SRM when the split does not match the plan', async () => {
    const c = await createCampaign({
      key: 'skewed',
      name: 'Skewed',
      experimentId: skewedExperiment,
      costs: LEDGER,
    });
    const roi = await roiOf(c.id);
    expect(roi.srmFlagged).toBe(true);
    expect(roi.projected.verdict).toBe('blocked_by_srm');
    expect(roi.variantKey).toBe('email');
  });

  it('412 naming what is missing when nothing can be measured yet', async () => {
    const c = await createCampaign({ key: 'no-costs', name: 'No costs', experimentId: mainExperiment });
    const res = await marketer.get(`/v1/campaigns/${c.id}/roi`);
    expect(res.status).toBe(412);
    expect(res.body.errors).toEqual([{ path: 'costs', rule: 'total_above_0' }]);
  });
});

describe('ledger and campaign validation', () => {
  it('400 naming the field and the rule', async () => {
    const cases: [object, { path: string; rule: string }[]][] = [
      [
        {
          category: 'technology',
          label: 'ESP',
          monthlyCost: 10,
          totalCustomers: 100,
          touchedCustomers: 200,
          months: 1,
        },
        [{ path: 'touchedCustomers', rule: 'at_most_total_customers' }],
      ],
      [{ category: 'people', label: 'Team', hours: -1, loadedRate: 50 }, [{ path: 'hours', rule: 'min_0' }]],
      [{ category: 'media', label: 'Social' }, [{ path: 'amount', rule: 'required' }]],
      [{ category: 'media', label: 'Social', amount: 10, month: 1.5 }, [{ path: 'month', rule: 'integer' }]],
      [
        { category: 'content', label: 'Video', cost: 100, usefulLifeMonths: 0, monthsUsed: 1 },
        [{ path: 'usefulLifeMonths', rule: 'min_1' }],
      ],
      [{ category: 'lunch', label: 'x', amount: 1 }, [{ path: 'category', rule: 'one_of' }]],
      [{ category: 'media', label: 'Social', amount: 10, vat: 2 }, [{ path: 'vat', rule: 'unknown_key' }]],
    ];
    for (const [body, errors] of cases) {
      const res = await marketer.post(`/v1/campaigns/${main.id}/costs`).send(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.errors, JSON.stringify(body)).toEqual(errors);
    }
  });

  it('refuses bad campaign terms and unknown experiments or arms', async () => {
    const base = {
      key: 'bad',
      name: 'Bad',
      programKey: 'upsell',
      experimentId: mainExperiment,
      grossMargins: GROSS_MARGINS,
    };
    const expectErrors = async (body: object, errors: { path: string; rule: string }[]) => {
      const res = await marketer.post('/v1/campaigns').send(body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.errors).toEqual(errors);
    };
    await expectErrors({ ...base, grossMargins: { ...GROSS_MARGINS, retention: 1.5 } }, [
      { path: 'grossMargins.retention', rule: 'max_1' },
    ]);
    await expectErrors({ ...base, horizonMonths: 0, annualDiscountRate: -0.1 }, [
      { path: 'horizonMonths', rule: 'min_1' },
      { path: 'annualDiscountRate', rule: 'min_0' },
    ]);
    await expectErrors({ ...base, costs: [{ category: 'media', label: 'x', amount: -5 }] }, [
      { path: 'costs.0.amount', rule: 'min_0' },
    ]);
    await expectErrors({ ...base, experimentId: '0190a0a0-0000-7000-8000-000000000000' }, [
      { path: 'experimentId', rule: 'unknown_experiment' },
    ]);
    await expectErrors({ ...base, variantKey: 'holdout' }, [{ path: 'variantKey', rule: 'not_the_control' }]);
    await expectErrors({ ...base, variantKey: 'nope' }, [{ path: 'variantKey', rule: 'unknown_variant' }]);
    const dup = await marketer.post('/v1/campaigns').send({ ...base, key: main.key });
    expect(dup.status).toBe(409);
  });

  it('edits, replaces and removes ledger lines; the campaign keeps the totals', async () => {
    const c = await createCampaign({ key: 'ledger-edit', name: 'Ledger', experimentId: mainExperiment });
    const added = await marketer.post(`/v1/campaigns/${c.id}/costs`).send({
      category: 'incentives',
      label: '10 off',
      redemptions: 120,
      discountPerRedemption: 10,
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ category: 'incentives', total: 1200, month: 0 });
    const replaced = await marketer
      .put(`/v1/campaigns/${c.id}/costs/${added.body.id}`)
      .send({ category: 'people', label: 'Analyst', hours: 10, loadedRate: 70 });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ id: added.body.id, category: 'people', total: 700 });
    const list = await executive.get(`/v1/campaigns/${c.id}/costs`);
    expect(list.body).toMatchObject({ total: 700, items: [{ label: 'Analyst' }] });
    const removed = await marketer.delete(`/v1/campaigns/${c.id}/costs/${added.body.id}`);
    expect(removed.status).toBe(204);
    expect((await marketer.get(`/v1/campaigns/${c.id}`)).body.costs).toEqual([]);
    const gone = await marketer.delete(`/v1/campaigns/${c.id}/costs/${added.body.id}`);
    expect(gone.status).toBe(404);

    const patched = await marketer
      .patch(`/v1/campaigns/${c.id}`)
      .send({ horizonMonths: 24, startsOn: '2025-02-01' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      horizonMonths: 24,
      startsOn: '2025-02-01',
      launchDate: '2025-02-01',
    });
    expect((await marketer.delete(`/v1/campaigns/${c.id}`)).status).toBe(204);
    expect((await marketer.get(`/v1/campaigns/${c.id}`)).status).toBe(404);
  });
});

describe('roles', () => {
  it('executives read campaigns, ROI and reports but edit nothing; marketers edit', async () => {
    expect((await executive.get('/v1/campaigns')).status).toBe(200);
    expect((await executive.get(`/v1/campaigns/${main.id}`)).status).toBe(200);
    expect((await executive.get(`/v1/campaigns/${main.id}/roi`)).status).toBe(200);
    expect((await executive.get('/v1/reports/portfolio')).status).toBe(200);
    expect((await executive.post('/v1/campaigns').send({})).status).toBe(403);
    expect((await executive.patch(`/v1/campaigns/${main.id}`).send({ name: 'x' })).status).toBe(403);
    expect((await executive.delete(`/v1/campaigns/${main.id}`)).status).toBe(403);
    expect((await executive.post(`/v1/campaigns/${main.id}/costs`).send(LEDGER[1])).status).toBe(403);
    expect((await executive.put('/v1/programs/upsell/targets').send({ targetRoi: 1 })).status).toBe(403);
    expect((await executive.post('/v1/reports/digest/send').send({})).status).toBe(403);
    expect(
      (await marketer.patch(`/v1/campaigns/${main.id}`).send({ name: 'Upsell e-mail (Q1)' })).status,
    ).toBe(200);
    expect((await marketer.post('/v1/reports/digest/send').send({})).status).toBe(403);
    expect((await lifecycle.get('/v1/campaigns')).status).toBe(403);
    expect((await readKey.get(`/v1/campaigns/${main.id}/roi`)).status).toBe(200);
    expect((await ingestKey.get(`/v1/campaigns/${main.id}/roi`)).status).toBe(403);
    expect((await ingestKey.get('/v1/reports/portfolio')).status).toBe(403);
  });
});

describe('planning before launch', () => {
  const fixture = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'campaigns.json'), 'utf8')) as Record<
    string,
    { input: Record<string, unknown>; expected: Record<string, number> }
  >;

  it('puts the break-even lift beside the MDE and proposes a holdout share or audience', async () => {
    const { input, expected } = fixture.planLargerHoldout as {
      input: object;
      expected: Record<string, number>;
    };
    const res = await executive.post('/v1/campaigns/plan').send(input);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.canProvePayback).toBe(false);
    expect(res.body.breakEven.relative).toBeCloseTo(expected.breakEvenRelative as number, 9);
    expect(res.body.minimumDetectableEffect.relative).toBeCloseTo(expected.mdeRelative as number, 6);
    expect(res.body.proposedHoldoutShare).toBe(expected.proposedHoldoutShare);
    expect(res.body.proposedDurationDays).toBe(expected.proposedDurationDays);
    expect(res.body.message).toMatch(/^The test cannot prove this campaign pays/);
  });

  it('400 naming the field', async () => {
    const res = await marketer.post('/v1/campaigns/plan').send({
      audienceSize: 1000,
      holdoutShare: 1.2,
      metric: { type: 'mean', baselineMean: 20 },
      assumedLift: 0.05,
      grossMargin: 0.5,
      costs: [],
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { path: 'holdoutShare', rule: 'lt_1' },
      { path: 'metric.standardDeviation', rule: 'required' },
      { path: 'costs', rule: 'min_1' },
    ]);
  });
});

describe('program targets and benchmarks', () => {
  it('compares a campaign with its target and with the program’s previous quarter', async () => {
    // The same experiment launched (on paper) in the previous quarter with a heavier ledger.
    await createCampaign({
      key: 'upsell-email-q4',
      name: 'Upsell e-mail, Q4',
      experimentId: mainExperiment,
      startsOn: '2024-11-15',
      costs: [...LEDGER, { category: 'media', label: 'TV', amount: 40000 }],
    });
    const put = await marketer
      .put('/v1/programs/upsell/targets')
      .send({ targetRoi: 0.5, sectorReferenceRoi: 1.2, sectorReferenceSource: 'Retail CRM benchmark 2024' });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toMatchObject({ programKey: 'upsell', targetRoi: 0.5, sectorReferenceRoi: 1.2 });

    const q4 = await roiOf(
      (await marketer.get('/v1/campaigns?programKey=upsell&limit=50')).body.items.find(
        (c: { key: string }) => c.key === 'upsell-email-q4',
      ).id,
    );
    const roi = await roiOf(main.id);
    expect(roi.benchmark).toMatchObject({
      programKey: 'upsell',
      quarter: '2025-Q1',
      targetRoi: 0.5,
      sectorReferenceRoi: 1.2,
      vsTarget: roi.projected.roi.lower > 0.5 ? 'above' : 'inconclusive',
    });
    expect(roi.benchmark.previousQuarterRoi).toBeCloseTo(q4.projected.roi.estimate, 9);
    expect(roi.benchmark.vsPreviousQuarter).toBe(
      roi.projected.roi.lower > q4.projected.roi.estimate ? 'better' : 'inconclusive',
    );

    const targets = await executive.get('/v1/programs/upsell/targets');
    expect(targets.status).toBe(200);
    expect(targets.body.trend.map((q: { quarter: string }) => q.quarter)).toEqual(['2024-Q4', '2025-Q1']);
    expect(targets.body.trend[0].pooledRoi).toBeCloseTo(q4.projected.roi.estimate, 9);

    const bad = await marketer.put('/v1/programs/UPSELL/targets').send({ targetRoi: 1 });
    expect(bad.status).toBe(400);
  });
});

describe('executive portfolio and digest', () => {
  let portfolio: Portfolio;

  it('sums the proven campaigns of the quarter, shrunk, with what to scale and stop', async () => {
    const res = await executive.get('/v1/reports/portfolio?from=2025-01-01&to=2025-03-31');
    expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(200);
    portfolio = res.body as Portfolio;
    expect(portfolio.period).toEqual({ from: '2025-01-01', to: '2025-03-31' });
    expect(portfolio.previousPeriod).toEqual({ from: '2024-10-01', to: '2024-12-31' });
    const keys = portfolio.campaigns.map((c) => c.key);
    expect(keys).toContain('upsell-email-q1');
    expect(keys).not.toContain('upsell-email-q4');
    expect(portfolio.previousTotals.campaigns).toBe(1);

    const proven = portfolio.campaigns.filter((c) => c.verdict === 'proven');
    expect(proven.length).toBeGreaterThanOrEqual(1);
    const mainRoi = await roiOf(main.id);
    const mainRow = portfolio.campaigns.find((c) => c.key === 'upsell-email-q1');
    expect(mainRow?.roi?.estimate).toBeCloseTo(mainRoi.projected.roi.estimate, 9);
    expect(portfolio.totals.provenIncrementalMarginPv).toBeCloseTo(
      proven.reduce((s, c) => s + (c.incrementalMarginPv ?? 0), 0),
      6,
    );
    expect(portfolio.shrinkage.campaignsUsed).toBeGreaterThanOrEqual(3);
    expect(portfolio.totals.byVerdict.blocked_by_srm).toBe(1);
    expect(portfolio.campaigns.find((c) => c.key === 'skewed')?.recommendation).toBe('fix_assignment');
    expect(portfolio.campaigns.find((c) => c.key === 'no-costs')?.recommendation).toBe('no_results');
    expect(portfolio.scale).toEqual(
      portfolio.campaigns.filter((c) => c.recommendation === 'scale').map((c) => c.key),
    );
  });

  it('exports CSV and a printable page', async () => {
    const csv = await executive.get('/v1/reports/portfolio?from=2025-01-01&to=2025-03-31&format=csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toContain('portfolio-2025-01-01-to-2025-03-31.csv');
    const lines = csv.text.trimEnd().split('\r\n');
    expect(lines[0]?.startsWith('campaign_key,campaign_name,program,launch_date,verdict,roi,')).toBe(true);
    expect(lines).toHaveLength(portfolio.campaigns.length + 1);
    expect(lines.find((l) => l.startsWith('upsell-email-q1,'))).toContain(',proven,');

    const html = await executive.get('/v1/reports/portfolio?from=2025-01-01&to=2025-03-31&format=html');
    expect(html.status).toBe(200);
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(html.text).toContain('@media print');
    expect(html.text).toContain('Upsell e-mail (Q1)');

    const bad = await executive.get('/v1/reports/portfolio?from=2025-04-01&to=2025-01-01');
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ path: 'query.to', rule: 'not_before_from' }]);
  });

  it('sends the digest to the executives through SMTP (admin only)', async () => {
    const res = await admin.post('/v1/reports/digest/send').send({ from: '2025-01-01', to: '2025-03-31' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      transport: 'smtp',
      outboxFile: null,
      period: { from: '2025-01-01', to: '2025-03-31' },
      link: 'http://liftlab.example.com/v1/reports/portfolio?from=2025-01-01&to=2025-03-31&format=html',
    });
    const executives = (res.body.recipients as string[]).filter((r) => r.startsWith('executive-'));
    expect(executives).toHaveLength(1);
    expect(mails).toHaveLength(1);
    const mail = mails[0] as { to: string[]; raw: string };
    expect(mail.to).toEqual(res.body.recipients);
    // Bodies travel quoted-printable: undo soft line breaks and =XX escapes before reading them.
    const body = mail.raw
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    expect(body).toContain('Subject: Liftlab portfolio 2025-01-01 to 2025-03-31');
    expect(body).toContain(`Full portfolio: ${res.body.link as string}`);
    expect(body).toContain(`${portfolio.totals.byVerdict.proven} proven of ${portfolio.totals.campaigns}`);
  });
});
