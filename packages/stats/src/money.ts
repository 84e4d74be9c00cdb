/**
 * Money side of a campaign: present value, customer lifetime value, cost allocation and the incremental,
 * discounted return on a campaign whose lift was measured against a holdout.
 *
 * Conventions: rates are annual effective rates (0.10 = 10% a year); a period index 0 is the first period of
 * the campaign; whether a period's cash arrives at its start, middle or end is always explicit.
 */
import { StatsInputError } from './types';

/**
 * When a period's cash flow happens: at its start (annuity due), its middle, or its end (ordinary annuity).
 */
export type CashFlowTiming = 'end' | 'start' | 'mid';
/** Length of one period of a cash-flow series. */
export type CashFlowPeriod = 'year' | 'month';

export interface DiscountOptions {
  /** Annual effective discount rate, ≥ 0 (0.10 = 10%). */
  annualRate: number;
  /** Default 'year'. Monthly flows use the effective monthly rate (1 + r)^(1/12) − 1. */
  period?: CashFlowPeriod;
  /** Default 'end'. */
  timing?: CashFlowTiming;
}

/**
 * Effective monthly rate equivalent to an annual effective rate: (1 + r)^(1/12) − 1, so that twelve months of
 * compounding give exactly one year's (Brealey, Myers & Allen, "Principles of Corporate Finance", ch. 2, on
 * effective and compounding rates). 10% a year ≈ 0.7974% a month, not 10%/12.
 */
export function effectiveMonthlyRate(annualRate: number): number {
  requireRate('annualRate', annualRate);
  return Math.pow(1 + annualRate, 1 / 12) - 1;
}

/**
 * Discount factor of the cash flow of period `periodIndex` (0 = first period): 1 / (1 + r_p)^t with r_p the
 * period rate and t = i + 1 (end of period), i (start) or i + ½ (mid-period convention)
 * (Brealey, Myers & Allen, "Principles of Corporate Finance", ch. 2).
 */
export function discountFactor(periodIndex: number, options: DiscountOptions): number {
  if (!Number.isFinite(periodIndex) || periodIndex < 0) {
    throw new StatsInputError('periodIndex', 'must be a non-negative number');
  }
  const { rate, timing } = resolveDiscount(options);
  return Math.pow(1 + rate, -(periodIndex + timingOffset(timing)));
}

/**
 * Present value of a series of cash flows, one per period: PV = Σᵢ CFᵢ / (1 + r_p)^tᵢ with tᵢ as in
 * {@link discountFactor} (Brealey, Myers & Allen, "Principles of Corporate Finance", ch. 2–3).
 * Check: 1,000 a year for 5 years at 10%, end of year → 3,790.79.
 */
export function presentValue(cashFlows: readonly number[], options: DiscountOptions): number {
  const { rate, timing } = resolveDiscount(options);
  const offset = timingOffset(timing);
  let pv = 0;
  cashFlows.forEach((cashFlow, i) => {
    requireFinite(`cashFlows[${i}]`, cashFlow);
    pv += cashFlow * Math.pow(1 + rate, -(i + offset));
  });
  return pv;
}

/**
 * Expected customer lifetime, in periods, from a constant per-period churn rate c: 1 / c (geometric lifetime:
 * the customer is active in the first period and stays each further period with probability 1 − c; Gupta &
 * Lehmann, "Managing Customers as Investments", 2005). 20% a year → 5 years.
 */
export function expectedLifetime(churnRate: number): number {
  requireFinite('churnRate', churnRate);
  if (!(churnRate > 0 && churnRate <= 1)) throw new StatsInputError('churnRate', 'must be in (0, 1]');
  return 1 / churnRate;
}

export interface SimpleLtvInput {
  /** Average revenue per purchase (or per period, with frequency 1). */
  arpu: number;
  /** Purchases per period. */
  frequency: number;
  /** Expected lifetime in periods, e.g. from {@link expectedLifetime}. */
  lifetime: number;
  /** Cost to serve the customer over that lifetime. */
  serviceCost: number;
}

/**
 * Undiscounted customer lifetime value: ARPU × frequency × lifetime − service cost (Farris, Bendle, Pfeifer &
 * Reibstein, "Marketing Metrics", 2nd ed. 2010, ch. 5). Ignores the time value of money and assumes a
 * constant spend; use {@link discountedLtv} when either matters.
 */
export function simpleLtv(input: SimpleLtvInput): number {
  requireNonNegative('arpu', input.arpu);
  requireNonNegative('frequency', input.frequency);
  requireNonNegative('lifetime', input.lifetime);
  requireNonNegative('serviceCost', input.serviceCost);
  return input.arpu * input.frequency * input.lifetime - input.serviceCost;
}

/**
 * Survival curve of a constant churn rate c over `periods` periods: S_i = (1 − c)^i, so S_0 = 1 (active in
 * the first period) and Σ S_i → 1/c = {@link expectedLifetime} (Fader & Hardie, "Customer-base valuation in a
 * contractual setting", Marketing Science 29(1), 2010, with a homogeneous churn rate).
 */
export function survivalFromChurn(churnRate: number, periods: number): number[] {
  expectedLifetime(churnRate);
  requireWholePositive('periods', periods);
  return Array.from({ length: periods }, (_, i) => Math.pow(1 - churnRate, i));
}

export interface DiscountedLtvInput extends DiscountOptions {
  /** Margin per active customer per period: one value for every period, or one per period. */
  marginPerPeriod: number | readonly number[];
  /**
   * S_i = probability the customer is still active in period i (S_0 is usually 1); non-increasing in [0, 1].
   */
  survival: readonly number[];
}

/**
 * Discounted lifetime value with a survival curve: LTV = Σᵢ mᵢ · Sᵢ / (1 + r_p)^tᵢ, tᵢ as in {@link
 * discountFactor} (Gupta & Lehmann 2005; Fader & Hardie 2010). With Sᵢ = (1 − c)^i, a constant margin
 * m, end-of-period cash and an unbounded horizon this reaches the closed form m / (1 + r − (1 − c)).
 */
export function discountedLtv(input: DiscountedLtvInput): number {
  const { survival } = input;
  if (survival.length === 0) throw new StatsInputError('survival', 'needs at least one period');
  survival.forEach((s, i) => {
    requireFinite(`survival[${i}]`, s);
    if (s < 0 || s > 1) throw new StatsInputError(`survival[${i}]`, 'must be a probability in [0, 1]');
    if (i > 0 && s > (survival[i - 1] ?? 1))
      throw new StatsInputError(`survival[${i}]`, 'must not increase over time');
  });
  let margins: readonly number[];
  if (typeof input.marginPerPeriod === 'number') {
    requireFinite('marginPerPeriod', input.marginPerPeriod);
    margins = survival.map(() => input.marginPerPeriod as number);
  } else {
    if (input.marginPerPeriod.length !== survival.length) {
      throw new StatsInputError('marginPerPeriod', 'needs one value per survival period');
    }
    input.marginPerPeriod.forEach((m, i) => requireFinite(`marginPerPeriod[${i}]`, m));
    margins = input.marginPerPeriod;
  }
  return presentValue(
    margins.map((m, i) => m * (survival[i] ?? 0)),
    input,
  );
}

/**
 * Simple payback period: acquisition (or campaign) cost / margin per period, in periods, undiscounted
 * (Farris et al., "Marketing Metrics", 2010, ch. 9, payback). CAC 120 with 60 a month → 2 months.
 */
export function paybackPeriod(acquisitionCost: number, marginPerPeriod: number): number {
  requireNonNegative('acquisitionCost', acquisitionCost);
  requireFinite('marginPerPeriod', marginPerPeriod);
  if (!(marginPerPeriod > 0))
    throw new StatsInputError('marginPerPeriod', 'must be positive to ever pay back');
  return acquisitionCost / marginPerPeriod;
}

/**
 * LTV : CAC ratio, lifetime value per unit of acquisition cost (Farris et al., "Marketing Metrics", 2010, ch.
 * 5; 3 is the usual rule-of-thumb floor for a healthy acquisition channel).
 */
export function ltvToCac(ltv: number, acquisitionCost: number): number {
  requireFinite('ltv', ltv);
  requireFinite('acquisitionCost', acquisitionCost);
  if (!(acquisitionCost > 0)) throw new StatsInputError('acquisitionCost', 'must be positive');
  return ltv / acquisitionCost;
}

// ----------------------------------------------------------------------------------------------------------
// Campaign costs

export type CostCategory = 'technology' | 'people' | 'content' | 'media' | 'incentives';
export const COST_CATEGORIES: readonly CostCategory[] = [
  'technology',
  'people',
  'content',
  'media',
  'incentives',
];

/**
 * A subscription shared by the whole customer base, charged to the campaign by the share of customers it
 * touches.
 */
export interface TechnologyCost {
  monthlyCost: number;
  /** Customers the subscription serves. */
  totalCustomers: number;
  /** Customers the campaign touches (≤ totalCustomers). */
  touchedCustomers: number;
  /** Whole months the campaign uses the subscription. */
  months: number;
  /** Month of the first charge (0 = launch month). Default 0. */
  startMonth?: number;
}

/** Staff time: hours × fully loaded hourly rate (salary, benefits, overhead). */
export interface PeopleCost {
  hours: number;
  loadedRate: number;
  /** Month the time is spent (0 = launch month). Default 0. */
  month?: number;
}

/** Creative or content with a useful life beyond the campaign, amortised straight-line. */
export interface ContentCost {
  cost: number;
  /** Whole months the content stays usable. */
  usefulLifeMonths: number;
  /** Whole months the campaign uses it; charges stop once the content is fully amortised. */
  monthsUsed: number;
  /** Default 0. */
  startMonth?: number;
}

/** Media spend or incentives (discounts, vouchers), charged as spent. */
export interface SpendCost {
  amount: number;
  /** Default 0. */
  month?: number;
}

export interface CostLedger {
  technology?: readonly TechnologyCost[];
  people?: readonly PeopleCost[];
  content?: readonly ContentCost[];
  media?: readonly SpendCost[];
  incentives?: readonly SpendCost[];
}

export interface CostAllocation {
  /** Cost charged to the campaign per category, undiscounted. */
  byCategory: Record<CostCategory, number>;
  total: number;
  /** monthly[category][m]: cost charged in month m (0 = launch month); every array has `months` entries. */
  monthly: Record<CostCategory, number[]>;
  months: number;
}

/**
 * Costs charged to a campaign, per category and month, undiscounted (activity-based allocation and
 * straight-line amortisation as in Horngren, Datar & Rajan, "Cost Accounting: A Managerial Emphasis"):
 *   technology = monthlyCost × touchedCustomers / totalCustomers per month used;
 *   people     = hours × loadedRate;
 *   content    = cost / usefulLifeMonths per month used, at most usefulLifeMonths months;
 *   media, incentives = amount, as spent.
 */
export function allocateCosts(ledger: CostLedger): CostAllocation {
  const charges: Array<{ category: CostCategory; month: number; amount: number }> = [];
  (ledger.technology ?? []).forEach((item, i) => {
    const f = `costs.technology[${i}]`;
    requireNonNegative(`${f}.monthlyCost`, item.monthlyCost);
    requirePositive(`${f}.totalCustomers`, item.totalCustomers);
    requireNonNegative(`${f}.touchedCustomers`, item.touchedCustomers);
    if (item.touchedCustomers > item.totalCustomers) {
      throw new StatsInputError(`${f}.touchedCustomers`, 'must not exceed totalCustomers');
    }
    requireWholePositive(`${f}.months`, item.months);
    const start = monthOf(`${f}.startMonth`, item.startMonth);
    const perMonth = (item.monthlyCost * item.touchedCustomers) / item.totalCustomers;
    for (let m = 0; m < item.months; m++)
      charges.push({ category: 'technology', month: start + m, amount: perMonth });
  });
  (ledger.people ?? []).forEach((item, i) => {
    const f = `costs.people[${i}]`;
    requireNonNegative(`${f}.hours`, item.hours);
    requireNonNegative(`${f}.loadedRate`, item.loadedRate);
    charges.push({
      category: 'people',
      month: monthOf(`${f}.month`, item.month),
      amount: item.hours * item.loadedRate,
    });
  });
  (ledger.content ?? []).forEach((item, i) => {
    const f = `costs.content[${i}]`;
    requireNonNegative(`${f}.cost`, item.cost);
    requireWholePositive(`${f}.usefulLifeMonths`, item.usefulLifeMonths);
    requireWholePositive(`${f}.monthsUsed`, item.monthsUsed);
    const start = monthOf(`${f}.startMonth`, item.startMonth);
    const charged = Math.min(item.monthsUsed, item.usefulLifeMonths);
    for (let m = 0; m < charged; m++) {
      charges.push({ category: 'content', month: start + m, amount: item.cost / item.usefulLifeMonths });
    }
  });
  for (const category of ['media', 'incentives'] as const) {
    (ledger[category] ?? []).forEach((item, i) => {
      const f = `costs.${category}[${i}]`;
      requireNonNegative(`${f}.amount`, item.amount);
      charges.push({ category, month: monthOf(`${f}.month`, item.month), amount: item.amount });
    });
  }

  const months = charges.reduce((max, charge) => Math.max(max, charge.month + 1), 0);
  const monthly = Object.fromEntries(
    COST_CATEGORIES.map((c) => [c, new Array<number>(months).fill(0)]),
  ) as Record<CostCategory, number[]>;
  for (const charge of charges)
    monthly[charge.category][charge.month] = (monthly[charge.category][charge.month] ?? 0) + charge.amount;
  const byCategory = Object.fromEntries(COST_CATEGORIES.map((c) => [c, sum(monthly[c])])) as Record<
    CostCategory,
    number
  >;
  return { byCategory, total: sum(COST_CATEGORIES.map((c) => byCategory[c])), monthly, months };
}

// ----------------------------------------------------------------------------------------------------------
// Incremental ROI

export type RevenueStream = 'upsell' | 'cross_sell' | 'retention' | 'other';

/** Measured incremental value (lift) per treated customer per month, from the holdout comparison. */
export interface IncrementalValue {
  /** Default 'other'. */
  stream?: RevenueStream;
  /** Point estimate of the lift, in currency per treated customer per month. */
  estimate: number;
  /** Bounds of the lift's confidence interval (same level for every stream). */
  lower: number;
  upper: number;
  /** Gross margin rate of this stream's revenue, in [0, 1]. Default 1 (the value is already a margin). */
  grossMargin?: number;
}

export interface ValueInterval {
  estimate: number;
  lower: number;
  upper: number;
}

export type RoiVerdict = 'proven' | 'incremental_not_profitable' | 'unproven' | 'blocked_by_srm';

/**
 * What a campaign cost and how its value is counted; shared by {@link campaignRoi} and {@link breakEvenLift}.
 */
export interface CampaignEconomics {
  /** Customers who received the campaign. */
  treatedCustomers: number;
  /** Whole months over which the incremental value is counted. */
  horizonMonths: number;
  /** Annual effective discount rate. Default 0.10. */
  annualDiscountRate?: number;
  /** When each month's incremental margin arrives. Default 'end'. */
  timing?: CashFlowTiming;
  /** When each month's costs are paid. Default 'start' (costs are usually paid up front). */
  costTiming?: CashFlowTiming;
  costs: CostLedger;
}

export interface CampaignRoiInput extends CampaignEconomics {
  incrementalValue: IncrementalValue | readonly IncrementalValue[];
  /** Set when the sample-ratio-mismatch check failed: no verdict can be trusted. */
  srmFlagged?: boolean;
}

export interface CampaignRoi {
  /** Σ grossMargin × value over streams, per treated customer per month. */
  incrementalMarginPerCustomerPerMonth: ValueInterval;
  /** Present value of the incremental margin over the horizon, all treated customers. */
  incrementalMarginPv: ValueInterval;
  incrementalMarginPvByStream: Array<ValueInterval & { stream: RevenueStream }>;
  /** Present value of the costs. */
  costsPv: { byCategory: Record<CostCategory, number>; total: number };
  /** Undiscounted costs as allocated. */
  costs: CostAllocation;
  /** (PV margin − PV costs) / PV costs, with the interval carried over from the lift's. */
  roi: ValueInterval;
  /**
   * Month (1-based) from which cumulative discounted margin covers cumulative discounted costs for good; null
   * if never.
   */
  paybackMonth: number | null;
  /** Margin per treated customer per month at which ROI = 0. */
  breakEvenMarginPerCustomerPerMonth: number;
  verdict: RoiVerdict;
  reason: string;
}

/**
 * Incremental, discounted return on a campaign measured against a holdout (return on marketing investment as
 * in Farris et al., "Marketing Metrics", 2010, ch. 9, with Brealey-Myers discounting):
 *
 *   m = Σ_s g_s · v_s                              incremental margin per treated customer per month
 *   A = Σ_{i<H} (1 + r_m)^−tᵢ                       monthly annuity factor, r_m = (1 + r)^(1/12) − 1
 *   PV margin = n · m · A,   PV costs = Σ_j cost_j · (1 + r_m)^−t_j
 *   ROI = (PV margin − PV costs) / PV costs
 *
 * ROI is increasing and linear in the lift, so the lift's confidence bounds map onto ROI bounds. Per-stream
 * bounds are added as they are, which treats the streams as perfectly correlated: the combined interval is
 * never too narrow. Pass one stream when the analysis estimated the total value directly.
 *
 * Verdict: 'blocked_by_srm' when `srmFlagged`; 'proven' when the ROI lower bound > 0;
 * 'incremental_not_profitable' when the lift lower bound (Σ_s lower_s) > 0 but the ROI lower bound ≤ 0;
 * otherwise 'unproven'.
 */
export function campaignRoi(input: CampaignRoiInput): CampaignRoi {
  const streams = resolveStreams(input.incrementalValue);
  const economics = resolveEconomics(input);
  if (!(economics.costsPvTotal > 0)) {
    throw new StatsInputError('costs', 'must total more than 0 for a return on them to exist');
  }
  const n = input.treatedCustomers;
  const margin: ValueInterval = {
    estimate: sum(streams.map((s) => s.grossMargin * s.estimate)),
    lower: sum(streams.map((s) => s.grossMargin * s.lower)),
    upper: sum(streams.map((s) => s.grossMargin * s.upper)),
  };
  const pvOf = (perCustomer: number): number => n * perCustomer * economics.annuity;
  const roiOf = (perCustomer: number): number =>
    (pvOf(perCustomer) - economics.costsPvTotal) / economics.costsPvTotal;
  const roi = { estimate: roiOf(margin.estimate), lower: roiOf(margin.lower), upper: roiOf(margin.upper) };
  const liftLower = sum(streams.map((s) => s.lower));

  let verdict: RoiVerdict;
  let reason: string;
  if (input.srmFlagged === true) {
    verdict = 'blocked_by_srm';
    reason =
      'The holdout split does not match the planned ratio (sample ratio mismatch), so the lift and the ' +
      'return built on it cannot be trusted until assignment is fixed.';
  } else if (roi.lower > 0) {
    verdict = 'proven';
    reason =
      `Even at the low end of the lift's confidence interval the campaign returns ${percent(roi.lower)} ` +
      'on its discounted costs.';
  } else if (liftLower > 0) {
    verdict = 'incremental_not_profitable';
    reason =
      'The lift is real (its confidence interval excludes zero), but at the low end of that interval the ' +
      `discounted margin does not cover the costs (return ${percent(roi.lower)}).`;
  } else {
    verdict = 'unproven';
    reason =
      "The lift's confidence interval includes zero: the campaign has not yet shown incremental value " +
      'over the holdout.';
  }

  return {
    incrementalMarginPerCustomerPerMonth: margin,
    incrementalMarginPv: {
      estimate: pvOf(margin.estimate),
      lower: pvOf(margin.lower),
      upper: pvOf(margin.upper),
    },
    incrementalMarginPvByStream: streams.map((s) => ({
      stream: s.stream,
      estimate: pvOf(s.grossMargin * s.estimate),
      lower: pvOf(s.grossMargin * s.lower),
      upper: pvOf(s.grossMargin * s.upper),
    })),
    costsPv: { byCategory: economics.costsPvByCategory, total: economics.costsPvTotal },
    costs: economics.allocation,
    roi,
    paybackMonth: paybackMonthOf(n * margin.estimate, economics),
    breakEvenMarginPerCustomerPerMonth: economics.costsPvTotal / (n * economics.annuity),
    verdict,
    reason,
  };
}

export interface BreakEvenInput extends CampaignEconomics {
  /** Gross margin rate that turns the value lift into margin, in (0, 1]. Default 1. */
  grossMargin?: number;
  /** Current value per customer per month in the holdout, to express the break-even as a relative lift. */
  baselineValuePerCustomerPerMonth?: number;
}

export interface BreakEvenLift {
  /** Incremental margin per treated customer per month at which PV margin = PV costs. */
  marginPerCustomerPerMonth: number;
  /** The same in value (revenue) terms: margin / grossMargin. */
  valuePerCustomerPerMonth: number;
  /** value / baseline, comparable with a relative minimum detectable effect; null without a baseline. */
  relativeLift: number | null;
  costsPv: number;
}

/**
 * Smallest lift that pays the campaign's costs back within the horizon: m* = PV costs / (n · A), with A the
 * monthly annuity factor of {@link campaignRoi}; in value terms m* / g, and relative to a baseline m* / (g ·
 * baseline). A relative break-even below the plan's minimum detectable effect means the test cannot tell a
 * profitable campaign from no effect; compare it with `minimumDetectableEffect` (Farris et al., "Marketing
 * Metrics", 2010, ch. 9, break-even analysis).
 */
export function breakEvenLift(input: BreakEvenInput): BreakEvenLift {
  const economics = resolveEconomics(input);
  const grossMargin = input.grossMargin ?? 1;
  requireFinite('grossMargin', grossMargin);
  if (!(grossMargin > 0 && grossMargin <= 1)) throw new StatsInputError('grossMargin', 'must be in (0, 1]');
  const margin = economics.costsPvTotal / (input.treatedCustomers * economics.annuity);
  const value = margin / grossMargin;
  let relativeLift: number | null = null;
  if (input.baselineValuePerCustomerPerMonth !== undefined) {
    requirePositive('baselineValuePerCustomerPerMonth', input.baselineValuePerCustomerPerMonth);
    relativeLift = value / input.baselineValuePerCustomerPerMonth;
  }
  return {
    marginPerCustomerPerMonth: margin,
    valuePerCustomerPerMonth: value,
    relativeLift,
    costsPv: economics.costsPvTotal,
  };
}

interface ResolvedEconomics {
  horizon: number;
  monthlyRate: number;
  timing: CashFlowTiming;
  costTiming: CashFlowTiming;
  annuity: number;
  allocation: CostAllocation;
  costsPvByCategory: Record<CostCategory, number>;
  costsPvTotal: number;
}

function resolveEconomics(input: CampaignEconomics): ResolvedEconomics {
  requirePositive('treatedCustomers', input.treatedCustomers);
  requireWholePositive('horizonMonths', input.horizonMonths);
  const annualRate = input.annualDiscountRate ?? 0.1;
  requireRate('annualDiscountRate', annualRate);
  const timing = requireTiming('timing', input.timing ?? 'end');
  const costTiming = requireTiming('costTiming', input.costTiming ?? 'start');
  const monthlyRate = effectiveMonthlyRate(annualRate);
  const annuity = presentValue(new Array<number>(input.horizonMonths).fill(1), {
    annualRate: monthlyRate,
    timing,
  });
  const allocation = allocateCosts(input.costs ?? {});
  const costsPvByCategory = Object.fromEntries(
    COST_CATEGORIES.map((c) => [
      c,
      presentValue(allocation.monthly[c], { annualRate: monthlyRate, timing: costTiming }),
    ]),
  ) as Record<CostCategory, number>;
  return {
    horizon: input.horizonMonths,
    monthlyRate,
    timing,
    costTiming,
    annuity,
    allocation,
    costsPvByCategory,
    costsPvTotal: sum(COST_CATEGORIES.map((c) => costsPvByCategory[c])),
  };
}

/**
 * First month (1-based) from which cumulative discounted margin stays at or above cumulative discounted costs
 * through the last month that has either; later-dated costs can push payback back.
 */
function paybackMonthOf(marginPerMonth: number, economics: ResolvedEconomics): number | null {
  const months = Math.max(economics.horizon, economics.allocation.months);
  const marginOffset = timingOffset(economics.timing);
  const costOffset = timingOffset(economics.costTiming);
  let cumulative = 0;
  let payback: number | null = null;
  for (let m = 0; m < months; m++) {
    const margin =
      m < economics.horizon ? marginPerMonth * Math.pow(1 + economics.monthlyRate, -(m + marginOffset)) : 0;
    const cost = sum(COST_CATEGORIES.map((c) => economics.allocation.monthly[c][m] ?? 0));
    cumulative += margin - cost * Math.pow(1 + economics.monthlyRate, -(m + costOffset));
    if (cumulative >= 0) payback ??= m + 1;
    else payback = null;
  }
  return payback;
}

function resolveStreams(
  value: IncrementalValue | readonly IncrementalValue[],
): Array<Required<IncrementalValue>> {
  const list: readonly IncrementalValue[] = Array.isArray(value) ? value : [value as IncrementalValue];
  if (list.length === 0) throw new StatsInputError('incrementalValue', 'needs at least one revenue stream');
  return list.map((item, i) => {
    const f = `incrementalValue[${i}]`;
    requireFinite(`${f}.estimate`, item.estimate);
    requireFinite(`${f}.lower`, item.lower);
    requireFinite(`${f}.upper`, item.upper);
    if (!(item.lower <= item.estimate && item.estimate <= item.upper)) {
      throw new StatsInputError(`${f}.lower`, 'the interval must satisfy lower ≤ estimate ≤ upper');
    }
    const grossMargin = item.grossMargin ?? 1;
    requireFinite(`${f}.grossMargin`, grossMargin);
    if (grossMargin < 0 || grossMargin > 1)
      throw new StatsInputError(`${f}.grossMargin`, 'must be in [0, 1]');
    const stream = item.stream ?? 'other';
    if (!['upsell', 'cross_sell', 'retention', 'other'].includes(stream)) {
      throw new StatsInputError(`${f}.stream`, "must be 'upsell', 'cross_sell', 'retention' or 'other'");
    }
    return { stream, estimate: item.estimate, lower: item.lower, upper: item.upper, grossMargin };
  });
}

function resolveDiscount(options: DiscountOptions): { rate: number; timing: CashFlowTiming } {
  requireRate('annualRate', options.annualRate);
  const period = options.period ?? 'year';
  if (period !== 'year' && period !== 'month')
    throw new StatsInputError('period', "must be 'year' or 'month'");
  const timing = requireTiming('timing', options.timing ?? 'end');
  return { rate: period === 'month' ? effectiveMonthlyRate(options.annualRate) : options.annualRate, timing };
}

function timingOffset(timing: CashFlowTiming): number {
  return timing === 'end' ? 1 : timing === 'mid' ? 0.5 : 0;
}

function requireTiming(field: string, timing: CashFlowTiming): CashFlowTiming {
  if (timing !== 'end' && timing !== 'start' && timing !== 'mid') {
    throw new StatsInputError(field, "must be 'end', 'start' or 'mid'");
  }
  return timing;
}

function monthOf(field: string, month: number | undefined): number {
  if (month === undefined) return 0;
  if (!Number.isInteger(month) || month < 0)
    throw new StatsInputError(field, 'must be a whole month index ≥ 0');
  return month;
}

function percent(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function requireFinite(field: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new StatsInputError(field, 'must be a finite number');
}

function requireNonNegative(field: string, value: number): void {
  requireFinite(field, value);
  if (value < 0) throw new StatsInputError(field, 'must not be negative');
}

function requirePositive(field: string, value: number): void {
  requireFinite(field, value);
  if (!(value > 0)) throw new StatsInputError(field, 'must be positive');
}

function requireWholePositive(field: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new StatsInputError(field, 'must be a whole number ≥ 1');
}

function requireRate(field: string, value: number): void {
  requireFinite(field, value);
  if (value < 0) throw new StatsInputError(field, 'must not be negative');
}
