import type { LiftEstimate, SequenceResults, TouchFunnel } from '@liftlab/contracts';
import { formatPercent, formatSignedPercent } from '../lib/format';

/**
 * What the sequence results page shows, derived from the results document: funnel rates per touch, the
 * reactivation comparison in words, and the scale of its interval chart.
 */

export const FUNNEL_STEPS = ['sent', 'delivered', 'opened', 'clicked', 'converted'] as const;
export type FunnelStep = (typeof FUNNEL_STEPS)[number];

export const FUNNEL_LABEL: Record<FunnelStep, string> = {
  sent: 'Sent',
  delivered: 'Delivered',
  opened: 'Opened',
  clicked: 'Clicked',
  converted: 'Converted',
};

export interface FunnelRow {
  touchId: string;
  label: string;
  counts: Record<FunnelStep, number>;
  /** Each step as a share of the messages sent (null when nothing was sent). */
  rates: Record<FunnelStep, number | null>;
  /** Messages written for the touch as a share of treated enrollments: how many reached it. */
  reach: number | null;
  /** One row per A/B content variant of a split touch, with the same steps and rates. */
  variants: {
    variant: string;
    counts: Record<FunnelStep, number>;
    rates: Record<FunnelStep, number | null>;
  }[];
}

type FunnelCounts = Pick<TouchFunnel, FunnelStep>;

function stepsOf(t: FunnelCounts): Pick<FunnelRow, 'counts' | 'rates'> {
  const counts = Object.fromEntries(FUNNEL_STEPS.map((s) => [s, t[s]])) as Record<FunnelStep, number>;
  const rates = Object.fromEntries(FUNNEL_STEPS.map((s) => [s, share(t[s], t.sent)])) as Record<
    FunnelStep,
    number | null
  >;
  return { counts, rates };
}

const CHANNEL_SHORT: Record<TouchFunnel['channel'], string> = {
  email: 'e-mail',
  in_app: 'in-app',
  webhook: 'webhook',
  call_task: 'call task',
};

export function touchLabel(t: Pick<TouchFunnel, 'position' | 'delayDays' | 'channel'>): string {
  return `${t.position + 1}. Day ${t.delayDays} ${CHANNEL_SHORT[t.channel]}`;
}

function share(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

export function funnelRows(funnel: TouchFunnel[]): FunnelRow[] {
  return [...funnel]
    .sort((a, b) => a.position - b.position)
    .map((t) => ({
      touchId: t.touchId,
      label: touchLabel(t),
      ...stepsOf(t),
      reach: share(t.messages, t.enrolledTreated),
      variants: [...t.variants]
        .sort((a, b) => a.variant.localeCompare(b.variant))
        .map((v) => ({ variant: v.variant, ...stepsOf(v) })),
    }));
}

export type Tone = 'good' | 'bad' | 'neutral';

/** Better when the whole interval is above zero, worse when it is below, otherwise not clear yet. */
export function liftTone(lift: Pick<LiftEstimate, 'ci'> | null): Tone {
  if (!lift) return 'neutral';
  if (lift.ci[0] > 0) return 'good';
  if (lift.ci[1] < 0) return 'bad';
  return 'neutral';
}

/** A symmetric scale around zero that holds the interval, with a little room, for the interval bar. */
export function intervalDomain(lift: Pick<LiftEstimate, 'estimate' | 'ci'>): [number, number] {
  const reach = Math.max(Math.abs(lift.ci[0]), Math.abs(lift.ci[1]), Math.abs(lift.estimate), 1e-6) * 1.15;
  return [-reach, reach];
}

/**
 * The reactivation comparison in one sentence. The absolute lift is in rate units (0.05 = 5 points), so it is
 * written in percentage points; the interval's confidence level comes from alpha.
 */
export function reactivationSentence(results: Pick<SequenceResults, 'reactivation' | 'alpha'>): string {
  const { treated, holdout, absoluteLift, notMeasurable } = results.reactivation;
  if (notMeasurable) return notMeasurable.message;
  if (!absoluteLift || treated.rate === null || holdout.rate === null)
    return 'Not measurable yet: no enrollment has finished its measurement window in both arms.';
  const level = `${formatPercent(1 - results.alpha, 0)} interval`;
  const points = (x: number) => `${formatSignedPercent(x, 1).replace('%', '')} points`;
  const range = `${points(absoluteLift.ci[0])} to ${points(absoluteLift.ci[1])}`;
  const rates = `${formatPercent(treated.rate)} of treated customers reactivated against ${formatPercent(holdout.rate)} of the holdout`;
  switch (liftTone(absoluteLift)) {
    case 'good':
      return `The sequence works: ${rates}, ${points(absoluteLift.estimate)} (${level} ${range}).`;
    case 'bad':
      return `The sequence does harm: ${rates}, ${points(absoluteLift.estimate)} (${level} ${range}).`;
    default:
      return `Not clear yet: ${rates}, ${points(absoluteLift.estimate)} (${level} ${range} includes no change).`;
  }
}
