"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MAX_FUTURE_SKEW_MS = void 0;
exports.experimentKeysOf = experimentKeysOf;
exports.prepareEvents = prepareEvents;
const contracts_1 = require("@liftlab/contracts");
const row_validation_1 = require("./row-validation");
/** How far in the future an event may claim to have happened (client clocks drift). */
exports.MAX_FUTURE_SKEW_MS = 24 * 3_600_000;
/** Distinct experiment keys the valid events refer to (to look them up in one query). */
function experimentKeysOf(events) {
    const keys = new Set();
    for (const e of events) {
        const key = e?.experimentKey;
        if (typeof key === 'string')
            keys.add(key);
    }
    return [...keys];
}
/**
 * Checks every event on its own (shape, experiment and variant known, not in the future) and drops repeats of
 * a clientEventId within the request (the first valid one wins). Pure: experiments and `now` come in.
 */
function prepareEvents(events, experiments, now) {
    const { valid, rejected } = (0, row_validation_1.validateRows)(events, contracts_1.EventInputSchema);
    const rows = [];
    const seen = new Set();
    let repeatedInBatch = 0;
    const latest = now.getTime() + exports.MAX_FUTURE_SKEW_MS;
    for (const { index, value: e } of valid) {
        const errors = [];
        let experimentId = null;
        let variantId = null;
        if (e.experimentKey !== undefined) {
            const experiment = experiments.get(e.experimentKey);
            if (!experiment)
                errors.push({ index, field: 'experimentKey', rule: 'unknown_experiment' });
            else {
                experimentId = experiment.id;
                variantId = (e.variantKey !== undefined && experiment.variants.get(e.variantKey)) || null;
                if (variantId === null)
                    errors.push({ index, field: 'variantKey', rule: 'unknown_variant' });
            }
        }
        const occurredAt = e.occurredAt === undefined ? now : new Date(e.occurredAt);
        if (occurredAt.getTime() > latest)
            errors.push({ index, field: 'occurredAt', rule: 'not_in_future' });
        if (errors.length > 0) {
            rejected.push(...errors);
            continue;
        }
        if (seen.has(e.clientEventId)) {
            repeatedInBatch++;
            continue;
        }
        seen.add(e.clientEventId);
        rows.push({
            clientEventId: e.clientEventId,
            type: e.type,
            name: e.name ?? defaultName(e.type),
            externalId: e.customerId,
            experimentId,
            variantId,
            occurredAt: occurredAt.toISOString(),
            value: e.value ?? null,
            amount: e.amount ?? null,
            currency: e.currency ?? null,
            revenueStream: e.type === 'order' ? (e.revenueStream ?? null) : null,
            properties: (e.properties ?? {}),
        });
    }
    return { rows, repeatedInBatch, rejected: (0, row_validation_1.byIndex)(rejected) };
}
function defaultName(type) {
    // The schema requires a name for conversions and activity; exposures and orders have defaults.
    return type === 'exposure' ? contracts_1.DEFAULT_EVENT_NAMES.exposure : contracts_1.DEFAULT_EVENT_NAMES.order;
}
//# sourceMappingURL=event-rows.js.map