"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.zodToOpenApi = zodToOpenApi;
exports.ApiZodResponse = ApiZodResponse;
exports.ApiZodBody = ApiZodBody;
exports.ApiZodQuery = ApiZodQuery;
const common_1 = require("@nestjs/common");
const swagger_1 = require("@nestjs/swagger");
const zod_1 = require("zod");
/** zod schema → OpenAPI 3.0 schema object (input shape for bodies/queries, output shape for responses). */
function zodToOpenApi(schema, io = 'input') {
    const json = zod_1.z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' });
    delete json.$schema;
    return json;
}
/** Documents a response body from its zod schema: `@ApiZodResponse(200, ExperimentSchema)`. */
function ApiZodResponse(status, schema, description = 'OK') {
    return (0, common_1.applyDecorators)((0, swagger_1.ApiResponse)({ status, description, schema: zodToOpenApi(schema, 'output') }));
}
function ApiZodBody(schema) {
    return (0, common_1.applyDecorators)((0, swagger_1.ApiBody)({ schema: zodToOpenApi(schema, 'input') }));
}
/** Documents each top-level key of an object schema as a query parameter. */
function ApiZodQuery(schema) {
    const json = zodToOpenApi(schema, 'input');
    const properties = (json.properties ?? {});
    const required = new Set(json.required ?? []);
    return (0, common_1.applyDecorators)(...Object.entries(properties).map(([name, prop]) => (0, swagger_1.ApiQuery)({ name, required: required.has(name), schema: prop })));
}
//# sourceMappingURL=openapi.js.map