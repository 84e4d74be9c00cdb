import {
  DEFAULT_SEQUENTIAL_TUNING,
  minimumDetectableEffect,
  sampleSize,
  StatsInputError,
  type PowerDesign,
  type PowerMetric,
} from '@liftlab/stats';
import type { VariantInput } from '../api/types';
import { formatDuration, formatInt, formatPercent } from '../lib/format';
import { parseNumber } from './form';

/**
 * The power calculator of the experiment form. The maths is @liftlab/stats (the same code the analysis uses);
 * this module turns typed text into its inputs, runs the plan for the chosen split and for an even split, and
 * words the comparison, because the cost of a small holdout is the thing people underestimate.
 */

export interface PowerForm {
  metricType: 'proportion' | 'mean';
  /** Baseline conversion rate of the holdout, in percent. */
  baselineRatePercent: string;
  baselineMean: string;
  standardDeviation: string;
  /** Smallest relative lift worth detecting (the MDE), in percent. */
  liftPercent: string;
  alpha: string;
  power: string;
  alternative: 'two-sided' | 'greater';
  /** Plan for the always-valid analysis (results may be read at any time). */
  sequential: boolean;
  /** Eligible customers per day (matching the targeting), before coverage. */
  dailyTraffic: string;
  /** Optional fixed run length: what lift can be detected in that time? */
  plannedDays: string;
}

export function defaultPowerForm(sequential = false): PowerForm {
  return {
    metricType: 'proportion',
    baselineRatePercent: '5',
    baselineMean: '20',
    standardDeviation: '40',
    liftPercent: '10',
    alpha: '0.05',
    power: '0.8',
    alternative: 'two-sided',
    sequential,
    dailyTraffic: '2000',
    plannedDays: '',
  };
}

export interface SplitPlan {
  /** Normalised weights, the control (holdout) first. */
  weights: number[];
  totalUnits: number;
  unitsPerArm: number[];
  durationDays: number | null;
}

export interface PowerPlan {
  chosen: SplitPlan;
  /** The same arms with equal weights: the most traffic-efficient split. */
  even: SplitPlan;
  isEven: boolean;
  /** chosen.totalUnits / even.totalUnits. */
  trafficRatio: number;
  /** Customers entering the experiment per day (eligible × coverage × namespace share). */
  enrolledPerDay: number | null;
  /** Smallest relative lift detectable in `plannedDays`, when those were given. */
  detectableInPlannedDays: { days: number; totalUnits: number; relativeLift: number | null } | null;
  summary: string;
}

export type PowerErrors = Record<string, string>;
export type PowerOutcome = { ok: true; plan: PowerPlan } | { ok: false; errors: PowerErrors };

/** Maps @liftlab/stats input names to the calculator field that holds them. */
const FIELD_OF_STATS_INPUT: Record<string, keyof PowerForm | 'split'> = {
  'metric.baselineRate': 'baselineRatePercent',
  'metric.baselineMean': 'baselineMean',
  'metric.standardDeviation': 'standardDeviation',
  lift: 'liftPercent',
  alpha: 'alpha',
  power: 'power',
  dailyTraffic: 'dailyTraffic',
  totalUnits: 'plannedDays',
  armWeights: 'split',
  treatmentShare: 'split',
};

export function fieldOfStatsInput(field: string): string {
  if (field.startsWith('armWeights')) return 'split';
  return FIELD_OF_STATS_INPUT[field] ?? 'split';
}

/** Control first, in the order the variants are listed, as the stats package expects. */
export function armWeightsOf(variants: readonly VariantInput[]): number[] {
  const control = variants.findIndex((v) => v.isControl === true);
  const first = control === -1 ? 0 : control;
  const ordered = [variants[first], ...variants.filter((_, i) => i !== first)];
  return ordered.filter((v): v is VariantInput => v !== undefined).map((v) => v.weight);
}

function readInputs(form: PowerForm, errors: PowerErrors) {
  const num = (field: keyof PowerForm, check: (n: number) => boolean, rule: string): number => {
    const n = parseNumber(String(form[field]));
    if (!Number.isFinite(n)) errors[field] = 'required';
    else if (!check(n)) errors[field] = rule;
    return n;
  };
  let metric: PowerMetric;
  if (form.metricType === 'proportion') {
    const rate = num('baselineRatePercent', (n) => n > 0 && n < 100, 'between_0_and_100_exclusive');
    metric = { type: 'proportion', baselineRate: rate / 100 };
  } else {
    const mean = num('baselineMean', (n) => n !== 0, 'non_zero');
    const sd = num('standardDeviation', (n) => n > 0, 'positive');
    metric = { type: 'mean', baselineMean: mean, standardDeviation: sd };
  }
  const lift = num('liftPercent', (n) => n > 0, 'positive') / 100;
  const alpha = num('alpha', (n) => n > 0 && n < 0.5, 'between_0_and_0.5');
  const power = num('power', (n) => n > alpha && n < 1, 'between_alpha_and_1');
  const daily = form.dailyTraffic.trim() === '' ? null : num('dailyTraffic', (n) => n > 0, 'positive');
  const plannedDays =
    form.plannedDays.trim() === ''
      ? null
      : num('plannedDays', (n) => n >= 1 && Number.isInteger(n), 'whole_days');
  return { metric, lift, alpha, power, daily, plannedDays };
}

/**
 * Runs the plan for the chosen split and for the even split of the same number of arms.
 *
 * @param armWeights traffic weights, control first (see {@link armWeightsOf})
 * @param enrollmentShare share of eligible customers who enter: coverage × namespace range width
 */
export function planPower(
  form: PowerForm,
  armWeights: readonly number[],
  enrollmentShare: number,
): PowerOutcome {
  const errors: PowerErrors = {};
  const inputs = readInputs(form, errors);
  if (armWeights.length < 2 || armWeights.some((w) => !(w > 0) || !Number.isFinite(w))) {
    errors.split = 'split_incomplete';
  }
  if (!(enrollmentShare > 0 && enrollmentShare <= 1)) errors.split = 'coverage_missing';
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  const enrolledPerDay = inputs.daily === null ? null : inputs.daily * enrollmentShare;
  const design = (weights: readonly number[]): PowerDesign => ({
    metric: inputs.metric,
    armWeights: weights,
    alpha: inputs.alpha,
    alternative: form.alternative,
    ...(form.sequential ? { sequential: { tuning: DEFAULT_SEQUENTIAL_TUNING } } : {}),
    ...(enrolledPerDay !== null ? { dailyTraffic: enrolledPerDay } : {}),
  });
  const plan = (weights: readonly number[]): SplitPlan => {
    const total = weights.reduce((a, b) => a + b, 0);
    const result = sampleSize({
      ...design(weights),
      lift: inputs.lift,
      difference: 'relative',
      power: inputs.power,
    });
    return {
      weights: weights.map((w) => w / total),
      totalUnits: result.totalUnits,
      unitsPerArm: result.unitsPerArm,
      durationDays: result.durationDays,
    };
  };

  try {
    const evenWeights = armWeights.map(() => 1 / armWeights.length);
    const chosen = plan(armWeights);
    const even = plan(evenWeights);
    const isEven = Math.max(...chosen.weights) - Math.min(...chosen.weights) < 1e-9;
    let detectableInPlannedDays: PowerPlan['detectableInPlannedDays'] = null;
    if (inputs.plannedDays !== null && enrolledPerDay !== null) {
      const totalUnits = Math.floor(inputs.plannedDays * enrolledPerDay);
      if (totalUnits >= 2) {
        try {
          const mde = minimumDetectableEffect({ ...design(armWeights), totalUnits, power: inputs.power });
          detectableInPlannedDays = { days: inputs.plannedDays, totalUnits, relativeLift: mde.lift.relative };
        } catch (error) {
          if (!(error instanceof StatsInputError)) throw error;
          detectableInPlannedDays = { days: inputs.plannedDays, totalUnits, relativeLift: null };
        }
      }
    }
    const partial = {
      chosen,
      even,
      isEven,
      trafficRatio: chosen.totalUnits / even.totalUnits,
      enrolledPerDay,
    };
    return {
      ok: true,
      plan: { ...partial, detectableInPlannedDays, summary: comparisonSentence(partial) },
    };
  } catch (error) {
    if (error instanceof StatsInputError) {
      return { ok: false, errors: { [fieldOfStatsInput(error.field)]: error.rule } };
    }
    throw error;
  }
}

function describeSplit(weights: readonly number[]): string {
  if (weights.length === 2) {
    const [control = 0] = weights;
    return `a ${formatPercent(control, control * 100 < 10 ? 1 : 0)} holdout`;
  }
  return `this ${weights.map((w) => formatPercent(w, 0)).join(' / ')} split`;
}

function evenLabel(arms: number): string {
  return arms === 2 ? 'a 50/50' : `an even ${arms}-way`;
}

function withDuration(units: number, days: number | null): string {
  return days === null
    ? `${formatInt(units)} customers`
    : `${formatInt(units)} customers over ${formatDuration(days)}`;
}

/** One sentence comparing the chosen split with the even one. */
export function comparisonSentence(
  plan: Pick<PowerPlan, 'chosen' | 'even' | 'isEven' | 'trafficRatio'>,
): string {
  const { chosen, even } = plan;
  if (plan.isEven) {
    return `An even split is the most traffic-efficient design: ${withDuration(chosen.totalUnits, chosen.durationDays)} in total.`;
  }
  const ratio = plan.trafficRatio;
  const times = ratio >= 10 ? Math.round(ratio).toString() : ratio.toFixed(1);
  return (
    `With ${describeSplit(chosen.weights)} you need ${withDuration(chosen.totalUnits, chosen.durationDays)}; ` +
    `${evenLabel(chosen.weights.length)} split would need ${withDuration(even.totalUnits, even.durationDays)}, ` +
    `so this split costs ${times}× the traffic.`
  );
}
