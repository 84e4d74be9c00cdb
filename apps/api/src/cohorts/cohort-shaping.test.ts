import { describe, expect, it } from 'vitest';
import {
  cohortRows,
  defaultMonths,
  limitGroups,
  ltvCacChannels,
  monthIndex,
  monthLabel,
  monthOf,
  monthStart,
  OTHER_GROUP,
  type SubCohortActivity,
  type SubCohortSize,
} from './cohort-shaping';

const size = (group: string, sub: string, customers: number, periodsObserved: number): SubCohortSize => ({
  group,
  sub,
  customers,
  periodsObserved,
});
const act = (
  group: string,
  sub: string,
  period: number,
  activeCustomers: number,
  revenue = 0,
): SubCohortActivity => ({ group, sub, period, activeCustomers, revenue });

describe('months', () => {
  it('round-trips labels and finds the default period', () => {
    expect(monthLabel(monthIndex('2025-01') - 1)).toBe('2024-12');
    expect(monthOf(new Date('2025-03-31T23:59:59Z'))).toBe('2025-03');
    expect(monthStart('2025-02').toISOString()).toBe('2025-02-01T00:00:00.000Z');
    expect(defaultMonths(new Date('2025-01-15T00:00:00Z'), undefined, undefined)).toEqual({
      from: '2024-01',
      to: '2024-12',
    });
    expect(defaultMonths(new Date('2025-01-15T00:00:00Z'), undefined, '2024-06', 3)).toEqual({
      from: '2024-04',
      to: '2024-06',
    });
  });
});

describe('limitGroups', () => {
  it('pools the smallest groups as (other), adding counts of the same sub-cohort and period', () => {
    const sizes = [
      size('a', 'm1', 10, 2),
      size('b', 'm1', 3, 2),
      size('c', 'm1', 2, 2),
      size('c', 'm2', 1, 1),
    ];
    const activity = [
      act('a', 'm1', 0, 5),
      act('b', 'm1', 0, 1, 10),
      act('c', 'm1', 0, 2, 5),
      act('c', 'm2', 0, 1),
    ];
    const out = limitGroups(sizes, activity, 2);
    expect(out.groups).toEqual(['a', OTHER_GROUP]);
    expect(out.sizes).toEqual([
      size('a', 'm1', 10, 2),
      size(OTHER_GROUP, 'm1', 5, 2),
      size(OTHER_GROUP, 'm2', 1, 1),
    ]);
    expect(out.activity).toContainEqual(act(OTHER_GROUP, 'm1', 0, 3, 15));
  });
});

describe('cohortRows', () => {
  it('pools sub-cohorts customer-weighted and leaves young ones out of later months', () => {
    const { rows, total } = cohortRows(
      {
        monthly: {
          sizes: [size('x', '2025-01', 4, 2), size('x', '2025-02', 6, 1)],
          activity: [
            act('x', '2025-01', 0, 2, 40),
            act('x', '2025-01', 1, 1, 20),
            act('x', '2025-02', 0, 3, 60),
          ],
        },
        windows: { sizes: [size('x', '2', 10, 2)], activity: [act('x', '2', 1, 4)] },
      },
      'size',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.cells).toEqual([
      { month: 0, customers: 10, activeCustomers: 5, retention: 0.5, cumulativeRevenuePerCustomer: 10 },
      { month: 1, customers: 4, activeCustomers: 1, retention: 0.25, cumulativeRevenuePerCustomer: 15 },
    ]);
    expect(rows[0]!.nDay).toEqual({ d30: 0.4, d60: null, d90: null });
    expect(total!.customers).toBe(10);
  });
});

describe('ltvCacChannels', () => {
  it('divides spend by customers, applies the margin and finds the payback month', () => {
    const [paid, organic] = ltvCacChannels(
      {
        sizes: [size('ads', 'm', 2, 3), size('organic', 'm', 1, 3)],
        activity: [act('ads', 'm', 0, 2, 20), act('ads', 'm', 2, 1, 100), act('organic', 'm', 1, 1, 5)],
      },
      new Map([['ads', 60]]),
      { horizonMonths: 12, grossMargin: 0.5 },
    );
    expect(paid).toMatchObject({
      channel: 'ads',
      cac: 30,
      ltv: 30,
      ltvMonths: 3,
      ltvToCac: 1,
      paybackMonths: 3,
    });
    expect(paid!.curve.map((p) => p.cumulativeMargin)).toEqual([5, 5, 30]);
    expect(organic).toMatchObject({
      channel: 'organic',
      spend: 0,
      cac: null,
      ltvToCac: null,
      paybackMonths: null,
    });
    const [, free] = ltvCacChannels(
      { sizes: [size('ads', 'm', 1, 1), size('organic', 'm', 1, 1)], activity: [] },
      new Map([['organic', 0]]),
      { horizonMonths: 12, grossMargin: 1 },
    );
    expect(free).toMatchObject({ channel: 'organic', cac: 0, ltvToCac: null, paybackMonths: 1 });
  });
});
