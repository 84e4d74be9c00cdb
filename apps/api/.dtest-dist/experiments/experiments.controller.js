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
exports.ExperimentsController = exports.IdParam = void 0;
const common_1 = require("@nestjs/common");
const swagger_1 = require("@nestjs/swagger");
const zod_1 = require("zod");
const contracts_1 = require("@liftlab/contracts");
const decorators_1 = require("../auth/decorators");
const openapi_1 = require("../common/openapi");
const zod_pipe_1 = require("../common/zod.pipe");
const experiments_service_1 = require("./experiments.service");
exports.IdParam = new zod_pipe_1.ZodPipe(zod_1.z.uuid('format_uuid'), ['id']);
let ExperimentsController = class ExperimentsController {
    experiments;
    constructor(experiments) {
        this.experiments = experiments;
    }
    list(actor, query) {
        return this.experiments.list(actor, query);
    }
    create(actor, body) {
        return this.experiments.create(actor, body);
    }
    get(actor, id) {
        return this.experiments.get(actor, id);
    }
    update(actor, id, body) {
        return this.experiments.update(actor, id, body);
    }
    start(actor, id) {
        return this.experiments.start(actor, id);
    }
    ramp(actor, id, body) {
        return this.experiments.ramp(actor, id, body);
    }
    stop(actor, id, body) {
        return this.experiments.stop(actor, id, body);
    }
    conclude(actor, id, body) {
        return this.experiments.conclude(actor, id, body);
    }
    exposures(actor, id) {
        return this.experiments.exposures(actor, id);
    }
};
exports.ExperimentsController = ExperimentsController;
__decorate([
    (0, common_1.Get)(),
    (0, decorators_1.Roles)('marketer', 'lifecycle', 'executive'),
    (0, decorators_1.KeyScopes)('read'),
    (0, swagger_1.ApiOperation)({ summary: 'List experiments, newest first' }),
    (0, openapi_1.ApiZodResponse)(200, contracts_1.ExperimentListSchema),
    __param(0, (0, decorators_1.CurrentActor)()),
    __param(1, (0, zod_pipe_1.ZodQuery)(contracts_1.ExperimentListQuerySchema)),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, Object]),
    __metadata("design:returntype", Promise)
], ExperimentsController.prototype, "list", null);
__decorate([
    (0, common_1.Post)(),
    (0, decorators_1.Roles)('marketer'),
    (0, swagger_1.ApiOperation)({ summary: 'Create a draft experiment (a/b or holdout)' }),
    (0, openapi_1.ApiZodResponse)(201, contracts_1.ExperimentSchema, 'Created'),
    __param(0, (0, decorators_1.CurrentActor)()),
    __param(1, (0, zod_pipe_1.ZodBody)(contracts_1.ExperimentCreateSchema)),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, Object]),
    __metadata("design:returntype", Promise)
], ExperimentsController.prototype, "create", null);
__decorate([
    (0, common_1.Get)(':id'),
    (0, decorators_1.Roles)('marketer', 'lifecycle', 'executive'),
    (0, decorators_1.KeyScopes)('read'),
    (0, swagger_1.ApiOperation)({ summary: 'One experiment' }),
    (0, openapi_1.ApiZodResponse)(200, contracts_1.ExperimentSchema),
    __param(0, (0, decorators_1.CurrentActor)()),
    __param(1, (0, common_1.Param)('id', exports.IdParam)),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, String]),
    __metadata("design:returntype", Promise)
], ExperimentsController.prototype, "get", null);
__decorate([
    (0, common_1.Patch)(':id'),
    (0, decorators_1.Roles)('marketer'),
    (0, swagger_1.ApiOperation)({
        summary: 'Edit an experiment; variants, metrics, kind, seed and namespace freeze once started',
    }),
    (0, openapi_1.ApiZodResponse)(200, contracts_1.ExperimentSchema),
    __param(0, (0, decorators_1.CurrentActor)()),
    __param(1, (0, common_1.Param)('id', exports.IdParam)),
    __param(2, (0, zod_pipe_1.ZodBody)(contracts_1.ExperimentUpdateSchema)),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, String, Object]),
    __metadata("design:returntype", Promise)
], ExperimentsController.prototype, "update", null);
__decorate([
    (0, common_1.Post)(':id/start'),
    (0, common_1.HttpCode)(200),
    (0, decorators_1.Roles)('marketer'),
    (0, swagger_1.ApiOperation)({ summary: 'draft → running; freezes the design and starts enrolling customers' }),
    (0, openapi_1.ApiZodResponse)(200, contracts_1.ExperimentSchema),
    __param(0, (0, decorators_1.CurrentActor)()),
    __param(1, (0, common_1.Param)('id', exports.IdParam)),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, String]),
    __metadata("design:returntype", Promise)
], ExperimentsController.prototype, "start", null);
__decorate([
    (0, common_1.Post)(':id/ramp'),
    (0, common_1.HttpCode)(200),
    (0, decorators_1.Roles)('marketer'),
    (0, swagger_1.ApiOperation)({
        summary: 'Change coverage and/or weights of a running experiment; nobody already assigned moves',
    }),
    (0, openapi_1.ApiZodResponse)(200, contracts_1.ExperimentSchema),
    __param(0, (0, decorators_1.CurrentActor)()),
    __param(1, (0, common_1.Param)('id', exports.IdParam)),
    __param(2, (0, zod_pipe_1.ZodBody)(contracts_1.ExperimentRampSchema)),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, String, Object]),
    __metadata("design:returntype", Promise)
], ExperimentsController.prototype, "ramp", null);
__decorate([
    (0, common_1.Post)(':id/stop'),
    (0, common_1.HttpCode)(200),
    (0, decorators_1.Roles)('marketer'),
    (0, swagger_1.ApiOperation)({ summary: 'running → stopped; no new customers enter' }),
    (0, openapi_1.ApiZodResponse)(200, contracts_1.ExperimentSchema),
    __param(0, (0, decorators_1.CurrentActor)()),
    __param(1, (0, common_1.Param)('id', exports.IdParam)),
    __param(2, (0, zod_pipe_1.ZodBody)(contracts_1.ExperimentStopSchema)),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, String, Object]),
    __metadata("design:returntype", Promise)
], ExperimentsController.prototype, "stop", null);
__decorate([
    (0, common_1.Post)(':id/conclude'),
    (0, common_1.HttpCode)(200),
    (0, decorators_1.Roles)('marketer'),
    (0, swagger_1.ApiOperation)({ summary: 'stopped → concluded, with the decision' }),
    (0, openapi_1.ApiZodResponse)(200, contracts_1.ExperimentSchema),
    __param(0, (0, decorators_1.CurrentActor)()),
    __param(1, (0, common_1.Param)('id', exports.IdParam)),
    __param(2, (0, zod_pipe_1.ZodBody)(contracts_1.ExperimentConcludeSchema)),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, String, Object]),
    __metadata("design:returntype", Promise)
], ExperimentsController.prototype, "conclude", null);
__decorate([
    (0, common_1.Get)(':id/exposures'),
    (0, decorators_1.Roles)('marketer', 'lifecycle', 'executive'),
    (0, decorators_1.KeyScopes)('read'),
    (0, swagger_1.ApiOperation)({ summary: 'Exposures per variant and the sample-ratio-mismatch check' }),
    (0, openapi_1.ApiZodResponse)(200, contracts_1.ExperimentExposuresSchema),
    __param(0, (0, decorators_1.CurrentActor)()),
    __param(1, (0, common_1.Param)('id', exports.IdParam)),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, String]),
    __metadata("design:returntype", Promise)
], ExperimentsController.prototype, "exposures", null);
exports.ExperimentsController = ExperimentsController = __decorate([
    (0, swagger_1.ApiTags)('experiments'),
    (0, common_1.Controller)('v1/experiments'),
    __metadata("design:paramtypes", [experiments_service_1.ExperimentsService])
], ExperimentsController);
//# sourceMappingURL=experiments.controller.js.map