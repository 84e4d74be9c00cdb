/**
 * Cohort retention and cumulative revenue per customer from aggregated counts: the database counts, per
 * acquisition cohort and period since acquisition, the distinct active customers and their revenue; this module
 * turns those counts into retention curves (Fader & Hardie 2010, "Customer-base valuation in a contractual
 * setting: the perils of ignoring heterogeneity", Marketing Science 29:85–93, use exactly such cohort survival
 * curves) and the N-day retention figures dashboards show.
 */
import { StatsInputError } from '../types';

/** One acquisition cohort (customers who joined in the same month, week, day or campaign wave). */
export interface Cohort {
  /** Cohort label, e.g. '2024-03'. Unique. */
  cohort: string;
  /** Customers acquired in the cohort: the denominator of every retention and per-customer figure. */
  customers: number;
  /**
   * Complete periods observed so far (periods 0 … periodsObserved − 1). A cohort acquired three months ago
   * with monthly periods has 3. A period with no activity row inside this range counts as 0 active, 0 revenue.
   */
  periodsObserved: number;
}

/** Aggregated activity of one cohort in one period since acquisition. */
export interface CohortPeriodActivity {
  cohort: string;
  /** Periods since acquisition: 0 is the acquisition period. */
  period: number;
  /** Distinct customers of the cohort active in the period (at most `customers`). */
  activeCustomers: number;
  /** Revenue of the cohort in the period (net, so refunds may make it negative). */
  revenue: number;
}

export interface CohortInput {
  cohorts: Cohort[];
  activity: CohortPeriodActivity[];
  /**
   * Length of one period in days when periods are fixed-length (1 = days, 7 = weeks, 30 = 30-day windows);
   * needed for N-day retention. Leave out for calendar months.
   */
  periodDays?: number;
}

export interface CohortCurvePoint {
  period: number;
  activeCustomers: number;
  /** activeCustomers / customers. */
  retention: number;
  revenue: number;
  /** revenue / customers (every acquired customer, active or not, is in the denominator). */
  revenuePerCustomer: number;
  /** Σ_{j ≤ period} revenue_j / customers. */
  cumulativeRevenuePerCustomer: number;
}

export interface CohortCurve {
  cohort: string;
  customers: number;
  periodsObserved: number;
  points: CohortCurvePoint[];
}

export interface PooledCurvePoint {
  period: number;
  /** Cohorts observed at this period (those with periodsObserved > period). */
  cohorts: number;
  /** Customers of those cohorts. */
  customers: number;
  activeCustomers: number;
  /** Σ active / Σ customers over the cohorts observed at this period. */
  retention: number;
  /** Σ revenue_period / Σ customers over the same cohorts. */
  revenuePerCustomer: number;
  /** Σ cumulative revenue through the period / Σ customers over the same cohorts. */
  cumulativeRevenuePerCustomer: number;
}

export interface CohortAnalysis {
  /** One curve per cohort, in input order. */
  cohorts: CohortCurve[];
  /** Customer-weighted curve over the cohorts observed at each period; as long as the oldest cohort's curve. */
  pooled: PooledCurvePoint[];
}

interface ValidatedCohorts {
  cohorts: Cohort[];
  /** Per cohort (input order): active customers and revenue per period, zero-filled. */
  active: number[][];
  revenue: number[][];
}

function wholeNumber(value: unknown, field: string, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new StatsInputError(field, `must be a whole number ≥ ${min}`);
  }
  return value;
}

function validateCohortInput(input: CohortInput): ValidatedCohorts {
  if (typeof input !== 'object' || input === null) {
    throw new StatsInputError('input', 'must be an object { cohorts, activity }');
  }
  const { cohorts, activity } = input;
  if (!Array.isArray(cohorts) || cohorts.length === 0) {
    throw new StatsInputError(
      'cohorts',
      'must be a non-empty list of { cohort, customers, periodsObserved }',
    );
  }
  if (!Array.isArray(activity)) {
    throw new StatsInputError('activity', 'must be a list of { cohort, period, activeCustomers, revenue }');
  }
  const index = new Map<string, number>();
  cohorts.forEach((c, i) => {
    if (typeof c !== 'object' || c === null) throw new StatsInputError(`cohorts[${i}]`, 'must be an object');
    if (typeof c.cohort !== 'string' || c.cohort.length === 0) {
      throw new StatsInputError(`cohorts[${i}].cohort`, 'must be a non-empty label');
    }
    if (index.has(c.cohort))
      throw new StatsInputError(`cohorts[${i}].cohort`, `'${c.cohort}' is listed twice`);
    index.set(c.cohort, i);
    wholeNumber(c.customers, `cohorts[${i}].customers`, 1);
    wholeNumber(c.periodsObserved, `cohorts[${i}].periodsObserved`, 1);
  });
  const active = cohorts.map((c) => new Array<number>(c.periodsObserved).fill(0));
  const revenue = cohorts.map((c) => new Array<number>(c.periodsObserved).fill(0));
  const seen = cohorts.map(() => new Set<number>());
  activity.forEach((row, i) => {
    if (typeof row !== 'object' || row === null)
      throw new StatsInputError(`activity[${i}]`, 'must be an object');
    const c = index.get(row.cohort);
    if (c === undefined) {
      throw new StatsInputError(`activity[${i}].cohort`, 'must name a cohort listed in cohorts');
    }
    const cohort = cohorts[c] as Cohort;
    const period = wholeNumber(row.period, `activity[${i}].period`, 0);
    if (period >= cohort.periodsObserved) {
      throw new StatsInputError(
        `activity[${i}].period`,
        `must be below the cohort's periodsObserved (${cohort.periodsObserved}): later periods are not complete`,
      );
    }
    if ((seen[c] as Set<number>).has(period)) {
      throw new StatsInputError(`activity[${i}]`, `repeats cohort '${cohort.cohort}' period ${period}`);
    }
    (seen[c] as Set<number>).add(period);
    const a = wholeNumber(row.activeCustomers, `activity[${i}].activeCustomers`, 0);
    if (a > cohort.customers) {
      throw new StatsInputError(
        `activity[${i}].activeCustomers`,
        `must not exceed the cohort's ${cohort.customers} customers`,
      );
    }
    if (typeof row.revenue !== 'number' || !Number.isFinite(row.revenue)) {
      throw new StatsInputError(`activity[${i}].revenue`, 'must be a finite number');
    }
    (active[c] as number[])[period] = a;
    (revenue[c] as number[])[period] = row.revenue;
  });
  return { cohorts, active, revenue };
}

/**
 * Retention curves and cumulative revenue per customer, per cohort and pooled.
 *
 * Per cohort with n customers, A_k active customers and revenue V_k in period k:
 *   retention r_k = A_k / n,   revenue per customer V_k / n,   cumulative revenue per customer Σ_{j≤k} V_j / n.
 * Pooled over the set C_k of cohorts observed at period k (periodsObserved > k), customer-weighted:
 *   r_k = Σ_{C_k} A_k / Σ_{C_k} n,   cumulative revenue per customer = Σ_{C_k} Σ_{j≤k} V_j / Σ_{C_k} n,
 * so each point averages real customers of the cohorts that have reached it (young cohorts drop out of later
 * points instead of being counted as lost). This is "classic" (return) retention: a customer counts in every
 * period in which they are active, whether or not they were active in between, so the curve need not fall
 * monotonically. It is the empirical cohort curve that retention models such as Fader & Hardie (2010) are
 * fitted to.
 *
 * Rows for monthly curves are aggregated by calendar month since acquisition; rows for N-day figures by a
 * fixed number of days (see {@link nDayRetention}).
 *
 * @throws StatsInputError for an empty or duplicated cohort list, customers < 1, periodsObserved < 1, activity
 *   naming an unknown cohort, a period outside 0 … periodsObserved − 1 or repeated, active customers that are
 *   not whole, negative or above the cohort size, or non-finite revenue.
 */
export function cohortRetention(input: CohortInput): CohortAnalysis {
  const { cohorts, active, revenue } = validateCohortInput(input);
  const curves: CohortCurve[] = cohorts.map((c, i) => {
    let cumulative = 0;
    const points = (active[i] as number[]).map((a, k) => {
      const v = (revenue[i] as number[])[k] as number;
      cumulative += v;
      return {
        period: k,
        activeCustomers: a,
        retention: a / c.customers,
        revenue: v,
        revenuePerCustomer: v / c.customers,
        cumulativeRevenuePerCustomer: cumulative / c.customers,
      };
    });
    return { cohort: c.cohort, customers: c.customers, periodsObserved: c.periodsObserved, points };
  });

  const longest = Math.max(...cohorts.map((c) => c.periodsObserved));
  const pooled: PooledCurvePoint[] = [];
  for (let k = 0; k < longest; k++) {
    let count = 0;
    let customers = 0;
    let activeCustomers = 0;
    let periodRevenue = 0;
    let cumulativeRevenue = 0;
    curves.forEach((curve) => {
      const point = curve.points[k];
      if (!point) return;
      count += 1;
      customers += curve.customers;
      activeCustomers += point.activeCustomers;
      periodRevenue += point.revenue;
      cumulativeRevenue += point.cumulativeRevenuePerCustomer * curve.customers;
    });
    pooled.push({
      period: k,
      cohorts: count,
      customers,
      activeCustomers,
      retention: activeCustomers / customers,
      revenuePerCustomer: periodRevenue / customers,
      cumulativeRevenuePerCustomer: cumulativeRevenue / customers,
    });
  }
  return { cohorts: curves, pooled };
}

export interface NDayRetention {
  days: number;
  /** Period index that holds day `days`: days / periodDays. */
  period: number;
  /** Pooled retention at that period; null when no cohort has been observed that long. */
  retention: number | null;
  /** Cohorts and customers behind the figure. */
  cohorts: number;
  customers: number;
  /** The same figure per cohort (null for cohorts not yet observed that long), in input order. */
  byCohort: Array<{ cohort: string; retention: number | null }>;
}

/**
 * N-day retention (30/60/90 by default): the share of a cohort's customers active in the period that starts
 * N days after acquisition, r_{N/periodDays} of {@link cohortRetention}, pooled over the cohorts observed that
 * long. With daily rows (periodDays = 1) this is the classic "day-N" retention; with 30-day windows
 * (periodDays = 30) the 30-, 60- and 90-day figures are the shares active in days 30–59, 60–89 and 90–119
 * (the "N-day" and "custom bracket" retention of Amplitude's analytics). N must be a multiple of periodDays.
 *
 * @throws StatsInputError when periodDays is missing or not a whole number ≥ 1, when a day count is not a
 *   positive multiple of periodDays, and for every rule of {@link cohortRetention}.
 */
export function nDayRetention(input: CohortInput, days: readonly number[] = [30, 60, 90]): NDayRetention[] {
  if (typeof input !== 'object' || input === null) {
    throw new StatsInputError('input', 'must be an object { cohorts, activity, periodDays }');
  }
  const periodDays = input.periodDays;
  if (periodDays === undefined) {
    throw new StatsInputError(
      'periodDays',
      'is required for N-day retention (1 for daily rows, 30 for 30-day windows)',
    );
  }
  wholeNumber(periodDays, 'periodDays', 1);
  if (!Array.isArray(days) || days.length === 0) {
    throw new StatsInputError('days', 'must be a non-empty list of day counts');
  }
  days.forEach((d, i) => {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 1 || d % periodDays !== 0) {
      throw new StatsInputError(`days[${i}]`, `must be a positive multiple of periodDays (${periodDays})`);
    }
  });
  const analysis = cohortRetention(input);
  return days.map((d) => {
    const period = d / periodDays;
    const point = analysis.pooled[period];
    return {
      days: d,
      period,
      retention: point ? point.retention : null,
      cohorts: point ? point.cohorts : 0,
      customers: point ? point.customers : 0,
      byCohort: analysis.cohorts.map((c) => ({
        cohort: c.cohort,
        retention: c.points[period]?.retention ?? null,
      })),
    };
  });
}
