import { describe, expect, it } from 'vitest';
import { analyseSegments, limitSegments, type SegmentSums } from './segment-analysis';

const seg = (segment: string, cn: number, cs: number, tn: number, ts: number): SegmentSums => ({
  segment,
  control: { n: cn, sum: cs, sumSquares: cs },
  treatment: { n: tn, sum: ts, sumSquares: ts },
});
const options = {
  kind: 'proportion' as const,
  difference: 'absolute' as const,
  alpha: 0.05,
  correction: 'none' as const,
  k: 0.5,
};

describe('segment analysis', () => {
  it('pools the smallest segments beyond the limit', () => {
    const out = limitSegments([seg('a', 10, 1, 10, 2), seg('b', 5, 1, 5, 1), seg('c', 2, 0, 2, 1)], 2);
    expect(out).toEqual([seg('a', 10, 1, 10, 2), seg('(other)', 7, 1, 7, 2)]);
  });

  it('skips segments with fewer than two customers in an arm', () => {
    const out = analyseSegments(
      [seg('a', 50, 5, 50, 10), seg('b', 40, 4, 40, 12), seg('tiny', 1, 0, 9, 3)],
      options,
    );
    expect(out.skipped).toEqual([{ segment: 'tiny', controlN: 1, treatmentN: 9 }]);
    expect(out.segments.map((s) => s.segment)).toEqual(['a', 'b']);
    // b's uplift (0.2) beats a's (0.1): b is targeted first.
    expect(out.qini!.points.map((p) => p.segment)).toEqual([null, 'b', 'a']);
    expect(out.qini!.points[1]!.incrementalConversions).toBe(12 - 4);
  });

  it('gives no Qini curve for a mean metric', () => {
    const out = analyseSegments([seg('a', 50, 5, 50, 10), seg('b', 40, 4, 40, 12)], {
      ...options,
      kind: 'mean',
    });
    expect(out.qini).toBeNull();
    expect(out.qiniUnavailable).toBe('proportion_metrics_only');
    expect(out.heterogeneity).not.toBeNull();
  });
});
