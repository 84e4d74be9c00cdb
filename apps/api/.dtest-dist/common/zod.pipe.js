"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ZodPipe = void 0;
exports.ZodBody = ZodBody;
exports.ZodQuery = ZodQuery;
exports.zodFieldErrors = zodFieldErrors;
exports.zodIssueRule = zodIssueRule;
const common_1 = require("@nestjs/common");
const domain_error_1 = require("./domain-error");
const openapi_1 = require("./openapi");
/**
 * Request validation with the zod schemas from @liftlab/contracts. Every failure becomes a 400 problem document
 * whose `errors` name the field (dotted path) and the rule it broke.
 *
 *   create(@ZodBody(CreateExperimentRequest) body: CreateExperimentRequest) {...}
 *   list(@ZodQuery(ListCustomersQuery) query: ListCustomersQuery) {...}
 *
 * Both decorators also document the body/query in the OpenAPI document. `new ZodPipe(schema)` is the plain pipe
 * if you need it elsewhere (e.g. `@Param('id', new ZodPipe(z.uuid()))`).
 */
class ZodPipe {
    schema;
    prefix;
    constructor(schema, prefix = []) {
        this.schema = schema;
        this.prefix = prefix;
    }
    transform(value) {
        const result = this.schema.safeParse(value);
        if (result.success)
            return result.data;
        throw domain_error_1.DomainError.validation(zodFieldErrors(result.error, value, this.prefix));
    }
}
exports.ZodPipe = ZodPipe;
function ZodBody(schema) {
    return (target, key, index) => {
        (0, common_1.Body)(new ZodPipe(schema))(target, key, index);
        documentMethod(target, key, (0, openapi_1.ApiZodBody)(schema));
    };
}
function ZodQuery(schema) {
    return (target, key, index) => {
        (0, common_1.Query)(new ZodPipe(schema, ['query']))(target, key, index);
        documentMethod(target, key, (0, openapi_1.ApiZodQuery)(schema));
    };
}
function documentMethod(target, key, decorator) {
    if (key === undefined)
        return;
    const descriptor = Object.getOwnPropertyDescriptor(target, key);
    if (descriptor)
        decorator(target, key, descriptor);
}
/** Turns zod issues into `[{path, rule}]`. `input` is the parsed value, used to tell "missing" from "wrong type". */
function zodFieldErrors(error, input, prefix = []) {
    const out = [];
    for (const issue of error.issues) {
        const segments = [...prefix, ...issue.path.map((p) => String(p))];
        if (issue.code === 'unrecognized_keys') {
            for (const k of issue.keys)
                out.push({ path: [...segments, k].join('.'), rule: 'unknown_key' });
            continue;
        }
        out.push({ path: segments.join('.') || '(body)', rule: zodIssueRule(issue, valueAt(input, issue.path)) });
    }
    return out;
}
function valueAt(input, path) {
    let cur = input;
    for (const seg of path) {
        if (cur === null || typeof cur !== 'object')
            return undefined;
        cur = cur[seg];
    }
    return cur;
}
const RULE_NAME = /^[a-z][a-z0-9_]*$/;
/**
 * A short, stable rule name clients can switch on, in the same vocabulary as `toFieldErrors` of
 * @liftlab/contracts. A schema's own message wins when it is a rule name (the contracts write e.g.
 * `.min(1, 'required')`, `.refine(..., 'weights_sum_to_1')`); otherwise it is derived from the issue:
 * `required`, `type_number`, `min_1`, `max_200`, `gt_0`, `format_email`, `one_of`, ...
 */
function zodIssueRule(issue, value) {
    if (issue.code === 'invalid_type' && value === undefined)
        return 'required';
    if (RULE_NAME.test(issue.message))
        return issue.message;
    switch (issue.code) {
        case 'invalid_type':
            return `type_${issue.expected}`;
        case 'too_small':
            return `${issue.inclusive === false ? 'gt' : 'min'}_${String(issue.minimum)}`;
        case 'too_big':
            return `${issue.inclusive === false ? 'lt' : 'max'}_${String(issue.maximum)}`;
        case 'invalid_format':
            return `format_${issue.format}`;
        case 'invalid_value':
            return 'one_of';
        case 'not_multiple_of':
            return `multiple_of_${String(issue.divisor)}`;
        case 'invalid_union':
            return 'one_of';
        default:
            return issue.code;
    }
}
//# sourceMappingURL=zod.pipe.js.map