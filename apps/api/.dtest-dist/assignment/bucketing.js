"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.toSdkExperiment = toSdkExperiment;
exports.customerAttributes = customerAttributes;
exports.decideGlobalHoldout = decideGlobalHoldout;
exports.decide = decide;
const sdk_1 = require("@liftlab/sdk");
/** The payload form of an experiment: variants in position order (their bucket ranges follow that order). */
function toSdkExperiment(design) {
    const variants = [...design.variants].sort((a, b) => a.position - b.position);
    return {
        key: design.key,
        kind: design.kind,
        seed: design.seed,
        hashVersion: design.hashVersion,
        coverage: design.coverage,
        variants: variants.map((v) => ({ key: v.key, weight: v.weight, isControl: v.isControl })),
        namespace: design.namespace ? [design.namespace.key, design.namespace.start, design.namespace.end] : null,
        targeting: Array.isArray(design.targeting) ? design.targeting : [],
    };
}
/**
 * What targeting rules see: the customer's columns by name, the acquisition date as YYYY-MM-DD (so `lt`/`gte`
 * compare dates), and free-form traits under `traits.<name>`. Missing columns are absent, not null, so
 * `exists` means "has a value".
 */
function customerAttributes(c) {
    const attributes = { externalId: c.externalId };
    if (c.segment !== null)
        attributes['segment'] = c.segment;
    if (c.plan !== null)
        attributes['plan'] = c.plan;
    if (c.country !== null)
        attributes['country'] = c.country;
    if (c.timezone !== null)
        attributes['timezone'] = c.timezone;
    if (c.acquisitionChannel !== null)
        attributes['acquisitionChannel'] = c.acquisitionChannel;
    if (c.acquisitionDate !== null)
        attributes['acquisitionDate'] = c.acquisitionDate.toISOString().slice(0, 10);
    attributes['traits'] =
        c.traits !== null && typeof c.traits === 'object' && !Array.isArray(c.traits) ? c.traits : {};
    return attributes;
}
/** Hash-based global-holdout decision for a customer seen for the first time. */
function decideGlobalHoldout(externalId, holdout) {
    if (!holdout || holdout.percent <= 0)
        return false;
    return (0, sdk_1.globalHoldoutGroup)(externalId, holdout) === 'holdout';
}
/**
 * One customer in one running experiment. `inGlobalHoldout` is the stored (or just made) decision and is
 * checked before any variant; `storedVariantKey` is the customer's first assignment, returned unchanged
 * whatever the current coverage, weights or targeting, so ramps never move anyone.
 */
function decide(experiment, customer, state) {
    if (state.inGlobalHoldout)
        return { kind: 'global_holdout' };
    if (state.storedVariantKey !== undefined)
        return { kind: 'sticky', variantKey: state.storedVariantKey };
    const result = (0, sdk_1.evaluateExperiment)(experiment, { id: customer.externalId, attributes: customer.attributes });
    if (result.inExperiment && result.variant !== null)
        return { kind: 'assigned', variantKey: result.variant };
    switch (result.reason) {
        case 'not_targeted':
        case 'namespace':
            return { kind: 'out', reason: result.reason };
        default:
            // Coverage gaps, and the defensive cases (empty id, unknown hash version), all mean "not enrolled".
            return { kind: 'out', reason: 'not_covered' };
    }
}
//# sourceMappingURL=bucketing.js.map