import { describe, expect, it } from 'vitest';
import ref from '../../fixtures/attribution.json';
import { StatsInputError } from '../types';
import {
  firstTouchAttribution,
  lastTouchAttribution,
  linearAttribution,
  markovAttribution,
  positionBasedAttribution,
  shapleyAttribution,
  validateConversionPaths,
  MAX_SHAPLEY_CHANNELS,
  type AttributionResult,
  type ConversionPath,
} from './index';

// Reference values: packages/stats/fixtures/gen_attribution.py (rule-based models by definition, Markov removal
// effects from the full transition matrix solved with numpy.linalg.solve and checked by iterating the chain,
// Shapley values over all orderings of the channels and by the closed form of Zhao et al. 2018).

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

function credits(result: AttributionResult): Record<string, number> {
  return Object.fromEntries(result.channels.map((c) => [c.channel, c.conversions]));
}

function expectCredits(result: AttributionResult, expected: Record<string, number>, tol = 1e-12): void {
  const got = credits(result);
  expect(Object.keys(got)).toEqual(Object.keys(expected).sort());
  for (const [channel, value] of Object.entries(expected)) {
    expect(Math.abs((got[channel] as number) - value)).toBeLessThanOrEqual(
      tol * Math.max(1, Math.abs(value)),
    );
  }
}

function expectSumsToTotal(result: AttributionResult): void {
  const sum = result.channels.reduce((s, c) => s + c.conversions, 0);
  expect(Math.abs(sum - result.totalConversions)).toBeLessThan(1e-9 * Math.max(1, result.totalConversions));
  const shares = result.channels.reduce((s, c) => s + c.share, 0);
  if (result.totalConversions > 0) expect(Math.abs(shares - 1)).toBeLessThan(1e-12);
}

/*
 * Worked example 1 (two channels).
 *   [A, B]: 1 conversion, 0 nulls      [A]: 0 conversions, 1 null      [B]: 1 conversion, 1 null
 * Transition counts (each journey weighted by conversions + nulls):
 *   start → A: 2, start → B: 2            ⇒ ½, ½
 *   A → B: 1, A → null: 1                 ⇒ ½, ½
 *   B → conversion: 2, B → null: 1        ⇒ ⅔, ⅓
 * P(conv | B) = ⅔, P(conv | A) = ½·⅔ = ⅓, P = ½·⅓ + ½·⅔ = ½.
 * Without A: start → A goes to null, P₋A = ½·⅔ = ⅓, RE_A = 1 − ⅓/½ = ⅓.
 * Without B: nothing converts, P₋B = 0, RE_B = 1.
 * Credit (2 conversions): A = 2·(⅓)/(4/3) = 0.5, B = 2·1/(4/3) = 1.5.
 * Shapley: v(∅) = 0, v{A} = 0, v{B} = 1, v{A,B} = 2;
 *   φ_A = ½[v{A} − v∅] + ½[v{AB} − v{B}] = ½·0 + ½·1 = 0.5;  φ_B = ½·1 + ½·2 = 1.5.
 */
const twoChannels: ConversionPath[] = [
  { path: ['A', 'B'], conversions: 1, nulls: 0 },
  { path: ['A'], conversions: 0, nulls: 1 },
  { path: ['B'], conversions: 1, nulls: 1 },
];

/*
 * Worked example 2 (a loop).
 *   [A, B, A]: 1 conversion      [B]: 1 null      [A]: 1 conversion, 1 null
 * Transitions: start → A: 3, start → B: 1 (¾, ¼); A → B: 1, A → conv: 2, A → null: 1 (¼, ½, ¼);
 *   B → A: 1, B → null: 1 (½, ½).
 * x_A = ¼x_B + ½, x_B = ½x_A ⇒ x_A = ⅛x_A + ½ ⇒ x_A = 4/7, x_B = 2/7; P = ¾·4/7 + ¼·2/7 = ½.
 * Without A: x_B = ½·0 = 0 and P₋A = 0, RE_A = 1. Without B: x_A = ½, P₋B = ¾·½ = ⅜, RE_B = 1 − ¾ = ¼.
 * Credit (2 conversions): A = 2·1/(5/4) = 1.6, B = 2·(¼)/(5/4) = 0.4.
 * Linear: [A, B, A] gives A ⅔, B ⅓; [A] gives A 1 ⇒ A 5/3, B 1/3.
 * Position-based 40/20/40: [A, B, A] gives A 0.4 + 0.4, B 0.2; [A] gives A 1 ⇒ A 1.8, B 0.2.
 * Shapley: R{A,B} = 1, R{A} = 1 ⇒ φ_A = 1/2 + 1 = 1.5, φ_B = 0.5.
 */
const loop: ConversionPath[] = [
  { path: ['A', 'B', 'A'], conversions: 1, nulls: 0 },
  { path: ['B'], conversions: 0, nulls: 1 },
  { path: ['A'], conversions: 1, nulls: 1 },
];

describe('worked examples', () => {
  it('two channels', () => {
    const m = markovAttribution(twoChannels);
    expect(m.conversionProbability).toBeCloseTo(0.5, 14);
    expect(m.states).toBe(3);
    const [a, b] = m.channels;
    expect(a).toMatchObject({ channel: 'A' });
    expect(a!.removalEffect).toBeCloseTo(1 / 3, 14);
    expect(a!.conversionProbabilityWithout).toBeCloseTo(1 / 3, 14);
    expect(b!.removalEffect).toBeCloseTo(1, 14);
    expect(b!.conversionProbabilityWithout).toBe(0);
    expectCredits(m, { A: 0.5, B: 1.5 });
    expect(a!.share).toBeCloseTo(0.25, 14);
    expectCredits(shapleyAttribution(twoChannels), { A: 0.5, B: 1.5 });
    expectCredits(firstTouchAttribution(twoChannels), { A: 1, B: 1 });
    expectCredits(lastTouchAttribution(twoChannels), { A: 0, B: 2 });
    expectCredits(linearAttribution(twoChannels), { A: 0.5, B: 1.5 });
    expectCredits(positionBasedAttribution(twoChannels), { A: 0.5, B: 1.5 });
  });

  it('a journey that loops back', () => {
    const m = markovAttribution(loop);
    expect(m.conversionProbability).toBeCloseTo(0.5, 14);
    expect(m.channels.map((c) => c.removalEffect)).toEqual([expect.closeTo(1, 14), expect.closeTo(0.25, 14)]);
    expect(m.channels[1]!.conversionProbabilityWithout).toBeCloseTo(3 / 8, 14);
    expectCredits(m, { A: 1.6, B: 0.4 });
    expectCredits(linearAttribution(loop), { A: 5 / 3, B: 1 / 3 });
    expectCredits(positionBasedAttribution(loop), { A: 1.8, B: 0.2 });
    expectCredits(shapleyAttribution(loop), { A: 1.5, B: 0.5 });
    expectCredits(firstTouchAttribution(loop), { A: 2, B: 0 });
    expectCredits(lastTouchAttribution(loop), { A: 2, B: 0 });
  });

  it('Shapley over three channels by the coalition formula', () => {
    // R{A} = 2, R{A,B} = 3, R{A,B,C} = 6, R{C} = 1. v: ∅ 0, A 2, B 0, C 1, AB 5, AC 3, BC 1, ABC 12.
    // φ_A = ⅓(2 − 0) + ⅙(5 − 0) + ⅙(3 − 1) + ⅓(12 − 1) = 2/3 + 5/6 + 2/6 + 11/3 = 33/6 = 5.5
    // φ_B = ⅓(0) + ⅙(5 − 2) + ⅙(1 − 1) + ⅓(12 − 3) = 0.5 + 0 + 3 = 3.5
    // φ_C = ⅓(1) + ⅙(3 − 2) + ⅙(1 − 0) + ⅓(12 − 5) = 1/3 + 1/6 + 1/6 + 7/3 = 3
    const paths: ConversionPath[] = [
      { path: ['A'], conversions: 2, nulls: 10 },
      { path: ['B', 'A', 'B'], conversions: 3, nulls: 4 },
      { path: ['C', 'B', 'A'], conversions: 6, nulls: 0 },
      { path: ['C', 'C'], conversions: 1, nulls: 7 },
      { path: ['D'], conversions: 0, nulls: 40 },
    ];
    const s = shapleyAttribution(paths);
    expectCredits(s, { A: 5.5, B: 3.5, C: 3, D: 0 });
    expect(s.totalConversions).toBe(12);
  });
});

describe('against gen_attribution.py', () => {
  for (const c of ref.cases) {
    it(c.name, () => {
      const toMap = (list: { channel: string; conversions: number }[]) =>
        Object.fromEntries(list.map((x) => [x.channel, x.conversions]));
      const checks: Array<[AttributionResult, Record<string, number>]> = [
        [firstTouchAttribution(c.paths), toMap(c.firstTouch)],
        [lastTouchAttribution(c.paths), toMap(c.lastTouch)],
        [linearAttribution(c.paths), toMap(c.linear)],
        [
          positionBasedAttribution(c.paths, { first: c.positionBased.first, last: c.positionBased.last }),
          toMap(c.positionBased.channels),
        ],
        [shapleyAttribution(c.paths), toMap(c.shapley)],
      ];
      for (const [result, expected] of checks) {
        expect(result.totalConversions).toBe(c.totalConversions);
        expectCredits(result, expected, 1e-10);
        expectSumsToTotal(result);
      }
      for (const mk of c.markov) {
        const m = markovAttribution(c.paths, { order: mk.order });
        expect(m.order).toBe(mk.order);
        expect(m.states).toBe(mk.states);
        expect(Math.abs(m.conversionProbability - mk.conversionProbability)).toBeLessThan(1e-12);
        mk.channels.forEach((e, i) => {
          const got = m.channels[i]!;
          expect(got.channel).toBe(e.channel);
          expect(Math.abs(got.removalEffect - e.removalEffect)).toBeLessThan(1e-10);
          expect(Math.abs(got.conversionProbabilityWithout - e.conversionProbabilityWithout)).toBeLessThan(
            1e-12,
          );
          expect(Math.abs(got.conversions - e.conversions)).toBeLessThan(1e-9 * c.totalConversions);
        });
        expectSumsToTotal(m);
      }
    });
  }
});

describe('model properties', () => {
  const retention = ref.cases.find((c) => c.name === 'retention programme')!.paths;

  it('first-order Markov credit ignores consecutive repeats', () => {
    // A self-transition only delays absorption in a first-order chain, so collapsing runs of the same channel
    // changes no absorption probability.
    const collapsed = retention.map((p) => ({
      ...p,
      path: p.path.filter((c, i) => i === 0 || c !== p.path[i - 1]),
    }));
    const a = markovAttribution(retention);
    const b = markovAttribution(collapsed);
    expect(b.conversionProbability).toBeCloseTo(a.conversionProbability, 13);
    a.channels.forEach((c, i) => expect(b.channels[i]!.conversions).toBeCloseTo(c.conversions, 9));
    // The chains themselves differ: the repeats are states of the second-order chain.
    expect(markovAttribution(retention, { order: 2 }).states).toBe(
      markovAttribution(collapsed, { order: 2 }).states + 2,
    );
  });

  it('the order of the input rows and duplicated rows do not matter', () => {
    const reversed = [...retention].reverse();
    const split = retention.flatMap((p) => [
      { path: p.path, conversions: Math.floor(p.conversions / 2), nulls: Math.floor(p.nulls / 2) },
      { path: p.path, conversions: Math.ceil(p.conversions / 2), nulls: Math.ceil(p.nulls / 2) },
    ]);
    for (const variant of [reversed, split]) {
      expect(credits(markovAttribution(variant, { order: 2 }))).toEqual(
        Object.fromEntries(
          Object.entries(credits(markovAttribution(retention, { order: 2 }))).map(([k, v]) => [
            k,
            expect.closeTo(v, 9),
          ]),
        ),
      );
      expectCredits(shapleyAttribution(variant), credits(shapleyAttribution(retention)), 1e-12);
      expectCredits(linearAttribution(variant), credits(linearAttribution(retention)), 1e-12);
    }
  });

  it('a channel that is only ever touched before a null gets no Markov or Shapley credit', () => {
    const paths: ConversionPath[] = [
      { path: ['email', 'direct'], conversions: 5, nulls: 5 },
      { path: ['banner'], conversions: 0, nulls: 100 },
    ];
    const m = markovAttribution(paths);
    expect(m.channels.find((c) => c.channel === 'banner')).toMatchObject({
      conversions: 0,
      removalEffect: 0,
    });
    // email and direct are both necessary for every conversion: equal removal effects of 1, equal credit.
    expectCredits(m, { banner: 0, direct: 2.5, email: 2.5 });
    expect(m.channels.map((c) => c.removalEffect)).toEqual([0, 1, 1]);
    expectCredits(shapleyAttribution(paths), { banner: 0, direct: 2.5, email: 2.5 });
  });

  it('no conversions at all: every model credits nothing, shares are 0', () => {
    const paths: ConversionPath[] = [
      { path: ['email'], conversions: 0, nulls: 3 },
      { path: ['push', 'email'], conversions: 0, nulls: 2 },
    ];
    for (const result of [
      firstTouchAttribution(paths),
      linearAttribution(paths),
      positionBasedAttribution(paths),
      markovAttribution(paths),
      shapleyAttribution(paths),
    ]) {
      expect(result.totalConversions).toBe(0);
      for (const c of result.channels) expect(c).toMatchObject({ conversions: 0, share: 0 });
    }
    expect(markovAttribution(paths).conversionProbability).toBe(0);
  });

  it('position-based splits a two-touch journey first : last, and middles evenly', () => {
    const paths: ConversionPath[] = [
      { path: ['a', 'b'], conversions: 8, nulls: 0 },
      { path: ['c', 'd', 'e', 'f'], conversions: 10, nulls: 3 },
    ];
    // 30/50: two touches 3/8 and 5/8 of 8; four touches 3, 1, 1, 5 of 10 (middle 20% over two).
    expectCredits(positionBasedAttribution(paths, { first: 0.3, last: 0.5 }), {
      a: 3,
      b: 5,
      c: 3,
      d: 1,
      e: 1,
      f: 5,
    });
    // first = last = 0: the whole credit goes to the middle; a two-touch journey splits evenly.
    expectCredits(positionBasedAttribution(paths, { first: 0, last: 0 }), {
      a: 4,
      b: 4,
      c: 0,
      d: 5,
      e: 5,
      f: 0,
    });
    // first + last = 1 (0.7 + 0.3 rounds above 1 in doubles) is accepted.
    expectCredits(positionBasedAttribution(paths, { first: 0.7, last: 0.3 }), {
      a: 5.6,
      b: 2.4,
      c: 7,
      d: 0,
      e: 0,
      f: 3,
    });
  });

  it('Shapley handles fifteen channels exactly and refuses sixteen', () => {
    const names = Array.from({ length: 16 }, (_, i) => `c${String(i).padStart(2, '0')}`);
    const paths = (k: number): ConversionPath[] =>
      names
        .slice(0, k)
        .map((c, i) => ({ path: [c, names[(i + 1) % k] as string], conversions: i + 1, nulls: 1 }));
    const fifteen = shapleyAttribution(paths(15));
    // Each journey touches two channels: closed form φ_c = (own conversions + previous journey's)/2.
    fifteen.channels.forEach((c, i) => {
      const previous = i === 0 ? 15 : i;
      expect(c.conversions).toBeCloseTo((i + 1 + previous) / 2, 10);
    });
    expectInputError(() => shapleyAttribution(paths(16)), 'paths');
    expect(MAX_SHAPLEY_CHANNELS).toBe(15);
    // Channels that never convert do not count towards the limit.
    const padded = [...paths(15), { path: ['x1', 'x2', 'x3'], conversions: 0, nulls: 9 }];
    expect(shapleyAttribution(padded).channels).toHaveLength(18);
  });
});

describe('input validation', () => {
  const all = [
    firstTouchAttribution,
    lastTouchAttribution,
    linearAttribution,
    (p: ConversionPath[]) => positionBasedAttribution(p),
    (p: ConversionPath[]) => markovAttribution(p),
    shapleyAttribution,
  ];
  const bad: Array<[unknown, string]> = [
    [[], 'paths'],
    [[null], 'paths[0]'],
    [[{ path: [], conversions: 1, nulls: 0 }], 'paths[0].path'],
    [[{ path: 'email', conversions: 1, nulls: 0 }], 'paths[0].path'],
    [[{ path: ['email', ''], conversions: 1, nulls: 0 }], 'paths[0].path[1]'],
    [[{ path: ['email', 3], conversions: 1, nulls: 0 }], 'paths[0].path[1]'],
    [
      [
        { path: ['a'], conversions: 1, nulls: 0 },
        { path: ['b'], conversions: -1, nulls: 0 },
      ],
      'paths[1].conversions',
    ],
    [[{ path: ['a'], conversions: 1.5, nulls: 0 }], 'paths[0].conversions'],
    [[{ path: ['a'], conversions: 1, nulls: Number.NaN }], 'paths[0].nulls'],
    [[{ path: ['a'], conversions: 1 }], 'paths[0].nulls'],
  ];
  it.each(bad)('%j → %s', (paths, field) => {
    for (const fn of all) expectInputError(() => fn(paths as ConversionPath[]), field);
    expectInputError(() => validateConversionPaths(paths), field);
  });

  it('rejects bad position shares and Markov orders', () => {
    expectInputError(() => positionBasedAttribution(twoChannels, { first: 0.6, last: 0.6 }), 'first');
    expectInputError(() => positionBasedAttribution(twoChannels, { first: -0.1 }), 'first');
    expectInputError(() => positionBasedAttribution(twoChannels, { last: Number.NaN }), 'last');
    expectInputError(() => markovAttribution(twoChannels, { order: 0 }), 'order');
    expectInputError(() => markovAttribution(twoChannels, { order: 1.5 }), 'order');
    expectInputError(() => markovAttribution(twoChannels, { order: 5 }), 'order');
  });

  it('refuses a chain too large to solve densely', () => {
    // 30 channels, every ordered pair observed: a second-order chain needs 30 + 900 states.
    const names = Array.from({ length: 30 }, (_, i) => `c${i}`);
    const paths = names.flatMap((a) => names.map((b) => ({ path: [a, b], conversions: 1, nulls: 1 })));
    expect(markovAttribution(paths).states).toBe(31);
    expectInputError(() => markovAttribution(paths, { order: 2 }), 'order');
  });
});
