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
exports.AuthController = void 0;
const common_1 = require("@nestjs/common");
const swagger_1 = require("@nestjs/swagger");
const contracts_1 = require("@liftlab/contracts");
const openapi_1 = require("../common/openapi");
const zod_pipe_1 = require("../common/zod.pipe");
const config_1 = require("../config/config");
const auth_service_1 = require("./auth.service");
const decorators_1 = require("./decorators");
const views_1 = require("./views");
let AuthController = class AuthController {
    auth;
    config;
    constructor(auth, config) {
        this.auth = auth;
        this.config = config;
    }
    async login(body, req, res) {
        const result = await this.auth.login(body.email, body.password, req.ip ?? req.socket.remoteAddress ?? 'unknown');
        res.cookie(decorators_1.SESSION_COOKIE, result.token, {
            httpOnly: true,
            sameSite: 'lax',
            secure: req.secure || (this.config.PUBLIC_URL?.startsWith('https:') ?? false),
            path: '/',
            // Max-Age, not Expires: relative to the browser's clock; the server enforces expiresAt on its own clock.
            maxAge: this.auth.sessionTtlMs,
        });
        res.setHeader('Cache-Control', 'no-store');
        return { user: (0, views_1.toUserView)(result.user) };
    }
    async logout(req, res) {
        const token = req.cookies?.[decorators_1.SESSION_COOKIE];
        await this.auth.logout(typeof token === 'string' ? token : undefined);
        res.clearCookie(decorators_1.SESSION_COOKIE, { path: '/' });
    }
    async me(actor) {
        if (actor.type === 'api_key')
            return { actor: { type: 'api_key', id: actor.id, scope: actor.scope, workspaceId: actor.workspaceId } };
        return { actor: { type: 'user', user: (0, views_1.toUserView)(await this.auth.userOf(actor)) } };
    }
    async changePassword(actor, body) {
        await this.auth.changePassword(actor, body.currentPassword, body.newPassword);
    }
};
exports.AuthController = AuthController;
__decorate([
    (0, common_1.Post)('login'),
    (0, decorators_1.Public)(),
    (0, common_1.HttpCode)(200),
    (0, swagger_1.ApiOperation)({ summary: 'Sign in; sets the liftlab_session cookie (httpOnly, SameSite=Lax)' }),
    (0, openapi_1.ApiZodResponse)(200, contracts_1.LoginResponseSchema),
    __param(0, (0, zod_pipe_1.ZodBody)(contracts_1.LoginRequestSchema)),
    __param(1, (0, common_1.Req)()),
    __param(2, (0, common_1.Res)({ passthrough: true })),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, Object, Object]),
    __metadata("design:returntype", Promise)
], AuthController.prototype, "login", null);
__decorate([
    (0, common_1.Post)('logout'),
    (0, decorators_1.Public)(),
    (0, common_1.HttpCode)(204),
    (0, swagger_1.ApiOperation)({ summary: 'Sign out: ends the session and clears the cookie' }),
    (0, swagger_1.ApiNoContentResponse)(),
    __param(0, (0, common_1.Req)()),
    __param(1, (0, common_1.Res)({ passthrough: true })),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, Object]),
    __metadata("design:returntype", Promise)
], AuthController.prototype, "logout", null);
__decorate([
    (0, common_1.Get)('me'),
    (0, decorators_1.Roles)(...decorators_1.ALL_ROLES),
    (0, decorators_1.KeyScopes)('ingest', 'read'),
    (0, swagger_1.ApiOperation)({ summary: 'The signed-in user, or the calling API key' }),
    (0, openapi_1.ApiZodResponse)(200, contracts_1.MeResponseSchema),
    __param(0, (0, decorators_1.CurrentActor)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object]),
    __metadata("design:returntype", Promise)
], AuthController.prototype, "me", null);
__decorate([
    (0, common_1.Post)('password'),
    (0, decorators_1.Roles)(...decorators_1.ALL_ROLES),
    (0, common_1.HttpCode)(204),
    (0, swagger_1.ApiOperation)({ summary: "Change the signed-in user's password; other sessions are signed out" }),
    (0, swagger_1.ApiNoContentResponse)(),
    __param(0, (0, decorators_1.CurrentActor)()),
    __param(1, (0, zod_pipe_1.ZodBody)(contracts_1.ChangePasswordRequestSchema)),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, Object]),
    __metadata("design:returntype", Promise)
], AuthController.prototype, "changePassword", null);
exports.AuthController = AuthController = __decorate([
    (0, swagger_1.ApiTags)('auth'),
    (0, common_1.Controller)('v1/auth'),
    __metadata("design:paramtypes", [auth_service_1.AuthService,
        config_1.AppConfig])
], AuthController);
//# sourceMappingURL=auth.controller.js.map