import { allocateCosts, effectiveMonthlyRate, type CostLedger } from '@liftlab/stats';
import type {
  CampaignRoi,
  CostCategory,
  CostLine,
  CostLineInput,
  Recommendation,
  RevenueStream,
  RoiVerdict,
} from '../api/types';

/**
 * Campaign return (GET /v1/campaigns/:id/roi) → what the campaign page draws: the ROI waterfall, the payback
 * curve and the verdict's wording. Pure.
 */

export const STREAM_LABEL: Record<RevenueStream, string> = {
  upsell: 'Upsell',
  cross_sell: 'Cross-sell',
  retention: 'Retention',
  other: 'Other revenue',
};

export const CATEGORY_LABEL: Record<CostCategory, string> = {
  technology: 'Technology',
  people: 'People',
  content: 'Content',
  media: 'Media',
  incentives: 'Incentives',
};

export const COST_CATEGORIES: readonly CostCategory[] = [
  'technology',
  'people',
  'content',
  'media',
  'incentives',
];
export const STREAMS: readonly RevenueStream[] = ['upsell', 'cross_sell', 'retention', 'other'];

export type Tone = 'success' | 'warning' | 'info' | 'error';

/** Verdicts in words, each with a symbol so the badge never relies on colour alone. */
export const VERDICT_VIEW: Record<
  RoiVerdict,
  { label: string; symbol: string; tone: Tone; meaning: string }
> = {
  proven: {
    label: 'Proven to pay',
    symbol: '✓',
    tone: 'success',
    meaning: 'Even the cautious end of the interval earns back more than the campaign cost.',
  },
  incremental_not_profitable: {
    label: 'Real lift, not yet paying',
    symbol: '!',
    tone: 'warning',
    meaning: 'The campaign changes behaviour, but the cautious end of the interval does not cover its costs.',
  },
  unproven: {
    label: 'Not proven',
    symbol: '?',
    tone: 'info',
    meaning: 'The lift cannot yet be told apart from no effect; the return may be anything in the interval.',
  },
  blocked_by_srm: {
    label: 'Blocked: split mismatch',
    symbol: '✕',
    tone: 'error',
    meaning: 'Customers were not split as planned, so no return can be trusted until that is fixed.',
  },
};

export const RECOMMENDATION_VIEW: Record<Recommendation, { label: string; symbol: string; tone: Tone }> = {
  scale: { label: 'Scale', symbol: '▲', tone: 'success' },
  continue: { label: 'Keep testing', symbol: '▶', tone: 'info' },
  stop: { label: 'Stop', symbol: '■', tone: 'error' },
  fix_assignment: { label: 'Fix the split', symbol: '✕', tone: 'warning' },
  no_results: { label: 'No results yet', symbol: '…', tone: 'info' },
};

// ---------------------------------------------------------------------------------------------------------------
// Waterfall

export interface WaterfallStep {
  key: string;
  label: string;
  kind: 'margin' | 'cost' | 'net';
  /** Signed contribution: margin positive, costs negative, net the result. */
  value: number;
  /** Running total before and after the step (a net bar runs from 0). */
  start: number;
  end: number;
  /** [low, high] of the floating bar, what the chart draws. */
  range: [number, number];
  /** Interval of the net (the projected net's confidence bounds). */
  interval: [number, number] | null;
}

/**
 * Incremental margin by revenue stream, then costs by category, then the net, all discounted (present values)
 * over the horizon with the lift carried forward (the headline projection). Empty streams and categories are
 * left out so the chart only shows what is there.
 */
export function waterfallSteps(roi: CampaignRoi): WaterfallStep[] {
  const steps: WaterfallStep[] = [];
  let total = 0;
  const push = (key: string, label: string, kind: 'margin' | 'cost', value: number) => {
    const start = total;
    total += value;
    steps.push({
      key,
      label,
      kind,
      value,
      start,
      end: total,
      range: [Math.min(start, total), Math.max(start, total)],
      interval: null,
    });
  };
  const streams = [...roi.streams].sort((a, b) => STREAMS.indexOf(a.stream) - STREAMS.indexOf(b.stream));
  for (const s of streams) {
    push(`stream:${s.metricKey}`, `${STREAM_LABEL[s.stream]} margin`, 'margin', s.marginPv.estimate);
  }
  for (const category of COST_CATEGORIES) {
    const pv = roi.costs.byCategory[category]?.pv ?? 0;
    if (pv > 0) push(`cost:${category}`, CATEGORY_LABEL[category], 'cost', -pv);
  }
  const net = roi.projected.netPv;
  steps.push({
    key: 'net',
    label: 'Net return',
    kind: 'net',
    value: net.estimate,
    start: 0,
    end: net.estimate,
    range: [Math.min(0, net.estimate), Math.max(0, net.estimate)],
    interval: [net.lower, net.upper],
  });
  return steps;
}

// ---------------------------------------------------------------------------------------------------------------
// Payback curve

/** Ledger lines as entered → the cost ledger of @liftlab/stats (incentives: redemptions × discount). */
export function toStatsLedger(lines: readonly CostLineInput[]): CostLedger {
  const ledger: Required<{ [K in keyof CostLedger]: NonNullable<CostLedger[K]>[number][] }> = {
    technology: [],
    people: [],
    content: [],
    media: [],
    incentives: [],
  };
  for (const line of lines) {
    switch (line.category) {
      case 'technology':
        ledger.technology.push({
          monthlyCost: line.monthlyCost,
          totalCustomers: line.totalCustomers,
          touchedCustomers: line.touchedCustomers,
          months: line.months,
          startMonth: line.startMonth ?? 0,
        });
        break;
      case 'people':
        ledger.people.push({ hours: line.hours, loadedRate: line.loadedRate, month: line.month ?? 0 });
        break;
      case 'content':
        ledger.content.push({
          cost: line.cost,
          usefulLifeMonths: line.usefulLifeMonths,
          monthsUsed: line.monthsUsed,
          startMonth: line.startMonth ?? 0,
        });
        break;
      case 'media':
        ledger.media.push({ amount: line.amount, month: line.month ?? 0 });
        break;
      case 'incentives':
        ledger.incentives.push({
          amount: line.redemptions * line.discountPerRedemption,
          month: line.month ?? 0,
        });
        break;
    }
  }
  return ledger;
}

export interface PaybackPoint {
  /** Months since launch, 1-based: the point is the position at the end of that month. */
  month: number;
  /** Cumulative discounted incremental margin: estimate and the interval's bounds. */
  margin: number;
  marginBand: [number, number];
  /** Cumulative discounted costs. */
  costs: number;
  /** margin − costs. */
  net: number;
}

export interface PaybackCurve {
  points: PaybackPoint[];
  /** First month from which the cumulative net stays at or above zero to the end; null if it never does. */
  paybackMonth: number | null;
}

/**
 * Cumulative discounted margin against cumulative discounted costs, month by month over the horizon (longer if
 * costs run past it), on the conventions of the ROI: margin at the end of month k, discounted by (1 + r_m)^−(k+1);
 * costs at the start of their month, by (1 + r_m)^−k; r_m the effective monthly rate of the annual discount rate.
 * The margin of month k is treated customers × Σ over streams of gross margin × incremental revenue per treated
 * customer that month, with its bounds summed the same way (as the ROI does, treating streams as correlated).
 */
export function paybackCurve(roi: CampaignRoi, lines: readonly CostLineInput[]): PaybackCurve {
  const allocation = allocateCosts(toStatsLedger(lines));
  const rate = effectiveMonthlyRate(roi.annualDiscountRate);
  const months = Math.max(roi.horizonMonths, allocation.months);
  const n = roi.treatedCustomers;
  let margin = 0;
  let low = 0;
  let high = 0;
  let costs = 0;
  const points: PaybackPoint[] = [];
  for (let k = 0; k < months; k++) {
    const marginFactor = Math.pow(1 + rate, -(k + 1));
    for (const s of roi.streams) {
      const m = k < roi.horizonMonths ? s.monthly.find((x) => x.month === k) : undefined;
      if (!m) continue;
      margin += n * s.grossMargin * m.estimate * marginFactor;
      low += n * s.grossMargin * m.lower * marginFactor;
      high += n * s.grossMargin * m.upper * marginFactor;
    }
    const costFactor = Math.pow(1 + rate, -k);
    for (const category of COST_CATEGORIES) costs += (allocation.monthly[category][k] ?? 0) * costFactor;
    points.push({ month: k + 1, margin, marginBand: [low, high], costs, net: margin - costs });
  }
  let payback: number | null = null;
  for (const p of points) {
    // Tolerance for rounding in the running sums, relative to the amounts involved.
    if (p.net >= -1e-9 * Math.max(1, p.costs)) payback ??= p.month;
    else payback = null;
  }
  return { points, paybackMonth: payback };
}

// ---------------------------------------------------------------------------------------------------------------
// Reading an interval

/** Where zero (and a target, when set) falls against an ROI interval, in words. */
export function roiIntervalWords(
  roi: { estimate: number; lower: number; upper: number },
  level: number,
  formatRoi: (x: number) => string,
): string {
  const range = `${formatRoi(roi.lower)} to ${formatRoi(roi.upper)}`;
  const lvl = `${Math.round(level * 1000) / 10}%`;
  if (roi.lower > 0)
    return `Best estimate ${formatRoi(roi.estimate)}; ${lvl} interval ${range}, all above break-even.`;
  if (roi.upper < 0)
    return `Best estimate ${formatRoi(roi.estimate)}; ${lvl} interval ${range}, all below break-even.`;
  return `Best estimate ${formatRoi(roi.estimate)}; ${lvl} interval ${range}, which spans break-even.`;
}

export function describeCostLine(line: CostLine, format: (n: number) => string): string {
  switch (line.category) {
    case 'technology':
      return (
        `${format(line.monthlyCost)} a month × ${line.touchedCustomers.toLocaleString('en-GB')} of ` +
        `${line.totalCustomers.toLocaleString('en-GB')} customers, ${plural(line.months, 'month')} from month ${line.startMonth}`
      );
    case 'people':
      return `${line.hours.toLocaleString('en-GB')} h × ${format(line.loadedRate)} in month ${line.month}`;
    case 'content':
      return (
        `${format(line.cost)} over ${plural(line.usefulLifeMonths, 'month')} of use, used ` +
        `${plural(line.monthsUsed, 'month')} from month ${line.startMonth}`
      );
    case 'media':
      return `${format(line.amount)} in month ${line.month}`;
    case 'incentives':
      return (
        `${line.redemptions.toLocaleString('en-GB')} redemptions × ${format(line.discountPerRedemption)} ` +
        `in month ${line.month}`
      );
  }
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-GB')} ${word}${n === 1 ? '' : 's'}`;
}
