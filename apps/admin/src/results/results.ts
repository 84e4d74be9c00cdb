import type {
  ComparisonVerdict,
  CumulativeSeries,
  Effect,
  Engine,
  MetricResult,
  MetricRole,
  Srm,
  Verdict,
} from '../api/types';
import { formatInt, formatPercent, formatSigned, formatSignedPercent, pStatement } from '../lib/format';

/**
 * Results snapshot → what the results page shows: one row per metric × treated variant, with the lift, its
 * interval, the p-value or chance to win, and a sentence in plain words. Pure, so the wording is tested.
 */

/** One comparison of a variant with the control on one metric. */
export interface ComparisonRow {
  id: string;
  metricKey: string;
  metricName: string;
  role: MetricRole | null;
  kind: MetricResult['kind'];
  higherIsBetter: boolean;
  /** Part of the family corrected for multiple comparisons (p-values are adjusted, intervals widened). */
  corrected: boolean;
  cuped: boolean;
  variantKey: string;
  variantName: string;
  controlName: string;
  controlMean: number | null;
  variantMean: number | null;
  controlN: number;
  variantN: number;
  /** Relative lift when the control's mean allows it, else the difference in the metric's units. */
  scale: 'relative' | 'absolute';
  lift: number | null;
  /** Interval bounds; null is an open end (one-sided test). */
  lower: number | null;
  upper: number | null;
  ciLevel: number | null;
  /** Adjusted p-value for corrected metrics, else the raw one; null for the Bayesian engine. */
  pValue: number | null;
  pAdjusted: boolean;
  chanceToWin: number | null;
  verdict: ComparisonVerdict | null;
  note: string | null;
  sentence: string;
}

export const ROLE_LABEL: Record<MetricRole, string> = {
  primary: 'Primary',
  secondary: 'Secondary',
  guardrail: 'Guardrail',
};

export const COMPARISON_LABEL: Record<ComparisonVerdict, string> = {
  better: 'Better',
  worse: 'Worse',
  inconclusive: 'Not clear yet',
  blocked_by_srm: 'Blocked: split mismatch',
};

/** A metric value as people read it: a share of customers for conversion metrics, a number otherwise. */
export function formatMetricValue(kind: MetricResult['kind'], value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  if (kind === 'proportion') return formatPercent(value, 1);
  return value.toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** A lift (or a bound of it) in the row's scale: "+70%" or "+0.13" (percentage points for conversions). */
export function formatLift(
  scale: ComparisonRow['scale'],
  kind: MetricResult['kind'],
  value: number | null,
): string {
  if (value === null) return '—';
  if (scale === 'relative') return formatSignedPercent(value);
  if (kind === 'proportion') return `${formatSigned(value * 100, 1)} pts`;
  return formatSigned(value);
}

function primaryEffect(relative: Effect | null, absolute: Effect | null) {
  // The API decides on the relative lift when there is one; the table shows the same effect.
  if (relative) return { scale: 'relative' as const, effect: relative };
  if (absolute) return { scale: 'absolute' as const, effect: absolute };
  return { scale: 'relative' as const, effect: null };
}

export interface RowContext {
  engine: Engine;
  alpha: number;
}

export function comparisonRows(metrics: readonly MetricResult[], context: RowContext): ComparisonRow[] {
  const rows: ComparisonRow[] = [];
  for (const metric of metrics) {
    const control = metric.variants.find((v) => v.isControl);
    for (const variant of metric.variants) {
      if (variant.isControl) continue;
      const { scale, effect } = primaryEffect(variant.relative, variant.absolute);
      const corrected = metric.corrected && effect !== null && effect.adjustedPValue !== null;
      const row: Omit<ComparisonRow, 'sentence'> = {
        id: `${metric.key}:${variant.key}`,
        metricKey: metric.key,
        metricName: metric.name,
        role: metric.role,
        kind: metric.kind,
        higherIsBetter: metric.higherIsBetter,
        corrected: metric.corrected,
        cuped: metric.cuped,
        variantKey: variant.key,
        variantName: variant.name,
        controlName: control?.name ?? 'the control',
        controlMean: control?.mean ?? null,
        variantMean: variant.mean,
        controlN: control?.n ?? 0,
        variantN: variant.n,
        scale,
        lift: effect?.estimate ?? null,
        lower: effect?.ci[0] ?? null,
        upper: effect?.ci[1] ?? null,
        ciLevel: effect?.ciLevel ?? null,
        pValue: effect ? (corrected ? effect.adjustedPValue : effect.pValue) : null,
        pAdjusted: Boolean(effect && corrected),
        chanceToWin: effect?.chanceToWin ?? null,
        verdict: variant.verdict,
        note: metric.note,
      };
      rows.push({ ...row, sentence: plainWords(row, context) });
    }
  }
  return rows;
}

function range(row: Omit<ComparisonRow, 'sentence'>): string {
  const f = (v: number | null) => formatLift(row.scale, row.kind, v);
  if (row.lower === null && row.upper === null) return 'anywhere';
  if (row.lower === null) return `at most ${f(row.upper)}`;
  if (row.upper === null) return `at least ${f(row.lower)}`;
  return `between ${f(row.lower)} and ${f(row.upper)}`;
}

function change(row: Omit<ComparisonRow, 'sentence'>): string {
  const lift = row.lift ?? 0;
  if (lift === 0) return 'the same as';
  const size = formatLift(row.scale, row.kind, Math.abs(lift)).replace(/^\+/, '');
  return `${size} ${lift > 0 ? 'higher' : 'lower'} than`;
}

function values(row: Omit<ComparisonRow, 'sentence'>): string {
  return (
    `${formatMetricValue(row.kind, row.variantMean)} against ${formatMetricValue(row.kind, row.controlMean)}` +
    `, ${formatInt(row.variantN)} and ${formatInt(row.controlN)} customers`
  );
}

function evidence(row: Omit<ComparisonRow, 'sentence'>, context: RowContext): string {
  if (context.engine === 'bayesian') {
    return row.chanceToWin === null
      ? ''
      : `; the chance that ${row.variantName} is really better is ${formatPercent(row.chanceToWin, 0)}`;
  }
  if (row.pValue === null) return '';
  const stated = pStatement(row.pValue);
  return row.pAdjusted ? ` (${stated} after correcting for the other metrics)` : ` (${stated})`;
}

/**
 * "What this means" for one comparison, in words a campaign owner can repeat: what moved, by how much, how
 * sure we are, and what to do about it. Lower-is-better metrics are read the right way round: the API's
 * verdict already says whether the change is good.
 */
export function plainWords(row: Omit<ComparisonRow, 'sentence'>, context: RowContext): string {
  const metric = row.metricName;
  const variant = row.variantName;
  if (row.verdict === 'blocked_by_srm') {
    return (
      `Do not act on this yet: customers were not split between the arms as planned, so a difference in ` +
      `${metric} could come from the split itself rather than from ${variant}.`
    );
  }
  if (row.lift === null) {
    return row.note
      ? `No comparison yet: ${row.note}.`
      : `No comparison yet: ${variant} and ${row.controlName} need more customers with data.`;
  }
  const level = row.ciLevel === null ? '' : ` (${formatPercent(row.ciLevel, 1)} interval)`;
  const moved = `${metric} is ${change(row)} for ${row.controlName} (${values(row)})`;
  if (row.verdict === 'better') {
    const direction = row.higherIsBetter ? '' : ', and lower is better here';
    return (
      `${variant} works: ${moved}${direction}. The true change is likely ${range(row)}${level}, so it is ` +
      `unlikely to be chance${evidence(row, context)}.`
    );
  }
  if (row.verdict === 'worse') {
    const guardrail =
      row.role === 'guardrail' ? ' This is a guardrail: find out why before rolling the campaign out.' : '';
    return (
      `${variant} makes this worse: ${moved}. The true change is likely ${range(row)}${level}` +
      `${evidence(row, context)}.${guardrail}`
    );
  }
  const threshold =
    context.engine === 'bayesian'
      ? ` A decision needs a chance of ${formatPercent(1 - context.alpha, 0)} or more.`
      : ' More customers or more time will narrow the range.';
  return (
    `No clear difference yet: ${moved}, but the true change could be ${range(row)}${level}, which includes ` +
    `no change at all${evidence(row, context)}.${threshold}`
  );
}

/** A common scale for the interval bars of a table, always showing zero, padded so bars do not touch the edge. */
export function intervalDomain(
  rows: readonly { lift: number | null; lower: number | null; upper: number | null }[],
): [number, number] {
  let lo = 0;
  let hi = 0;
  for (const r of rows) {
    for (const v of [r.lift, r.lower, r.upper]) {
      if (v === null || !Number.isFinite(v)) continue;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  if (lo === hi) return [-1, 1];
  const pad = (hi - lo) * 0.08;
  return [lo - pad, hi + pad];
}

export type Tone = 'info' | 'warning' | 'error' | 'success';

/** The experiment's overall verdict as a banner: tone, headline, and the API's reason. */
export function verdictBanner(verdict: Verdict, variantName: string | null): { tone: Tone; title: string } {
  switch (verdict.status) {
    case 'winner':
      return { tone: 'success', title: `${variantName ?? verdict.variantKey ?? 'A variant'} wins` };
    case 'guardrail_breached':
      return { tone: 'warning', title: 'Better, but a guardrail got worse' };
    case 'blocked_by_srm':
      return { tone: 'error', title: 'Sample ratio mismatch: do not trust these results yet' };
    case 'no_primary_metric':
      return { tone: 'info', title: 'No primary metric to decide on' };
    default:
      return { tone: 'info', title: 'No winner yet' };
  }
}

/** Words for the sample-ratio banner: the arm furthest from its planned share, and by how much. */
export function srmSentence(srm: Srm, names: ReadonlyMap<string, string>): string {
  const total = srm.arms.reduce((s, a) => s + a.n, 0);
  const weights = srm.arms.reduce((s, a) => s + a.weight, 0);
  let worst: { key: string; n: number; expected: number; gap: number } | undefined;
  for (const arm of srm.arms) {
    const expected = weights > 0 ? (total * arm.weight) / weights : 0;
    if (expected <= 0) continue;
    const gap = Math.abs(arm.n - expected) / expected;
    if (!worst || gap > worst.gap) worst = { key: arm.key, n: arm.n, expected, gap };
  }
  const test = `χ² = ${srm.chiSquare.toFixed(1)}, ${pStatement(srm.pValue)}, flagged below ${srm.threshold}`;
  if (!worst) return `The customers are not split as planned (${test}).`;
  const name = names.get(worst.key) ?? worst.key;
  const direction = worst.n > worst.expected ? 'more' : 'fewer';
  return (
    `${name} has ${Math.round(worst.gap * 100)}% ${direction} customers than planned (${formatInt(worst.n)} ` +
    `against about ${formatInt(Math.round(worst.expected))} of ${formatInt(total)}; ${test}). Until the ` +
    `assignment or exposure logging is fixed, no difference on this page can be trusted.`
  );
}

export interface CumulativePoint {
  date: string;
  estimate: number | null;
  /** [lower, upper] of the interval; null when either end is open or missing. */
  band: [number, number] | null;
  customers: number;
}

/** Daily cumulative lift of one metric × variant, in the chosen scale, for the chart. */
export function cumulativePoints(
  series: CumulativeSeries,
  scale: 'relative' | 'absolute',
): CumulativePoint[] {
  return series.points.map((p) => {
    const effect = scale === 'relative' ? p.relative : p.absolute;
    const [lo, hi] = effect?.ci ?? [null, null];
    return {
      date: p.date,
      estimate: effect?.estimate ?? null,
      band: lo !== null && hi !== null ? [lo, hi] : null,
      customers: p.controlN + p.variantN,
    };
  });
}
