import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../types';
import { cohortRetention, nDayRetention, type CohortInput } from './index';

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

/*
 * Three monthly cohorts, hand-computed.
 *   Jan: 100 customers, 4 periods. Active 100, 40, 30, 25; revenue 5000, 2400, 2100, 1500.
 *        retention 1, .4, .3, .25; revenue per customer 50, 24, 21, 15; cumulative 50, 74, 95, 110.
 *   Feb: 200 customers, 3 periods. Active 200, 90, 70; revenue 8000, 4500, 3500.
 *        retention 1, .45, .35; per customer 40, 22.5, 17.5; cumulative 40, 62.5, 80.
 *   Mar: 50 customers, 1 period. Active 50; revenue 1000 → retention 1; 20; cumulative 20.
 * Pooled (cohorts observed at the period):
 *   k=0: all three, 350 customers, 350 active → 1; revenue 14000/350 = 40; cumulative 40.
 *   k=1: Jan + Feb, 300 customers, 130 active → 0.4333…; 6900/300 = 23; cumulative (7400 + 12500)/300 = 66.333…
 *   k=2: Jan + Feb, 100 active → ⅓; 5600/300 = 18.666…; cumulative (9500 + 16000)/300 = 85.
 *   k=3: Jan only, 25/100 = .25; 15; cumulative 110.
 */
const input: CohortInput = {
  cohorts: [
    { cohort: '2024-01', customers: 100, periodsObserved: 4 },
    { cohort: '2024-02', customers: 200, periodsObserved: 3 },
    { cohort: '2024-03', customers: 50, periodsObserved: 1 },
  ],
  activity: [
    { cohort: '2024-02', period: 1, activeCustomers: 90, revenue: 4500 },
    { cohort: '2024-01', period: 0, activeCustomers: 100, revenue: 5000 },
    { cohort: '2024-01', period: 1, activeCustomers: 40, revenue: 2400 },
    { cohort: '2024-01', period: 2, activeCustomers: 30, revenue: 2100 },
    { cohort: '2024-01', period: 3, activeCustomers: 25, revenue: 1500 },
    { cohort: '2024-02', period: 0, activeCustomers: 200, revenue: 8000 },
    { cohort: '2024-02', period: 2, activeCustomers: 70, revenue: 3500 },
    { cohort: '2024-03', period: 0, activeCustomers: 50, revenue: 1000 },
  ],
  periodDays: 30,
};

describe('cohortRetention', () => {
  it('per-cohort curves', () => {
    const r = cohortRetention(input);
    expect(r.cohorts.map((c) => c.cohort)).toEqual(['2024-01', '2024-02', '2024-03']);
    const jan = r.cohorts[0]!;
    expect(jan.points.map((p) => p.retention)).toEqual([1, 0.4, 0.3, 0.25]);
    expect(jan.points.map((p) => p.revenuePerCustomer)).toEqual([50, 24, 21, 15]);
    expect(jan.points.map((p) => p.cumulativeRevenuePerCustomer)).toEqual([50, 74, 95, 110]);
    const feb = r.cohorts[1]!;
    expect(feb.points.map((p) => p.retention)).toEqual([1, 0.45, 0.35]);
    expect(feb.points.map((p) => p.cumulativeRevenuePerCustomer)).toEqual([40, 62.5, 80]);
    expect(r.cohorts[2]!.points).toEqual([
      {
        period: 0,
        activeCustomers: 50,
        retention: 1,
        revenue: 1000,
        revenuePerCustomer: 20,
        cumulativeRevenuePerCustomer: 20,
      },
    ]);
  });

  it('pooled curve over the cohorts observed at each period', () => {
    const pooled = cohortRetention(input).pooled;
    expect(pooled.map((p) => [p.period, p.cohorts, p.customers, p.activeCustomers])).toEqual([
      [0, 3, 350, 350],
      [1, 2, 300, 130],
      [2, 2, 300, 100],
      [3, 1, 100, 25],
    ]);
    const close = (xs: number[]) => xs.map((x) => expect.closeTo(x, 12));
    expect(pooled.map((p) => p.retention)).toEqual(close([1, 130 / 300, 1 / 3, 0.25]));
    expect(pooled.map((p) => p.revenuePerCustomer)).toEqual(close([40, 23, 5600 / 300, 15]));
    expect(pooled.map((p) => p.cumulativeRevenuePerCustomer)).toEqual(close([40, 19900 / 300, 85, 110]));
  });

  it('a period without a row is zero activity, and negative net revenue is allowed', () => {
    const r = cohortRetention({
      cohorts: [{ cohort: 'w1', customers: 10, periodsObserved: 3 }],
      activity: [
        { cohort: 'w1', period: 0, activeCustomers: 10, revenue: 100 },
        { cohort: 'w1', period: 2, activeCustomers: 2, revenue: -20 },
      ],
    });
    expect(r.cohorts[0]!.points.map((p) => [p.retention, p.cumulativeRevenuePerCustomer])).toEqual([
      [1, 10],
      [0, 10],
      [0.2, 8],
    ]);
  });

  it('rejects bad input with the field and the rule', () => {
    const withCohorts = (cohorts: unknown) => ({ ...input, cohorts }) as CohortInput;
    const withActivity = (row: unknown) => ({ ...input, activity: [...input.activity, row] }) as CohortInput;
    expectInputError(() => cohortRetention(null as unknown as CohortInput), 'input');
    expectInputError(() => cohortRetention(withCohorts([])), 'cohorts');
    expectInputError(() => cohortRetention({ cohorts: input.cohorts } as CohortInput), 'activity');
    expectInputError(
      () => cohortRetention(withCohorts([{ cohort: '', customers: 1, periodsObserved: 1 }])),
      'cohorts[0].cohort',
    );
    expectInputError(
      () =>
        cohortRetention(
          withCohorts([...input.cohorts, { cohort: '2024-01', customers: 5, periodsObserved: 1 }]),
        ),
      'cohorts[3].cohort',
    );
    expectInputError(
      () => cohortRetention(withCohorts([{ cohort: 'a', customers: 0, periodsObserved: 1 }])),
      'cohorts[0].customers',
    );
    expectInputError(
      () => cohortRetention(withCohorts([{ cohort: 'a', customers: 2.5, periodsObserved: 1 }])),
      'cohorts[0].customers',
    );
    expectInputError(
      () => cohortRetention(withCohorts([{ cohort: 'a', customers: 2, periodsObserved: 0 }])),
      'cohorts[0].periodsObserved',
    );
    expectInputError(
      () => cohortRetention(withActivity({ cohort: '2024-04', period: 0, activeCustomers: 1, revenue: 1 })),
      'activity[8].cohort',
    );
    expectInputError(
      () => cohortRetention(withActivity({ cohort: '2024-03', period: 1, activeCustomers: 1, revenue: 1 })),
      'activity[8].period',
    );
    expectInputError(
      () => cohortRetention(withActivity({ cohort: '2024-03', period: -1, activeCustomers: 1, revenue: 1 })),
      'activity[8].period',
    );
    expectInputError(
      () => cohortRetention(withActivity({ cohort: '2024-01', period: 2, activeCustomers: 1, revenue: 1 })),
      'activity[8]',
    );
    const fresh = (row: unknown) =>
      ({ cohorts: [{ cohort: 'a', customers: 5, periodsObserved: 2 }], activity: [row] }) as CohortInput;
    expectInputError(
      () => cohortRetention(fresh({ cohort: 'a', period: 0, activeCustomers: -1, revenue: 0 })),
      'activity[0].activeCustomers',
    );
    expectInputError(
      () => cohortRetention(fresh({ cohort: 'a', period: 1, activeCustomers: 6, revenue: 0 })),
      'activity[0].activeCustomers',
    );
    expectInputError(
      () => cohortRetention(fresh({ cohort: 'a', period: 0, activeCustomers: 1, revenue: Number.NaN })),
      'activity[0].revenue',
    );
    expectInputError(() => cohortRetention(fresh(null)), 'activity[0]');
  });
});

describe('nDayRetention', () => {
  it('30/60/90-day retention from 30-day windows', () => {
    const r = nDayRetention(input);
    expect(r.map((x) => [x.days, x.period, x.cohorts, x.customers])).toEqual([
      [30, 1, 2, 300],
      [60, 2, 2, 300],
      [90, 3, 1, 100],
    ]);
    expect(r[0]!.retention).toBeCloseTo(130 / 300, 14);
    expect(r[1]!.retention).toBeCloseTo(1 / 3, 14);
    expect(r[2]!.retention).toBe(0.25);
    expect(r[0]!.byCohort).toEqual([
      { cohort: '2024-01', retention: 0.4 },
      { cohort: '2024-02', retention: 0.45 },
      { cohort: '2024-03', retention: null },
    ]);
  });

  it('is null where no cohort has been observed that long', () => {
    const [x] = nDayRetention(input, [120]);
    expect(x).toMatchObject({ days: 120, period: 4, retention: null, cohorts: 0, customers: 0 });
  });

  it('reads day N from daily rows', () => {
    const daily: CohortInput = {
      periodDays: 1,
      cohorts: [{ cohort: 'd', customers: 1000, periodsObserved: 91 }],
      activity: [
        { cohort: 'd', period: 0, activeCustomers: 1000, revenue: 0 },
        { cohort: 'd', period: 30, activeCustomers: 210, revenue: 0 },
        { cohort: 'd', period: 60, activeCustomers: 150, revenue: 0 },
        { cohort: 'd', period: 90, activeCustomers: 120, revenue: 0 },
      ],
    };
    expect(nDayRetention(daily).map((x) => x.retention)).toEqual([0.21, 0.15, 0.12]);
    expect(nDayRetention(daily, [7])[0]!.retention).toBe(0);
  });

  it('needs fixed-length periods and day counts that fall on a period', () => {
    const { periodDays: _, ...monthly } = input;
    expectInputError(() => nDayRetention(monthly), 'periodDays');
    expectInputError(() => nDayRetention({ ...input, periodDays: 0 }), 'periodDays');
    expectInputError(() => nDayRetention({ ...input, periodDays: 7 }), 'days[0]');
    expectInputError(() => nDayRetention(input, [30, 45]), 'days[1]');
    expectInputError(() => nDayRetention(input, []), 'days');
    expectInputError(() => nDayRetention(null as unknown as CohortInput), 'input');
  });
});
