import type { AttributionComparison, CohortRow } from '@liftlab/contracts';
import { COLOURS } from '../components/charts';

/** Pure helpers of the customer value pages: heatmap shading, chart rows, labels. */

export const DIMENSION_LABELS: Record<string, string> = {
  acquisitionMonth: 'Acquisition month',
  acquisitionChannel: 'Acquisition channel',
  segment: 'Segment',
  plan: 'Plan',
  country: 'Country',
  behaviour: 'Behaviour (event after acquisition)',
};

/**
 * Heatmap shading: one hue (Okabe–Ito blue) whose opacity grows with retention, so the scale reads in
 * greyscale too; the percentage is always written in the cell. Text turns white on dark cells for contrast.
 */
export function heatCell(retention: number): { background: string; color: string } {
  const r = Math.min(1, Math.max(0, retention));
  const alpha = 0.08 + 0.92 * Math.sqrt(r);
  return {
    background: `rgba(0, 114, 178, ${alpha.toFixed(3)})`,
    color: alpha > 0.55 ? '#ffffff' : COLOURS.ink,
  };
}

/** Columns of the heatmap: 0 … the longest row's last month. */
export function heatColumns(rows: readonly CohortRow[]): number[] {
  const longest = Math.max(0, ...rows.map((r) => r.cells.length));
  return Array.from({ length: longest }, (_, i) => i);
}

/** LTV curves as recharts rows: one row per month, one key per cohort. */
export function ltvCurveRows(rows: readonly CohortRow[]): Record<string, number | null>[] {
  return heatColumns(rows).map((month) => {
    const point: Record<string, number | null> = { month };
    for (const r of rows) point[r.cohort] = r.cells[month]?.cumulativeRevenuePerCustomer ?? null;
    return point;
  });
}

/** The Okabe–Ito series colours in a fixed order (black and grey last), cycling for many series. */
export const SERIES = [
  COLOURS.blue,
  COLOURS.orange,
  COLOURS.green,
  COLOURS.vermillion,
  COLOURS.purple,
  COLOURS.sky,
  COLOURS.yellow,
  COLOURS.black,
];
export const seriesColour = (i: number): string => SERIES[i % SERIES.length] as string;

/** Grouped bars: one row per channel, one key per model (credited conversions). */
export function attributionBars(
  comparison: AttributionComparison,
  measure: 'conversions' | 'revenue',
): Record<string, string | number>[] {
  return comparison.channels.map((channel) => {
    const row: Record<string, string | number> = { channel };
    for (const m of comparison.models) {
      row[m.model] = m.credits.find((c) => c.channel === channel)?.[measure] ?? 0;
    }
    return row;
  });
}

/** A shared symmetric domain for forest-plot rows, padded a little, never empty. */
export function forestDomain(intervals: readonly [number | null, number | null][]): [number, number] {
  const ends = intervals.flat().filter((v): v is number => v !== null && Number.isFinite(v));
  const m = Math.max(1e-9, ...ends.map(Math.abs)) * 1.1;
  return [-m, m];
}
