import type { ExperimentExposures, Variant } from '../api/types';

/** One row of the live exposure table: what was planned next to what happened. */
export interface ExposureRow {
  key: string;
  name: string;
  isControl: boolean;
  /** Planned share, normalised over the arms. */
  plannedShare: number;
  assigned: number;
  exposedCustomers: number;
  exposures: number;
  /** Share of exposed customers that landed in this arm (NaN-free: 0 when nobody is exposed yet). */
  observedShare: number;
  /** Exposed customers the arm should have under the planned split. */
  expectedCustomers: number;
}

/**
 * Joins the exposure report with the experiment's variants (for names and control flags) in the experiment's
 * own order, so the table reads the same as the design.
 */
export function exposureRows(report: ExperimentExposures, variants: readonly Variant[]): ExposureRow[] {
  const total = report.totalExposedCustomers;
  const weightSum = report.variants.reduce((s, v) => s + v.weight, 0);
  const position = new Map(variants.map((v) => [v.key, v.position]));
  const byKey = new Map(variants.map((v) => [v.key, v]));
  return [...report.variants]
    .sort((a, b) => (position.get(a.key) ?? 0) - (position.get(b.key) ?? 0))
    .map((v) => {
      const plannedShare = weightSum > 0 ? v.weight / weightSum : 0;
      const variant = byKey.get(v.key);
      return {
        key: v.key,
        name: variant?.name ?? v.key,
        isControl: variant?.isControl ?? false,
        plannedShare,
        assigned: v.assigned,
        exposedCustomers: v.exposedCustomers,
        exposures: v.exposures,
        observedShare: total > 0 ? v.exposedCustomers / total : 0,
        expectedCustomers: total * plannedShare,
      };
    });
}

/** Words for the SRM banner: which arm is furthest from plan, in which direction. */
export function srmExplanation(rows: readonly ExposureRow[]): string {
  let worst: ExposureRow | undefined;
  let worstGap = 0;
  for (const r of rows) {
    if (r.expectedCustomers <= 0) continue;
    const gap = Math.abs(r.exposedCustomers - r.expectedCustomers) / r.expectedCustomers;
    if (gap > worstGap) {
      worstGap = gap;
      worst = r;
    }
  }
  if (!worst) return 'The observed split does not match the planned weights.';
  const direction = worst.exposedCustomers > worst.expectedCustomers ? 'more' : 'fewer';
  return (
    `${worst.name} has ${Math.round(worstGap * 100)}% ${direction} exposed customers than planned ` +
    `(${worst.exposedCustomers} vs about ${Math.round(worst.expectedCustomers)}). Check the assignment code and ` +
    `exposure logging before trusting any result.`
  );
}

/**
 * Okabe & Ito (2008) colour-blind-safe palette ("Color Universal Design"). Arms take colours in design order, so
 * the control is always blue and the first treatment always orange.
 */
export const OKABE_ITO = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#56B4E9',
  '#D55E00',
  '#F0E442',
  '#000000',
];

export function armColour(index: number): string {
  return OKABE_ITO[index % OKABE_ITO.length] ?? '#000000';
}
