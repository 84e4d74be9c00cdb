/**
 * Reads what a campaign needs out of an experiment's results snapshot (@liftlab/contracts ResultSnapshot):
 * the treated arm, its customers, the sample-ratio check, and for every revenue metric the absolute
 * incremental revenue per treated customer by month since exposure. Pure.
 */
import type { Effect, MetricResult, ResultSnapshot } from '@liftlab/contracts';
import { normalInverseSurvival, type RevenueStream } from '@liftlab/stats';
import { NotMeasurableError, type BreakdownInput, type LiftMonth, type MeasuredStream } from './roi';

export interface Measurement {
  snapshotId: string;
  computedAt: string;
  variantKey: string;
  controlKey: string;
  treatedCustomers: number;
  holdoutCustomers: number;
  srmFlagged: boolean;
  /** Level of the intervals (1 − α of the analysis). */
  confidenceLevel: number;
  streams: MeasuredStream[];
}

/** Days of one "month since exposure" in the analysis; used to turn a metric window into a monthly rate. */
export const DAYS_PER_MONTH = 30;

/** The arms of the snapshot: its control and the treated arm the campaign follows. */
export function resolveArms(
  snapshot: ResultSnapshot,
  variantKey: string | null,
): { controlKey: string; variantKey: string } {
  const arms = snapshot.srm?.arms.map((a) => a.key) ?? [];
  const fromMetrics = snapshot.metrics[0]?.variants ?? [];
  const control = fromMetrics.find((v) => v.isControl)?.key;
  const keys = arms.length > 0 ? arms : fromMetrics.map((v) => v.key);
  if (control === undefined) {
    throw new NotMeasurableError(
      'experiment',
      'has_results',
      'The results do not identify a control arm yet.',
    );
  }
  const treated = keys.filter((k) => k !== control);
  if (variantKey !== null) {
    if (!treated.includes(variantKey)) {
      throw new NotMeasurableError(
        'variantKey',
        'treated_arm',
        `The experiment has no treated arm '${variantKey}'.`,
      );
    }
    return { controlKey: control, variantKey };
  }
  if (treated.length !== 1) {
    throw new NotMeasurableError(
      'variantKey',
      'required_for_several_arms',
      'The experiment has several treated arms: set the campaign’s variantKey.',
    );
  }
  return { controlKey: control, variantKey: treated[0] as string };
}

/**
 * Bounds of an effect's interval; an open end (one-sided interval) is closed at the same distance as the
 * other, estimate ∓ z·se at the interval's level.
 */
export function boundsOf(effect: Effect): { estimate: number; lower: number; upper: number } {
  const z = normalInverseSurvival((1 - effect.ciLevel) / 2);
  const [lo, hi] = effect.ci;
  return {
    estimate: effect.estimate,
    lower: lo ?? effect.estimate - z * effect.se,
    upper: hi ?? effect.estimate + z * effect.se,
  };
}

function armCounts(metric: MetricResult | undefined, controlKey: string, variantKey: string) {
  const treated = metric?.variants.find((v) => v.key === variantKey)?.n ?? 0;
  const holdout = metric?.variants.find((v) => v.key === controlKey)?.n ?? 0;
  return { treated, holdout };
}

/** The campaign's view of a snapshot. */
export function measurementFromSnapshot(snapshot: ResultSnapshot, variantKey: string | null): Measurement {
  const arms = resolveArms(snapshot, variantKey);
  const streams: MeasuredStream[] = snapshot.revenueByMonth.map((series) => {
    const months: LiftMonth[] = [];
    const treatedMeans: { month: number; mean: number }[] = [];
    for (const month of series.months) {
      const treated = month.variants.find((v) => v.key === arms.variantKey);
      if (treated?.absolute) months.push({ month: month.month, ...boundsOf(treated.absolute) });
      if (treated?.mean !== null && treated?.mean !== undefined) {
        treatedMeans.push({ month: month.month, mean: treated.mean });
      }
    }
    return {
      metricKey: series.metricKey,
      stream: series.revenueStream as RevenueStream,
      months,
      treatedMeans,
    };
  });
  const revenueMetric =
    snapshot.metrics.find((m) => m.revenueStream !== null && streams.some((s) => s.metricKey === m.key)) ??
    snapshot.metrics[0];
  const counts = armCounts(revenueMetric, arms.controlKey, arms.variantKey);
  const srmArm = (key: string) => snapshot.srm?.arms.find((a) => a.key === key)?.n;
  return {
    snapshotId: snapshot.id,
    computedAt: snapshot.computedAt,
    variantKey: arms.variantKey,
    controlKey: arms.controlKey,
    treatedCustomers: counts.treated || (srmArm(arms.variantKey) ?? 0),
    holdoutCustomers: counts.holdout || (srmArm(arms.controlKey) ?? 0),
    srmFlagged: snapshot.srm?.flagged === true || snapshot.verdictBlockedBy === 'srm',
    confidenceLevel: 1 - snapshot.alpha,
    streams: streams.filter((s) => s.months.length > 0),
  };
}

/**
 * Groups of a breakdown (segment, acquisition cohort) as ROI inputs. Breakdowns carry each revenue metric's
 * effect over the metric's window, not a month-by-month series, so a group's lift per month is that effect
 * scaled to a 30-day month (× 30 / windowDays), and the headline's projection then carries it over the
 * horizon. The 'all customers' row is computed the same way, so groups compare with the whole on one footing.
 */
export function breakdownFromSnapshot(
  snapshot: ResultSnapshot,
  dimension: string,
  measurement: Measurement,
): { rows: BreakdownInput[]; found: boolean } {
  const breakdown = snapshot.dimensions.find((d) => d.dimension === dimension);
  const revenueKeys = new Set(measurement.streams.map((s) => s.metricKey));
  const toRow = (value: string, metrics: readonly MetricResult[]): BreakdownInput => {
    const revenue = metrics.filter((m) => m.revenueStream !== null && revenueKeys.has(m.key));
    const streams: MeasuredStream[] = [];
    for (const metric of revenue) {
      const effect = metric.variants.find((v) => v.key === measurement.variantKey)?.absolute;
      if (!effect) continue;
      const scale = DAYS_PER_MONTH / metric.windowDays;
      const b = boundsOf(effect);
      streams.push({
        metricKey: metric.key,
        stream: metric.revenueStream as RevenueStream,
        months: [{ month: 0, estimate: b.estimate * scale, lower: b.lower * scale, upper: b.upper * scale }],
      });
    }
    const counts = armCounts(revenue[0], measurement.controlKey, measurement.variantKey);
    return { value, treatedCustomers: counts.treated, holdoutCustomers: counts.holdout, streams };
  };
  const rows = [toRow('all customers', snapshot.metrics)];
  for (const value of breakdown?.values ?? []) rows.push(toRow(value.value, value.metrics));
  return { rows, found: breakdown !== undefined };
}
