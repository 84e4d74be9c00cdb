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
exports.AuthRepository = void 0;
const common_1 = require("@nestjs/common");
const node_crypto_1 = require("node:crypto");
const prisma_service_1 = require("../database/prisma.service");
/** The only place the auth module talks to the database. */
let AuthRepository = class AuthRepository {
    prisma;
    constructor(prisma) {
        this.prisma = prisma;
    }
    // ---------------------------------------------------------------- users
    findUserByEmail(email) {
        return this.prisma.user.findUnique({ where: { email } });
    }
    findUser(workspaceId, id) {
        return this.prisma.user.findFirst({ where: { id, workspaceId } });
    }
    listUsers(workspaceId) {
        return this.prisma.user.findMany({
            where: { workspaceId },
            orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        });
    }
    countUsers() {
        return this.prisma.user.count();
    }
    countActiveAdmins(workspaceId) {
        return this.prisma.user.count({ where: { workspaceId, role: 'admin', disabledAt: null } });
    }
    createUser(data) {
        return this.prisma.user.create({ data });
    }
    updateUser(id, data) {
        return this.prisma.user.update({ where: { id }, data });
    }
    // ---------------------------------------------------------------- sessions
    createSession(data) {
        return this.prisma.session.create({ data: { ...data, lastSeenAt: data.createdAt } });
    }
    findSession(id) {
        return this.prisma.session.findUnique({ where: { id }, include: { user: true } });
    }
    async touchSession(id, at) {
        await this.prisma.session.updateMany({ where: { id }, data: { lastSeenAt: at } });
    }
    async deleteSession(id) {
        await this.prisma.session.deleteMany({ where: { id } });
    }
    async deleteUserSessions(userId, exceptId) {
        await this.prisma.session.deleteMany({
            where: { userId, ...(exceptId ? { id: { not: exceptId } } : {}) },
        });
    }
    async deleteExpiredSessions(userId, now) {
        await this.prisma.session.deleteMany({ where: { userId, expiresAt: { lte: now } } });
    }
    // ---------------------------------------------------------------- api keys
    createApiKey(data) {
        return this.prisma.apiKey.create({ data });
    }
    findApiKeyByHash(hash) {
        return this.prisma.apiKey.findUnique({ where: { hash } });
    }
    findApiKey(workspaceId, id) {
        return this.prisma.apiKey.findFirst({ where: { id, workspaceId } });
    }
    listApiKeys(workspaceId) {
        return this.prisma.apiKey.findMany({
            where: { workspaceId },
            orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        });
    }
    revokeApiKey(id, at) {
        return this.prisma.apiKey.update({ where: { id }, data: { revokedAt: at } });
    }
    async touchApiKey(id, at) {
        await this.prisma.apiKey.updateMany({ where: { id }, data: { lastUsedAt: at } });
    }
    // ---------------------------------------------------------------- workspace (first run)
    /** The oldest workspace, or a new one when the database has none yet. */
    async firstWorkspaceId() {
        const existing = await this.prisma.workspace.findFirst({
            orderBy: { createdAt: 'asc' },
            select: { id: true },
        });
        if (existing)
            return existing.id;
        const created = await this.prisma.workspace.create({
            data: { name: 'Liftlab', globalHoldoutSeed: (0, node_crypto_1.randomBytes)(8).toString('hex') },
            select: { id: true },
        });
        return created.id;
    }
};
exports.AuthRepository = AuthRepository;
exports.AuthRepository = AuthRepository = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [prisma_service_1.PrismaService])
], AuthRepository);
//# sourceMappingURL=auth.repository.js.map