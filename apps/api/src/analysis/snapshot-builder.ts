/**
 * From sufficient statistics and the experiment's configuration to the stored results snapshot. Pure: no
 * database, no clock; every number comes from @liftlab/stats (`analyzeExperiment`, `adjustPValues`,
 * `adjustedAlphas`, `srmTest`), so the API gives the same numbers as `liftlab analyze` for the same sums.
 */
import type {
  ComparisonVerdict,
  CumulativeSeries,
  DimensionBreakdown,
  Effect,
  MetricResult,
  ResultCorrection,
  ResultSnapshot,
  RevenueByMonth,
  Srm,
  VariantResult,
  Verdict,
} from '@liftlab/contracts';
import {
  adjustedAlphas,
  adjustPValues,
  analyzeExperiment,
  DEFAULT_SRM_THRESHOLD,
  srmTest,
  StatsInputError,
  type AnalysisResult,
  type AnalysisVariant,
  type Difference,
} from '@liftlab/stats';
import { addSums, emptySums, toSums, type MonthRow, type StatsRow, type Sums } from './sufficient-stats';

export type Engine = 'frequentist' | 'sequential' | 'bayesian';

export interface ArmSpec {
  /** Arm id as the statistics name it (variant id, or 'holdout' / 'treated'). */
  arm: string;
  variantId: string | null;
  key: string;
  name: string;
  /** Planned traffic share, for the sample-ratio-mismatch check (0 = closed arm, left out of it). */
  weight: number;
  isControl: boolean;
}

export interface MetricSpec {
  id: string;
  key: string;
  name: string;
  kind: 'proportion' | 'mean' | 'ratio';
  role: 'primary' | 'secondary' | 'guardrail' | null;
  revenueStream: 'upsell' | 'cross_sell' | 'retention' | 'other' | null;
  higherIsBetter: boolean;
  windowDays: number;
}

export interface BuildSettings {
  correction: ResultCorrection;
  alpha: number;
  /** Apply CUPED where the pre-period covariate has any variance. */
  cuped: boolean;
  dimensions: string[];
}

export interface SnapshotInput {
  id: string;
  kind: 'experiment' | 'global_holdout';
  experiment: {
    id: string;
    key: string;
    name: string;
    status: 'draft' | 'running' | 'stopped' | 'concluded';
  } | null;
  engine: Engine;
  settings: BuildSettings;
  dataUntil: Date;
  computedAt: Date;
  trigger: 'schedule' | 'manual';
  /** Control first. */
  arms: ArmSpec[];
  /** Customers per arm (all of them, whatever the metrics). */
  armCounts: ReadonlyMap<string, number>;
  metrics: MetricSpec[];
  /** Sufficient statistics of each metric (same order as `metrics`), every grouping. */
  stats: StatsRow[][];
  /** Revenue by month since exposure, per metric index; absent for metrics without the split. */
  months: ReadonlyMap<number, MonthRow[]>;
  /** Whether the pre-period covariate was computed (CUPED possible). */
  prePeriod: boolean;
}

/** Where a comparison's numbers come from, before it is turned into an Effect. */
interface RawComparison {
  arm: ArmSpec;
  estimate: number;
  se: number;
  ci: [number, number];
  ciAlpha: number;
  pValue: number | null;
  chanceToWin: number | null;
  risk: { control: number; treatment: number } | null;
}

interface ArmStats {
  arm: ArmSpec;
  sums: Sums;
}

interface SliceAnalysis {
  /** Per non-control arm, per difference: the comparison at level alpha (null when it cannot be computed). */
  comparisons: Map<string, Record<Difference, RawComparison | null>>;
  cuped: boolean;
  note: string | null;
}

const DIFFERENCES: Difference[] = ['relative', 'absolute'];

/** Builds the snapshot document. Throws only on programming errors; bad data become notes. */
export function buildSnapshot(input: SnapshotInput): ResultSnapshot {
  const { settings, engine } = input;
  const alpha = settings.alpha;
  const control = input.arms.find((a) => a.isControl) ?? input.arms[0];
  if (!control) throw new Error('an experiment needs arms');
  const arms = [control, ...input.arms.filter((a) => a !== control)];

  const srm = sampleRatio(arms, input.armCounts);
  const srmMessage = srm?.flagged
    ? `Sample ratio mismatch: the arms' sizes (${srm.arms.map((a) => `${a.key} ${a.n}`).join(', ')}) are ` +
      `unlikely under the planned weights (p = ${srm.pValue.toPrecision(3)} < ${srm.threshold}). Check ` +
      `assignment and exposure logging; no variant can be declared a winner until this is explained.`
    : null;
  const blocked = srmMessage !== null;

  // ---- overall: analysis per metric at alpha, then the correction across goal metrics × variants.
  const overall = input.metrics.map((metric, i) => {
    const rows = (input.stats[i] ?? []).filter((r) => r.grouping === 'all');
    const slice = armStats(arms, rows, metric.kind === 'ratio');
    const cuped = input.prePeriod && settings.cuped && cupedUsable(metric, slice);
    return {
      metric,
      slice,
      cuped,
      cap: capOf(rows),
      analysis: analyzeSlice(metric, slice, cuped, engine, alpha),
    };
  });
  const isGoal = (m: MetricSpec) => input.kind === 'global_holdout' || m.role !== 'guardrail';
  const family = correctFamily(
    overall.filter((o) => isGoal(o.metric)).map((o) => o.analysis),
    settings.correction,
    engine,
    alpha,
  );
  const metrics: MetricResult[] = overall.map((o) => {
    const corrected = isGoal(o.metric);
    // Intervals of a corrected family are drawn at the corrected α: rerun the slice at that level.
    const at = (difference: Difference): SliceAnalysis => {
      const level = corrected ? family.ciAlpha[difference] : alpha;
      return level === alpha ? o.analysis : analyzeSlice(o.metric, o.slice, o.cuped, engine, level);
    };
    return metricResult(
      o.metric,
      o.slice,
      o.analysis,
      { relative: at('relative'), absolute: at('absolute') },
      {
        cuped: o.cuped,
        cap: o.cap,
        corrected,
        adjusted: corrected ? family.adjusted : null,
        blocked,
        engine,
        alpha,
      },
    );
  });

  const verdict = decideVerdict(input.kind, metrics, arms, srmMessage);
  const warnings: string[] = [];
  if (srmMessage) warnings.push(srmMessage);
  for (const m of metrics) if (m.note) warnings.push(`${m.name}: ${m.note}`);

  return {
    id: input.id,
    kind: input.kind,
    experimentId: input.experiment?.id ?? null,
    experimentKey: input.experiment?.key ?? null,
    experimentName: input.experiment?.name ?? null,
    experimentStatus: input.experiment?.status ?? null,
    engine,
    correction: settings.correction,
    alpha,
    dataUntil: input.dataUntil.toISOString(),
    computedAt: input.computedAt.toISOString(),
    trigger: input.trigger,
    units: [...input.armCounts.values()].reduce((s, n) => s + n, 0),
    srm,
    verdictBlockedBy: blocked ? 'srm' : null,
    verdict,
    warnings,
    metrics,
    dimensions: dimensionBreakdowns(input, arms, overall, blocked, isGoal),
    cumulative: cumulativeSeries(input, arms, overall),
    revenueByMonth: revenueByMonth(input, arms),
  };
}

// ------------------------------------------------------------------------------------------------ SRM

function sampleRatio(arms: ArmSpec[], counts: ReadonlyMap<string, number>): Srm | null {
  const open = arms.filter((a) => a.weight > 0);
  const n = open.map((a) => counts.get(a.arm) ?? 0);
  if (open.length < 2 || n.reduce((s, x) => s + x, 0) === 0) return null;
  const r = srmTest(
    n,
    open.map((a) => a.weight),
  );
  return {
    chiSquare: r.chiSquare,
    dof: r.dof,
    pValue: r.pValue,
    flagged: r.flagged,
    threshold: DEFAULT_SRM_THRESHOLD,
    arms: open.map((a, i) => ({ key: a.key, n: n[i] as number, weight: a.weight })),
  };
}

// ------------------------------------------------------------------------------------------------ slices

function armStats(arms: ArmSpec[], rows: readonly StatsRow[], ratio: boolean): ArmStats[] {
  return arms.map((arm) => {
    const own = rows.filter((r) => r.arm === arm.arm);
    return { arm, sums: own.reduce((acc, r) => addSums(acc, toSums(r)), emptySums(ratio)) };
  });
}

function capOf(rows: readonly StatsRow[]): number | null {
  const caps = rows.map((r) => r.cap).filter((c): c is number => c !== null);
  return caps.length > 0 ? Math.max(...caps) : null;
}

/**
 * CUPED needs a covariate with variance across all customers (θ = Cov/Var); for ratio metrics also a non-zero
 * pre-period denominator in every arm.
 */
function cupedUsable(metric: MetricSpec, slice: ArmStats[]): boolean {
  let n = 0;
  let sy = 0;
  let syy = 0;
  for (const { sums } of slice) {
    n += sums.n;
    sy += sums.preSum;
    syy += sums.preSumSquares;
  }
  if (n < 2 || !(syy - (sy * sy) / n > 1e-9 * Math.max(syy, 1))) return false;
  if (metric.kind === 'ratio') return slice.every((s) => s.sums.n === 0 || (s.sums.preDenSum ?? 0) !== 0);
  return true;
}

function toAnalysisVariant(kind: MetricSpec['kind'], cuped: boolean, key: string, s: Sums): AnalysisVariant {
  const v: AnalysisVariant = { key, n: s.n, sum: s.sum, sumSquares: s.sumSquares };
  if (kind === 'ratio') {
    Object.assign(v, { denSum: s.denSum, denSumSquares: s.denSumSquares, sumNumDen: s.sumNumDen });
    if (cuped) {
      Object.assign(v, {
        preSum: s.preSum,
        preSumSquares: s.preSumSquares,
        preDenSum: s.preDenSum,
        preDenSumSquares: s.preDenSumSquares,
        sumProducts: s.sumProducts,
        sumNumPreDen: s.sumNumPreDen,
        sumDenPreNum: s.sumDenPreNum,
        sumDenPreDen: s.sumDenPreDen,
        sumPreNumPreDen: s.sumPreNumPreDen,
      });
    }
  } else if (cuped) {
    Object.assign(v, { preSum: s.preSum, preSumSquares: s.preSumSquares, sumProducts: s.sumProducts });
  }
  return v;
}

/** Arms too small to analyse (a variance needs two customers) are left out of the comparison. */
const MIN_ARM_UNITS = 2;

/**
 * Every non-control arm against the control, in both differences, at level `alpha`, uncorrected. CUPED's θ is
 * pooled over the arms analysed together, as `liftlab analyze` does with the same arms.
 */
function analyzeSlice(
  metric: MetricSpec,
  slice: ArmStats[],
  cuped: boolean,
  engine: Engine,
  alpha: number,
): SliceAnalysis {
  const [control, ...treatments] = slice;
  const comparisons = new Map<string, Record<Difference, RawComparison | null>>();
  for (const t of treatments) comparisons.set(t.arm.arm, { relative: null, absolute: null });
  if (!control || control.sums.n < MIN_ARM_UNITS) {
    return { comparisons, cuped, note: `the control has fewer than ${MIN_ARM_UNITS} customers` };
  }
  const analysed = treatments.filter((t) => t.sums.n >= MIN_ARM_UNITS);
  if (analysed.length === 0) {
    return { comparisons, cuped, note: `every variant has fewer than ${MIN_ARM_UNITS} customers so far` };
  }
  const type = metric.kind === 'proportion' ? 'proportion' : metric.kind;
  const variants = [control, ...analysed].map((a) =>
    toAnalysisVariant(metric.kind, cuped, a.arm.key, a.sums),
  );
  const errors: Partial<Record<Difference, StatsInputError>> = {};
  for (const difference of DIFFERENCES) {
    let result: AnalysisResult;
    try {
      result = analyzeExperiment({
        metric: { type, cuped },
        variants,
        options: { engine, alpha, difference, correction: 'none' },
      });
    } catch (error) {
      if (!(error instanceof StatsInputError)) throw error;
      errors[difference] = error;
      continue;
    }
    result.results.forEach((r, i) => {
      const arm = (analysed[i] as ArmStats).arm;
      const entry = comparisons.get(arm.arm) as Record<Difference, RawComparison | null>;
      entry[difference] = {
        arm,
        estimate: r.estimate,
        se: r.se,
        ci: r.ci,
        ciAlpha: r.ciAlpha,
        pValue: r.pValue ?? null,
        chanceToWin: r.chanceToWin ?? null,
        risk: r.risk ?? null,
      };
    });
  }
  let note: string | null = null;
  if (errors.absolute) note = describeStatsError(errors.absolute, [control, ...analysed]);
  else if (errors.relative) {
    // A relative lift is undefined when the control's value is 0; the absolute difference still stands.
    note = /control mean 0/.test(errors.relative.rule)
      ? "the control's value is 0, so only the absolute difference is shown"
      : describeStatsError(errors.relative, [control, ...analysed]);
  }
  if (!note && analysed.length < treatments.length) {
    note = `variants with fewer than ${MIN_ARM_UNITS} customers are not compared yet`;
  }
  return { comparisons, cuped, note };
}

function describeStatsError(error: StatsInputError, arms: ArmStats[]): string {
  const field = error.field.replace(
    /^variants\[(\d+)\]/,
    (_, i: string) => arms[Number(i)]?.arm.key ?? `arm ${i}`,
  );
  return `cannot be analysed yet (${field}: ${error.rule})`;
}

// ------------------------------------------------------------------------------------------------ correction

interface FamilyCorrection {
  /** Adjusted p-value of every comparison in the family (keyed by the comparison object). */
  adjusted: Map<RawComparison, number>;
  /** α of the family's intervals per difference (the same for every member, see adjustedAlphas). */
  ciAlpha: Record<Difference, number>;
}

/**
 * Holm or Benjamini–Hochberg across every comparison of the family (metrics × variants), separately for the
 * relative and the absolute difference; intervals at the matching corrected α. The Bayesian engine has no
 * p-values to correct.
 */
function correctFamily(
  slices: SliceAnalysis[],
  correction: ResultCorrection,
  engine: Engine,
  alpha: number,
): FamilyCorrection {
  const adjusted = new Map<RawComparison, number>();
  const ciAlpha: Record<Difference, number> = { relative: alpha, absolute: alpha };
  if (engine === 'bayesian') return { adjusted, ciAlpha };
  for (const difference of DIFFERENCES) {
    const members = slices.flatMap((s) =>
      [...s.comparisons.values()].map((c) => c[difference]).filter((c): c is RawComparison => c !== null),
    );
    if (members.length === 0) continue;
    const p = members.map((m) => m.pValue as number);
    const adj = adjustPValues(p, correction);
    members.forEach((m, i) => adjusted.set(m, adj[i] as number));
    ciAlpha[difference] = Math.min(...adjustedAlphas(p, correction, alpha));
  }
  return { adjusted, ciAlpha };
}

// ------------------------------------------------------------------------------------------------ results

interface ResultOptions {
  cuped: boolean;
  cap: number | null;
  corrected: boolean;
  adjusted: Map<RawComparison, number> | null;
  blocked: boolean;
  engine: Engine;
  alpha: number;
}

function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function armMean(kind: MetricSpec['kind'], s: Sums): number | null {
  if (kind === 'ratio') return s.denSum ? s.sum / s.denSum : null;
  return s.n > 0 ? s.sum / s.n : null;
}

/**
 * One comparison as an Effect: the p-value and adjusted p-value from the run at α, the interval from the run at
 * the interval's α. chanceToWin and risk are turned around when lower is better.
 */
function toEffect(
  atAlpha: RawComparison,
  atCi: RawComparison | null,
  adjustedPValue: number | null,
  higherIsBetter: boolean,
): Effect {
  const ci = atCi ?? atAlpha;
  const chance = atAlpha.chanceToWin;
  const risk = atAlpha.risk;
  return {
    estimate: atAlpha.estimate,
    se: atAlpha.se,
    ci: [finiteOrNull(ci.ci[0]), finiteOrNull(ci.ci[1])],
    ciLevel: 1 - ci.ciAlpha,
    pValue: atAlpha.pValue,
    adjustedPValue: atAlpha.pValue === null ? null : (adjustedPValue ?? atAlpha.pValue),
    chanceToWin: chance === null ? null : higherIsBetter ? chance : 1 - chance,
    risk: risk === null ? null : higherIsBetter ? risk : { control: risk.treatment, treatment: risk.control },
  };
}

/**
 * better / worse when the decision difference (relative, or absolute when the relative lift is undefined) is
 * significant after correction (frequentist, sequential) or its chance to win is beyond 1 − α (Bayesian; the
 * chance is already oriented by the metric's direction). A sample-ratio mismatch blocks every verdict.
 */
function comparisonVerdict(
  effect: Effect | null,
  higherIsBetter: boolean,
  engine: Engine,
  alpha: number,
  blocked: boolean,
): ComparisonVerdict {
  if (blocked) return 'blocked_by_srm';
  if (!effect) return 'inconclusive';
  if (engine === 'bayesian') {
    const chance = effect.chanceToWin ?? 0.5;
    return chance >= 1 - alpha ? 'better' : chance <= alpha ? 'worse' : 'inconclusive';
  }
  if (effect.adjustedPValue === null || !(effect.adjustedPValue < alpha)) return 'inconclusive';
  return effect.estimate > 0 === higherIsBetter ? 'better' : 'worse';
}

function metricResult(
  metric: MetricSpec,
  slice: ArmStats[],
  atAlpha: SliceAnalysis,
  atCiAlpha: Record<Difference, SliceAnalysis>,
  o: ResultOptions,
): MetricResult {
  const variants: VariantResult[] = slice.map(({ arm, sums }) => {
    const base = {
      variantId: arm.variantId,
      key: arm.key,
      name: arm.name,
      isControl: arm.isControl,
      n: sums.n,
      mean: armMean(metric.kind, sums),
    };
    if (arm.isControl) return { ...base, absolute: null, relative: null, verdict: null };
    const a = atAlpha.comparisons.get(arm.arm);
    const effect = (d: Difference): Effect | null => {
      const x = a?.[d];
      if (!x) return null;
      const c = atCiAlpha[d].comparisons.get(arm.arm)?.[d] ?? null;
      return toEffect(x, c, o.adjusted?.get(x) ?? null, metric.higherIsBetter);
    };
    const relative = effect('relative');
    const absolute = effect('absolute');
    return {
      ...base,
      absolute,
      relative,
      verdict: comparisonVerdict(relative ?? absolute, metric.higherIsBetter, o.engine, o.alpha, o.blocked),
    };
  });
  return {
    metricId: metric.id,
    key: metric.key,
    name: metric.name,
    kind: metric.kind,
    role: metric.role,
    revenueStream: metric.revenueStream,
    higherIsBetter: metric.higherIsBetter,
    windowDays: metric.windowDays,
    cuped: o.cuped,
    cap: o.cap,
    corrected: o.corrected,
    variants,
    note: atAlpha.note,
  };
}

function decideVerdict(
  kind: 'experiment' | 'global_holdout',
  metrics: MetricResult[],
  arms: ArmSpec[],
  srmMessage: string | null,
): Verdict {
  if (srmMessage) return { status: 'blocked_by_srm', variantKey: null, reason: srmMessage };
  const treated = arms.filter((a) => !a.isControl);
  if (kind === 'global_holdout') {
    const verdicts = metrics.flatMap((m) => m.variants.filter((v) => !v.isControl).map((v) => v.verdict));
    if (verdicts.includes('worse')) {
      return {
        status: 'no_winner',
        variantKey: null,
        reason: 'At least one metric is worse than in the global holdout.',
      };
    }
    if (verdicts.includes('better')) {
      return {
        status: 'winner',
        variantKey: treated[0]?.key ?? null,
        reason:
          'Customers reached by retention work beat the global holdout on at least one metric and lose on none.',
      };
    }
    return {
      status: 'no_winner',
      variantKey: null,
      reason: 'No metric differs significantly from the global holdout yet.',
    };
  }
  const primary = metrics.find((m) => m.role === 'primary');
  if (!primary) {
    return {
      status: 'no_primary_metric',
      variantKey: null,
      reason: 'The experiment has no primary metric to decide on.',
    };
  }
  const winners = primary.variants
    .filter((v) => v.verdict === 'better')
    .sort((a, b) => Math.abs(decisionEstimate(b)) - Math.abs(decisionEstimate(a)));
  const best = winners[0];
  if (!best) {
    return {
      status: 'no_winner',
      variantKey: null,
      reason: `No variant is significantly better than the control on ${primary.name} yet.`,
    };
  }
  const breached = metrics
    .filter((m) => m.role === 'guardrail')
    .filter((m) => m.variants.some((v) => v.key === best.key && v.verdict === 'worse'));
  if (breached.length > 0) {
    return {
      status: 'guardrail_breached',
      variantKey: best.key,
      reason: `${best.name} is better on ${primary.name} but worse on ${breached.map((m) => m.name).join(', ')}.`,
    };
  }
  return {
    status: 'winner',
    variantKey: best.key,
    reason: `${best.name} is better than the control on ${primary.name}.`,
  };
}

function decisionEstimate(v: VariantResult): number {
  return (v.relative ?? v.absolute)?.estimate ?? 0;
}

// ------------------------------------------------------------------------------------------------ breakdowns

function multipleTestingCaveat(
  dimension: string,
  comparisons: number,
  alpha: number,
  correction: ResultCorrection,
): string {
  const expected = (comparisons * alpha).toFixed(1);
  return (
    `${comparisons} comparisons across the values of ${dimension}: at α = ${alpha} about ${expected} of them would ` +
    `look significant by chance alone if the campaign did nothing. adjustedPValue is corrected ` +
    `(${correction === 'holm' ? 'Holm' : 'Benjamini–Hochberg'}) across this breakdown; intervals are not. ` +
    `Treat a segment that stands out as a hypothesis to test, not as a finding.`
  );
}

function dimensionBreakdowns(
  input: SnapshotInput,
  arms: ArmSpec[],
  overall: { metric: MetricSpec; cuped: boolean }[],
  blocked: boolean,
  isGoal: (m: MetricSpec) => boolean,
): DimensionBreakdown[] {
  const { settings, engine } = input;
  const alpha = settings.alpha;
  return settings.dimensions.flatMap((dimension) => {
    const values = new Set<string>();
    for (const rows of input.stats) {
      for (const r of rows) if (r.grouping === 'dimension' && r.dimension === dimension) values.add(r.value);
    }
    if (values.size === 0) return [];
    const ordered = [...values];
    // Per value and metric: slice analysis at α; then one correction across the whole breakdown.
    const analyses = ordered.map((value) =>
      overall.map(({ metric, cuped }, i) => {
        const rows = (input.stats[i] ?? []).filter(
          (r) => r.grouping === 'dimension' && r.dimension === dimension && r.value === value,
        );
        const slice = armStats(arms, rows, metric.kind === 'ratio');
        const sliceCuped = cuped && cupedUsable(metric, slice);
        return {
          metric,
          slice,
          cuped: sliceCuped,
          cap: capOf(rows),
          analysis: analyzeSlice(metric, slice, sliceCuped, engine, alpha),
        };
      }),
    );
    const family = correctFamily(
      analyses.flatMap((a) => a.filter((x) => isGoal(x.metric)).map((x) => x.analysis)),
      settings.correction,
      engine,
      alpha,
    );
    const comparisons = analyses.reduce(
      (s, a) =>
        s +
        a
          .filter((x) => isGoal(x.metric))
          .reduce((t, x) => t + [...x.analysis.comparisons.values()].length, 0),
      0,
    );
    const valueResults = ordered.map((value, vi) => {
      const perMetric = analyses[vi] ?? [];
      const metrics = perMetric.map((x) =>
        metricResult(
          x.metric,
          x.slice,
          x.analysis,
          { relative: x.analysis, absolute: x.analysis },
          {
            cuped: x.cuped,
            cap: x.cap,
            corrected: isGoal(x.metric),
            adjusted: isGoal(x.metric) ? family.adjusted : null,
            blocked,
            engine,
            alpha,
          },
        ),
      );
      const n = Math.max(0, ...perMetric.map((x) => x.slice.reduce((s, a) => s + a.sums.n, 0)));
      return { value, n, metrics };
    });
    valueResults.sort((a, b) => b.n - a.n || a.value.localeCompare(b.value));
    return [
      {
        dimension,
        comparisons,
        caveat: multipleTestingCaveat(dimension, comparisons, alpha, settings.correction),
        values: valueResults,
      },
    ];
  });
}

// ------------------------------------------------------------------------------------------------ over time

/**
 * Cumulative lift by day of entry: the point for day t analyses every customer who entered up to t (each with
 * their own window). A lift that shrinks as later customers come in is the signature of a novelty effect.
 * Intervals at level 1 − α, uncorrected.
 */
function cumulativeSeries(
  input: SnapshotInput,
  arms: ArmSpec[],
  overall: { metric: MetricSpec; cuped: boolean }[],
): CumulativeSeries[] {
  const control = arms[0] as ArmSpec;
  const out: CumulativeSeries[] = [];
  overall.forEach(({ metric, cuped }, i) => {
    const rows = (input.stats[i] ?? []).filter((r) => r.grouping === 'day');
    const days = [...new Set(rows.map((r) => r.value as string))].sort();
    if (days.length === 0) return;
    const ratio = metric.kind === 'ratio';
    const running = new Map(arms.map((a) => [a.arm, emptySums(ratio)]));
    const series = new Map(arms.slice(1).map((a) => [a.arm, [] as CumulativeSeries['points']]));
    for (const day of days) {
      for (const r of rows) {
        if (r.value !== day) continue;
        const current = running.get(r.arm);
        if (current) running.set(r.arm, addSums(current, toSums(r)));
      }
      const slice = arms.map((arm) => ({ arm, sums: running.get(arm.arm) as Sums }));
      const analysis = analyzeSlice(
        metric,
        slice,
        cuped && cupedUsable(metric, slice),
        input.engine,
        input.settings.alpha,
      );
      for (const arm of arms.slice(1)) {
        const c = analysis.comparisons.get(arm.arm);
        const point = (d: Difference) => {
          const x = c?.[d];
          return x
            ? {
                estimate: x.estimate,
                ci: [finiteOrNull(x.ci[0]), finiteOrNull(x.ci[1])] as [number | null, number | null],
              }
            : null;
        };
        series.get(arm.arm)?.push({
          date: day,
          controlN: (running.get(control.arm) as Sums).n,
          variantN: (running.get(arm.arm) as Sums).n,
          relative: point('relative'),
          absolute: point('absolute'),
        });
      }
    }
    for (const arm of arms.slice(1)) {
      out.push({ metricKey: metric.key, variantKey: arm.key, points: series.get(arm.arm) ?? [] });
    }
  });
  return out;
}

/**
 * Absolute lift per customer in each month since exposure, for revenue metrics: what campaign ROI discounts
 * month by month. No CUPED (there is no pre-period per month); intervals at 1 − α, uncorrected.
 */
function revenueByMonth(input: SnapshotInput, arms: ArmSpec[]): RevenueByMonth[] {
  const out: RevenueByMonth[] = [];
  input.metrics.forEach((metric, i) => {
    const rows = input.months.get(i);
    if (!rows || !metric.revenueStream) return;
    const months = [...new Set(rows.map((r) => r.month))].sort((a, b) => a - b);
    out.push({
      metricKey: metric.key,
      revenueStream: metric.revenueStream,
      months: months.map((month) => {
        const slice = arms.map((arm) => {
          const r = rows.find((x) => x.month === month && x.arm === arm.arm);
          const sums: Sums = {
            ...emptySums(false),
            ...(r ? { n: r.n, sum: r.sum, sumSquares: r.sumSquares } : {}),
          };
          return { arm, sums };
        });
        const analysis = analyzeSlice(
          { ...metric, kind: 'mean' },
          slice,
          false,
          input.engine,
          input.settings.alpha,
        );
        return {
          month,
          variants: slice.map(({ arm, sums }) => {
            const x = analysis.comparisons.get(arm.arm)?.absolute ?? null;
            return {
              key: arm.key,
              isControl: arm.isControl,
              n: sums.n,
              mean: sums.n > 0 ? sums.sum / sums.n : null,
              absolute: arm.isControl || !x ? null : toEffect(x, null, null, metric.higherIsBetter),
            };
          }),
        };
      }),
    });
  });
  return out;
}
