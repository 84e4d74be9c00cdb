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
exports.UsersService = void 0;
const common_1 = require("@nestjs/common");
const audit_service_1 = require("../audit/audit.service");
const clock_1 = require("../common/clock");
const domain_error_1 = require("../common/domain-error");
const auth_repository_1 = require("./auth.repository");
const password_1 = require("./password");
const views_1 = require("./views");
let UsersService = class UsersService {
    repo;
    hasher;
    audit;
    clock;
    constructor(repo, hasher, audit, clock) {
        this.repo = repo;
        this.hasher = hasher;
        this.audit = audit;
        this.clock = clock;
    }
    async list(actor) {
        return (await this.repo.listUsers(actor.workspaceId)).map(views_1.toUserView);
    }
    async create(actor, input) {
        if (await this.repo.findUserByEmail(input.email))
            throw domain_error_1.DomainError.conflict('A user with this email already exists.', [
                { path: 'email', rule: 'unique' },
            ]);
        const initialPassword = input.password ? undefined : (0, password_1.generatePassword)();
        const user = await this.repo.createUser({
            workspaceId: actor.workspaceId,
            email: input.email,
            name: input.name,
            role: input.role,
            passwordHash: await this.hasher.hash(input.password ?? initialPassword ?? ''),
            createdAt: this.clock.now(),
        });
        const view = (0, views_1.toUserView)(user);
        await this.audit.record(actor, 'user.create', { type: 'user', id: user.id }, undefined, view);
        return initialPassword ? { user: view, initialPassword } : { user: view };
    }
    async update(actor, id, input) {
        const user = await this.repo.findUser(actor.workspaceId, id);
        if (!user)
            throw domain_error_1.DomainError.notFound('User', id);
        const losesAdmin = user.role === 'admin' &&
            !user.disabledAt &&
            ((input.role !== undefined && input.role !== 'admin') || input.disabled === true);
        if (losesAdmin && (await this.repo.countActiveAdmins(actor.workspaceId)) <= 1)
            throw domain_error_1.DomainError.conflict('The last active admin cannot be demoted or disabled.', [
                { path: input.disabled === true ? 'disabled' : 'role', rule: 'last_admin' },
            ]);
        const updated = await this.repo.updateUser(user.id, {
            ...(input.name !== undefined ? { name: input.name } : {}),
            ...(input.role !== undefined ? { role: input.role } : {}),
            ...(input.disabled !== undefined
                ? { disabledAt: input.disabled ? (user.disabledAt ?? this.clock.now()) : null }
                : {}),
            ...(input.password !== undefined ? { passwordHash: await this.hasher.hash(input.password) } : {}),
        });
        // A disabled user, or one whose password was reset by an admin, must sign in again; a role change applies
        // immediately anyway because the role is read on every request.
        if (input.disabled === true || input.password !== undefined)
            await this.repo.deleteUserSessions(user.id);
        const before = (0, views_1.toUserView)(user);
        const after = (0, views_1.toUserView)(updated);
        const action = input.password !== undefined && Object.keys(input).length === 1 ? 'user.password_reset' : 'user.update';
        await this.audit.record(actor, action, { type: 'user', id: user.id }, before, after);
        return after;
    }
};
exports.UsersService = UsersService;
exports.UsersService = UsersService = __decorate([
    (0, common_1.Injectable)(),
    __param(3, (0, common_1.Inject)(clock_1.CLOCK)),
    __metadata("design:paramtypes", [auth_repository_1.AuthRepository,
        password_1.PasswordHasher,
        audit_service_1.AuditService, Object])
], UsersService);
//# sourceMappingURL=users.service.js.map