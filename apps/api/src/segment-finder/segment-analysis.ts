import type { SegmentFinder } from '@liftlab/contracts';
import { qiniCurve, segmentUplift, upliftAtK, type UpliftBucket } from '@liftlab/stats';

/**
 * Which segments respond to a campaign. Pure: the database's sufficient statistics per segment × arm in,
 * lifts with intervals (segmentUplift of @liftlab/stats: Welch per segment, optional Holm/BH), Cochran's Q and
 * the Qini curve out.
 *
 * The Qini curve treats each segment as one bucket, ranked by its observed uplift (treated rate − holdout rate),
 * best first: "target the best segments first" read off the same data. Ranking and evaluating on the same
 * customers flatters the curve (in-sample), so it shows how concentrated the effect is, not how a model would do
 * on the next campaign.
 */

export interface ArmSums {
  n: number;
  sum: number;
  sumSquares: number;
}

export interface SegmentSums {
  segment: string;
  control: ArmSums;
  treatment: ArmSums;
}

/** Segments analysed at most; the smallest are pooled as '(other)' (as in experiment results). */
export const MAX_SEGMENTS = 50;
/** An arm needs two customers for a variance. */
const MIN_ARM = 2;

export interface SegmentAnalysisOptions {
  kind: 'proportion' | 'mean';
  difference: 'relative' | 'absolute';
  alpha: number;
  correction: 'none' | 'holm' | 'bh';
  k: number;
}

type Result = Pick<SegmentFinder, 'segments' | 'skipped' | 'heterogeneity' | 'qini' | 'qiniUnavailable'>;

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

function add(a: ArmSums, b: ArmSums): ArmSums {
  return { n: a.n + b.n, sum: a.sum + b.sum, sumSquares: a.sumSquares + b.sumSquares };
}

/** Keeps the MAX_SEGMENTS − 1 largest segments and pools the others (sufficient statistics add up). */
export function limitSegments(segments: readonly SegmentSums[], max = MAX_SEGMENTS): SegmentSums[] {
  const ranked = [...segments].sort(
    (a, b) =>
      b.control.n + b.treatment.n - (a.control.n + a.treatment.n) ||
      (a.segment < b.segment ? -1 : a.segment > b.segment ? 1 : 0),
  );
  if (ranked.length <= max) return ranked;
  const kept = ranked.slice(0, max - 1);
  const other = ranked.slice(max - 1).reduce(
    (acc, s) => ({
      segment: '(other)',
      control: add(acc.control, s.control),
      treatment: add(acc.treatment, s.treatment),
    }),
    {
      segment: '(other)',
      control: { n: 0, sum: 0, sumSquares: 0 },
      treatment: { n: 0, sum: 0, sumSquares: 0 },
    },
  );
  return [...kept, other];
}

export function analyseSegments(input: readonly SegmentSums[], options: SegmentAnalysisOptions): Result {
  const all = limitSegments(input);
  const usable = all.filter((s) => s.control.n >= MIN_ARM && s.treatment.n >= MIN_ARM);
  const skipped = all
    .filter((s) => !(s.control.n >= MIN_ARM && s.treatment.n >= MIN_ARM))
    .map((s) => ({ segment: s.segment, controlN: s.control.n, treatmentN: s.treatment.n }));
  if (usable.length === 0) {
    return { segments: [], skipped, heterogeneity: null, qini: null, qiniUnavailable: 'no_usable_segment' };
  }
  const uplift = segmentUplift(usable, {
    metric: { type: options.kind },
    difference: options.difference,
    alpha: options.alpha,
    correction: options.correction,
  });
  const segments = uplift.segments.map((s) => ({
    segment: s.segment,
    controlN: s.controlN,
    treatmentN: s.treatmentN,
    controlMean: s.controlMean,
    treatmentMean: s.treatmentMean,
    estimate: s.estimate,
    se: s.se,
    ci: [finite(s.ci[0]), finite(s.ci[1])] as [number | null, number | null],
    pValue: s.pValue,
    adjustedPValue: s.adjustedPValue,
  }));
  const heterogeneity = uplift.heterogeneity
    ? {
        q: uplift.heterogeneity.q,
        dof: uplift.heterogeneity.dof,
        pValue: uplift.heterogeneity.pValue,
        iSquared: uplift.heterogeneity.iSquared,
        tauSquared: uplift.heterogeneity.tauSquared,
        pooledEstimate: uplift.heterogeneity.pooledEstimate,
        pooledSe: uplift.heterogeneity.pooledSe,
        excluded: uplift.heterogeneity.excluded,
      }
    : null;
  if (options.kind !== 'proportion') {
    return { segments, skipped, heterogeneity, qini: null, qiniUnavailable: 'proportion_metrics_only' };
  }
  const ranked = usable
    .map((s) => ({ s, score: s.treatment.sum / s.treatment.n - s.control.sum / s.control.n }))
    .sort((a, b) => b.score - a.score || (a.s.segment < b.s.segment ? -1 : 1));
  const buckets: UpliftBucket[] = ranked.map(({ s, score }) => ({
    treatedN: s.treatment.n,
    treatedConversions: Math.round(s.treatment.sum),
    controlN: s.control.n,
    controlConversions: Math.round(s.control.sum),
    score,
  }));
  const curve = qiniCurve(buckets);
  const atK = upliftAtK(buckets, options.k);
  return {
    segments,
    skipped,
    heterogeneity,
    qini: {
      points: curve.points.map((p) => ({
        segment: p.buckets === 0 ? null : (ranked[p.buckets - 1]?.s.segment ?? null),
        targetedFraction: p.targetedFraction,
        incrementalConversions: p.incrementalConversions,
      })),
      area: curve.area,
      randomArea: curve.randomArea,
      qiniCoefficient: curve.qiniCoefficient,
      upliftAtK: {
        k: atK.k,
        uplift: atK.uplift,
        treatedRate: atK.treatedRate,
        controlRate: atK.controlRate,
      },
    },
    qiniUnavailable: null,
  };
}
