"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.CUSTOMER_FIELDS = void 0;
exports.prepareCustomers = prepareCustomers;
const contracts_1 = require("@liftlab/contracts");
const row_validation_1 = require("../events/row-validation");
/** Fields of a customer a bulk entry may set; absent means "keep", null means "clear". */
exports.CUSTOMER_FIELDS = [
    'segment',
    'acquisitionDate',
    'acquisitionChannel',
    'plan',
    'country',
    'timezone',
];
/**
 * Validates each entry on its own and folds entries that repeat an externalId into one patch, as if they
 * had been applied one after the other (later fields win; traits merge key by key).
 */
function prepareCustomers(entries) {
    const { valid, rejected } = (0, row_validation_1.validateRows)(entries, contracts_1.CustomerInputSchema);
    const byExternalId = new Map();
    for (const { value } of valid) {
        const previous = byExternalId.get(value.externalId);
        if (!previous) {
            byExternalId.set(value.externalId, stripUndefined(value));
            continue;
        }
        const merged = { ...previous, ...stripUndefined(value) };
        if (previous.traits && value.traits)
            merged.traits = { ...previous.traits, ...value.traits };
        byExternalId.set(value.externalId, merged);
    }
    return { patches: [...byExternalId.values()], rejected };
}
function stripUndefined(input) {
    return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
}
//# sourceMappingURL=customer-rows.js.map