import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SegmentFinder } from '@liftlab/contracts';
import { createTestApp, type Agent, type TestApp } from '../../test/app';
import { FixedClock } from '../common/clock';

/**
 * The segment finder on a simulated holdout experiment whose effect differs by segment (none for new
 * customers, +3 points for active, +15 points for at-risk and lapsed): the customer rows and the expected
 * lifts, Cochran's Q and Qini curve come from fixtures/gen_segment_finder.py (scipy / statsmodels).
 */

interface Fixture {
  k: number;
  rows: [string, 'holdout' | 'treated', 0 | 1][];
  expected: {
    segments: {
      segment: string;
      controlN: number;
      treatmentN: number;
      controlMean: number;
      treatmentMean: number;
      estimate: number;
      se: number;
      pValue: number;
      ci: [number, number];
    }[];
    heterogeneity: {
      q: number;
      dof: number;
      pValue: number;
      iSquared: number;
      tauSquared: number;
      pooledEstimate: number;
      pooledSe: number;
    };
    qini: {
      order: string[];
      targetedFraction: number[];
      incrementalConversions: number[];
      area: number;
      randomArea: number;
      qiniCoefficient: number;
      upliftAtK: { k: number; uplift: number };
    };
  };
}

const fixture = JSON.parse(
  readFileSync(join(__dirname, 'fixtures', 'segment_finder.json'), 'utf8'),
) as Fixture;
const TRUE_LIFT: Record<string, number> = { new: 0, active: 0.03, at_risk: 0.15, lapsed: 0.15 };

const START = new Date('2025-01-01T09:00:00Z');
const DAY = 86_400_000;

let t: TestApp;
let marketer: Agent;
let experimentId: string;

const close = (actual: number | null, expected: number, tol = 1e-9) =>
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected)));

beforeAll(async () => {
  t = await createTestApp({ clock: new FixedClock(new Date(START.getTime() + 60 * DAY)) });
  marketer = await t.loginAs('marketer');
  const ws = t.workspaceId;
  const metric = await t.prisma.metric.create({
    data: {
      workspaceId: ws,
      key: 'upsell-rate',
      name: 'Upsell rate',
      kind: 'proportion',
      eventName: 'upsell',
    },
  });
  const experiment = await t.prisma.experiment.create({
    data: {
      workspaceId: ws,
      key: 'upsell-campaign',
      name: 'Upsell campaign',
      kind: 'holdout',
      seed: 'seed',
      status: 'running',
      startedAt: START,
      primaryMetricId: metric.id,
      variants: {
        create: [
          { key: 'holdout', name: 'Holdout', weight: 0.3, isControl: true, position: 0 },
          { key: 'treated', name: 'Treated', weight: 0.7, position: 1 },
        ],
      },
      metrics: { create: [{ metricId: metric.id, role: 'primary' }] },
    },
    include: { variants: true },
  });
  experimentId = experiment.id;
  const variant = new Map(experiment.variants.map((v) => [v.key, v.id]));
  const customers = fixture.rows.map(([segment], i) => ({
    id: randomUUID(),
    workspaceId: ws,
    externalId: `c${i}`,
    segment,
    plan: i % 2 === 0 ? 'basic' : 'pro',
  }));
  await t.prisma.customer.createMany({ data: customers });
  await t.prisma.assignment.createMany({
    data: fixture.rows.map(([, arm], i) => ({
      workspaceId: ws,
      experimentId,
      customerId: customers[i]!.id,
      variantId: variant.get(arm)!,
      assignedAt: new Date(START.getTime() + i * 60_000),
      source: 'server' as const,
    })),
  });
  // Converters upsell two days after entry; every third non-converter upsells on day 20, outside the 14-day window.
  const events = fixture.rows.flatMap(([, , converted], i) => {
    const at = START.getTime() + i * 60_000;
    if (converted === 1) return [{ day: 2, i, at }];
    return i % 3 === 0 ? [{ day: 20, i, at }] : [];
  });
  await t.prisma.event.createMany({
    data: events.map((e) => ({
      workspaceId: ws,
      clientEventId: `upsell-${e.i}`,
      type: 'conversion' as const,
      name: 'upsell',
      customerId: customers[e.i]!.id,
      occurredAt: new Date(e.at + e.day * DAY),
    })),
  });
});

afterAll(() => t.close());

describe('GET /v1/experiments/:id/segment-finder', () => {
  let result: SegmentFinder;

  beforeAll(async () => {
    const res = await marketer.get(`/v1/experiments/${experimentId}/segment-finder`).query({
      dimension: 'segment',
      k: fixture.k,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    result = res.body as SegmentFinder;
  });

  it('gives each segment the scipy lift and Welch interval', () => {
    expect(result.metric).toEqual({ key: 'upsell-rate', name: 'Upsell rate', kind: 'proportion' });
    expect(result.controlVariant).toBe('holdout');
    expect(result.treatmentVariant).toBe('treated');
    expect(result.segments.map((s) => s.segment).sort()).toEqual(
      fixture.expected.segments.map((s) => s.segment).sort(),
    );
    for (const e of fixture.expected.segments) {
      const s = result.segments.find((x) => x.segment === e.segment)!;
      expect(s.controlN).toBe(e.controlN);
      expect(s.treatmentN).toBe(e.treatmentN);
      close(s.controlMean, e.controlMean);
      close(s.treatmentMean, e.treatmentMean);
      close(s.estimate, e.estimate);
      close(s.se, e.se);
      close(s.pValue, e.pValue, 1e-7);
      close(s.ci[0], e.ci[0], 1e-8);
      close(s.ci[1], e.ci[1], 1e-8);
    }
  });

  it('covers the true lift where the campaign works and finds it significant there', () => {
    for (const segment of ['at_risk', 'lapsed']) {
      const s = result.segments.find((x) => x.segment === segment)!;
      expect(s.ci[0]!).toBeLessThan(TRUE_LIFT[segment]!);
      expect(s.ci[1]!).toBeGreaterThan(TRUE_LIFT[segment]!);
      expect(s.ci[0]!).toBeGreaterThan(0);
    }
  });

  it('reports the statsmodels heterogeneity test', () => {
    const h = result.heterogeneity!;
    const e = fixture.expected.heterogeneity;
    close(h.q, e.q, 1e-8);
    expect(h.dof).toBe(e.dof);
    close(h.pValue, e.pValue, 1e-7);
    close(h.iSquared, e.iSquared, 1e-8);
    close(h.tauSquared, e.tauSquared, 1e-7);
    close(h.pooledEstimate, e.pooledEstimate, 1e-8);
    close(h.pooledSe, e.pooledSe, 1e-8);
    expect(h.pValue).toBeLessThan(0.05);
  });

  it('draws the Qini curve with the best segments first, and uplift@k', () => {
    const q = result.qini!;
    const e = fixture.expected.qini;
    expect(q.points.map((p) => p.segment)).toEqual([null, ...e.order]);
    q.points.forEach((p, i) => {
      close(p.targetedFraction, e.targetedFraction[i]!);
      close(p.incrementalConversions, e.incrementalConversions[i]!);
    });
    close(q.area, e.area);
    close(q.randomArea, e.randomArea);
    close(q.qiniCoefficient, e.qiniCoefficient);
    close(q.upliftAtK.uplift, e.upliftAtK.uplift);
    expect(q.upliftAtK.k).toBe(fixture.k);
  });

  it('cuts by another dimension', async () => {
    const res = await marketer
      .get(`/v1/experiments/${experimentId}/segment-finder`)
      .query({ dimension: 'plan' });
    expect(res.status).toBe(200);
    const body = res.body as SegmentFinder;
    expect(body.segments.map((s) => s.segment).sort()).toEqual(['basic', 'pro']);
    expect(body.segments.reduce((n, s) => n + s.controlN + s.treatmentN, 0)).toBe(fixture.rows.length);
  });

  it('refuses bad input naming the field', async () => {
    const cases: [Record<string, string>, string, string][] = [
      [{ dimension: 'shoe_size' }, 'query.dimension', 'dimension_format'],
      [{ k: '0' }, 'query.k', 'gt_0'],
      [{ alpha: '0.9' }, 'query.alpha', 'max_0.5'],
      [{ metricKey: 'nope' }, 'query.metricKey', 'not_a_metric_of_experiment'],
      [{ variantKey: 'holdout' }, 'query.variantKey', 'unknown_treated_variant'],
      [{ correction: 'sidak' }, 'query.correction', 'one_of'],
    ];
    for (const [query, path, rule] of cases) {
      const res = await marketer.get(`/v1/experiments/${experimentId}/segment-finder`).query(query);
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(res.body.errors, JSON.stringify(res.body.errors)).toContainEqual({ path, rule });
    }
    const missing = await marketer.get(`/v1/experiments/${randomUUID()}/segment-finder`);
    expect(missing.status).toBe(404);
  });
});
