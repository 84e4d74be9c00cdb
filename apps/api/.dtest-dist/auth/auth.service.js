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
exports.AuthService = void 0;
const common_1 = require("@nestjs/common");
const clock_1 = require("../common/clock");
const domain_error_1 = require("../common/domain-error");
const config_1 = require("../config/config");
const auth_repository_1 = require("./auth.repository");
const login_limiter_1 = require("./login-limiter");
const password_1 = require("./password");
const session_secret_1 = require("./session-secret");
const tokens_1 = require("./tokens");
/** Session bookkeeping writes (lastSeenAt, lastUsedAt) happen at most this often per session/key. */
const TOUCH_INTERVAL_MS = 60_000;
let AuthService = class AuthService {
    repo;
    hasher;
    config;
    clock;
    sessionSecret;
    limiter;
    constructor(repo, hasher, config, clock, sessionSecret) {
        this.repo = repo;
        this.hasher = hasher;
        this.config = config;
        this.clock = clock;
        this.sessionSecret = sessionSecret;
        this.limiter = new login_limiter_1.LoginLimiter(clock, config.LOGIN_MAX_FAILURES, config.LOGIN_WINDOW_SECONDS);
    }
    get sessionTtlMs() {
        return this.config.SESSION_TTL_HOURS * 3_600_000;
    }
    async login(email, password, ip) {
        const normalized = email.trim().toLowerCase();
        const wait = this.limiter.retryAfter(normalized, ip);
        if (wait > 0)
            throw domain_error_1.DomainError.rateLimited(wait, 'Too many failed sign-ins; try again later.');
        const user = await this.repo.findUserByEmail(normalized);
        const ok = user
            ? await this.hasher.verify(password, user.passwordHash)
            : await this.hasher.verifyAgainstDummy(password);
        if (!user || !ok || user.disabledAt) {
            this.limiter.recordFailure(normalized, ip);
            throw domain_error_1.DomainError.unauthenticated('Email or password is wrong.');
        }
        this.limiter.recordSuccess(normalized, ip);
        const now = this.clock.now();
        await this.repo.deleteExpiredSessions(user.id, now);
        const token = (0, tokens_1.newSessionToken)();
        const expiresAt = new Date(now.getTime() + this.sessionTtlMs);
        await this.repo.createSession({
            id: (0, tokens_1.sessionIdFor)(token, this.sessionSecret),
            userId: user.id,
            createdAt: now,
            expiresAt,
        });
        return { token, user, expiresAt };
    }
    async logout(token) {
        if (token)
            await this.repo.deleteSession((0, tokens_1.sessionIdFor)(token, this.sessionSecret));
    }
    /** The user behind a session cookie; undefined when the token is unknown, expired or the user is disabled. */
    async userFromSession(token) {
        const id = (0, tokens_1.sessionIdFor)(token, this.sessionSecret);
        const session = await this.repo.findSession(id);
        if (!session)
            return undefined;
        const now = this.clock.now();
        if (session.expiresAt.getTime() <= now.getTime()) {
            await this.repo.deleteSession(id);
            return undefined;
        }
        if (session.user.disabledAt)
            return undefined;
        if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS)
            await this.repo.touchSession(id, now);
        const { user } = session;
        return {
            type: 'user',
            id: user.id,
            role: user.role,
            workspaceId: user.workspaceId,
            email: user.email,
            sessionId: id,
        };
    }
    /** The API key behind a Bearer token; undefined when unknown or revoked. */
    async apiKeyFromBearer(key) {
        const found = await this.repo.findApiKeyByHash((0, tokens_1.apiKeyHash)(key));
        if (!found || found.revokedAt)
            return undefined;
        const now = this.clock.now();
        if (!found.lastUsedAt || now.getTime() - found.lastUsedAt.getTime() > TOUCH_INTERVAL_MS)
            await this.repo.touchApiKey(found.id, now);
        return { type: 'api_key', id: found.id, scope: found.scope, workspaceId: found.workspaceId };
    }
    async userOf(actor) {
        if (actor.type !== 'user')
            throw domain_error_1.DomainError.forbidden('Only signed-in users can do this.');
        const user = await this.repo.findUser(actor.workspaceId, actor.id);
        if (!user)
            throw domain_error_1.DomainError.unauthenticated();
        return user;
    }
    /** Changes the caller's own password and signs out their other sessions. */
    async changePassword(actor, currentPassword, newPassword) {
        const user = await this.userOf(actor);
        if (!(await this.hasher.verify(currentPassword, user.passwordHash)))
            throw domain_error_1.DomainError.invalid('currentPassword', 'mismatch', 'The current password is wrong.');
        await this.repo.updateUser(user.id, { passwordHash: await this.hasher.hash(newPassword) });
        await this.repo.deleteUserSessions(user.id, actor.type === 'user' ? actor.sessionId : undefined);
    }
};
exports.AuthService = AuthService;
exports.AuthService = AuthService = __decorate([
    (0, common_1.Injectable)(),
    __param(3, (0, common_1.Inject)(clock_1.CLOCK)),
    __param(4, (0, common_1.Inject)(session_secret_1.SESSION_SECRET)),
    __metadata("design:paramtypes", [auth_repository_1.AuthRepository,
        password_1.PasswordHasher,
        config_1.AppConfig, Object, String])
], AuthService);
//# sourceMappingURL=auth.service.js.map