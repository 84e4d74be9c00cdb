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
Object.defineProperty(exports, "__esModule", { value: true });
exports.AuthGuard = void 0;
exports.isAllowed = isAllowed;
exports.routeAccess = routeAccess;
const common_1 = require("@nestjs/common");
const core_1 = require("@nestjs/core");
const domain_error_1 = require("../common/domain-error");
const auth_service_1 = require("./auth.service");
const decorators_1 = require("./decorators");
/** Pure decision: may `actor` call a route with this access rule? (401 vs 403 is decided by the guard.) */
function isAllowed(access, actor) {
    if (access.public)
        return true;
    if (actor.type === 'user')
        return actor.role === 'admin' || access.roles.includes(actor.role);
    return access.scopes.includes(actor.scope);
}
function routeAccess(reflector, targets) {
    return {
        public: reflector.getAllAndOverride(decorators_1.IS_PUBLIC, targets) === true,
        roles: reflector.getAllAndOverride(decorators_1.ROLES_KEY, targets) ?? [],
        scopes: reflector.getAllAndOverride(decorators_1.KEY_SCOPES_KEY, targets) ?? [],
    };
}
/**
 * Global guard. `Authorization: Bearer <key>` identifies an API key; otherwise the `liftlab_session` cookie
 * identifies a user. No valid credentials → 401; valid but not allowed by the route's rule → 403.
 */
let AuthGuard = class AuthGuard {
    reflector;
    auth;
    constructor(reflector, auth) {
        this.reflector = reflector;
        this.auth = auth;
    }
    async canActivate(context) {
        if (context.getType() !== 'http')
            return true;
        const access = routeAccess(this.reflector, [context.getHandler(), context.getClass()]);
        if (access.public)
            return true;
        const req = context.switchToHttp().getRequest();
        const actor = await this.identify(req, context.switchToHttp().getResponse());
        req.actor = actor;
        if (!isAllowed(access, actor)) {
            throw domain_error_1.DomainError.forbidden(actor.type === 'user'
                ? `The ${actor.role} role cannot do this.`
                : `An API key with the ${actor.scope} scope cannot do this.`);
        }
        return true;
    }
    async identify(req, res) {
        const authorization = req.headers.authorization;
        if (authorization !== undefined) {
            const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
            if (!match?.[1])
                throw domain_error_1.DomainError.unauthenticated('Send the API key as "Authorization: Bearer <key>".');
            const key = await this.auth.apiKeyFromBearer(match[1]);
            if (!key)
                throw domain_error_1.DomainError.unauthenticated('The API key is unknown or revoked.');
            return key;
        }
        const token = req.cookies?.[decorators_1.SESSION_COOKIE];
        if (typeof token === 'string' && token.length > 0) {
            const user = await this.auth.userFromSession(token);
            if (user)
                return user;
            res.clearCookie(decorators_1.SESSION_COOKIE, { path: '/' });
            throw domain_error_1.DomainError.unauthenticated('The session has expired; sign in again.');
        }
        throw domain_error_1.DomainError.unauthenticated();
    }
};
exports.AuthGuard = AuthGuard;
exports.AuthGuard = AuthGuard = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [core_1.Reflector,
        auth_service_1.AuthService])
], AuthGuard);
//# sourceMappingURL=auth.guard.js.map