"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.isUuid = isUuid;
exports.IdParam = IdParam;
const common_1 = require("@nestjs/common");
const domain_error_1 = require("./domain-error");
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function isUuid(value) {
    return UUID.test(value);
}
/** A path id that is not a UUID cannot name any row: answer 404 instead of letting the database reject it. */
class UuidParamPipe {
    transform(value) {
        if (!isUuid(value))
            throw domain_error_1.DomainError.notFound('Resource', value);
        return value.toLowerCase();
    }
}
/** `@IdParam() id: string` (or `@IdParam('experimentId')`): a UUID path parameter. */
function IdParam(name = 'id') {
    return (0, common_1.Param)(name, new UuidParamPipe());
}
//# sourceMappingURL=id-param.js.map