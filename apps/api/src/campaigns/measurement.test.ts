import { describe, expect, it } from 'vitest';
import type { Effect, MetricResult, ResultSnapshot } from '@liftlab/contracts';
import { boundsOf, breakdownFromSnapshot, measurementFromSnapshot, resolveArms } from './measurement';
import { NotMeasurableError } from './roi';

const effect = (estimate: number, lo: number | null, hi: number | null, se = 1): Effect => ({
  estimate,
  se,
  ci: [lo, hi],
  ciLevel: 0.95,
  pValue: null,
  adjustedPValue: null,
  chanceToWin: null,
  risk: null,
});

function metric(
  key: string,
  revenueStream: MetricResult['revenueStream'],
  arms: [string, number, Effect | null][],
): MetricResult {
  return {
    metricId: `m-${key}`,
    key,
    name: key,
    kind: 'mean',
    role: 'primary',
    revenueStream,
    higherIsBetter: true,
    windowDays: 14,
    cuped: false,
    cap: null,
    corrected: true,
    variants: arms.map(([k, n, absolute], i) => ({
      variantId: k,
      key: k,
      name: k,
      isControl: i === 0,
      n,
      mean: 10,
      absolute,
      relative: null,
      verdict: null,
    })),
    note: null,
  };
}

function snapshot(overrides: Partial<ResultSnapshot> = {}): ResultSnapshot {
  return {
    id: 'snap-1',
    kind: 'experiment',
    experimentId: 'exp-1',
    experimentKey: 'winback',
    experimentName: 'Win-back',
    experimentStatus: 'running',
    engine: 'frequentist',
    correction: 'holm',
    alpha: 0.05,
    dataUntil: '2025-04-01T00:00:00.000Z',
    computedAt: '2025-04-01T00:05:00.000Z',
    trigger: 'manual',
    units: 1100,
    srm: {
      chiSquare: 0.1,
      dof: 1,
      pValue: 0.7,
      flagged: false,
      threshold: 0.001,
      arms: [
        { key: 'holdout', n: 100, weight: 0.1 },
        { key: 'treated', n: 1000, weight: 0.9 },
      ],
    },
    verdictBlockedBy: null,
    verdict: { status: 'winner', variantKey: 'treated', reason: '' },
    warnings: [],
    metrics: [
      metric('orders', null, [
        ['holdout', 100, null],
        ['treated', 1000, effect(0.01, 0, 0.02)],
      ]),
      metric('upsell-revenue', 'upsell', [
        ['holdout', 98, null],
        ['treated', 990, effect(2.8, 1.4, 4.2)],
      ]),
    ],
    dimensions: [
      {
        dimension: 'segment',
        comparisons: 4,
        caveat: '',
        values: [
          {
            value: 'vip',
            n: 300,
            metrics: [
              metric('upsell-revenue', 'upsell', [
                ['holdout', 30, null],
                ['treated', 270, effect(1.4, -1, 3.8)],
              ]),
            ],
          },
        ],
      },
    ],
    cumulative: [],
    revenueByMonth: [
      {
        metricKey: 'upsell-revenue',
        revenueStream: 'upsell',
        months: [0, 1].map((month) => ({
          month,
          variants: [
            { key: 'holdout', isControl: true, n: 98, mean: 20, absolute: null },
            {
              key: 'treated',
              isControl: false,
              n: 990,
              mean: 23 - month,
              absolute: month === 0 ? effect(3, 1, 5) : effect(2, null, 4, 1.5),
            },
          ],
        })),
      },
    ],
    ...overrides,
  };
}

describe('measurementFromSnapshot', () => {
  it('reads the treated arm, its customers and the monthly lift of each revenue metric', () => {
    const m = measurementFromSnapshot(snapshot(), null);
    expect(m).toMatchObject({
      snapshotId: 'snap-1',
      variantKey: 'treated',
      controlKey: 'holdout',
      treatedCustomers: 990,
      holdoutCustomers: 98,
      srmFlagged: false,
      confidenceLevel: 0.95,
    });
    expect(m.streams).toHaveLength(1);
    expect(m.streams[0]?.stream).toBe('upsell');
    expect(m.streams[0]?.months[0]).toEqual({ month: 0, estimate: 3, lower: 1, upper: 5 });
    expect(m.streams[0]?.treatedMeans).toEqual([
      { month: 0, mean: 23 },
      { month: 1, mean: 22 },
    ]);
  });

  it('closes a one-sided interval at the same distance, estimate − z·se', () => {
    const month1 = measurementFromSnapshot(snapshot(), null).streams[0]?.months[1];
    expect(month1?.upper).toBe(4);
    expect(month1?.lower).toBeCloseTo(2 - 1.959963984540054 * 1.5, 12);
    expect(boundsOf(effect(1, 0.5, null, 0.25)).upper).toBeCloseTo(1 + 1.959963984540054 * 0.25, 12);
  });

  it('flags a sample-ratio mismatch', () => {
    const s = snapshot({ verdictBlockedBy: 'srm' });
    expect(measurementFromSnapshot(s, null).srmFlagged).toBe(true);
  });

  it('needs the treated arm named when there are several, and refuses unknown or control arms', () => {
    const three = snapshot({
      srm: {
        ...(snapshot().srm as NonNullable<ResultSnapshot['srm']>),
        arms: [
          { key: 'holdout', n: 100, weight: 0.2 },
          { key: 'a', n: 200, weight: 0.4 },
          { key: 'b', n: 200, weight: 0.4 },
        ],
      },
    });
    expect(() => resolveArms(three, null)).toThrow(
      expect.objectContaining({ field: 'variantKey', rule: 'required_for_several_arms' }),
    );
    expect(resolveArms(three, 'b')).toEqual({ controlKey: 'holdout', variantKey: 'b' });
    expect(() => resolveArms(three, 'holdout')).toThrow(NotMeasurableError);
    expect(() => resolveArms(three, 'c')).toThrow(expect.objectContaining({ rule: 'treated_arm' }));
  });
});

describe('breakdownFromSnapshot', () => {
  it('scales each group’s window effect to a 30-day month, with an all-customers row first', () => {
    const s = snapshot();
    const m = measurementFromSnapshot(s, null);
    const { rows, found } = breakdownFromSnapshot(s, 'segment', m);
    expect(found).toBe(true);
    expect(rows.map((r) => [r.value, r.treatedCustomers, r.holdoutCustomers])).toEqual([
      ['all customers', 990, 98],
      ['vip', 270, 30],
    ]);
    // 14-day window → × 30/14.
    const all = rows[0]?.streams[0]?.months ?? [];
    expect(all).toHaveLength(1);
    expect(all[0]?.month).toBe(0);
    expect(all[0]?.estimate).toBeCloseTo(6, 12);
    expect(all[0]?.lower).toBeCloseTo(3, 12);
    expect(all[0]?.upper).toBeCloseTo(9, 12);
    expect(rows[1]?.streams[0]?.months[0]?.lower).toBeCloseTo((-1 * 30) / 14, 12);
  });

  it('reports a dimension the results do not have', () => {
    const s = snapshot();
    const { rows, found } = breakdownFromSnapshot(s, 'acquisitionCohort', measurementFromSnapshot(s, null));
    expect(found).toBe(false);
    expect(rows.map((r) => r.value)).toEqual(['all customers']);
  });
});
