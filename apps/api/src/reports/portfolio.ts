/**
 * Pure rules of the executive portfolio: which campaigns fall in a period, how their returns add up, how much
 * of the proven total is likely to be luck, and what to scale or stop.
 *
 * Summing the measured margin of the campaigns that came out "proven" overstates what the portfolio earns:
 * a campaign is more likely to clear the bar when its estimate happens to be high, so the selected estimates
 * are biased upward (the winner's curse; Lee & Shen, "Winner's Curse: Bias Estimation for Total Effects of
 * Features in Online Controlled Experiments", KDD 2018). The portfolio therefore shrinks every campaign's ROI
 * toward the portfolio mean before summing the proven ones, with the normal–normal empirical-Bayes model of
 * Efron & Morris ("Data analysis using Stein's estimator and its generalizations", JASA 70, 1975):
 *
 *   ROI_i | θ_i ~ N(θ_i, s_i²),   θ_i ~ N(μ, τ²)
 *   τ² by DerSimonian & Laird ("Meta-analysis in clinical trials", Controlled Clinical Trials 7, 1986):
 *     w_i = 1/s_i²,  μ_FE = Σ w_i ROI_i / Σ w_i,  Q = Σ w_i (ROI_i − μ_FE)²,
 *     τ² = max(0, (Q − (k − 1)) / (Σ w_i − Σ w_i² / Σ w_i))
 *   μ = Σ w*_i ROI_i / Σ w*_i with w*_i = 1/(s_i² + τ²)
 *   θ̂_i = μ + (1 − B_i)(ROI_i − μ),   B_i = s_i² / (s_i² + τ²)
 *
 * s_i is the ROI's standard error, read from its interval: (upper − lower) / (2 z) at the interval's level.
 * Campaigns with a precise ROI barely move; noisy ones move most. The prior is estimated from every measurable
 * campaign of the period (not only the winners, which would bias it too). With fewer than three measurable
 * campaigns no shrinkage is applied (τ² cannot be estimated usefully; Stein's result needs k ≥ 3).
 */
import type {
  Period,
  PortfolioCampaign,
  PortfolioTotals,
  Recommendation,
  RoiDistribution,
  RoiVerdict,
  Shrinkage,
} from '@liftlab/contracts';
import { normalInverseSurvival } from '@liftlab/stats';

export interface Interval {
  estimate: number;
  lower: number;
  upper: number;
}

/** A campaign's measured return, as the ROI rules computed it (projected headline). */
export interface MeasuredOutcome {
  verdict: RoiVerdict;
  reason: string;
  roi: Interval;
  incrementalMarginPv: number;
  costsPv: number;
  confidenceLevel: number;
}

export interface PortfolioEntry {
  id: string;
  key: string;
  name: string;
  programKey: string;
  launchDate: string;
  targetRoi: number | null;
  /** Null when the campaign cannot be measured (no results, no costs): `reason` says why. */
  outcome: MeasuredOutcome | null;
  reason: string;
}

/** Fewest measurable campaigns for which the portfolio shrinks. */
export const MIN_CAMPAIGNS_FOR_SHRINKAGE = 3;

/** ROI standard error from its (normal) interval at `level`. */
export function roiStandardError(roi: Interval, level: number): number {
  const z = normalInverseSurvival((1 - level) / 2);
  return Math.max(0, (roi.upper - roi.lower) / (2 * z));
}

export interface ShrinkageResult {
  priorMean: number | null;
  tau2: number | null;
  shrunk: number[];
}

/** Empirical-Bayes shrinkage of estimates y with standard errors s (see the file comment). */
export function shrinkEstimates(y: readonly number[], s: readonly number[]): ShrinkageResult {
  const k = y.length;
  if (k < MIN_CAMPAIGNS_FOR_SHRINKAGE) return { priorMean: null, tau2: null, shrunk: [...y] };
  // A zero standard error would get infinite weight; floor it far below any real ROI precision.
  const v = s.map((x) => Math.max(x * x, 1e-18));
  const w = v.map((x) => 1 / x);
  const sw = w.reduce((a, b) => a + b, 0);
  const sw2 = w.reduce((a, b) => a + b * b, 0);
  const fixed = y.reduce((a, yi, i) => a + (w[i] ?? 0) * yi, 0) / sw;
  const q = y.reduce((a, yi, i) => a + (w[i] ?? 0) * (yi - fixed) ** 2, 0);
  const c = sw - sw2 / sw;
  const tau2 = c > 0 ? Math.max(0, (q - (k - 1)) / c) : 0;
  const wStar = v.map((x) => 1 / (x + tau2));
  const mean = y.reduce((a, yi, i) => a + (wStar[i] ?? 0) * yi, 0) / wStar.reduce((a, b) => a + b, 0);
  const shrunk = y.map((yi, i) => {
    const vi = v[i] ?? 0;
    const b = vi / (vi + tau2);
    return mean + (1 - b) * (yi - mean);
  });
  return { priorMean: mean, tau2, shrunk };
}

/** Quantile with linear interpolation between order statistics (Hyndman & Fan 1996, definition 7). */
export function quantile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo] as number;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] as number;
  return a + (h - lo) * (b - a);
}

/** ROI bands of the distribution: losing more than half, losing, up to +50%, +50–100%, +100–200%, more. */
export const ROI_BAND_EDGES = [-0.5, 0, 0.5, 1, 2] as const;

export function roiDistribution(rois: readonly number[]): RoiDistribution {
  const sorted = [...rois].sort((a, b) => a - b);
  const edges: (number | null)[] = [null, ...ROI_BAND_EDGES, null];
  const bands = edges.slice(0, -1).map((from, i) => {
    const to = edges[i + 1] ?? null;
    return {
      from,
      to,
      count: sorted.filter((r) => (from === null || r >= from) && (to === null || r < to)).length,
    };
  });
  return {
    count: sorted.length,
    min: sorted[0] ?? null,
    q1: quantile(sorted, 0.25),
    median: quantile(sorted, 0.5),
    q3: quantile(sorted, 0.75),
    max: sorted.at(-1) ?? null,
    bands,
  };
}

/**
 * scale: proven, and its shrunk ROI reaches the program's target (0 without one); stop: even the upper end of
 * the ROI interval loses money; fix_assignment: the split is broken; no_results: not measurable; otherwise
 * continue (keep running, or keep testing).
 */
export function recommend(
  outcome: MeasuredOutcome | null,
  shrunkRoi: number | null,
  targetRoi: number | null,
): Recommendation {
  if (outcome === null) return 'no_results';
  if (outcome.verdict === 'blocked_by_srm') return 'fix_assignment';
  if (outcome.roi.upper < 0) return 'stop';
  if (outcome.verdict === 'proven' && (shrunkRoi ?? outcome.roi.estimate) >= (targetRoi ?? 0)) return 'scale';
  return 'continue';
}

export interface PortfolioComputation {
  campaigns: PortfolioCampaign[];
  totals: PortfolioTotals;
  shrinkage: Shrinkage;
  distribution: RoiDistribution;
}

const VERDICTS: readonly RoiVerdict[] = [
  'proven',
  'incremental_not_profitable',
  'unproven',
  'blocked_by_srm',
];

/** Everything the portfolio shows for one period's campaigns. */
export function computePortfolio(entries: readonly PortfolioEntry[]): PortfolioComputation {
  const trusted = entries.filter(
    (e): e is PortfolioEntry & { outcome: MeasuredOutcome } =>
      e.outcome !== null && e.outcome.verdict !== 'blocked_by_srm',
  );
  const shrink = shrinkEstimates(
    trusted.map((e) => e.outcome.roi.estimate),
    trusted.map((e) => roiStandardError(e.outcome.roi, e.outcome.confidenceLevel)),
  );
  const shrunkById = new Map(trusted.map((e, i) => [e.id, shrink.shrunk[i] as number]));

  const campaigns: PortfolioCampaign[] = entries.map((e) => {
    const o = e.outcome;
    const shrunkRoi = shrunkById.get(e.id) ?? null;
    return {
      id: e.id,
      key: e.key,
      name: e.name,
      programKey: e.programKey,
      launchDate: e.launchDate,
      verdict: o?.verdict ?? null,
      reason: o?.reason ?? e.reason,
      roi: o ? o.roi : null,
      shrunkRoi,
      incrementalMarginPv: o ? o.incrementalMarginPv : null,
      costsPv: o ? o.costsPv : null,
      netPv: o ? o.incrementalMarginPv - o.costsPv : null,
      shrunkNetPv: o && shrunkRoi !== null ? o.costsPv * shrunkRoi : null,
      targetRoi: e.targetRoi,
      recommendation: recommend(o, shrunkRoi, e.targetRoi),
    };
  });

  const proven = trusted.filter((e) => e.outcome.verdict === 'proven');
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const trustedCosts = sum(trusted.map((e) => e.outcome.costsPv));
  const totals: PortfolioTotals = {
    campaigns: entries.length,
    measurable: trusted.length,
    byVerdict: Object.fromEntries(
      VERDICTS.map((v) => [v, entries.filter((e) => e.outcome?.verdict === v).length]),
    ) as Record<RoiVerdict, number>,
    costsPv: sum(entries.map((e) => e.outcome?.costsPv ?? 0)),
    pooledRoi:
      trustedCosts > 0
        ? (sum(trusted.map((e) => e.outcome.incrementalMarginPv)) - trustedCosts) / trustedCosts
        : null,
    provenIncrementalMarginPv: sum(proven.map((e) => e.outcome.incrementalMarginPv)),
    provenIncrementalMarginPvShrunk: sum(
      proven.map((e) => e.outcome.costsPv * (1 + (shrunkById.get(e.id) ?? e.outcome.roi.estimate))),
    ),
    provenNetPvShrunk: sum(
      proven.map((e) => e.outcome.costsPv * (shrunkById.get(e.id) ?? e.outcome.roi.estimate)),
    ),
  };
  return {
    campaigns,
    totals,
    shrinkage: {
      method: 'empirical_bayes_normal',
      priorMean: shrink.priorMean,
      priorSd: shrink.tau2 === null ? null : Math.sqrt(shrink.tau2),
      campaignsUsed: shrink.priorMean === null ? 0 : trusted.length,
    },
    distribution: roiDistribution(trusted.map((e) => e.outcome.roi.estimate)),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Periods (calendar days, UTC)

const DAY_MS = 86_400_000;

export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function parseDay(day: string): Date {
  return new Date(`${day}T00:00:00.000Z`);
}

/** `2025-Q1` for any day of January–March 2025. */
export function quarterOf(day: string): string {
  const d = parseDay(day);
  return `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
}

/** First and last day of a quarter such as `2025-Q1`. */
export function quarterPeriod(quarter: string): Period {
  const match = /^(\d{4})-Q([1-4])$/.exec(quarter);
  if (!match) throw new Error(`not a quarter: ${quarter}`);
  const year = Number(match[1]);
  const q = Number(match[2]);
  const from = new Date(Date.UTC(year, (q - 1) * 3, 1));
  const to = new Date(Date.UTC(year, q * 3, 1) - DAY_MS);
  return { from: isoDay(from), to: isoDay(to) };
}

/** The quarter before, `2025-Q1` → `2024-Q4`. */
export function previousQuarter(quarter: string): string {
  const { from } = quarterPeriod(quarter);
  return quarterOf(isoDay(new Date(parseDay(from).getTime() - DAY_MS)));
}

/** Default report period: the current quarter, from its first day to today. */
export function defaultPeriod(now: Date): Period {
  const today = isoDay(now);
  return { from: quarterPeriod(quarterOf(today)).from, to: today };
}

/**
 * The period the trend compares with:
 *   - a period inside one quarter that starts on its first day (a quarter, or a quarter to date) → the same
 *     stretch of the previous quarter (`2025-04-01..2025-05-15` → `2025-01-01..2025-02-15`);
 *   - whole months (first day of a month to the last day of a month) → as many months just before;
 *   - anything else → as many days just before.
 */
export function previousPeriod(period: Period): Period {
  const from = parseDay(period.from);
  const to = parseDay(period.to);
  const quarter = quarterPeriod(quarterOf(period.from));
  if (period.from === quarter.from && period.to <= quarter.to) {
    const prev = quarterPeriod(previousQuarter(quarterOf(period.from)));
    const to = period.to === quarter.to ? prev.to : minDay(shiftMonths(period.to, -3), prev.to);
    return { from: prev.from, to };
  }
  const lastOfMonth = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth() + 1, 1) - DAY_MS);
  if (from.getUTCDate() === 1 && to.getTime() === lastOfMonth.getTime()) {
    const months =
      (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + (to.getUTCMonth() - from.getUTCMonth()) + 1;
    return {
      from: isoDay(new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() - months, 1))),
      to: isoDay(new Date(from.getTime() - DAY_MS)),
    };
  }
  const days = Math.round((to.getTime() - from.getTime()) / DAY_MS) + 1;
  return {
    from: isoDay(new Date(from.getTime() - days * DAY_MS)),
    to: isoDay(new Date(from.getTime() - DAY_MS)),
  };
}

/** The same day `months` months away, clamped to the end of a shorter month (May 31 − 3 months → Feb 28). */
function shiftMonths(day: string, months: number): string {
  const d = parseDay(day);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 1) - DAY_MS).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), last));
  return isoDay(target);
}

function minDay(a: string, b: string): string {
  return a < b ? a : b;
}

export function inPeriod(day: string, period: Period): boolean {
  return day >= period.from && day <= period.to;
}
