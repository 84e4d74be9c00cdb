/**
 * Evaluation of an uplift (incremental response) model on a randomised campaign: customers are ranked by the
 * model's predicted uplift and grouped into buckets (deciles, say), and each bucket's treated and holdout
 * customers show how much the campaign really lifted conversion there. A good model puts the real lift in the
 * first buckets. The database aggregates the buckets; this module draws the Qini curve and reads uplift@k.
 */
import { StatsInputError } from '../types';

/** Treated and holdout counts of one score bucket. Buckets are passed best-first (highest predicted uplift). */
export interface UpliftBucket {
  treatedN: number;
  treatedConversions: number;
  controlN: number;
  controlConversions: number;
  /** Optional predicted uplift of the bucket (e.g. its mean or lower edge); checked to be non-increasing. */
  score?: number;
}

export interface QiniPoint {
  /** Buckets included, best first (0 for the origin of the curve). */
  buckets: number;
  /** Customers targeted: treated + holdout customers in the included buckets. */
  targeted: number;
  /** targeted / all customers. */
  targetedFraction: number;
  treatedN: number;
  treatedConversions: number;
  controlN: number;
  controlConversions: number;
  /**
   * Qini value: incremental conversions among the included treated customers,
   * R_t − R_c · N_t/N_c (Radcliffe 2007).
   */
  incrementalConversions: number;
  /** Conversion rate difference R_t/N_t − R_c/N_c among the included customers; null at the origin. */
  uplift: number | null;
}

export interface QiniCurve {
  /** The origin, then one point after each bucket. */
  points: QiniPoint[];
  /** Area under the Qini curve over the targeted fraction (trapezoidal), in conversions. */
  area: number;
  /** Area under the random-targeting line from the origin to the last point: Q_total / 2. */
  randomArea: number;
  /** Qini coefficient: area − randomArea, the area between the curve and random targeting. */
  qiniCoefficient: number;
  /** Q at the last point: incremental conversions of treating everyone. */
  totalIncrementalConversions: number;
}

export interface UpliftAtK {
  /** The fraction of customers targeted, best first. */
  k: number;
  /** Customers in the top k (treated + holdout); counts may be fractional, see upliftAtK. */
  targeted: number;
  treatedN: number;
  treatedConversions: number;
  controlN: number;
  controlConversions: number;
  treatedRate: number;
  controlRate: number;
  /** treatedRate − controlRate. */
  uplift: number;
}

function count(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new StatsInputError(field, 'must be a whole number ≥ 0');
  }
  return value;
}

function validateBuckets(buckets: readonly UpliftBucket[]): void {
  if (!Array.isArray(buckets) || buckets.length === 0) {
    throw new StatsInputError('buckets', 'must be a non-empty list, best predicted uplift first');
  }
  let previousScore = Infinity;
  buckets.forEach((b, i) => {
    if (typeof b !== 'object' || b === null) throw new StatsInputError(`buckets[${i}]`, 'must be an object');
    const tn = count(b.treatedN, `buckets[${i}].treatedN`);
    const cn = count(b.controlN, `buckets[${i}].controlN`);
    if (count(b.treatedConversions, `buckets[${i}].treatedConversions`) > tn) {
      throw new StatsInputError(`buckets[${i}].treatedConversions`, 'must not exceed treatedN');
    }
    if (count(b.controlConversions, `buckets[${i}].controlConversions`) > cn) {
      throw new StatsInputError(`buckets[${i}].controlConversions`, 'must not exceed controlN');
    }
    if (b.score !== undefined) {
      if (typeof b.score !== 'number' || Number.isNaN(b.score)) {
        throw new StatsInputError(`buckets[${i}].score`, 'must be a number');
      }
      if (b.score > previousScore) {
        throw new StatsInputError(
          `buckets[${i}].score`,
          'must not exceed the previous bucket’s: buckets go best first',
        );
      }
      previousScore = b.score;
    }
  });
  const first = buckets[0] as UpliftBucket;
  if (first.treatedN === 0 || first.controlN === 0) {
    throw new StatsInputError(
      first.treatedN === 0 ? 'buckets[0].treatedN' : 'buckets[0].controlN',
      'must be > 0: the curve compares treated and holdout customers from the first bucket on',
    );
  }
}

/**
 * Qini curve (Radcliffe 2007, "Using control groups to target on predicted lift: building and assessing uplift
 * models", Direct Marketing Analytics Journal, 14–21; Radcliffe & Surry 2011, "Real-world uplift modelling
 * with significance-based uplift trees", Portrait Technical Report TR-2011-1).
 *
 * With buckets in descending order of predicted uplift and N_t(j), R_t(j), N_c(j), R_c(j) the treated and
 * holdout customers and conversions in the first j buckets:
 *   x_j = (N_t(j) + N_c(j)) / (N_t + N_c),   Q_j = R_t(j) − R_c(j) · N_t(j)/N_c(j),   Q_0 = 0 at x_0 = 0,
 * the holdout's conversions scaled to the treated group's size (the cumulative ratio, as scikit-uplift's
 * qini_curve and causalml). Area under the curve by the trapezoidal rule
 *   A = Σ_j (x_j − x_{j−1})(Q_j + Q_{j−1})/2,
 * random targeting is the straight line to (1, Q_B) with area Q_B/2, and the Qini coefficient is A − Q_B/2.
 * Points also carry the uplift R_t/N_t − R_c/N_c of the targeted customers.
 *
 * @throws StatsInputError for an empty list, counts that are not whole numbers ≥ 0, conversions above their
 *   customers, scores that increase, or a first bucket without treated or holdout customers.
 */
export function qiniCurve(buckets: readonly UpliftBucket[]): QiniCurve {
  validateBuckets(buckets);
  const total = buckets.reduce((s, b) => s + b.treatedN + b.controlN, 0);
  const points: QiniPoint[] = [
    {
      buckets: 0,
      targeted: 0,
      targetedFraction: 0,
      treatedN: 0,
      treatedConversions: 0,
      controlN: 0,
      controlConversions: 0,
      incrementalConversions: 0,
      uplift: null,
    },
  ];
  let tn = 0;
  let tc = 0;
  let cn = 0;
  let cc = 0;
  let area = 0;
  buckets.forEach((b, j) => {
    tn += b.treatedN;
    tc += b.treatedConversions;
    cn += b.controlN;
    cc += b.controlConversions;
    const previous = points[points.length - 1] as QiniPoint;
    const q = tc - (cc * tn) / cn;
    const x = (tn + cn) / total;
    area += ((x - previous.targetedFraction) * (q + previous.incrementalConversions)) / 2;
    points.push({
      buckets: j + 1,
      targeted: tn + cn,
      targetedFraction: x,
      treatedN: tn,
      treatedConversions: tc,
      controlN: cn,
      controlConversions: cc,
      incrementalConversions: q,
      uplift: tc / tn - cc / cn,
    });
  });
  const last = (points[points.length - 1] as QiniPoint).incrementalConversions;
  return {
    points,
    area,
    randomArea: last / 2,
    qiniCoefficient: area - last / 2,
    totalIncrementalConversions: last,
  };
}

/**
 * Uplift@k: the conversion-rate difference between treated and holdout customers among the top fraction k of
 * all customers ranked by predicted uplift (the "overall" strategy of scikit-uplift's uplift_at_k; uplift
 * evaluation as reviewed by Gutierrez & Gérardy 2017, "Causal inference and uplift modelling: a review of the
 * literature", PMLR 67:1–13):
 *   uplift@k = R_t(k)/N_t(k) − R_c(k)/N_c(k).
 * When k·(N_t + N_c) falls inside a bucket, that bucket is included in proportion (each of its four counts times
 * the same fraction): customers within a bucket share one score, so none of them ranks ahead of another.
 *
 * @throws StatsInputError for k outside (0, 1] and every rule of {@link qiniCurve}.
 */
export function upliftAtK(buckets: readonly UpliftBucket[], k: number): UpliftAtK {
  validateBuckets(buckets);
  if (typeof k !== 'number' || !(k > 0 && k <= 1)) {
    throw new StatsInputError('k', 'must be a fraction of customers in (0, 1]');
  }
  const total = buckets.reduce((s, b) => s + b.treatedN + b.controlN, 0);
  let remaining = k * total;
  let tn = 0;
  let tc = 0;
  let cn = 0;
  let cc = 0;
  for (const b of buckets) {
    const size = b.treatedN + b.controlN;
    if (size === 0) continue;
    const f = Math.min(1, remaining / size);
    tn += f * b.treatedN;
    tc += f * b.treatedConversions;
    cn += f * b.controlN;
    cc += f * b.controlConversions;
    remaining -= f * size;
    if (!(remaining > 0)) break;
  }
  const treatedRate = tc / tn;
  const controlRate = cc / cn;
  return {
    k,
    targeted: tn + cn,
    treatedN: tn,
    treatedConversions: tc,
    controlN: cn,
    controlConversions: cc,
    treatedRate,
    controlRate,
    uplift: treatedRate - controlRate,
  };
}
