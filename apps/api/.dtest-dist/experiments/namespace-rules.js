"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.rangesOverlap = rangesOverlap;
exports.holdsSlice = holdsSlice;
exports.findOverlap = findOverlap;
/**
 * Half-open ranges [a0, a1) and [b0, b1) share a point iff a0 < b1 and b0 < a1; touching ends ([0, 0.5) and
 * [0.5, 1)) do not overlap, which is what lets two experiments split a namespace exactly.
 */
function rangesOverlap(a, b) {
    return a.start < b.end && b.start < a.end;
}
/**
 * Slices that still hold their customers: every experiment until it is concluded. A stopped experiment keeps
 * its slice because its customers are still being measured.
 */
function holdsSlice(status) {
    return status !== 'concluded';
}
/** The first slice, of another experiment, that the candidate range would share customers with. */
function findOverlap(slices, candidate, experimentId) {
    return slices.find((s) => s.experimentId !== experimentId && holdsSlice(s.status) && rangesOverlap(s, candidate));
}
//# sourceMappingURL=namespace-rules.js.map