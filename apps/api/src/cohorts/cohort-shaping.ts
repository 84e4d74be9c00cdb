import type { CohortCell, CohortRow, LtvCacChannel } from '@liftlab/contracts';
import { cohortRetention, nDayRetention, type PooledCurvePoint } from '@liftlab/stats';

/**
 * From the database's aggregated counts to the cohort explorer's rows and the LTV:CAC table. Pure: no database,
 * no clock. A group (an acquisition channel, a plan, 'yes'/'no' of a behavioural cohort) mixes customers acquired
 * at different times, so the database counts per sub-cohort of customers observed equally long (same acquisition
 * month for monthly curves, same number of complete 30-day windows for N-day retention) and the group's curve is
 * the customer-weighted pooled curve of its sub-cohorts (cohortRetention of @liftlab/stats): each point averages
 * only customers old enough to have reached it.
 */

/** Customers of one sub-cohort of a group and the complete periods observed for them. */
export interface SubCohortSize {
  group: string;
  sub: string;
  customers: number;
  periodsObserved: number;
}

/** Distinct active customers and revenue of a sub-cohort in one period since acquisition. */
export interface SubCohortActivity {
  group: string;
  sub: string;
  period: number;
  activeCustomers: number;
  revenue: number;
}

/** Groups shown at most; smaller ones are pooled as '(other)'. */
export const MAX_COHORT_GROUPS = 20;
export const OTHER_GROUP = '(other)';

/** `YYYY-MM` ↔ months since year 0 (January = 0). */
export function monthIndex(month: string): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return y * 12 + (m - 1);
}

export function monthLabel(index: number): string {
  const y = Math.floor(index / 12);
  const m = index - y * 12 + 1;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
}

export function monthOf(date: Date): string {
  return monthLabel(date.getUTCFullYear() * 12 + date.getUTCMonth());
}

/** First instant (UTC) of a month. */
export function monthStart(month: string): Date {
  const i = monthIndex(month);
  return new Date(Date.UTC(Math.floor(i / 12), i % 12, 1));
}

/** Default reporting period: the `length` complete months before `now`'s month. */
export function defaultMonths(
  now: Date,
  from: string | undefined,
  to: string | undefined,
  length = 12,
): { from: string; to: string } {
  const last = to ?? monthLabel(monthIndex(monthOf(now)) - 1);
  return { from: from ?? monthLabel(monthIndex(last) - (length - 1)), to: last };
}

/**
 * Keeps the `limit` largest groups and pools the rest under '(other)'. Pooling adds counts of sub-cohorts with
 * the same label: groups are disjoint sets of customers, so distinct active customers add up exactly.
 */
export function limitGroups(
  sizes: readonly SubCohortSize[],
  activity: readonly SubCohortActivity[],
  limit: number,
): { sizes: SubCohortSize[]; activity: SubCohortActivity[]; groups: string[] } {
  const totals = new Map<string, number>();
  for (const s of sizes) totals.set(s.group, (totals.get(s.group) ?? 0) + s.customers);
  const ranked = [...totals.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([g]) => g);
  if (ranked.length <= limit) return { sizes: [...sizes], activity: [...activity], groups: ranked };
  const kept = new Set(ranked.slice(0, limit - 1));
  return {
    ...mergeGroups(sizes, activity, (g) => (kept.has(g) ? g : OTHER_GROUP)),
    groups: [...ranked.slice(0, limit - 1), OTHER_GROUP],
  };
}

/** Renames groups and adds up the counts of sub-cohorts (and periods) that end up with the same label. */
export function mergeGroups(
  sizes: readonly SubCohortSize[],
  activity: readonly SubCohortActivity[],
  rename: (group: string) => string,
): { sizes: SubCohortSize[]; activity: SubCohortActivity[] } {
  const sizeMap = new Map<string, SubCohortSize>();
  for (const s of sizes) {
    const group = rename(s.group);
    const key = `${group}\u0000${s.sub}`;
    const prev = sizeMap.get(key);
    if (prev) prev.customers += s.customers;
    else sizeMap.set(key, { ...s, group });
  }
  const actMap = new Map<string, SubCohortActivity>();
  for (const a of activity) {
    const group = rename(a.group);
    const key = `${group}\u0000${a.sub}\u0000${a.period}`;
    const prev = actMap.get(key);
    if (prev) {
      prev.activeCustomers += a.activeCustomers;
      prev.revenue += a.revenue;
    } else actMap.set(key, { ...a, group });
  }
  return { sizes: [...sizeMap.values()], activity: [...actMap.values()] };
}

const label = (s: { group: string; sub: string }) => `${s.group}\u0000${s.sub}`;

/** The pooled curve over the given sub-cohorts (null when none has a complete period). */
export function pooledCurve(
  sizes: readonly SubCohortSize[],
  activity: readonly SubCohortActivity[],
): PooledCurvePoint[] | null {
  const usable = sizes.filter((s) => s.periodsObserved >= 1 && s.customers >= 1);
  if (usable.length === 0) return null;
  const known = new Set(usable.map(label));
  return cohortRetention({
    cohorts: usable.map((s) => ({
      cohort: label(s),
      customers: s.customers,
      periodsObserved: s.periodsObserved,
    })),
    activity: activity
      .filter((a) => known.has(label(a)))
      .map((a) => ({
        cohort: label(a),
        period: a.period,
        activeCustomers: a.activeCustomers,
        revenue: a.revenue,
      })),
  }).pooled;
}

/** 30/60/90-day retention from sub-cohorts of 30-day windows (periods 0..3). */
export function nDayFigures(
  sizes: readonly SubCohortSize[],
  activity: readonly SubCohortActivity[],
): CohortRow['nDay'] {
  const usable = sizes.filter((s) => s.periodsObserved >= 1 && s.customers >= 1);
  if (usable.length === 0) return { d30: null, d60: null, d90: null };
  const known = new Set(usable.map(label));
  const figures = nDayRetention(
    {
      periodDays: 30,
      cohorts: usable.map((s) => ({
        cohort: label(s),
        customers: s.customers,
        periodsObserved: s.periodsObserved,
      })),
      activity: activity
        .filter((a) => known.has(label(a)))
        .map((a) => ({
          cohort: label(a),
          period: a.period,
          activeCustomers: a.activeCustomers,
          revenue: a.revenue,
        })),
    },
    [30, 60, 90],
  );
  return { d30: figures[0]!.retention, d60: figures[1]!.retention, d90: figures[2]!.retention };
}

function cellsOf(curve: readonly PooledCurvePoint[] | null): CohortCell[] {
  return (curve ?? []).map((p) => ({
    month: p.period,
    customers: p.customers,
    activeCustomers: p.activeCustomers,
    retention: p.retention,
    cumulativeRevenuePerCustomer: p.cumulativeRevenuePerCustomer,
  }));
}

export interface CohortCounts {
  monthly: { sizes: SubCohortSize[]; activity: SubCohortActivity[] };
  windows: { sizes: SubCohortSize[]; activity: SubCohortActivity[] };
}

/**
 * Heatmap rows: one per group (the 20 largest; by label for acquisition months, else largest first), each with
 * its pooled monthly curve and 30/60/90-day figures, plus the total over every customer.
 */
export function cohortRows(
  counts: CohortCounts,
  order: 'label' | 'size',
): { rows: CohortRow[]; total: CohortRow | null } {
  const monthly = limitGroups(counts.monthly.sizes, counts.monthly.activity, MAX_COHORT_GROUPS);
  const keep = new Set(monthly.groups);
  const windows = mergeGroups(counts.windows.sizes, counts.windows.activity, (g) =>
    keep.has(g) ? g : OTHER_GROUP,
  );
  const rowOf = (name: string, filter: (g: string) => boolean): CohortRow => {
    const ms = monthly.sizes.filter((s) => filter(s.group));
    const ws = windows.sizes.filter((s) => filter(s.group));
    return {
      cohort: name,
      customers: ms.reduce((n, s) => n + s.customers, 0),
      cells: cellsOf(
        pooledCurve(
          ms,
          monthly.activity.filter((a) => filter(a.group)),
        ),
      ),
      nDay: nDayFigures(
        ws,
        windows.activity.filter((a) => filter(a.group)),
      ),
    };
  };
  const groups =
    order === 'label' ? [...monthly.groups].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) : monthly.groups;
  const rows = groups.map((g) => rowOf(g, (x) => x === g));
  const total = monthly.sizes.length === 0 ? null : rowOf('All customers', () => true);
  return { rows, total };
}

/**
 * LTV:CAC and payback per acquisition channel.
 *   CAC_c = spend_c / customers_c over the period's acquisition months (null when no spend is recorded);
 *   LTV_c = g · (cumulative revenue per customer at month min(H, observed) − 1), g the gross margin;
 *   payback = the first month m (1-based) with g · cumulative revenue per customer ≥ CAC_c.
 * The curve is the channel's pooled cohort curve, so young cohorts drop out of the later months rather than
 * counting as customers who never bought again.
 */
export function ltvCacChannels(
  monthly: { sizes: SubCohortSize[]; activity: SubCohortActivity[] },
  spend: ReadonlyMap<string, number>,
  options: { horizonMonths: number; grossMargin: number },
  /** Σ predicted CLV per channel over its acquired customers; null when the workspace has no CLV fit. */
  predicted: ReadonlyMap<string, number> | null = null,
): LtvCacChannel[] {
  const channels = new Set<string>([...monthly.sizes.map((s) => s.group), ...spend.keys()]);
  const out: LtvCacChannel[] = [];
  for (const channel of [...channels].sort()) {
    const sizes = monthly.sizes.filter((s) => s.group === channel);
    const customers = sizes.reduce((n, s) => n + s.customers, 0);
    const channelSpend = spend.get(channel) ?? 0;
    const curve = (
      pooledCurve(
        sizes,
        monthly.activity.filter((a) => a.group === channel),
      ) ?? []
    )
      .slice(0, options.horizonMonths)
      .map((p) => ({
        month: p.period,
        customers: p.customers,
        cumulativeMargin: options.grossMargin * p.cumulativeRevenuePerCustomer,
      }));
    // No spend recorded is unknown CAC, not free customers; a recorded 0 is an organic channel (CAC 0).
    const cac = customers > 0 && spend.has(channel) ? channelSpend / customers : null;
    const last = curve[curve.length - 1];
    const ltv = last?.cumulativeMargin ?? 0;
    const paid = cac === null ? undefined : curve.find((p) => p.cumulativeMargin >= cac);
    const predictedClv = predicted && customers > 0 ? (predicted.get(channel) ?? 0) / customers : null;
    out.push({
      channel,
      customers,
      spend: channelSpend,
      cac,
      ltv,
      ltvMonths: curve.length,
      ltvToCac: cac !== null && cac > 0 ? ltv / cac : null,
      paybackMonths: paid ? paid.month + 1 : null,
      predictedClv,
      predictedClvToCac:
        predictedClv !== null && cac !== null && cac > 0 ? (options.grossMargin * predictedClv) / cac : null,
      curve,
    });
  }
  return out;
}
