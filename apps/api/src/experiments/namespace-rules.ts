import type { ExperimentStatus } from './status';

/** A slice [start, end) of a namespace held by an experiment. */
export interface NamespaceSlice {
  experimentId: string;
  experimentKey: string;
  status: ExperimentStatus;
  start: number;
  end: number;
}

/**
 * Half-open ranges [a0, a1) and [b0, b1) share a point iff a0 < b1 and b0 < a1; touching ends ([0, 0.5) and
 * [0.5, 1)) do not overlap, which is what lets two experiments split a namespace exactly.
 */
export function rangesOverlap(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start < b.end && b.start < a.end;
}

/**
 * Slices that still hold their customers: every experiment until it is concluded. A stopped experiment keeps
 * its slice because its customers are still being measured.
 */
export function holdsSlice(status: ExperimentStatus): boolean {
  return status !== 'concluded';
}

/** The first slice, of another experiment, that the candidate range would share customers with. */
export function findOverlap(
  slices: readonly NamespaceSlice[],
  candidate: { start: number; end: number },
  experimentId?: string,
): NamespaceSlice | undefined {
  return slices.find(
    (s) => s.experimentId !== experimentId && holdsSlice(s.status) && rangesOverlap(s, candidate),
  );
}
