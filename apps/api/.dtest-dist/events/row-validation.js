"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.validateRows = validateRows;
exports.byIndex = byIndex;
const zod_pipe_1 = require("../common/zod.pipe");
/**
 * Validates each entry of a batch on its own, so one bad entry never sinks the others. Errors carry the
 * entry's index, the field inside the entry (`(entry)` when the entry itself is not an object) and the rule,
 * named exactly as in a 400 response.
 */
function validateRows(rows, schema) {
    const valid = [];
    const rejected = [];
    rows.forEach((row, index) => {
        const result = schema.safeParse(row);
        if (result.success) {
            valid.push({ index, value: result.data });
            return;
        }
        for (const e of (0, zod_pipe_1.zodFieldErrors)(result.error, row)) {
            rejected.push({ index, field: e.path === '(body)' ? '(entry)' : e.path, rule: e.rule });
        }
    });
    return { valid, rejected };
}
/** Sorts errors by entry, keeping the order of errors within an entry. */
function byIndex(errors) {
    return errors
        .map((e, i) => ({ e, i }))
        .sort((a, b) => a.e.index - b.e.index || a.i - b.i)
        .map(({ e }) => e);
}
//# sourceMappingURL=row-validation.js.map