import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExperimentResults, MetricResult, ResultSnapshot } from '@liftlab/contracts';
import { createTestApp, type Agent, type TestApp } from '../../test/app';
import { FixedClock } from '../common/clock';
import { AnalysisRepository, type MetricSql, type UnitSource } from './analysis.repository';
import { AnalysisService } from './analysis.service';
import type { StatsRow } from './sufficient-stats';
import {
  perCustomerValues,
  referenceMonths,
  referenceSums,
  simulateCampaign,
  type ReferenceMetric,
  type ReferenceSums,
  type ReferenceUnit,
  type Simulation,
} from './test-simulation';

const NOW = new Date('2025-03-15T00:00:00Z');
const TRUTH = { conversion: { control: 0.2, treatment: 0.26 }, upsell: { probability: 0.25, amount: 20 } };
/** True lifts of the simulation: relative conversion lift and absolute revenue per customer in 28 days. */
const TRUE_CONVERSION_LIFT = TRUTH.conversion.treatment / TRUTH.conversion.control - 1;
const TRUE_REVENUE_LIFT = TRUTH.upsell.probability * TRUTH.upsell.amount;

const METRICS = [
  { key: 'purchase-rate', name: 'Purchase rate', kind: 'proportion', eventName: 'purchase', windowDays: 14 },
  {
    key: 'revenue',
    name: 'Revenue per customer',
    kind: 'mean',
    eventName: 'order',
    windowDays: 28,
    revenueStream: 'upsell',
  },
  {
    key: 'order-value',
    name: 'Average order value',
    kind: 'ratio',
    eventName: 'order',
    denominatorEventName: 'order',
    windowDays: 28,
    capping: 'percentile',
    capValue: 0.95,
  },
  {
    key: 'session-minutes',
    name: 'Session minutes',
    kind: 'mean',
    eventName: 'session',
    valueProperty: 'minutes',
    windowDays: 7,
    capping: 'absolute',
    capValue: 30,
  },
] as const;

const ROLES = ['primary', 'secondary', 'secondary', 'guardrail'] as const;
const DIMENSIONS = ['segment', 'plan', 'acquisitionCohort', 'trait.tier'];

let t: TestApp;
let marketer: Agent;
let ingest: Agent;
let sim: Simulation;
/** Customers who arrive after the first refresh. */
let late: Simulation;
let experimentId: string;
const variantIds = new Map<string, string>();

async function createExperiment(key: string, metrics: readonly { key: string }[]): Promise<{ id: string }> {
  const res = await marketer.post('/v1/experiments').send({
    key,
    name: `Campaign ${key}`,
    variants: [
      { key: 'control', name: 'Control', weight: 0.5 },
      { key: 'treatment', name: 'Upsell e-mail', weight: 0.5 },
    ],
    metrics: metrics.map((m, i) => ({ metricKey: m.key, role: ROLES[i] ?? 'secondary' })),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const started = await marketer.post(`/v1/experiments/${res.body.id}/start`);
  expect(started.status, JSON.stringify(started.body)).toBe(200);
  for (const v of started.body.variants as { id: string; key: string }[])
    variantIds.set(`${key}:${v.key}`, v.id);
  return { id: res.body.id as string };
}

async function ingestSimulation(s: Simulation): Promise<void> {
  for (let i = 0; i < s.customers.length; i += 5000) {
    const res = await ingest.post('/v1/customers/bulk').send({
      customers: s.customers.slice(i, i + 5000).map((c) => ({
        externalId: c.externalId,
        segment: c.segment,
        plan: c.plan,
        acquisitionDate: c.acquisitionDate,
        traits: { tier: c.tier },
      })),
    });
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
  }
  for (let i = 0; i < s.events.length; i += 10_000) {
    const res = await ingest.post('/v1/events').send({ events: s.events.slice(i, i + 10_000) });
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
    expect(res.body.rejected).toEqual([]);
  }
}

beforeAll(async () => {
  t = await createTestApp({ clock: new FixedClock(NOW) });
  marketer = await t.loginAs('marketer');
  ingest = await t.keyAgent('ingest');
  for (const m of METRICS) {
    const res = await marketer.post('/v1/metrics').send(m);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
  experimentId = (await createExperiment('upsell-email', METRICS)).id;
  const settings = await marketer
    .put(`/v1/experiments/${experimentId}/results/settings`)
    .send({ dimensions: DIMENSIONS });
  expect(settings.status, JSON.stringify(settings.body)).toBe(200);
  sim = simulateCampaign({
    customers: 3000,
    seed: 20250110,
    start: new Date('2025-01-10T00:00:00Z'),
    days: 12,
    experimentKey: 'upsell-email',
    truth: TRUTH,
  });
  await ingestSimulation(sim);
}, 180_000);

afterAll(() => t?.close());

// ------------------------------------------------------------------------------------------------ helpers

function units(s: Simulation, experimentKey: string): ReferenceUnit[] {
  return s.customers.map((c) => ({
    customer: c.externalId,
    arm: variantIds.get(`${experimentKey}:${c.arm}`) as string,
    enrolledAt: c.exposedAt.getTime(),
    groups: {
      day: c.exposedAt.toISOString().slice(0, 10),
      segment: c.segment,
      plan: c.plan ?? '(none)',
      acquisitionCohort: c.acquisitionDate.slice(0, 7),
      'trait.tier': c.tier,
    },
  }));
}

function toSql(m: (typeof METRICS)[number]): MetricSql & ReferenceMetric {
  const x = m as Partial<Record<string, unknown>>;
  return {
    kind: m.kind,
    eventName: m.eventName,
    valueProperty: (x.valueProperty as string | undefined) ?? null,
    denominatorEventName: (x.denominatorEventName as string | undefined) ?? null,
    denominatorValueProperty: null,
    windowDays: m.windowDays,
    capping: (x.capping as 'none' | 'absolute' | 'percentile' | undefined) ?? 'none',
    capValue: (x.capValue as number | undefined) ?? null,
  };
}

const FIELDS_MEAN = ['n', 'sum', 'sumSquares', 'preSum', 'preSumSquares', 'sumProducts'] as const;
const FIELDS_RATIO = [
  ...FIELDS_MEAN,
  'denSum',
  'denSumSquares',
  'sumNumDen',
  'preDenSum',
  'preDenSumSquares',
  'sumNumPreDen',
  'sumDenPreNum',
  'sumDenPreDen',
  'sumPreNumPreDen',
] as const;

function expectSame(sql: StatsRow, js: ReferenceSums | undefined, ratio: boolean, label: string): void {
  expect(js, `${label}: a group the rows do not have`).toBeDefined();
  for (const f of ratio ? FIELDS_RATIO : FIELDS_MEAN) {
    const a = sql[f] as number;
    const b = (js as ReferenceSums)[f];
    expect(Math.abs(a - b), `${label} ${f}: SQL ${a} vs JS ${b}`).toBeLessThanOrEqual(
      1e-9 * Math.max(1, Math.abs(b)),
    );
  }
}

function metricOf(results: ExperimentResults | ResultSnapshot, key: string): MetricResult {
  const m = results.metrics.find((x) => x.key === key);
  expect(m, key).toBeDefined();
  return m as MetricResult;
}

// ------------------------------------------------------------------------------------------------ tests

describe('sufficient statistics pushed down to the database', () => {
  it('equal the sums computed in JS from the same rows: every metric, arm, day and dimension value', async () => {
    const repo = t.app.get(AnalysisRepository);
    const source: UnitSource = { kind: 'experiment', workspaceId: t.workspaceId, experimentId };
    const ref = units(sim, 'upsell-email');
    for (const family of ['mean', 'ratio'] as const) {
      const metrics = METRICS.filter((m) => (m.kind === 'ratio') === (family === 'ratio')).map(toSql);
      const query = { source, until: NOW, metrics, dimensions: DIMENSIONS, withPrePeriod: true, byDay: true };
      const rows = family === 'mean' ? await repo.meanFamily(query) : await repo.ratioFamily(query);
      // One row per metric × arm for 'all', per day and per dimension value.
      const days = new Set(ref.map((u) => u.groups.day));
      const values = DIMENSIONS.reduce((s, d) => s + new Set(ref.map((u) => u.groups[d])).size, 0);
      expect(rows).toHaveLength(metrics.length * 2 * (1 + days.size + values));

      metrics.forEach((metric, i) => {
        const { values: perCustomer, cap } = perCustomerValues(ref, sim.events, metric, NOW.getTime());
        const mine = rows.filter((r) => r.metric === i);
        const byArm = referenceSums(ref, perCustomer, (u) => u.arm);
        const byDay = referenceSums(ref, perCustomer, (u) => `${u.arm}|${u.groups.day}`);
        for (const r of mine) {
          if (cap === null) expect(r.cap).toBeNull();
          else expect(r.cap as number).toBeCloseTo(cap, 9);
          const label = `${metric.eventName} ${r.grouping} ${r.dimension ?? ''} ${r.value ?? ''} ${r.arm}`;
          if (r.grouping === 'all') expectSame(r, byArm.get(r.arm), family === 'ratio', label);
          else if (r.grouping === 'day')
            expectSame(r, byDay.get(`${r.arm}|${r.value}`), family === 'ratio', label);
          else {
            const dim = r.dimension;
            const sums = referenceSums(ref, perCustomer, (u) => `${u.arm}|${u.groups[dim]}`);
            expectSame(r, sums.get(`${r.arm}|${r.value}`), family === 'ratio', label);
          }
        }
      });
    }
  });

  it('caps in SQL: the session-minutes cap (absolute 30) and the order-value percentile change the sums', async () => {
    const repo = t.app.get(AnalysisRepository);
    const source: UnitSource = { kind: 'experiment', workspaceId: t.workspaceId, experimentId };
    const minutes = toSql(METRICS[3]);
    const query = { source, until: NOW, dimensions: [], withPrePeriod: false, byDay: false };
    const capped = await repo.meanFamily({ ...query, metrics: [minutes] });
    const uncapped = await repo.meanFamily({
      ...query,
      metrics: [{ ...minutes, capping: 'none', capValue: null }],
    });
    const total = (rows: StatsRow[]) => rows.reduce((s, r) => s + r.sum, 0);
    expect(capped.every((r) => r.cap === 30)).toBe(true);
    expect(total(capped)).toBeLessThan(total(uncapped));
  });

  it('splits revenue by 30-day month since exposure, counting only completed months', async () => {
    const repo = t.app.get(AnalysisRepository);
    const source: UnitSource = { kind: 'experiment', workspaceId: t.workspaceId, experimentId };
    const rows = await repo.monthly({ source, until: NOW, metrics: [toSql(METRICS[1])], caps: [null] });
    const ref = referenceMonths(units(sim, 'upsell-email'), sim.events, 'order', NOW.getTime());
    expect(rows.length).toBe(ref.size);
    expect(new Set(rows.map((r) => r.month))).toEqual(new Set([0, 1]));
    for (const r of rows) {
      const js = ref.get(`${r.arm}|${r.month}`);
      expect(js).toBeDefined();
      expect(r.n).toBe(js?.n);
      expect(r.sum).toBeCloseTo(js?.sum as number, 6);
      expect(r.sumSquares).toBeCloseTo(js?.sumSquares as number, 4);
    }
  });
});

describe('results through the API', () => {
  let refreshed: ExperimentResults;

  it('has no results before the first refresh (reading never computes)', async () => {
    const res = await marketer.get(`/v1/experiments/${experimentId}/results`);
    expect(res.status).toBe(404);
    expect(res.body.detail).toMatch(/refresh/);
  });

  it('refreshes on demand; the estimates cover the true lifts of the simulation', async () => {
    const res = await marketer.post(`/v1/experiments/${experimentId}/results/refresh`);
    expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(200);
    refreshed = res.body as ExperimentResults;
    expect(refreshed).toMatchObject({
      kind: 'experiment',
      experimentId,
      engine: 'frequentist',
      correction: 'holm',
      trigger: 'manual',
      dataUntil: NOW.toISOString(),
      units: 3000,
      verdictBlockedBy: null,
    });
    expect(refreshed.srm?.flagged).toBe(false);

    const purchase = metricOf(refreshed, 'purchase-rate');
    const treated = purchase.variants.find((v) => v.key === 'treatment');
    const [lo, hi] = treated?.relative?.ci ?? [null, null];
    expect(lo as number).toBeLessThan(TRUE_CONVERSION_LIFT);
    expect(hi as number).toBeGreaterThan(TRUE_CONVERSION_LIFT);
    // Holm across the 3 goal metrics × 1 variant: intervals at α/3.
    expect(treated?.relative?.ciLevel).toBeCloseTo(1 - 0.05 / 3, 12);
    expect(treated?.relative?.adjustedPValue).toBeGreaterThanOrEqual(treated?.relative?.pValue as number);

    const revenue = metricOf(refreshed, 'revenue');
    expect(revenue.cuped).toBe(true);
    const lift = revenue.variants.find((v) => v.key === 'treatment')?.absolute;
    expect(lift?.ci[0] as number).toBeLessThan(TRUE_REVENUE_LIFT);
    expect(lift?.ci[1] as number).toBeGreaterThan(TRUE_REVENUE_LIFT);

    // The guardrail is not part of the corrected family.
    const minutes = metricOf(refreshed, 'session-minutes');
    expect(minutes.corrected).toBe(false);
    expect(minutes.cap).toBe(30);
    const mt = minutes.variants.find((v) => v.key === 'treatment')?.relative;
    expect(mt?.adjustedPValue).toBe(mt?.pValue);
    expect(mt?.ciLevel).toBeCloseTo(0.95, 12);

    expect(refreshed.verdict).toMatchObject({ status: 'winner', variantKey: 'treatment' });
  });

  it('CUPED narrows the revenue interval compared with the plain analysis', async () => {
    const off = await marketer.put(`/v1/experiments/${experimentId}/results/settings`).send({ cuped: false });
    expect(off.status).toBe(200);
    const plain = (await marketer.post(`/v1/experiments/${experimentId}/results/refresh`))
      .body as ExperimentResults;
    const on = await marketer.put(`/v1/experiments/${experimentId}/results/settings`).send({ cuped: true });
    expect(on.status).toBe(200);
    const plainLift = metricOf(plain, 'revenue').variants[1]?.absolute;
    const cupedLift = metricOf(refreshed, 'revenue').variants[1]?.absolute;
    expect(metricOf(plain, 'revenue').cuped).toBe(false);
    expect(cupedLift?.se as number).toBeLessThan(plainLift?.se as number);
    refreshed = (await marketer.post(`/v1/experiments/${experimentId}/results/refresh`))
      .body as ExperimentResults;
  });

  it('GET reads the stored snapshot: new data appear only after the next refresh', async () => {
    late = simulateCampaign({
      customers: 20,
      seed: 7,
      start: new Date('2025-01-20T00:00:00Z'),
      days: 2,
      experimentKey: 'upsell-email',
      truth: TRUTH,
      prefix: 'late',
    });
    await ingestSimulation(late);
    const read = await marketer.get(`/v1/experiments/${experimentId}/results`);
    expect(read.status).toBe(200);
    expect(read.body.id).toBe(refreshed.id);
    expect(read.body.units).toBe(3000);
    expect(read.body.dimensions).toEqual([]);
    expect(read.body.availableDimensions).toEqual(DIMENSIONS);

    t.clock.set('2025-03-15T01:00:00Z');
    const again = await marketer.post(`/v1/experiments/${experimentId}/results/refresh`);
    expect(again.body.units).toBe(3020);
    expect(again.body.dataUntil).toBe('2025-03-15T01:00:00.000Z');
    const after = await marketer.get(`/v1/experiments/${experimentId}/results`);
    expect(after.body.id).toBe(again.body.id);
  });

  it('breaks results down by a dimension, with a multiple-testing caveat', async () => {
    const res = await marketer.get(`/v1/experiments/${experimentId}/results?dimension=segment`);
    expect(res.status).toBe(200);
    const [breakdown] = res.body.dimensions as ExperimentResults['dimensions'];
    expect(breakdown?.dimension).toBe('segment');
    expect(breakdown?.values.map((v) => v.value).sort()).toEqual(['lapsed', 'loyal', 'new']);
    expect(breakdown?.values.reduce((s, v) => s + v.n, 0)).toBe(res.body.units);
    // 3 values × 3 goal metrics × 1 variant.
    expect(breakdown?.comparisons).toBe(9);
    expect(breakdown?.caveat).toMatch(/9 comparisons/);
    expect(breakdown?.caveat).toMatch(/by chance/);

    const tier = await marketer.get(`/v1/experiments/${experimentId}/results?dimension=trait.tier`);
    expect(tier.body.dimensions[0].values.map((v: { value: string }) => v.value).sort()).toEqual([
      'gold',
      'silver',
    ]);

    const missing = await marketer.get(`/v1/experiments/${experimentId}/results?dimension=country`);
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([{ path: 'query.dimension', rule: 'not_computed' }]);
    const bad = await marketer.get(`/v1/experiments/${experimentId}/results?dimension=shoe-size`);
    expect(bad.status).toBe(400);
  });

  it('serves the cumulative lift by day of entry; the last point is the overall estimate', async () => {
    const res = await marketer.get(`/v1/experiments/${experimentId}/results/cumulative`);
    expect(res.status).toBe(200);
    const series = (res.body.series as { metricKey: string; variantKey: string; points: unknown[] }[]).find(
      (s) => s.metricKey === 'purchase-rate' && s.variantKey === 'treatment',
    ) as {
      points: { date: string; controlN: number; variantN: number; relative: { estimate: number } | null }[];
    };
    const days = new Set([
      ...[...sim.customers, ...late.customers].map((c) => c.exposedAt.toISOString().slice(0, 10)),
    ]);
    expect(series.points.map((p) => p.date)).toEqual([...days].sort());
    const last = series.points.at(-1);
    const latest = (await marketer.get(`/v1/experiments/${experimentId}/results`)).body as ExperimentResults;
    const overall = metricOf(latest, 'purchase-rate').variants[1];
    expect((last?.controlN ?? 0) + (last?.variantN ?? 0)).toBe(latest.units);
    expect(last?.relative?.estimate).toBeCloseTo(overall?.relative?.estimate as number, 12);
    // Customers accumulate day by day.
    const sizes = series.points.map((p) => p.controlN + p.variantN);
    expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
  });

  it('gives revenue metrics a per-month absolute lift for campaign ROI, through latestSnapshot', async () => {
    const snapshot = await t.app.get(AnalysisService).latestSnapshot(experimentId);
    expect(snapshot?.revenueByMonth.map((r) => r.metricKey)).toEqual(['revenue']);
    const months = snapshot?.revenueByMonth[0]?.months ?? [];
    expect(months.map((m) => m.month)).toEqual([0, 1]);
    const month0 = months[0]?.variants.find((v) => !v.isControl)?.absolute;
    expect(month0?.ci[0] as number).toBeLessThan(month0?.estimate as number);
    // The upsell order falls in month 0: that month carries the lift.
    expect(month0?.ci[0] as number).toBeLessThan(TRUE_REVENUE_LIFT);
    expect(month0?.ci[1] as number).toBeGreaterThan(TRUE_REVENUE_LIFT);
  });

  it('refuses a draft experiment and answers 404 for another workspace or an unknown id', async () => {
    const draft = await marketer.post('/v1/experiments').send({
      key: 'draft-one',
      name: 'Draft',
      variants: [
        { key: 'a', name: 'A', weight: 0.5 },
        { key: 'b', name: 'B', weight: 0.5 },
      ],
    });
    const res = await marketer.post(`/v1/experiments/${draft.body.id}/results/refresh`);
    expect(res.status).toBe(409);
    const unknown = await marketer.get('/v1/experiments/00000000-0000-7000-8000-000000000000/results');
    expect(unknown.status).toBe(404);
  });

  it('lets executives and read keys read but not refresh; ingest keys cannot read', async () => {
    const executive = await t.loginAs('executive');
    expect((await executive.get(`/v1/experiments/${experimentId}/results`)).status).toBe(200);
    expect((await executive.post(`/v1/experiments/${experimentId}/results/refresh`)).status).toBe(403);
    const reader = await t.keyAgent('read');
    expect((await reader.get(`/v1/experiments/${experimentId}/results/cumulative`)).status).toBe(200);
    expect((await ingest.get(`/v1/experiments/${experimentId}/results`)).status).toBe(403);
  });
});

describe('sample ratio mismatch', () => {
  it('blocks every winner verdict and says why', async () => {
    const { id } = await createExperiment('srm-campaign', [METRICS[0]]);
    const skewed = simulateCampaign({
      customers: 1200,
      seed: 99,
      start: new Date('2025-01-20T00:00:00Z'),
      days: 5,
      experimentKey: 'srm-campaign',
      truth: { conversion: { control: 0.1, treatment: 0.3 }, upsell: { probability: 0, amount: 0 } },
      prefix: 'srm',
    });
    // Lose a third of the control group's exposures, as a broken logging pipeline would.
    const lost = new Set(
      skewed.customers.filter((c, i) => c.arm === 'control' && i % 3 === 0).map((c) => c.externalId),
    );
    skewed.customers = skewed.customers.filter((c) => !lost.has(c.externalId));
    skewed.events = skewed.events.filter((e) => !lost.has(e.customerId));
    await ingestSimulation(skewed);

    const res = await marketer.post(`/v1/experiments/${id}/results/refresh`);
    expect(res.status).toBe(200);
    const body = res.body as ExperimentResults;
    expect(body.srm?.flagged).toBe(true);
    expect(body.verdictBlockedBy).toBe('srm');
    expect(body.verdict.status).toBe('blocked_by_srm');
    expect(body.verdict.reason).toMatch(/Sample ratio mismatch/);
    expect(body.warnings[0]).toMatch(/Sample ratio mismatch/);
    const treated = metricOf(body, 'purchase-rate').variants[1];
    // The effect itself is large and significant; only the verdict is withheld.
    expect(treated?.relative?.pValue as number).toBeLessThan(0.001);
    expect(treated?.verdict).toBe('blocked_by_srm');
  });
});

describe('global holdout report', () => {
  it('compares everyone reached by retention work with the global holdout', async () => {
    expect((await marketer.get('/v1/reports/global-holdout')).status).toBe(404);
    // The simulated control group is the global holdout, decided at exposure (10% planned would flag SRM, so 50).
    await t.prisma.workspace.update({ where: { id: t.workspaceId }, data: { globalHoldoutPercent: 50 } });
    const everyone = [...sim.customers, ...late.customers];
    const customers = await t.prisma.customer.findMany({
      where: { workspaceId: t.workspaceId, externalId: { in: everyone.map((c) => c.externalId) } },
      select: { id: true, externalId: true },
    });
    const byExternal = new Map(everyone.map((c) => [c.externalId, c]));
    await t.prisma.globalHoldoutMember.createMany({
      data: customers.map((c) => {
        const s = byExternal.get(c.externalId);
        return {
          workspaceId: t.workspaceId,
          customerId: c.id,
          inHoldout: s?.arm === 'control',
          decidedAt: s?.exposedAt as Date,
        };
      }),
    });
    t.clock.set(NOW);
    const res = await marketer.post('/v1/reports/global-holdout/refresh');
    expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(200);
    expect(res.body).toMatchObject({ kind: 'global_holdout', experimentId: null, units: 3020 });
    expect(res.body.srm.arms.map((a: { key: string }) => a.key)).toEqual(['holdout', 'treated']);
    expect(res.body.dimensions).toBeUndefined();

    // Same customers, same entry times, same windows as the experiment: the same lift estimates.
    const same = await marketer.post(`/v1/experiments/${experimentId}/results/refresh`);
    expect(same.status).toBe(200);
    const current = same.body as ExperimentResults;
    expect(current.units).toBe(3020);
    const holdoutRevenue = metricOf(res.body as ResultSnapshot, 'revenue').variants[1]?.absolute;
    const experimentRevenue = metricOf(current, 'revenue').variants[1]?.absolute;
    expect(holdoutRevenue?.estimate).toBeCloseTo(experimentRevenue?.estimate as number, 9);
    expect(holdoutRevenue?.ci[0] as number).toBeLessThan(TRUE_REVENUE_LIFT);
    expect(holdoutRevenue?.ci[1] as number).toBeGreaterThan(TRUE_REVENUE_LIFT);

    const read = await (await t.loginAs('executive')).get('/v1/reports/global-holdout');
    expect(read.status).toBe(200);
    expect(read.body.id).toBe(res.body.id);
  });
});

describe('entry into an experiment', () => {
  it('starts at the earlier of assignment and first exposure; the assigned variant wins', async () => {
    const { id } = await createExperiment('mixed-entry', [METRICS[0]]);
    const csv =
      'customerId,experimentKey,variantKey,assignedAt\n' +
      'mix-a,mixed-entry,control,2025-01-01T10:00:00Z\n' +
      'mix-c,mixed-entry,treatment,2025-01-20T10:00:00Z\n';
    const imported = await marketer.post('/v1/imports/experiment').set('Content-Type', 'text/csv').send(csv);
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    const exposure = (id: string, customer: string, at: string, variant: string) => ({
      clientEventId: id,
      type: 'exposure',
      customerId: customer,
      occurredAt: at,
      experimentKey: 'mixed-entry',
      variantKey: variant,
    });
    const purchase = (id: string, customer: string, at: string) => ({
      clientEventId: id,
      type: 'conversion',
      name: 'purchase',
      customerId: customer,
      occurredAt: at,
    });
    const sent = await ingest.post('/v1/events').send({
      events: [
        // Assigned to control on Jan 1, later logged as exposed to the treatment: control, from Jan 1.
        exposure('mix-1', 'mix-a', '2025-01-10T10:00:00Z', 'treatment'),
        purchase('mix-2', 'mix-a', '2025-01-09T10:00:00Z'),
        // Only an exposure: treatment from Jan 5; a purchase 20 days later is outside the 14-day window.
        exposure('mix-3', 'mix-b', '2025-01-05T10:00:00Z', 'treatment'),
        purchase('mix-4', 'mix-b', '2025-01-25T10:00:00Z'),
        // Exposed on Jan 15 before the assignment on Jan 20: from Jan 15; a purchase on Jan 14 is pre-period.
        exposure('mix-5', 'mix-c', '2025-01-15T10:00:00Z', 'treatment'),
        purchase('mix-6', 'mix-c', '2025-01-14T10:00:00Z'),
      ],
    });
    expect(sent.body.rejected).toEqual([]);

    const repo = t.app.get(AnalysisRepository);
    const source: UnitSource = { kind: 'experiment', workspaceId: t.workspaceId, experimentId: id };
    const control = variantIds.get('mixed-entry:control') as string;
    const treatment = variantIds.get('mixed-entry:treatment') as string;
    expect(Object.fromEntries(await repo.armCounts(source, NOW))).toEqual({ [control]: 1, [treatment]: 2 });
    const rows = await repo.meanFamily({
      source,
      until: NOW,
      metrics: [toSql(METRICS[0])],
      dimensions: [],
      withPrePeriod: true,
      byDay: true,
    });
    const days = rows
      .filter((r) => r.grouping === 'day')
      .map((r) => [r.arm === control ? 'control' : 'treatment', r.value, r.n, r.sum, r.preSum])
      .sort((a, b) => String(a[1]).localeCompare(String(b[1])));
    expect(days).toEqual([
      ['control', '2025-01-01', 1, 1, 0],
      ['treatment', '2025-01-05', 1, 0, 0],
      ['treatment', '2025-01-15', 1, 0, 1],
    ]);
  });
});

describe('scheduled refresh', () => {
  it('refreshes every running or stopped experiment and the global holdout, never a draft', async () => {
    const stop = await marketer.post(`/v1/experiments/${experimentId}/stop`).send({});
    expect(stop.status, JSON.stringify(stop.body)).toBe(200);
    t.clock.set('2025-03-16T00:00:00Z');
    const service = t.app.get(AnalysisService);
    // upsell-email (stopped), srm-campaign and mixed-entry (running), the global holdout; draft-one is skipped.
    expect(await service.refreshAll(t.clock.now())).toEqual({ refreshed: 4, failed: 0 });
    const latest = await service.latestSnapshot(experimentId);
    expect(latest).toMatchObject({
      trigger: 'schedule',
      dataUntil: '2025-03-16T00:00:00.000Z',
      experimentStatus: 'stopped',
    });
    expect((await service.latestGlobalHoldout(t.workspaceId))?.trigger).toBe('schedule');
  });
});
