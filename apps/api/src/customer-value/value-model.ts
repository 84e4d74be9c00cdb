/**
 * Pure rules of the customer value platform: per-customer predictions from a BG/NBD + Gamma-Gamma fit, value
 * segments, the calibration-vs-holdout table and the treated-vs-control moments of the incremental LTV. Plain
 * values in, plain values out; all the maths comes from @liftlab/stats.
 */
import {
  bgNbdExpectedPurchases,
  discountedClv,
  estimateEffect,
  frequentistTest,
  gammaGammaExpectedSpend,
  meanArm,
  type BgNbdParams,
  type GammaGammaParams,
} from '@liftlab/stats';
import type { CalibrationBin, ValueDifference, ValueSegment } from '@liftlab/contracts';

export interface ClvModel {
  bgnbd: BgNbdParams;
  gammaGamma: GammaGammaParams;
}

export interface Horizon {
  horizonMonths: number;
  annualDiscountRate: number;
}

/** One customer's summary, time in days. */
export interface CustomerRfmRow {
  x: number;
  tx: number;
  T: number;
  /** Mean order value of the repeat purchase days; ignored when x = 0. */
  monetary: number;
}

export interface CustomerPrediction {
  predictedPurchases: number;
  probabilityAlive: number;
  expectedSpend: number;
  predictedClv: number;
}

/** What a (x, tₓ, T) triple contributes independently of spend: purchases, P(alive), discounted purchases. */
interface TripleForecast {
  purchases: number;
  probabilityAlive: number;
  discountedPurchases: number;
}

/**
 * Memoises the purchase-model part of the CLV per distinct (x, tₓ, T): CLV = E[spend] × Σ discounted expected
 * purchases (Fader, Hardie & Lee 2005), so customers sharing a history share everything but their spend. Real
 * order data on whole days has far fewer distinct triples than customers.
 */
export class ClvForecaster {
  private readonly cache = new Map<string, TripleForecast>();

  constructor(
    private readonly model: ClvModel,
    private readonly horizon: Horizon,
  ) {}

  private triple(x: number, tx: number, T: number): TripleForecast {
    const key = `${x}|${tx}|${T}`;
    let hit = this.cache.get(key);
    if (hit === undefined) {
      if (this.horizon.horizonMonths < 1) {
        hit = { purchases: 0, probabilityAlive: 1, discountedPurchases: 0 };
      } else {
        // Spend is a common factor of every month's margin, so a unit mean isolates the discounted purchases.
        const value = discountedClv({
          bgnbd: this.model.bgnbd,
          gg: this.model.gammaGamma,
          x,
          tx,
          T,
          mean: 1,
          timeUnit: 'day',
          horizonMonths: this.horizon.horizonMonths,
          annualRate: this.horizon.annualDiscountRate,
        });
        hit = {
          purchases: value.expectedPurchases,
          probabilityAlive: value.probabilityAlive,
          discountedPurchases: value.clv / value.expectedSpend,
        };
      }
      this.cache.set(key, hit);
    }
    return hit;
  }

  /**
   * E[spend | x, m̄] is linear in m̄ (Gamma-Gamma: p(γ + x m̄)/(px + q − 1)); returns its intercept and slope,
   * read off the stats function at m̄ = 1 and 2. With x = 0 the spend is the population mean.
   */
  spendLine(x: number): { intercept: number; slope: number } {
    if (x === 0) return { intercept: gammaGammaExpectedSpend(this.model.gammaGamma, 0, 0), slope: 0 };
    const one = gammaGammaExpectedSpend(this.model.gammaGamma, x, 1);
    const two = gammaGammaExpectedSpend(this.model.gammaGamma, x, 2);
    return { intercept: 2 * one - two, slope: two - one };
  }

  discountedPurchases(x: number, tx: number, T: number): number {
    return this.triple(x, tx, T).discountedPurchases;
  }

  predict(row: CustomerRfmRow): CustomerPrediction {
    const t = this.triple(row.x, row.tx, row.T);
    const line = this.spendLine(row.x);
    // A repeat purchase day of value 0 (free orders only) still has the model's spend for m̄ → 0.
    const expectedSpend = line.intercept + line.slope * (row.x > 0 ? Math.max(0, row.monetary) : 0);
    return {
      predictedPurchases: t.purchases,
      probabilityAlive: t.probabilityAlive,
      expectedSpend,
      predictedClv: expectedSpend * t.discountedPurchases,
    };
  }
}

/**
 * Largest a + b kept from a BG/NBD fit. When every customer drops out with practically the same probability π
 * (order histories without heterogeneous churn, e.g. steady subscribers), the likelihood keeps rising as
 * a, b → ∞ with a/(a + b) = π and the optimiser stops somewhere around 1e7, where the terms of the
 * expected-purchases series grow like e^{a·z} before they fall (overflowing doubles from a ≈ 700). At a + b = 100
 * the Beta(a, b) has a standard deviation of at most 0.05: the cap keeps π, the forecast stays computable, and
 * the service reports the log-likelihood at the capped values next to the unbounded one.
 */
export const MAX_DROPOUT_CONCENTRATION = 100;

export function capDropoutConcentration(params: BgNbdParams): { params: BgNbdParams; capped: boolean } {
  const total = params.a + params.b;
  if (!(total > MAX_DROPOUT_CONCENTRATION)) return { params, capped: false };
  const k = MAX_DROPOUT_CONCENTRATION / total;
  return { params: { ...params, a: params.a * k, b: params.b * k }, capped: true };
}

// ---------------------------------------------------------------------------------------------------------------
// Value segments

export interface SegmentThresholds {
  /** Predicted CLV from which a customer is high value. */
  clv: number;
  /** P(alive) from which a customer is alive. */
  alive: number;
}

export interface ThresholdSettings {
  thresholdKind: 'quantile' | 'absolute';
  clvQuantile: number;
  clvAmount: number | null;
  aliveThreshold: number;
}

/**
 * The CLV threshold: the `clvQuantile` sample quantile of the predicted CLVs (linear interpolation between order
 * statistics, Hyndman & Fan 1996 type 7, the default of R and numpy) or the absolute amount.
 */
export function resolveThresholds(clvs: ArrayLike<number>, settings: ThresholdSettings): SegmentThresholds {
  if (settings.thresholdKind === 'absolute') {
    return { clv: settings.clvAmount ?? Infinity, alive: settings.aliveThreshold };
  }
  const sorted = Float64Array.from(clvs).sort();
  if (sorted.length === 0) return { clv: Infinity, alive: settings.aliveThreshold };
  const h = (sorted.length - 1) * settings.clvQuantile;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  const clv = (sorted[lo] as number) + (h - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
  return { clv, alive: settings.aliveThreshold };
}

/**
 * VIP ambassador: high predicted CLV and alive; VIP at risk: high CLV, P(alive) below the threshold (worth a
 * win-back); occasional with potential: lower CLV but alive; passive: neither.
 */
export function valueSegment(clv: number, probabilityAlive: number, t: SegmentThresholds): ValueSegment {
  const high = clv >= t.clv;
  const alive = probabilityAlive >= t.alive;
  if (high) return alive ? 'vip_ambassador' : 'vip_at_risk';
  return alive ? 'occasional_potential' : 'passive';
}

// ---------------------------------------------------------------------------------------------------------------
// Calibration vs holdout

/** Calibration customers sharing (x, tₓ, T), with their purchase days in the holdout period summed. */
export interface CalibrationGroup {
  x: number;
  tx: number;
  T: number;
  customers: number;
  actual: number;
}

/**
 * The classic check of a buy-till-you-die fit (Fader, Hardie & Lee 2005, fig. 3): customers binned by their
 * calibration repeat purchases, mean purchases per customer in the holdout period as observed and as forecast by
 * E[Y(t) | x, tₓ, T] of the calibration fit, t = the holdout length.
 */
export function calibrationBins(
  groups: readonly CalibrationGroup[],
  params: BgNbdParams,
  holdoutDays: number,
  lastBin = 7,
): { bins: CalibrationBin[]; totals: { actual: number; predicted: number }; customers: number } {
  const acc = Array.from({ length: lastBin + 1 }, () => ({ customers: 0, actual: 0, predicted: 0 }));
  let actual = 0;
  let predicted = 0;
  let customers = 0;
  for (const g of groups) {
    const forecast = g.customers * bgNbdExpectedPurchases(params, holdoutDays, g.x, g.tx, g.T);
    const bin = acc[Math.min(g.x, lastBin)] as { customers: number; actual: number; predicted: number };
    bin.customers += g.customers;
    bin.actual += g.actual;
    bin.predicted += forecast;
    actual += g.actual;
    predicted += forecast;
    customers += g.customers;
  }
  const bins = acc
    .map((b, frequency) => ({
      frequency,
      andMore: frequency === lastBin,
      customers: b.customers,
      actual: b.customers > 0 ? b.actual / b.customers : 0,
      predicted: b.customers > 0 ? b.predicted / b.customers : 0,
    }))
    .filter((b) => b.customers > 0);
  return { bins, totals: { actual, predicted }, customers };
}

// ---------------------------------------------------------------------------------------------------------------
// Incremental LTV

/**
 * Customers of one arm sharing (x, tₓ, T) (x null: no order before now), with sums over them of the repeat mean
 * order value m, the revenue since assignment o, and their squares and cross-product.
 */
export interface LtvGroup {
  x: number | null;
  tx: number;
  T: number;
  n: number;
  sumM: number;
  sumM2: number;
  sumO: number;
  sumO2: number;
  sumMO: number;
}

export interface ArmMoments {
  n: number;
  clv: { sum: number; sumSquares: number };
  observed: { sum: number; sumSquares: number };
  total: { sum: number; sumSquares: number };
}

/**
 * Σ and Σ² over an arm's customers of the predicted CLV (times `clvFactor`, e.g. a discount to the launch date),
 * the observed revenue and their sum, from grouped moments: per customer CLV = D(x, tₓ, T)·(A + B m), so
 *   Σ CLV = D(A n + B Σm),  Σ CLV² = D²(A² n + 2AB Σm + B² Σm²),  Σ CLV·o = D(A Σo + B Σmo).
 * Customers with no order have CLV 0 (the model describes customers once they have bought).
 */
export function armMoments(
  groups: readonly LtvGroup[],
  forecaster: ClvForecaster,
  clvFactor = 1,
): ArmMoments {
  const m: ArmMoments = {
    n: 0,
    clv: { sum: 0, sumSquares: 0 },
    observed: { sum: 0, sumSquares: 0 },
    total: { sum: 0, sumSquares: 0 },
  };
  for (const g of groups) {
    m.n += g.n;
    m.observed.sum += g.sumO;
    m.observed.sumSquares += g.sumO2;
    let clv = 0;
    let clv2 = 0;
    let cross = 0;
    if (g.x !== null) {
      const d = forecaster.discountedPurchases(g.x, g.tx, g.T) * clvFactor;
      const { intercept: a, slope: b } = forecaster.spendLine(g.x);
      clv = d * (a * g.n + b * g.sumM);
      clv2 = d * d * (a * a * g.n + 2 * a * b * g.sumM + b * b * g.sumM2);
      cross = d * (a * g.sumO + b * g.sumMO);
    }
    m.clv.sum += clv;
    m.clv.sumSquares += clv2;
    m.total.sum += clv + g.sumO;
    m.total.sumSquares += clv2 + 2 * cross + g.sumO2;
  }
  return m;
}

/** Treated minus control mean with Welch's interval (packages/stats). */
export function welchDifference(
  control: { n: number; sum: number; sumSquares: number },
  treated: { n: number; sum: number; sumSquares: number },
  alpha = 0.05,
): ValueDifference {
  const effect = estimateEffect(
    meanArm(control, false, 'control'),
    meanArm(treated, false, 'treated'),
    'absolute',
  );
  const test = frequentistTest(effect, { alpha });
  return { estimate: test.estimate, lower: test.ci[0], upper: test.ci[1], se: test.se, pValue: test.pValue };
}
