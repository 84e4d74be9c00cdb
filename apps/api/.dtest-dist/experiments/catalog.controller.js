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
exports.GlobalHoldoutController = exports.NamespacesController = exports.MetricsController = void 0;
const common_1 = require("@nestjs/common");
const swagger_1 = require("@nestjs/swagger");
const contracts_1 = require("@liftlab/contracts");
const decorators_1 = require("../auth/decorators");
const openapi_1 = require("../common/openapi");
const zod_pipe_1 = require("../common/zod.pipe");
const experiments_controller_1 = require("./experiments.controller");
const global_holdout_service_1 = require("./global-holdout.service");
const metrics_service_1 = require("./metrics.service");
const namespaces_service_1 = require("./namespaces.service");
let MetricsController = class MetricsController {
    metrics;
    constructor(metrics) {
        this.metrics = metrics;
    }
    list(actor) {
        return this.metrics.list(actor);
    }
    create(actor, body) {
        return this.metrics.create(actor, body);
    }
    get(actor, id) {
        return this.metrics.get(actor, id);
    }
};
exports.MetricsController = MetricsController;
__decorate([
    (0, common_1.Get)(),
    (0, decorators_1.Roles)('marketer', 'lifecycle', 'executive'),
    (0, decorators_1.KeyScopes)('read'),
    (0, swagger_1.ApiOperation)({ summary: 'Metric definitions' }),
    (0, openapi_1.ApiZodResponse)(200, contracts_1.MetricListSchema),
    __param(0, (0, decorators_1.CurrentActor)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object]),
    __metadata("design:returntype", Promise)
], MetricsController.prototype, "list", null);
__decorate([
    (0, common_1.Post)(),
    (0, decorators_1.Roles)('marketer'),
    (0, swagger_1.ApiOperation)({ summary: 'Define a metric (proportion, mean or ratio of events)' }),
    (0, openapi_1.ApiZodResponse)(201, contracts_1.MetricSchema, 'Created'),
    __param(0, (0, decorators_1.CurrentActor)()),
    __param(1, (0, zod_pipe_1.ZodBody)(contracts_1.MetricCreateSchema)),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, Object]),
    __metadata("design:returntype", Promise)
], MetricsController.prototype, "create", null);
__decorate([
    (0, common_1.Get)(':id'),
    (0, decorators_1.Roles)('marketer', 'lifecycle', 'executive'),
    (0, decorators_1.KeyScopes)('read'),
    (0, swagger_1.ApiOperation)({ summary: 'One metric definition' }),
    (0, openapi_1.ApiZodResponse)(200, contracts_1.MetricSchema),
    __param(0, (0, decorators_1.CurrentActor)()),
    __param(1, (0, common_1.Param)('id', experiments_controller_1.IdParam)),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, String]),
    __metadata("design:returntype", Promise)
], MetricsController.prototype, "get", null);
exports.MetricsController = MetricsController = __decorate([
    (0, swagger_1.ApiTags)('metrics'),
    (0, common_1.Controller)('v1/metrics'),
    __metadata("design:paramtypes", [metrics_service_1.MetricsService])
], MetricsController);
let NamespacesController = class NamespacesController {
    namespaces;
    constructor(namespaces) {
        this.namespaces = namespaces;
    }
    list(actor) {
        return this.namespaces.list(actor);
    }
    create(actor, body) {
        return this.namespaces.create(actor, body);
    }
};
exports.NamespacesController = NamespacesController;
__decorate([
    (0, common_1.Get)(),
    (0, decorators_1.Roles)('marketer', 'lifecycle', 'executive'),
    (0, swagger_1.ApiOperation)({ summary: 'Namespaces with the slices their experiments hold' }),
    (0, openapi_1.ApiZodResponse)(200, contracts_1.NamespaceListSchema),
    __param(0, (0, decorators_1.CurrentActor)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object]),
    __metadata("design:returntype", Promise)
], NamespacesController.prototype, "list", null);
__decorate([
    (0, common_1.Post)(),
    (0, decorators_1.Roles)('marketer'),
    (0, swagger_1.ApiOperation)({ summary: 'Create a namespace for mutually exclusive experiments' }),
    (0, openapi_1.ApiZodResponse)(201, contracts_1.NamespaceSchema, 'Created'),
    __param(0, (0, decorators_1.CurrentActor)()),
    __param(1, (0, zod_pipe_1.ZodBody)(contracts_1.NamespaceCreateSchema)),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, Object]),
    __metadata("design:returntype", Promise)
], NamespacesController.prototype, "create", null);
exports.NamespacesController = NamespacesController = __decorate([
    (0, swagger_1.ApiTags)('namespaces'),
    (0, common_1.Controller)('v1/namespaces'),
    __metadata("design:paramtypes", [namespaces_service_1.NamespacesService])
], NamespacesController);
let GlobalHoldoutController = class GlobalHoldoutController {
    holdout;
    constructor(holdout) {
        this.holdout = holdout;
    }
    get(actor) {
        return this.holdout.get(actor);
    }
    update(actor, body) {
        return this.holdout.update(actor, body);
    }
};
exports.GlobalHoldoutController = GlobalHoldoutController;
__decorate([
    (0, common_1.Get)(),
    (0, decorators_1.Roles)('marketer', 'lifecycle', 'executive'),
    (0, swagger_1.ApiOperation)({ summary: 'The workspace-wide holdout: percent, seed and members so far' }),
    (0, openapi_1.ApiZodResponse)(200, contracts_1.GlobalHoldoutSchema),
    __param(0, (0, decorators_1.CurrentActor)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object]),
    __metadata("design:returntype", Promise)
], GlobalHoldoutController.prototype, "get", null);
__decorate([
    (0, common_1.Put)(),
    (0, swagger_1.ApiOperation)({ summary: 'Set the global holdout percent (admin); applies to customers not decided yet' }),
    (0, openapi_1.ApiZodResponse)(200, contracts_1.GlobalHoldoutSchema),
    __param(0, (0, decorators_1.CurrentActor)()),
    __param(1, (0, zod_pipe_1.ZodBody)(contracts_1.GlobalHoldoutUpdateSchema)),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, Object]),
    __metadata("design:returntype", Promise)
], GlobalHoldoutController.prototype, "update", null);
exports.GlobalHoldoutController = GlobalHoldoutController = __decorate([
    (0, swagger_1.ApiTags)('global holdout'),
    (0, common_1.Controller)('v1/global-holdout'),
    __metadata("design:paramtypes", [global_holdout_service_1.GlobalHoldoutService])
], GlobalHoldoutController);
//# sourceMappingURL=catalog.controller.js.map