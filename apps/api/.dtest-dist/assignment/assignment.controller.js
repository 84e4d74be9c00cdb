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
exports.AssignmentController = void 0;
const common_1 = require("@nestjs/common");
const swagger_1 = require("@nestjs/swagger");
const contracts_1 = require("@liftlab/contracts");
const decorators_1 = require("../auth/decorators");
const openapi_1 = require("../common/openapi");
const zod_pipe_1 = require("../common/zod.pipe");
const assignment_service_1 = require("./assignment.service");
let AssignmentController = class AssignmentController {
    assignment;
    constructor(assignment) {
        this.assignment = assignment;
    }
    assign(actor, body) {
        return this.assignment.assign(actor, body);
    }
    async payload(actor, query, req, res) {
        const { payload, etag } = await this.assignment.payload(actor, query.customers);
        res.setHeader('ETag', etag);
        res.setHeader('Cache-Control', 'private, no-cache');
        if ((0, assignment_service_1.etagMatches)(req.headers['if-none-match'], etag)) {
            res.status(304).end();
            return;
        }
        res.status(200).json(payload);
    }
};
exports.AssignmentController = AssignmentController;
__decorate([
    (0, common_1.Post)('assign'),
    (0, common_1.HttpCode)(200),
    (0, decorators_1.Roles)('marketer'),
    (0, decorators_1.KeyScopes)('ingest'),
    (0, swagger_1.ApiOperation)({
        summary: 'Assign customers to running experiments (sticky: the first assignment is stored and returned ever after)',
    }),
    (0, openapi_1.ApiZodResponse)(200, contracts_1.AssignResponseSchema),
    __param(0, (0, decorators_1.CurrentActor)()),
    __param(1, (0, zod_pipe_1.ZodBody)(contracts_1.AssignRequestSchema)),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, Object]),
    __metadata("design:returntype", Promise)
], AssignmentController.prototype, "assign", null);
__decorate([
    (0, common_1.Get)('sdk/payload'),
    (0, decorators_1.Roles)('marketer'),
    (0, decorators_1.KeyScopes)('ingest'),
    (0, swagger_1.ApiOperation)({ summary: 'Running experiments for local SDK evaluation; revalidate with If-None-Match' }),
    (0, swagger_1.ApiHeader)({ name: 'If-None-Match', required: false }),
    (0, openapi_1.ApiZodResponse)(200, contracts_1.SdkPayloadSchema),
    (0, swagger_1.ApiResponse)({ status: 304, description: 'Not modified' }),
    __param(0, (0, decorators_1.CurrentActor)()),
    __param(1, (0, zod_pipe_1.ZodQuery)(contracts_1.SdkPayloadQuerySchema)),
    __param(2, (0, common_1.Req)()),
    __param(3, (0, common_1.Res)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, Object, Object, Object]),
    __metadata("design:returntype", Promise)
], AssignmentController.prototype, "payload", null);
exports.AssignmentController = AssignmentController = __decorate([
    (0, swagger_1.ApiTags)('assignment'),
    (0, common_1.Controller)('v1'),
    __metadata("design:paramtypes", [assignment_service_1.AssignmentService])
], AssignmentController);
//# sourceMappingURL=assignment.controller.js.map