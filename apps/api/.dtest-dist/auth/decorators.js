"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.CurrentActor = exports.ALL_ROLES = exports.SESSION_COOKIE = exports.KEY_SCOPES_KEY = exports.ROLES_KEY = exports.IS_PUBLIC = void 0;
exports.Public = Public;
exports.Roles = Roles;
exports.KeyScopes = KeyScopes;
const common_1 = require("@nestjs/common");
const swagger_1 = require("@nestjs/swagger");
const actor_1 = require("./actor");
/**
 * Access rules (enforced by AuthGuard, registered globally):
 * - `@Public()`: no authentication at all.
 * - `@Roles(...)`: signed-in users with one of these roles. Admin is always allowed.
 * - `@KeyScopes(...)`: API keys with one of these scopes. Without it, API keys get 403.
 * - neither `@Roles` nor `@Public`: admin users only.
 * Put them on a controller class or a handler; the handler wins.
 */
exports.IS_PUBLIC = 'liftlab:public';
exports.ROLES_KEY = 'liftlab:roles';
exports.KEY_SCOPES_KEY = 'liftlab:key-scopes';
exports.SESSION_COOKIE = 'liftlab_session';
/** Every role, for endpoints any signed-in user may call (e.g. GET /v1/auth/me). */
exports.ALL_ROLES = actor_1.ROLES;
function Public() {
    return (0, common_1.applyDecorators)((0, common_1.SetMetadata)(exports.IS_PUBLIC, true), (0, swagger_1.ApiExtension)('x-liftlab-access', { public: true }));
}
function Roles(...roles) {
    return (0, common_1.applyDecorators)((0, common_1.SetMetadata)(exports.ROLES_KEY, roles), (0, swagger_1.ApiCookieAuth)(exports.SESSION_COOKIE), (0, swagger_1.ApiExtension)('x-liftlab-roles', [...new Set(['admin', ...roles])]));
}
function KeyScopes(...scopes) {
    return (0, common_1.applyDecorators)((0, common_1.SetMetadata)(exports.KEY_SCOPES_KEY, scopes), (0, swagger_1.ApiBearerAuth)('apiKey'), (0, swagger_1.ApiExtension)('x-liftlab-key-scopes', scopes));
}
/**
 * The caller, as `{ type: 'user', id, role, workspaceId, email } | { type: 'api_key', id, scope, workspaceId }`.
 * Undefined only on `@Public()` routes.
 */
exports.CurrentActor = (0, common_1.createParamDecorator)((_data, ctx) => {
    return ctx.switchToHttp().getRequest().actor;
});
//# sourceMappingURL=decorators.js.map