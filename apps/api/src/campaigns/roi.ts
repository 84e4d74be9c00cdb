/**
 * Pure rules turning a measured lift (from an experiment's results snapshot) and a campaign's terms into its
 * incremental, discounted return. No database, no clock: values in, values out.
 *
 * The analysis measures, for each revenue metric, the absolute incremental revenue per treated customer in
 * each month since exposure (treated minus holdout), with a confidence interval. A campaign counts that lift
 * over its horizon of H months:
 *
 *   - observed months are taken as measured;
 *   - a month missing between two observed ones takes the previous observed month's values;
 *   - months after the last observed one: 'carry_last_observed_month' (the headline) repeats the last observed
 *     month's lift and interval, with no growth and no decay; 'observed_only' counts them as zero, which gives
 *     the return earned so far against the whole ledger.
 *
 * The money then follows `campaignRoi` of @liftlab/stats: margin_k = n · Σ_s g_s · v_{s,k}, discounted at the
 * effective monthly rate with end-of-month margin and start-of-month costs. Because present value is linear,
 * a varying monthly lift is passed to `campaignRoi` as the constant lift with the same present value,
 * v̄_s = Σ_k v_{s,k} d_k / Σ_k d_k (d_k the discount factor of month k), which leaves PV margin, ROI, its
 * interval and the verdict exactly as if the months had been summed one by one. Monthly bounds are summed like
 * the streams', i.e. as perfectly correlated, so the interval is never too narrow. The payback month is
 * computed here from the actual monthly margins (the constant equivalent would move it).
 */
import {
  allocateCosts,
  campaignRoi,
  effectiveMonthlyRate,
  type CostAllocation,
  type CostLedger,
  type RevenueStream,
  type RoiVerdict,
} from '@liftlab/stats';

export type Projection = 'carry_last_observed_month' | 'observed_only';

export interface Interval {
  estimate: number;
  lower: number;
  upper: number;
}

/** Incremental revenue per treated customer in one month since exposure (0 = first month). */
export interface LiftMonth extends Interval {
  month: number;
}

export interface ProjectedMonth extends LiftMonth {
  observed: boolean;
}

export interface MeasuredStream {
  metricKey: string;
  stream: RevenueStream;
  months: readonly LiftMonth[];
  /** Mean revenue per treated customer by month since exposure (same months), when the analysis gives it. */
  treatedMeans?: readonly { month: number; mean: number }[];
}

export interface CampaignTerms {
  horizonMonths: number;
  annualDiscountRate: number;
  grossMargins: Record<RevenueStream, number>;
  costs: CostLedger;
  acquisitionCostPerCustomer: number | null;
}

export interface RoiFigure {
  projection: Projection;
  roi: Interval;
  incrementalMarginPv: Interval;
  netPv: Interval;
  paybackMonth: number | null;
  verdict: RoiVerdict;
  reason: string;
}

export interface StreamFigure {
  stream: RevenueStream;
  metricKey: string;
  grossMargin: number;
  revenuePv: Interval;
  marginPv: Interval;
  monthly: ProjectedMonth[];
}

export interface RoiComputation {
  observedMonths: number;
  projected: RoiFigure;
  observed: RoiFigure;
  streams: StreamFigure[];
  costs: { total: number; pv: number; byCategory: Record<string, { total: number; pv: number }> };
  breakEvenMarginPerCustomerPerMonth: number;
  ltvToCac: {
    incrementalLtvPerCustomer: number;
    ltvPerCustomer: number | null;
    acquisitionCostPerCustomer: number;
    ratio: number | null;
  } | null;
}

/** Why a campaign has no return to show yet; the service turns it into a 412 naming the field. */
export class NotMeasurableError extends Error {
  override readonly name = 'NotMeasurableError';
  constructor(
    readonly field: string,
    readonly rule: string,
    message: string,
  ) {
    super(message);
  }
}

/** Months observed: one past the last month any stream measured (months are 0-based). */
export function observedMonthCount(streams: readonly MeasuredStream[]): number {
  let count = 0;
  for (const s of streams) for (const m of s.months) count = Math.max(count, m.month + 1);
  return count;
}

/**
 * The lift of each of the horizon's months under a projection (see the file comment). Measured months at or
 * beyond the horizon are ignored.
 */
export function projectMonths(
  months: readonly LiftMonth[],
  horizonMonths: number,
  projection: Projection,
): ProjectedMonth[] {
  const byMonth = new Map<number, LiftMonth>();
  for (const m of months) {
    if (!Number.isInteger(m.month) || m.month < 0) {
      throw new NotMeasurableError('months', 'whole_month_index', `Month ${m.month} is not a month index.`);
    }
    if (
      ![m.estimate, m.lower, m.upper].every(Number.isFinite) ||
      m.lower > m.estimate ||
      m.estimate > m.upper
    ) {
      throw new NotMeasurableError('months', 'interval', `Month ${m.month} has no valid interval.`);
    }
    byMonth.set(m.month, m);
  }
  const last = Math.max(-1, ...byMonth.keys());
  const out: ProjectedMonth[] = [];
  let previous: LiftMonth | undefined;
  for (let k = 0; k < horizonMonths; k++) {
    const measured = byMonth.get(k);
    if (measured) {
      previous = measured;
      out.push({
        month: k,
        estimate: measured.estimate,
        lower: measured.lower,
        upper: measured.upper,
        observed: true,
      });
    } else if (previous && (k < last || projection === 'carry_last_observed_month')) {
      out.push({
        month: k,
        estimate: previous.estimate,
        lower: previous.lower,
        upper: previous.upper,
        observed: false,
      });
    } else {
      out.push({ month: k, estimate: 0, lower: 0, upper: 0, observed: false });
    }
  }
  return out;
}

/** Discount factors of the horizon's months: end-of-month margin, (1 + r_m)^−(k+1). */
export function marginDiscountFactors(horizonMonths: number, annualDiscountRate: number): number[] {
  const rate = effectiveMonthlyRate(annualDiscountRate);
  return Array.from({ length: horizonMonths }, (_, k) => Math.pow(1 + rate, -(k + 1)));
}

/**
 * First month (1-based) from which the cumulative discounted margin stays at or above the cumulative
 * discounted costs through the last month having either (the rule of `campaignRoi`, on monthly margins that
 * may vary). Margin at the end of each month, costs at its start; null if it never pays back.
 */
export function paybackMonth(
  marginByMonth: readonly number[],
  costs: CostAllocation,
  annualDiscountRate: number,
): number | null {
  const rate = effectiveMonthlyRate(annualDiscountRate);
  const months = Math.max(marginByMonth.length, costs.months);
  const categories = Object.keys(costs.monthly) as (keyof CostAllocation['monthly'])[];
  let cumulative = 0;
  let payback: number | null = null;
  for (let m = 0; m < months; m++) {
    const cost = categories.reduce((sum, c) => sum + (costs.monthly[c][m] ?? 0), 0);
    cumulative += (marginByMonth[m] ?? 0) * Math.pow(1 + rate, -(m + 1)) - cost * Math.pow(1 + rate, -m);
    if (cumulative >= -1e-9 * Math.max(1, Math.abs(cost))) payback ??= m + 1;
    else payback = null;
  }
  return payback;
}

interface ProjectedStream {
  source: MeasuredStream;
  grossMargin: number;
  monthly: ProjectedMonth[];
}

function figure(
  streams: readonly ProjectedStream[],
  treatedCustomers: number,
  terms: CampaignTerms,
  srmFlagged: boolean,
  projection: Projection,
  factors: readonly number[],
): { figure: RoiFigure; stats: ReturnType<typeof campaignRoi> } {
  const annuity = factors.reduce((a, b) => a + b, 0);
  const equivalent = (values: (m: ProjectedMonth) => number, monthly: readonly ProjectedMonth[]) =>
    monthly.reduce((sum, m, k) => sum + values(m) * (factors[k] ?? 0), 0) / annuity;
  const stats = campaignRoi({
    incrementalValue: streams.map((s) => {
      const estimate = equivalent((m) => m.estimate, s.monthly);
      // Rounding in the weighted sums must not break lower ≤ estimate ≤ upper.
      return {
        stream: s.source.stream,
        grossMargin: s.grossMargin,
        estimate,
        lower: Math.min(
          estimate,
          equivalent((m) => m.lower, s.monthly),
        ),
        upper: Math.max(
          estimate,
          equivalent((m) => m.upper, s.monthly),
        ),
      };
    }),
    treatedCustomers,
    horizonMonths: terms.horizonMonths,
    annualDiscountRate: terms.annualDiscountRate,
    costs: terms.costs,
    srmFlagged,
  });
  const marginByMonth = Array.from({ length: terms.horizonMonths }, (_, k) =>
    streams.reduce((sum, s) => sum + treatedCustomers * s.grossMargin * (s.monthly[k]?.estimate ?? 0), 0),
  );
  const costsPv = stats.costsPv.total;
  const margin = stats.incrementalMarginPv;
  return {
    stats,
    figure: {
      projection,
      roi: stats.roi,
      incrementalMarginPv: margin,
      netPv: {
        estimate: margin.estimate - costsPv,
        lower: margin.lower - costsPv,
        upper: margin.upper - costsPv,
      },
      paybackMonth: paybackMonth(marginByMonth, stats.costs, terms.annualDiscountRate),
      verdict: stats.verdict,
      reason: stats.reason,
    },
  };
}

function checkInputs(
  streams: readonly MeasuredStream[],
  treatedCustomers: number,
  terms: CampaignTerms,
): void {
  if (!(Number.isInteger(treatedCustomers) && treatedCustomers > 0)) {
    throw new NotMeasurableError('treatedCustomers', 'min_1', 'Nobody has been treated yet.');
  }
  if (streams.length === 0 || observedMonthCount(streams) === 0) {
    throw new NotMeasurableError(
      'streams',
      'revenue_lift_by_month',
      'The results have no monthly revenue lift yet (a metric with a revenue stream is needed).',
    );
  }
  const allocation = allocateCosts(terms.costs);
  if (!(allocation.total > 0)) {
    throw new NotMeasurableError(
      'costs',
      'total_above_0',
      'The cost ledger is empty: record what the campaign cost.',
    );
  }
}

/**
 * The campaign's return under both projections, per stream, with costs, break-even, LTV:CAC. Throws
 * NotMeasurableError when there is nothing to compute a return from.
 */
export function computeCampaignRoi(input: {
  streams: readonly MeasuredStream[];
  treatedCustomers: number;
  srmFlagged: boolean;
  terms: CampaignTerms;
}): RoiComputation {
  const { streams, treatedCustomers, srmFlagged, terms } = input;
  checkInputs(streams, treatedCustomers, terms);
  const factors = marginDiscountFactors(terms.horizonMonths, terms.annualDiscountRate);
  const project = (projection: Projection): ProjectedStream[] =>
    streams.map((s) => ({
      source: s,
      grossMargin: terms.grossMargins[s.stream],
      monthly: projectMonths(s.months, terms.horizonMonths, projection),
    }));
  const projectedStreams = project('carry_last_observed_month');
  const projected = figure(
    projectedStreams,
    treatedCustomers,
    terms,
    srmFlagged,
    'carry_last_observed_month',
    factors,
  );
  const observed = figure(
    project('observed_only'),
    treatedCustomers,
    terms,
    srmFlagged,
    'observed_only',
    factors,
  );

  const pvOf = (monthly: readonly ProjectedMonth[], pick: (m: ProjectedMonth) => number) =>
    treatedCustomers * monthly.reduce((sum, m, k) => sum + pick(m) * (factors[k] ?? 0), 0);
  const streamFigures: StreamFigure[] = projectedStreams.map((s) => {
    const revenuePv = {
      estimate: pvOf(s.monthly, (m) => m.estimate),
      lower: pvOf(s.monthly, (m) => m.lower),
      upper: pvOf(s.monthly, (m) => m.upper),
    };
    return {
      stream: s.source.stream,
      metricKey: s.source.metricKey,
      grossMargin: s.grossMargin,
      revenuePv,
      marginPv: {
        estimate: s.grossMargin * revenuePv.estimate,
        lower: s.grossMargin * revenuePv.lower,
        upper: s.grossMargin * revenuePv.upper,
      },
      monthly: s.monthly,
    };
  });

  const stats = projected.stats;
  const byCategory = Object.fromEntries(
    Object.entries(stats.costs.byCategory).map(([c, total]) => [
      c,
      { total, pv: stats.costsPv.byCategory[c as keyof typeof stats.costsPv.byCategory] },
    ]),
  );

  let ltvToCac: RoiComputation['ltvToCac'] = null;
  if (terms.acquisitionCostPerCustomer !== null) {
    const cac = terms.acquisitionCostPerCustomer;
    const incrementalLtvPerCustomer = stats.incrementalMarginPv.estimate / treatedCustomers;
    const withMeans = streams.every((s) => s.treatedMeans && s.treatedMeans.length > 0);
    let ltvPerCustomer: number | null = null;
    if (withMeans) {
      ltvPerCustomer = streams.reduce((sum, s) => {
        const means = projectMonths(
          (s.treatedMeans ?? []).map((m) => ({
            month: m.month,
            estimate: m.mean,
            lower: m.mean,
            upper: m.mean,
          })),
          terms.horizonMonths,
          'carry_last_observed_month',
        );
        return (
          sum +
          terms.grossMargins[s.stream] * means.reduce((a, m, k) => a + m.estimate * (factors[k] ?? 0), 0)
        );
      }, 0);
    }
    ltvToCac = {
      incrementalLtvPerCustomer,
      ltvPerCustomer,
      acquisitionCostPerCustomer: cac,
      ratio: ltvPerCustomer === null ? null : ltvPerCustomer / cac,
    };
  }

  return {
    observedMonths: observedMonthCount(streams),
    projected: projected.figure,
    observed: observed.figure,
    streams: streamFigures,
    costs: { total: stats.costs.total, pv: stats.costsPv.total, byCategory },
    breakEvenMarginPerCustomerPerMonth: stats.breakEvenMarginPerCustomerPerMonth,
    ltvToCac,
  };
}

/** A ledger charging `share` of every month's costs of `allocation` (costs follow the customers they touch). */
export function shareOfLedger(allocation: CostAllocation, share: number): CostLedger {
  const media: { amount: number; month: number }[] = [];
  for (let m = 0; m < allocation.months; m++) {
    const total = Object.values(allocation.monthly).reduce((sum, months) => sum + (months[m] ?? 0), 0);
    if (total > 0) media.push({ amount: total * share, month: m });
  }
  return { media };
}

export interface BreakdownInput {
  value: string;
  treatedCustomers: number;
  holdoutCustomers: number;
  streams: readonly MeasuredStream[];
}

export interface BreakdownFigure {
  value: string;
  treatedCustomers: number;
  holdoutCustomers: number;
  costsPv: number;
  incrementalMarginPv: Interval;
  roi: Interval;
  verdict: RoiVerdict;
}

/**
 * ROI of each group of customers (segment, acquisition cohort): its own lift over the horizon (projected as
 * the headline) against the share of the campaign's costs its treated customers account for, n_g / n. Groups
 * with nobody treated or no lift measured are left out.
 */
export function breakdownRoi(
  rows: readonly BreakdownInput[],
  totalTreated: number,
  srmFlagged: boolean,
  terms: CampaignTerms,
): BreakdownFigure[] {
  const allocation = allocateCosts(terms.costs);
  const factors = marginDiscountFactors(terms.horizonMonths, terms.annualDiscountRate);
  const out: BreakdownFigure[] = [];
  for (const row of rows) {
    if (!(row.treatedCustomers > 0) || observedMonthCount(row.streams) === 0 || !(totalTreated > 0)) continue;
    const share = row.treatedCustomers / totalTreated;
    const groupTerms: CampaignTerms = { ...terms, costs: shareOfLedger(allocation, share) };
    const projected = row.streams.map((s) => ({
      source: s,
      grossMargin: terms.grossMargins[s.stream],
      monthly: projectMonths(s.months, terms.horizonMonths, 'carry_last_observed_month'),
    }));
    const { figure: f, stats } = figure(
      projected,
      row.treatedCustomers,
      groupTerms,
      srmFlagged,
      'carry_last_observed_month',
      factors,
    );
    out.push({
      value: row.value,
      treatedCustomers: row.treatedCustomers,
      holdoutCustomers: row.holdoutCustomers,
      costsPv: stats.costsPv.total,
      incrementalMarginPv: f.incrementalMarginPv,
      roi: f.roi,
      verdict: f.verdict,
    });
  }
  return out;
}
