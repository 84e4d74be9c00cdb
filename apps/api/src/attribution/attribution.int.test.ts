import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttributionComparison } from '@liftlab/contracts';
import { createTestApp, type Agent, type TestApp } from '../../test/app';
import { FixedClock } from '../common/clock';

/**
 * Attribution on the journeys of docs/statistics.md's worked example, built from events:
 *   P1 email (Mar 1) → search (Mar 2) → upsell 300 (Mar 3)          [email, search] converted
 *   P2 email (Mar 1), nothing else                                   [email] without conversion
 *   P3 search (Mar 1) → cross-sell 100 (Mar 2)                       [search] converted
 *   P4 search (Mar 1), nothing else                                  [search] without conversion
 *   P5 upsell 50 (Mar 10) without any touch                          unattributed
 *   P6 email (Mar 5) → upsell 70 (Mar 25), 20 days > lookback 10     unattributed
 *   P8 email (Mar 1) → retention order (Mar 2)                       not a conversion of the chosen streams:
 *                                                                    [email] without conversion — unless
 *                                                                    the retention stream is chosen too
 * Markov (P2 and P8 make [email] two journeys without conversion): start → email ⅗, search ⅖; email → search
 * ⅓, null ⅔; search → conversion ⅔, null ⅓. P = ⅗·⅓·⅔ + ⅖·⅔ = 0.4; without email P = 4/15 (RE ⅓), without
 * search 0 (RE 1): credits 0.5 and 1.5. Shapley: v({search}) = 1, v(all) = 2, so
 * φ_email = ½·0 + ½·(2 − 1) = 0.5, φ_search = 1.5.
 * In June, P7: email (Jun 1) → upsell 100 (Jun 2) → search (Jun 3) → upsell 100 (Jun 4): two journeys,
 * [email] and [search], because a touch before the previous conversion does not count again.
 */

const NOW = new Date('2025-07-15T12:00:00Z');
let t: TestApp;
let executive: Agent;

type Seed = [string, 'touch' | 'upsell' | 'cross_sell' | 'retention', string, string?, number?];
const SEEDS: Seed[] = [
  ['P1', 'touch', '2025-03-01T10:00:00Z', 'email'],
  ['P1', 'touch', '2025-03-02T10:00:00Z', 'search'],
  ['P1', 'upsell', '2025-03-03T10:00:00Z', undefined, 300],
  ['P2', 'touch', '2025-03-01T10:00:00Z', 'email'],
  ['P3', 'touch', '2025-03-01T10:00:00Z', 'search'],
  ['P3', 'cross_sell', '2025-03-02T10:00:00Z', undefined, 100],
  ['P4', 'touch', '2025-03-01T10:00:00Z', 'search'],
  ['P5', 'upsell', '2025-03-10T10:00:00Z', undefined, 50],
  ['P6', 'touch', '2025-03-05T10:00:00Z', 'email'],
  ['P6', 'upsell', '2025-03-25T10:00:00Z', undefined, 70],
  ['P8', 'touch', '2025-03-01T10:00:00Z', 'email'],
  ['P8', 'retention', '2025-03-02T10:00:00Z', undefined, 20],
  ['P7', 'touch', '2025-06-01T10:00:00Z', 'email'],
  ['P7', 'upsell', '2025-06-02T10:00:00Z', undefined, 100],
  ['P7', 'touch', '2025-06-03T10:00:00Z', 'search'],
  ['P7', 'upsell', '2025-06-04T10:00:00Z', undefined, 100],
];

beforeAll(async () => {
  t = await createTestApp({ clock: new FixedClock(NOW) });
  executive = await t.loginAs('executive');
  const ids = new Map<string, string>();
  for (const [who] of SEEDS) if (!ids.has(who)) ids.set(who, randomUUID());
  await t.prisma.customer.createMany({
    data: [...ids].map(([externalId, id]) => ({ id, workspaceId: t.workspaceId, externalId })),
  });
  await t.prisma.event.createMany({
    data: SEEDS.map(([who, kind, at, channel, amount], i) => ({
      workspaceId: t.workspaceId,
      clientEventId: `e${i}`,
      customerId: ids.get(who)!,
      occurredAt: new Date(at),
      ...(kind === 'touch'
        ? { type: 'activity' as const, name: 'campaign_click', properties: { channel: channel! } }
        : {
            type: 'order' as const,
            name: 'order',
            amount: amount!,
            currency: 'EUR',
            revenueStream: kind,
            // An order's own channel property is not a touch.
            properties: { channel: 'web' },
          }),
    })),
  });
});

afterAll(() => t.close());

async function compare(query: Record<string, string | number>): Promise<AttributionComparison> {
  const res = await executive.get('/v1/attribution').query(query);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as AttributionComparison;
}

function credits(body: AttributionComparison, model: string): Record<string, [number, number]> {
  const m = body.models.find((x) => x.model === model)!;
  return Object.fromEntries(
    m.credits.map((c) => [
      c.channel,
      [Math.round(c.conversions * 1e9) / 1e9, Math.round(c.revenue * 1e6) / 1e6],
    ]),
  );
}

describe('GET /v1/attribution', () => {
  it('compares the six models on hand-solvable journeys', async () => {
    const body = await compare({
      from: '2025-03-01',
      to: '2025-03-31',
      lookbackDays: 10,
      positionFirst: 0.6,
      positionLast: 0.2,
    });
    expect(body).toMatchObject({
      conversions: 2,
      revenue: 400,
      unattributedConversions: 2,
      unattributedRevenue: 120,
      nullJourneys: 3,
      distinctPaths: 3,
      channels: ['email', 'search'],
      streams: ['upsell', 'cross_sell'],
    });
    expect(body.models.map((m) => m.model)).toEqual([
      'first_touch',
      'last_touch',
      'linear',
      'position_based',
      'markov',
      'shapley',
    ]);
    // [conversions, revenue] per channel.
    expect(credits(body, 'first_touch')).toEqual({ email: [1, 300], search: [1, 100] });
    expect(credits(body, 'last_touch')).toEqual({ email: [0, 0], search: [2, 400] });
    expect(credits(body, 'linear')).toEqual({ email: [0.5, 150], search: [1.5, 250] });
    // Two touches: the ends split first : last = 0.6 : 0.2, so 0.75 / 0.25 of P1.
    expect(credits(body, 'position_based')).toEqual({ email: [0.75, 225], search: [1.25, 175] });
    expect(credits(body, 'markov')).toEqual({ email: [0.5, 100], search: [1.5, 300] });
    expect(credits(body, 'shapley')).toEqual({ email: [0.5, 100], search: [1.5, 300] });
    expect(body.markov.conversionProbability).toBeCloseTo(0.4, 12);
    expect(body.markov.removalEffects.map((r) => [r.channel, Number(r.removalEffect.toFixed(12))])).toEqual([
      ['email', Number((1 / 3).toFixed(12))],
      ['search', 1],
    ]);
  });

  it('counts the chosen revenue streams as conversions', async () => {
    const body = await compare({
      from: '2025-03-01',
      to: '2025-03-31',
      lookbackDays: 10,
      streams: 'upsell,cross_sell,retention',
    });
    // P8's email now converts (20): [email] 1 conversion, 1 null.
    expect(body.conversions).toBe(3);
    expect(body.nullJourneys).toBe(2);
    expect(credits(body, 'first_touch')).toEqual({ email: [2, 320], search: [1, 100] });
  });

  it('never counts a touch for two conversions', async () => {
    const body = await compare({ from: '2025-06-01', to: '2025-06-30' });
    expect(body.conversions).toBe(2);
    expect(credits(body, 'first_touch')).toEqual({ email: [1, 100], search: [1, 100] });
    expect(credits(body, 'linear')).toEqual({ email: [1, 100], search: [1, 100] });
  });

  it('answers an empty period with no models', async () => {
    const body = await compare({ from: '2024-01-01', to: '2024-01-31' });
    expect(body).toMatchObject({ conversions: 0, models: [], channels: [] });
  });

  it('refuses bad input naming the field', async () => {
    const cases: [Record<string, string | number>, string, string][] = [
      [{ positionFirst: 0.7, positionLast: 0.5 }, 'query.positionLast', 'first_plus_last_max_1'],
      [{ markovOrder: 5 }, 'query.markovOrder', 'max_4'],
      [{ streams: 'upsell,refunds' }, 'query.streams.1', 'one_of'],
      [{ from: '2025-02-30' }, 'query.from', 'format_date'],
      [{ from: '2025-03-02', to: '2025-03-01' }, 'query.to', 'not_before_from'],
      [{ lookbackDays: 0 }, 'query.lookbackDays', 'min_1'],
    ];
    for (const [query, path, rule] of cases) {
      const res = await executive.get('/v1/attribution').query(query);
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(res.body.errors, JSON.stringify(res.body.errors)).toContainEqual({ path, rule });
    }
  });
});
