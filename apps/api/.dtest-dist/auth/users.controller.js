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
exports.UsersController = void 0;
const common_1 = require("@nestjs/common");
const swagger_1 = require("@nestjs/swagger");
const contracts_1 = require("@liftlab/contracts");
const id_param_1 = require("../common/id-param");
const openapi_1 = require("../common/openapi");
const zod_pipe_1 = require("../common/zod.pipe");
const decorators_1 = require("./decorators");
const users_service_1 = require("./users.service");
/** Admin only (no @Roles): managing who can sign in and with which role. */
let UsersController = class UsersController {
    users;
    constructor(users) {
        this.users = users;
    }
    async list(actor) {
        return { items: await this.users.list(actor) };
    }
    create(actor, body) {
        return this.users.create(actor, body);
    }
    update(actor, id, body) {
        return this.users.update(actor, id, body);
    }
};
exports.UsersController = UsersController;
__decorate([
    (0, common_1.Get)(),
    (0, swagger_1.ApiOperation)({ summary: 'Users of the workspace' }),
    (0, openapi_1.ApiZodResponse)(200, contracts_1.UserListSchema),
    __param(0, (0, decorators_1.CurrentActor)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object]),
    __metadata("design:returntype", Promise)
], UsersController.prototype, "list", null);
__decorate([
    (0, common_1.Post)(),
    (0, swagger_1.ApiOperation)({ summary: 'Create a user; without a password one is generated and returned once' }),
    (0, openapi_1.ApiZodResponse)(201, contracts_1.CreateUserResponseSchema, 'Created'),
    __param(0, (0, decorators_1.CurrentActor)()),
    __param(1, (0, zod_pipe_1.ZodBody)(contracts_1.CreateUserRequestSchema)),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, Object]),
    __metadata("design:returntype", Promise)
], UsersController.prototype, "create", null);
__decorate([
    (0, common_1.Patch)(':id'),
    (0, swagger_1.ApiOperation)({ summary: 'Rename, change role, disable/enable or reset the password of a user' }),
    (0, openapi_1.ApiZodResponse)(200, contracts_1.UserSchema),
    __param(0, (0, decorators_1.CurrentActor)()),
    __param(1, (0, id_param_1.IdParam)()),
    __param(2, (0, zod_pipe_1.ZodBody)(contracts_1.UpdateUserRequestSchema)),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, String, Object]),
    __metadata("design:returntype", Promise)
], UsersController.prototype, "update", null);
exports.UsersController = UsersController = __decorate([
    (0, swagger_1.ApiTags)('users'),
    (0, common_1.Controller)('v1/users'),
    __metadata("design:paramtypes", [users_service_1.UsersService])
], UsersController);
//# sourceMappingURL=users.controller.js.map