/**
 * Discounted customer lifetime value from a purchase-count model (BG/NBD or Pareto/NBD) and the
 * Gamma-Gamma spend model, in the monthly cash-flow conventions of money.ts.
 */
import { presentValue, type CashFlowTiming } from '../money';
import { StatsInputError } from '../types';
import { bgNbdExpectedUnchecked, bgNbdProbabilityAlive, type BgNbdParams } from './bgnbd';
import { checkCustomer, checkParameters } from './customers';
import { gammaGammaExpectedSpend, type GammaGammaParams } from './gamma-gamma';
import { paretoNbdExpectedUnchecked, paretoNbdProbabilityAlive, type ParetoNbdParams } from './pareto-nbd';

/** Time unit the purchase model was fitted in. */
export type ClvTimeUnit = 'day' | 'week' | 'month';

/** Model time units per calendar month (a month is 365.25/12 days). */
export const CLV_UNITS_PER_MONTH: Readonly<Record<ClvTimeUnit, number>> = {
  day: 365.25 / 12,
  week: 365.25 / 7 / 12,
  month: 1,
};

export interface DiscountedClvInput {
  /** Fitted BG/NBD parameters; give either this or `paretoNbd`. */
  bgnbd?: BgNbdParams;
  /** Fitted Pareto/NBD parameters; give either this or `bgnbd`. */
  paretoNbd?: ParetoNbdParams;
  /** Fitted Gamma-Gamma spend parameters. */
  gg: GammaGammaParams;
  /** The customer's repeat purchases, recency and age, in the unit the purchase model was fitted in. */
  x: number;
  tx: number;
  T: number;
  /** Mean value of the customer's repeat purchases (ignored when x = 0). */
  mean: number;
  /** The time unit of tx, T and of the purchase model's α (and β). */
  timeUnit: ClvTimeUnit;
  /** Whole months of future purchases to value. */
  horizonMonths: number;
  /** Annual effective discount rate ≥ 0; months use (1 + r)^(1/12) − 1. */
  annualRate: number;
  /** Gross margin on revenue, in [0, 1]. Default 1 (the value is revenue). */
  margin?: number;
  /** When each month's margin arrives. Default 'end' (conservative); 'mid' fits purchases spread over the month. */
  timing?: CashFlowTiming;
}

export interface DiscountedClv {
  /** Present value of the expected margin over the horizon. */
  clv: number;
  /** Expected purchases over the horizon (undiscounted). */
  expectedPurchases: number;
  /** Expected value per purchase from the Gamma-Gamma model. */
  expectedSpend: number;
  /** Probability the customer is still active now. */
  probabilityAlive: number;
  /** Expected purchases in each month of the horizon. */
  monthlyPurchases: number[];
  /** Expected margin in each month, undiscounted. */
  monthlyMargin: number[];
}

/**
 * Discounted expected margin of one customer over a horizon, in discrete months (the approach of Fader,
 * Hardie & Lee, "RFM and CLV", JMR 2005, which multiplies discounted expected transactions by expected spend
 * and margin, made discrete so it shares money.ts's discounting):
 *
 *   purchases in month m = E[Y(t_{m+1}) | x, tₓ, T] − E[Y(t_m) | x, tₓ, T],   t_m = m × (units per month)
 *   CLV = Σ_{m<H} margin × E[spend] × purchases_m / (1 + r_m)^{m + k},   r_m = (1 + r)^{1/12} − 1,
 *
 * with k = 1 (end of month, default), ½ (mid) or 0 (start), as in money.ts's presentValue. E[Y] comes from
 * BG/NBD or Pareto/NBD, E[spend] from Gamma-Gamma (the population mean for a customer without repeat
 * purchases); spend is assumed independent of purchase timing, the Gamma-Gamma assumption. The paper
 * discounts continuously; monthly steps keep the cash flows comparable with the campaign ROI in money.ts.
 */
export function discountedClv(input: DiscountedClvInput): DiscountedClv {
  if (typeof input !== 'object' || input === null) throw new StatsInputError('input', 'must be an object');
  const { x, tx, T, mean, timeUnit, horizonMonths, annualRate } = input;
  const margin = input.margin ?? 1;
  const timing = input.timing ?? 'end';
  if ((input.bgnbd === undefined) === (input.paretoNbd === undefined)) {
    throw new StatsInputError('bgnbd', 'give exactly one purchase model: bgnbd or paretoNbd');
  }
  checkCustomer(x, tx, T);
  if (!Object.hasOwn(CLV_UNITS_PER_MONTH, timeUnit)) {
    throw new StatsInputError('timeUnit', "must be 'day', 'week' or 'month'");
  }
  const unitsPerMonth = CLV_UNITS_PER_MONTH[timeUnit];
  if (!Number.isInteger(horizonMonths) || horizonMonths < 1) {
    throw new StatsInputError('horizonMonths', 'must be a whole number of months ≥ 1');
  }
  if (typeof margin !== 'number' || !(margin >= 0 && margin <= 1)) {
    throw new StatsInputError('margin', 'must be a gross margin rate in [0, 1]');
  }
  const expectedSpend = gammaGammaExpectedSpend(input.gg, x, mean);

  let expectedAt: (t: number) => number;
  let probabilityAlive: number;
  if (input.bgnbd !== undefined) {
    const p = input.bgnbd;
    checkParameters(p, ['r', 'alpha', 'a', 'b']);
    probabilityAlive = bgNbdProbabilityAlive(p, x, tx, T);
    expectedAt = (t) => bgNbdExpectedUnchecked(p.r, p.alpha, p.a, p.b, t, x, tx, T);
  } else {
    const p = input.paretoNbd as ParetoNbdParams;
    probabilityAlive = paretoNbdProbabilityAlive(p, x, tx, T);
    expectedAt = (t) => paretoNbdExpectedUnchecked(p, t, x, tx, T);
  }

  const monthlyPurchases: number[] = [];
  const monthlyMargin: number[] = [];
  let previous = 0;
  for (let m = 0; m < horizonMonths; m++) {
    const cumulative = expectedAt((m + 1) * unitsPerMonth);
    const purchases = Math.max(0, cumulative - previous);
    previous = cumulative;
    monthlyPurchases.push(purchases);
    monthlyMargin.push(margin * expectedSpend * purchases);
  }
  return {
    clv: presentValue(monthlyMargin, { annualRate, period: 'month', timing }),
    expectedPurchases: previous,
    expectedSpend,
    probabilityAlive,
    monthlyPurchases,
    monthlyMargin,
  };
}
