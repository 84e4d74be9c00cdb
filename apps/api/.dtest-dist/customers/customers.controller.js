"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
var __param = (this && this.__param) || function (paramIndex, decorator) {
    return function (target, key) { decorator(target, key, paramIndex); }
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.CustomersController = void 0;
const common_1 = require("@nestjs/common");
const swagger_1 = require("@nestjs/swagger");
const contracts_1 = require("@liftlab/contracts");
const decorators_1 = require("../auth/decorators");
const openapi_1 = require("../common/openapi");
const zod_pipe_1 = require("../common/zod.pipe");
const customers_service_1 = require("./customers.service");
const ExternalIdParam = new zod_pipe_1.ZodPipe(contracts_1.ExternalIdSchema, ['externalId']);
let CustomersController = class CustomersController {
    customers;
    constructor(customers) {
        this.customers = customers;
    }
    bulk(actor, body) {
        return this.customers.bulkUpsert(actor, body);
    }
    list(actor, query) {
        return this.customers.list(actor, query);
    }
    get(actor, externalId) {
        return this.customers.get(actor, externalId);
    }
};
exports.CustomersController = CustomersController;
__decorate([
    (0, common_1.Post)('bulk'),
    (0, common_1.HttpCode)(200),
    (0, decorators_1.Roles)('marketer'),
    (0, decorators_1.KeyScopes)('ingest'),
    (0, swagger_1.ApiOperation)({
        summary: 'Create or update up to 10 000 customers by externalId',
        description: 'Omitted fields keep their value, null clears it, traits merge key by key. Each invalid entry is reported ' +
            'with its index, field and rule; the valid entries of the same request are stored.',
    }),
    (0, openapi_1.ApiZodResponse)(200, contracts_1.CustomerBulkResultSchema),
    __param(0, (0, decorators_1.CurrentActor)()),
    __param(1, (0, zod_pipe_1.ZodBody)(contracts_1.CustomerBulkRequestSchema)),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, Object]),
    __metadata("design:returntype", Promise)
], CustomersController.prototype, "bulk", null);
__decorate([
    (0, common_1.Get)(),
    (0, decorators_1.Roles)('marketer', 'lifecycle'),
    (0, swagger_1.ApiOperation)({ summary: 'Customers, newest first; `search` matches part of the externalId' }),
    (0, openapi_1.ApiZodResponse)(200, contracts_1.CustomerListSchema),
    __param(0, (0, decorators_1.CurrentActor)()),
    __param(1, (0, zod_pipe_1.ZodQuery)(contracts_1.CustomerListQuerySchema)),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, Object]),
    __metadata("design:returntype", Promise)
], CustomersController.prototype, "list", null);
__decorate([
    (0, common_1.Get)(':externalId'),
    (0, decorators_1.Roles)('marketer', 'lifecycle'),
    (0, swagger_1.ApiOperation)({ summary: 'One customer with their experiment assignments and latest events' }),
    (0, openapi_1.ApiZodResponse)(200, contracts_1.CustomerDetailSchema),
    __param(0, (0, decorators_1.CurrentActor)()),
    __param(1, (0, common_1.Param)('externalId', ExternalIdParam)),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, String]),
    __metadata("design:returntype", Promise)
], CustomersController.prototype, "get", null);
exports.CustomersController = CustomersController = __decorate([
    (0, swagger_1.ApiTags)('customers'),
    (0, common_1.Controller)('v1/customers'),
    __metadata("design:paramtypes", [customers_service_1.CustomersService])
], CustomersController);
//# sourceMappingURL=customers.controller.js.map