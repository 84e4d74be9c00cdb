import type { Portfolio, PortfolioCampaign, RoiDistribution } from '../api/types';
import { formatAmount, formatDate, formatSignedPercent } from '../lib/format';

/**
 * The executive portfolio (GET /v1/reports/portfolio) → the page: period choices by quarter, the ROI bands,
 * the trend against the previous period in words, and the scale / stop lists. Pure.
 */

export interface PeriodOption {
  label: string;
  from: string;
  to: string;
}

function iso(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** The last `count` calendar quarters up to `today` (UTC), newest first; the current one runs to today. */
export function quarterOptions(today: Date, count = 6): PeriodOption[] {
  const out: PeriodOption[] = [];
  let year = today.getUTCFullYear();
  let q = Math.floor(today.getUTCMonth() / 3);
  for (let i = 0; i < count; i++) {
    const start = new Date(Date.UTC(year, q * 3, 1));
    const end = new Date(Date.UTC(year, q * 3 + 3, 0));
    const current = i === 0;
    out.push({
      label: `${year} Q${q + 1}${current ? ' (to date)' : ''}`,
      from: iso(start),
      to: iso(current && today < end ? today : end),
    });
    q -= 1;
    if (q < 0) {
      q = 3;
      year -= 1;
    }
  }
  return out;
}

export function periodWords(period: { from: string; to: string }): string {
  return `${formatDate(period.from)} – ${formatDate(period.to)}`;
}

/** Short band names that fit under a bar: "< −50%", "−50 to 0%", "≥ +200%". */
export function bandLabel(band: RoiDistribution['bands'][number]): string {
  const f = (x: number) => formatSignedPercent(x, 0);
  const bare = (x: number) => f(x).replace(/%$/, '');
  if (band.from === null && band.to !== null) return `< ${f(band.to)}`;
  if (band.to === null && band.from !== null) return `≥ ${f(band.from)}`;
  if (band.from !== null && band.to !== null) return `${bare(band.from)} to ${f(band.to)}`;
  return 'any';
}

/** Bands below zero lose money: drawn hatched and named so in the chart. */
export function distributionBars(distribution: RoiDistribution) {
  return distribution.bands.map((b) => ({
    label: bandLabel(b),
    count: b.count,
    losing: b.to !== null && b.to <= 0,
  }));
}

export interface TrendLine {
  label: string;
  current: string;
  previous: string;
  change: string;
  direction: 'up' | 'down' | 'flat' | 'none';
}

export function trendLines(p: Portfolio): TrendLine[] {
  const roiChange = p.trend.pooledRoiChange;
  const marginChange = p.trend.provenIncrementalMarginPvShrunkChange;
  const dir = (x: number | null): TrendLine['direction'] =>
    x === null ? 'none' : Math.abs(x) < 1e-9 ? 'flat' : x > 0 ? 'up' : 'down';
  return [
    {
      label: 'Pooled ROI',
      current: p.totals.pooledRoi === null ? '—' : formatSignedPercent(p.totals.pooledRoi),
      previous: p.previousTotals.pooledRoi === null ? '—' : formatSignedPercent(p.previousTotals.pooledRoi),
      change:
        roiChange === null
          ? 'no comparison: one of the periods has no measured campaign'
          : `${formatSignedPercent(roiChange)} points`,
      direction: dir(roiChange),
    },
    {
      label: 'Proven incremental margin (after shrinkage)',
      current: formatAmount(p.totals.provenIncrementalMarginPvShrunk),
      previous: formatAmount(p.previousTotals.provenIncrementalMarginPvShrunk),
      change: `${marginChange >= 0 ? '+' : ''}${formatAmount(marginChange)}`,
      direction: dir(marginChange),
    },
    {
      label: 'Campaigns measured',
      current: `${p.totals.measurable} of ${p.totals.campaigns}`,
      previous: `${p.previousTotals.measurable} of ${p.previousTotals.campaigns}`,
      change: `${p.totals.measurable - p.previousTotals.measurable >= 0 ? '+' : ''}${p.totals.measurable - p.previousTotals.measurable}`,
      direction: dir(p.totals.measurable - p.previousTotals.measurable),
    },
  ];
}

/** The campaigns to scale and to stop, in the order the report lists their keys. */
export function actionLists(p: Portfolio): { scale: PortfolioCampaign[]; stop: PortfolioCampaign[] } {
  const byKey = new Map(p.campaigns.map((c) => [c.key, c]));
  const pick = (keys: readonly string[]) =>
    keys.map((k) => byKey.get(k)).filter((c): c is PortfolioCampaign => c !== undefined);
  return { scale: pick(p.scale), stop: pick(p.stop) };
}

/** One sentence for the top of the page. */
export function headline(p: Portfolio): string {
  const t = p.totals;
  if (t.campaigns === 0) return 'No campaign launched in this period.';
  const proven = t.byVerdict.proven ?? 0;
  const margin = formatAmount(t.provenIncrementalMarginPvShrunk);
  return (
    `${t.campaigns} campaign${t.campaigns === 1 ? '' : 's'} launched, ${t.measurable} measured; ` +
    `${proven} proven to pay, together ${margin} of incremental margin after allowing for luck` +
    (t.pooledRoi === null ? '.' : `; pooled ROI ${formatSignedPercent(t.pooledRoi)}.`)
  );
}
