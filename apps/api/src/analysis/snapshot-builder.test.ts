import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ResultSnapshotSchema, type MetricResult, type ResultSnapshot } from '@liftlab/contracts';
import { buildSnapshot, type ArmSpec, type MetricSpec, type SnapshotInput } from './snapshot-builder';
import type { MonthRow, StatsRow } from './sufficient-stats';

/** Reference values computed from the rows with scipy / statsmodels by fixtures/gen_snapshot.py. */
interface Expected {
  estimate: number;
  se: number;
  pValue: number;
  adjustedPValue: number;
  ci: [number, number];
  ciLevel: number;
}
interface Fixture {
  alpha: number;
  arms: { key: string; weight: number }[];
  metrics: { key: string; role: 'primary' | 'secondary' | 'guardrail'; higherIsBetter: boolean }[];
  rows: Record<string, (Omit<StatsRow, 'metric' | 'cap'> & { arm: string })[]>;
  monthRows: MonthRow[];
  srm: { chiSquare: number; pValue: number; counts: number[] };
  expected: Record<'holm' | 'bh', Record<string, Record<string, Record<'relative' | 'absolute', Expected>>>>;
  bayesian: Record<string, Record<string, { chanceToWin: number; ci: [number, number] }>>;
  breakdown: Record<
    string,
    Record<
      string,
      Record<string, { estimate: number; pValue: number; adjustedPValue?: number; ci: [number, number] }>
    >
  >;
  cumulative: { date: string; estimate: number; ci: [number, number] }[];
  months: {
    month: number;
    variants: Record<string, { estimate: number; se: number; ci: [number, number] }>;
  }[];
}

const fixture = JSON.parse(readFileSync(join(__dirname, 'fixtures/snapshot.json'), 'utf8')) as Fixture;

const close = (actual: number | null | undefined, expected: number, what: string, tolerance = 1e-9) =>
  expect(Math.abs((actual as number) - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
    tolerance * Math.max(1, Math.abs(expected)),
  );

function arms(): ArmSpec[] {
  return fixture.arms.map((a, i) => ({
    arm: a.key,
    variantId: `v-${a.key}`,
    key: a.key,
    name: a.key,
    weight: a.weight,
    isControl: i === 0,
  }));
}

function metrics(): MetricSpec[] {
  return fixture.metrics.map((m) => ({
    id: `m-${m.key}`,
    key: m.key,
    name: m.key,
    kind: 'mean',
    role: m.role,
    revenueStream: m.key === 'revenue' ? 'upsell' : null,
    higherIsBetter: m.higherIsBetter,
    windowDays: 28,
  }));
}

function input(overrides: Partial<SnapshotInput> = {}): SnapshotInput {
  return {
    id: '01900000-0000-7000-8000-000000000001',
    kind: 'experiment',
    experiment: {
      id: '01900000-0000-7000-8000-000000000002',
      key: 'winback',
      name: 'Win-back',
      status: 'running',
    },
    engine: 'frequentist',
    settings: { correction: 'holm', alpha: fixture.alpha, cuped: true, dimensions: ['segment'] },
    dataUntil: new Date('2025-02-01T00:00:00Z'),
    computedAt: new Date('2025-02-01T00:00:05Z'),
    trigger: 'schedule',
    arms: arms(),
    armCounts: new Map(fixture.arms.map((a, i) => [a.key, fixture.srm.counts[i] as number])),
    metrics: metrics(),
    stats: fixture.metrics.map((m, i) =>
      (fixture.rows[m.key] ?? []).map((r) => ({ ...r, metric: i, cap: null }) as StatsRow),
    ),
    months: new Map([[0, fixture.monthRows]]),
    prePeriod: true,
    ...overrides,
  };
}

function metric(s: ResultSnapshot, key: string): MetricResult {
  return s.metrics.find((m) => m.key === key) as MetricResult;
}

describe('buildSnapshot against scipy/statsmodels on the rows', () => {
  for (const correction of ['holm', 'bh'] as const) {
    it(`means, lifts, intervals and ${correction} across goal metrics × variants`, () => {
      const s = buildSnapshot(input({ settings: { ...input().settings, correction } }));
      expect(ResultSnapshotSchema.parse(s)).toEqual(s);
      for (const m of fixture.metrics) {
        const result = metric(s, m.key);
        expect(result.corrected).toBe(m.role !== 'guardrail');
        // The covariate is all zeros in this data: CUPED has nothing to adjust with.
        expect(result.cuped).toBe(false);
        for (const arm of ['email', 'sms']) {
          const v = result.variants.find((x) => x.key === arm);
          for (const difference of ['relative', 'absolute'] as const) {
            const want = fixture.expected[correction][m.key]?.[arm]?.[difference] as Expected;
            const got = v?.[difference];
            const what = `${correction} ${m.key} ${arm} ${difference}`;
            close(got?.estimate, want.estimate, `${what} estimate`);
            close(got?.se, want.se, `${what} se`);
            close(got?.pValue, want.pValue, `${what} p`, 1e-7);
            close(got?.adjustedPValue, want.adjustedPValue, `${what} adjusted p`, 1e-7);
            close(got?.ciLevel, want.ciLevel, `${what} level`);
            close(got?.ci[0], want.ci[0], `${what} lower`, 1e-7);
            close(got?.ci[1], want.ci[1], `${what} upper`, 1e-7);
            expect(got?.chanceToWin).toBeNull();
          }
        }
      }
    });
  }

  it('checks the sample ratio against the planned weights (Pearson χ²)', () => {
    const s = buildSnapshot(input());
    close(s.srm?.chiSquare, fixture.srm.chiSquare, 'chi-square');
    close(s.srm?.pValue, fixture.srm.pValue, 'p', 1e-7);
    expect(s.srm?.flagged).toBe(false);
    expect(s.srm?.arms).toEqual(
      fixture.arms.map((a, i) => ({ key: a.key, weight: a.weight, n: fixture.srm.counts[i] })),
    );
    expect(s.units).toBe(fixture.srm.counts.reduce((a, b) => a + b, 0));
    expect(s.verdictBlockedBy).toBeNull();
  });

  it('bayesian engine: chance to win oriented by the metric direction, no p-values, no correction', () => {
    const s = buildSnapshot(input({ engine: 'bayesian' }));
    for (const m of fixture.metrics) {
      for (const arm of ['email', 'sms']) {
        const got = metric(s, m.key).variants.find((v) => v.key === arm)?.relative;
        const want = fixture.bayesian[m.key]?.[arm] as { chanceToWin: number; ci: [number, number] };
        close(got?.chanceToWin, want.chanceToWin, `${m.key} ${arm} chance`, 1e-7);
        close(got?.ci[0], want.ci[0], `${m.key} ${arm} lower`, 1e-7);
        close(got?.ci[1], want.ci[1], `${m.key} ${arm} upper`, 1e-7);
        expect(got?.pValue).toBeNull();
        expect(got?.adjustedPValue).toBeNull();
        expect(got?.ciLevel).toBeCloseTo(0.95, 12);
        // Expected losses: keeping the control forgoes what shipping the variant would lose, and vice versa.
        expect((got?.risk?.control ?? 0) - (got?.risk?.treatment ?? 0)).toBeCloseTo(
          m.higherIsBetter ? (got?.estimate as number) : -(got?.estimate as number),
          12,
        );
      }
    }
  });

  it('breaks down by segment: intervals at α, p-values corrected across the breakdown, with the caveat', () => {
    const s = buildSnapshot(input());
    const [segment] = s.dimensions;
    expect(segment?.dimension).toBe('segment');
    // 2 values × 2 goal metrics × 2 variants.
    expect(segment?.comparisons).toBe(8);
    expect(segment?.caveat).toContain('8 comparisons');
    expect(segment?.caveat).toContain('0.4 of them');
    for (const value of segment?.values ?? []) {
      const expected = fixture.breakdown[value.value] as Fixture['breakdown'][string];
      for (const m of value.metrics) {
        for (const v of m.variants.filter((x) => !x.isControl)) {
          const want = expected[m.key]?.[v.key] as {
            estimate: number;
            pValue: number;
            adjustedPValue?: number;
            ci: [number, number];
          };
          close(v.relative?.estimate, want.estimate, `${value.value} ${m.key} ${v.key}`);
          close(v.relative?.pValue, want.pValue, `${value.value} ${m.key} ${v.key} p`, 1e-7);
          close(
            v.relative?.adjustedPValue,
            want.adjustedPValue ?? want.pValue,
            `${value.value} ${m.key} ${v.key} adj`,
            1e-7,
          );
          close(v.relative?.ci[0], want.ci[0], `${value.value} ${m.key} ${v.key} lower`, 1e-7);
        }
      }
    }
    expect(segment?.values.reduce((n, v) => n + v.n, 0)).toBe(s.units);
  });

  it('accumulates days of entry into the cumulative series', () => {
    const s = buildSnapshot(input());
    const series = s.cumulative.find((c) => c.metricKey === 'revenue' && c.variantKey === 'email');
    expect(series?.points.map((p) => p.date)).toEqual(fixture.cumulative.map((c) => c.date));
    series?.points.forEach((p, i) => {
      const want = fixture.cumulative[i] as Fixture['cumulative'][number];
      close(p.absolute?.estimate, want.estimate, `${p.date} estimate`);
      close(p.absolute?.ci[0], want.ci[0], `${p.date} lower`, 1e-7);
      close(p.absolute?.ci[1], want.ci[1], `${p.date} upper`, 1e-7);
    });
    const last = series?.points.at(-1);
    expect((last?.controlN ?? 0) + (last?.variantN ?? 0)).toBe(
      (fixture.srm.counts[0] ?? 0) + (fixture.srm.counts[1] ?? 0),
    );
    // Only the goal metrics and the guardrail with data get series: 3 metrics × 2 variants.
    expect(s.cumulative).toHaveLength(6);
  });

  it('splits revenue metrics by month since exposure for ROI', () => {
    const s = buildSnapshot(input());
    expect(s.revenueByMonth).toHaveLength(1);
    const [revenue] = s.revenueByMonth;
    expect(revenue?.metricKey).toBe('revenue');
    expect(revenue?.revenueStream).toBe('upsell');
    for (const month of fixture.months) {
      const got = revenue?.months.find((m) => m.month === month.month);
      expect(got?.variants[0]).toMatchObject({ key: 'control', isControl: true, absolute: null });
      for (const [arm, want] of Object.entries(month.variants)) {
        const v = got?.variants.find((x) => x.key === arm);
        close(v?.absolute?.estimate, want.estimate, `month ${month.month} ${arm}`);
        close(v?.absolute?.se, want.se, `month ${month.month} ${arm} se`);
        close(v?.absolute?.ci[0], want.ci[0], `month ${month.month} ${arm} lower`, 1e-7);
        close(v?.absolute?.ci[1], want.ci[1], `month ${month.month} ${arm} upper`, 1e-7);
      }
    }
  });
});

// ------------------------------------------------------------------------------------------------ rules

function twoArms(
  control: { n: number; sum: number; sumSquares: number },
  variant: typeof control,
  extra = {},
) {
  const row = (arm: string, s: typeof control) =>
    ({
      grouping: 'all',
      dimension: null,
      value: null,
      arm,
      metric: 0,
      cap: null,
      preSum: 0,
      preSumSquares: 0,
      sumProducts: 0,
      ...s,
      ...extra,
    }) as StatsRow;
  return [row('control', control), row('email', variant)];
}

function simple(
  overrides: Partial<SnapshotInput> & { rows?: StatsRow[]; counts?: [number, number] },
): ResultSnapshot {
  const { rows, counts, ...rest } = overrides;
  const base = input();
  return buildSnapshot({
    ...base,
    arms: (base.arms as ArmSpec[]).slice(0, 2).map((a) => ({ ...a, weight: 0.5 })),
    armCounts: new Map([
      ['control', counts?.[0] ?? 1000],
      ['email', counts?.[1] ?? 1000],
    ]),
    metrics: [{ ...(base.metrics[0] as MetricSpec), role: 'primary' }],
    stats: [rows ?? twoArms({ n: 1000, sum: 100, sumSquares: 100 }, { n: 1000, sum: 150, sumSquares: 150 })],
    months: new Map(),
    settings: { ...base.settings, dimensions: [] },
    ...rest,
  });
}

describe('verdicts', () => {
  it('declares the variant that is significantly better on the primary metric the winner', () => {
    const s = simple({});
    expect(s.metrics[0]?.variants[1]?.verdict).toBe('better');
    expect(s.verdict).toMatchObject({ status: 'winner', variantKey: 'email' });
  });

  it('a sample-ratio mismatch blocks the winner and every comparison, and says why', () => {
    const s = simple({ counts: [1000, 1200] });
    expect(s.srm?.flagged).toBe(true);
    expect(s.verdictBlockedBy).toBe('srm');
    expect(s.verdict.status).toBe('blocked_by_srm');
    expect(s.verdict.reason).toMatch(/control 1000, email 1200/);
    expect(s.metrics[0]?.variants[1]?.verdict).toBe('blocked_by_srm');
    // The numbers are still shown.
    expect(s.metrics[0]?.variants[1]?.relative?.estimate).toBeCloseTo(0.5, 12);
  });

  it('a worse guardrail turns the winner into a breached guardrail', () => {
    const base = input();
    const primary = twoArms({ n: 1000, sum: 100, sumSquares: 100 }, { n: 1000, sum: 150, sumSquares: 150 });
    const refunds = twoArms({ n: 1000, sum: 50, sumSquares: 50 }, { n: 1000, sum: 120, sumSquares: 120 }).map(
      (r) => ({
        ...r,
        metric: 1,
      }),
    );
    const s = simple({
      metrics: [
        { ...(base.metrics[0] as MetricSpec), role: 'primary' },
        { ...(base.metrics[2] as MetricSpec), role: 'guardrail', higherIsBetter: false },
      ],
      stats: [primary, refunds],
    });
    expect(s.metrics[1]?.variants[1]?.verdict).toBe('worse');
    expect(s.verdict).toMatchObject({ status: 'guardrail_breached', variantKey: 'email' });
  });

  it('lower is better: a significant drop is "better"', () => {
    const s = simple({
      metrics: [{ ...(input().metrics[2] as MetricSpec), role: 'primary', higherIsBetter: false }],
      rows: twoArms({ n: 1000, sum: 150, sumSquares: 150 }, { n: 1000, sum: 100, sumSquares: 100 }),
    });
    expect(s.metrics[0]?.variants[1]?.verdict).toBe('better');
    expect(s.verdict.status).toBe('winner');
  });

  it('without a primary metric there is no winner to declare', () => {
    const s = simple({ metrics: [{ ...(input().metrics[1] as MetricSpec), role: 'secondary' }] });
    expect(s.verdict.status).toBe('no_primary_metric');
  });
});

describe('data that cannot be analysed become notes, never NaN', () => {
  it('an arm with fewer than 2 customers', () => {
    const s = simple({
      rows: twoArms({ n: 1000, sum: 100, sumSquares: 100 }, { n: 1, sum: 1, sumSquares: 1 }),
    });
    const m = s.metrics[0];
    expect(m?.variants[1]).toMatchObject({
      n: 1,
      mean: 1,
      relative: null,
      absolute: null,
      verdict: 'inconclusive',
    });
    expect(m?.note).toMatch(/fewer than 2/);
    expect(s.warnings.some((w) => w.includes('fewer than 2'))).toBe(true);
    expect(s.verdict.status).toBe('no_winner');
  });

  it('a control at 0: the relative lift is undefined, the absolute difference stands', () => {
    const s = simple({
      rows: twoArms({ n: 500, sum: 0, sumSquares: 0 }, { n: 500, sum: 40, sumSquares: 90 }),
    });
    const v = s.metrics[0]?.variants[1];
    expect(v?.relative).toBeNull();
    expect(v?.absolute?.estimate).toBeCloseTo(0.08, 12);
    expect(s.metrics[0]?.note).toMatch(/only the absolute difference/);
    expect(ResultSnapshotSchema.safeParse(s).success).toBe(true);
  });

  it('no customers at all', () => {
    const s = simple({ rows: [], counts: [0, 0] });
    expect(s.srm).toBeNull();
    expect(s.metrics[0]?.variants.map((v) => v.n)).toEqual([0, 0]);
    expect(s.metrics[0]?.variants[0]?.mean).toBeNull();
    expect(ResultSnapshotSchema.safeParse(s).success).toBe(true);
  });
});

describe('CUPED', () => {
  it('is applied when the pre-period has data, and only then', () => {
    // y predicts x: Σxy large relative to the sums.
    const rows = twoArms(
      { n: 400, sum: 4000, sumSquares: 60000 },
      { n: 400, sum: 4400, sumSquares: 70000 },
    ).map((r, i) => ({
      ...r,
      preSum: 3900 + 100 * i,
      preSumSquares: 56000 + 4000 * i,
      sumProducts: 56000 + 5000 * i,
    }));
    const on = simple({ rows });
    const off = simple({ rows, prePeriod: false });
    const settingOff = simple({ rows, settings: { ...input().settings, cuped: false, dimensions: [] } });
    expect(on.metrics[0]?.cuped).toBe(true);
    expect(off.metrics[0]?.cuped).toBe(false);
    expect(settingOff.metrics[0]?.cuped).toBe(false);
    expect(on.metrics[0]?.variants[1]?.absolute?.se as number).toBeLessThan(
      off.metrics[0]?.variants[1]?.absolute?.se as number,
    );
  });
});
