import { describe, expect, it } from 'vitest';
import { engagementScores, type CustomerActivity, type EngagementConfig } from './engagement';
import { StatsInputError } from './types';

function expectInputError(fn: () => unknown, field: string): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(StatsInputError);
    expect((e as StatsInputError).field).toBe(field);
    return;
  }
  throw new Error(`expected StatsInputError on ${field}`);
}

const config: EngagementConfig = {
  weights: { email: { open: 1, click: 3 }, app: 2, web: 0.5 },
  halfLifeDays: 14,
};

/*
 * Hand-computed, half-life 14 days (an event 14 days old counts ½, 28 days old ¼, 7 days old 1/√2):
 *   ann:  4 email opens today            1 · 4 · 1     = 4
 *         2 email clicks 14 days ago     3 · 2 · ½     = 3
 *         1 app session 28 days ago      2 · 1 · ¼     = 0.5      raw 7.5 (email 7, app 0.5)
 *   bob:  10 web visits today            0.5 · 10 · 1  = 5
 *         3 app sessions 7 days ago      2 · 3 · 2^−½  = 3√2 ≈ 4.2426   raw 5 + 3√2 ≈ 9.2426
 *   cid:  no activity                                               raw 0
 * max:        ann 100 · 7.5 / (5 + 3√2) ≈ 81.146, bob 100, cid 0.
 * saturation, halfScore 7.5: ann 100 · (1 − 2^−1) = 50, bob 100 · (1 − 2^−(5 + 3√2)/7.5), cid 0.
 */
const customers: CustomerActivity[] = [
  {
    customer: 'ann',
    activities: [
      { channel: 'email', type: 'open', count: 4, daysAgo: 0 },
      { channel: 'email', type: 'click', count: 2, daysAgo: 14 },
      { channel: 'app', count: 1, daysAgo: 28 },
    ],
  },
  {
    customer: 'bob',
    activities: [
      { channel: 'web', type: 'visit', count: 10, daysAgo: 0 },
      { channel: 'app', type: 'session', count: 3, daysAgo: 7 },
    ],
  },
  { customer: 'cid', activities: [] },
];

describe('engagementScores', () => {
  const bobRaw = 5 + 3 * Math.SQRT2;

  it('weights, decays and normalises to the most engaged customer', () => {
    const [ann, bob, cid] = engagementScores(customers, config);
    expect(ann!.raw).toBeCloseTo(7.5, 14);
    expect(ann!.byChannel).toEqual({ email: 7, app: 0.5 });
    expect(bob!.raw).toBeCloseTo(bobRaw, 14);
    expect(bob!.byChannel.web).toBe(5);
    expect(bob!.byChannel.app).toBeCloseTo(3 * Math.SQRT2, 14);
    expect(ann!.score).toBeCloseTo((100 * 7.5) / bobRaw, 12);
    expect(bob!.score).toBe(100);
    expect(cid).toEqual({ customer: 'cid', raw: 0, byChannel: {}, score: 0 });
  });

  it('saturation: the half score maps to 50, independent of the batch', () => {
    const sat: EngagementConfig = { ...config, normalization: { method: 'saturation', halfScore: 7.5 } };
    const [ann, bob, cid] = engagementScores(customers, sat);
    expect(ann!.score).toBeCloseTo(50, 12);
    expect(bob!.score).toBeCloseTo(100 * (1 - Math.pow(2, -bobRaw / 7.5)), 12);
    expect(cid!.score).toBe(0);
    expect(engagementScores([customers[0]!], sat)[0]!.score).toBeCloseTo(50, 12);
    // A very active customer approaches, and never exceeds, 100.
    const heavy = engagementScores(
      [{ customer: 'x', activities: [{ channel: 'app', count: 1e6, daysAgo: 0 }] }],
      sat,
    );
    expect(heavy[0]!.score).toBe(100);
  });

  it('no decay with an infinite half-life; nobody active scores 0 under max', () => {
    const flat = engagementScores(customers, { ...config, halfLifeDays: Infinity });
    expect(flat[0]!.raw).toBe(4 + 6 + 2);
    const idle = engagementScores(
      [
        { customer: 'a', activities: [] },
        { customer: 'b', activities: [{ channel: 'web', count: 0, daysAgo: 3 }] },
      ],
      config,
    );
    expect(idle.map((s) => s.score)).toEqual([0, 0]);
    expect(engagementScores([], config)).toEqual([]);
  });

  it('rejects bad configuration', () => {
    const run = (c: unknown) => engagementScores(customers, c as EngagementConfig);
    expectInputError(() => run(null), 'config');
    expectInputError(() => run({ ...config, weights: {} }), 'config.weights');
    expectInputError(() => run({ ...config, weights: { app: -1 } }), 'config.weights.app');
    expectInputError(() => run({ ...config, weights: { email: {} } }), 'config.weights.email');
    expectInputError(
      () => run({ ...config, weights: { email: { open: Number.NaN } } }),
      'config.weights.email.open',
    );
    expectInputError(() => run({ ...config, halfLifeDays: 0 }), 'config.halfLifeDays');
    expectInputError(() => run({ ...config, halfLifeDays: undefined }), 'config.halfLifeDays');
    expectInputError(
      () => run({ ...config, normalization: { method: 'rank' } }),
      'config.normalization.method',
    );
    expectInputError(
      () => run({ ...config, normalization: { method: 'saturation', halfScore: 0 } }),
      'config.normalization.halfScore',
    );
  });

  it('rejects bad activity with the customer and row', () => {
    const one = (activities: unknown) =>
      engagementScores([customers[0]!, { customer: 'z', activities } as CustomerActivity], config);
    expectInputError(
      () => one([{ channel: 'sms', count: 1, daysAgo: 0 }]),
      'customers[1].activities[0].channel',
    );
    expectInputError(
      () => one([{ channel: 'email', count: 1, daysAgo: 0 }]),
      'customers[1].activities[0].type',
    );
    expectInputError(
      () => one([{ channel: 'email', type: 'bounce', count: 1, daysAgo: 0 }]),
      'customers[1].activities[0].type',
    );
    expectInputError(
      () => one([{ channel: 'app', count: -1, daysAgo: 0 }]),
      'customers[1].activities[0].count',
    );
    expectInputError(
      () => one([{ channel: 'app', count: 1, daysAgo: -2 }]),
      'customers[1].activities[0].daysAgo',
    );
    expectInputError(
      () => one([{ channel: 'app', count: 1, daysAgo: Infinity }]),
      'customers[1].activities[0].daysAgo',
    );
    expectInputError(() => one([{ channel: 'app', count: 1e308, daysAgo: 0 }]), 'customers[1].activities');
    expectInputError(() => one(undefined), 'customers[1].activities');
    expectInputError(() => engagementScores([customers[0]!, customers[0]!], config), 'customers[1].customer');
    expectInputError(
      () => engagementScores([{ customer: '', activities: [] }], config),
      'customers[0].customer',
    );
    expectInputError(() => engagementScores(null as unknown as CustomerActivity[], config), 'customers');
  });
});
