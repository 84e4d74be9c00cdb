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
exports.GlobalHoldoutRepository = void 0;
const common_1 = require("@nestjs/common");
const prisma_service_1 = require("../database/prisma.service");
/** The only place the workspace's global-holdout settings and membership counts touch the database. */
let GlobalHoldoutRepository = class GlobalHoldoutRepository {
    prisma;
    constructor(prisma) {
        this.prisma = prisma;
    }
    transaction(fn) {
        return this.prisma.$transaction(fn);
    }
    settings(workspaceId, db = this.prisma) {
        return db.workspace.findUnique({
            where: { id: workspaceId },
            select: { globalHoldoutPercent: true, globalHoldoutSeed: true },
        });
    }
    setPercent(workspaceId, percent, db) {
        return db.workspace.update({
            where: { id: workspaceId },
            data: { globalHoldoutPercent: percent },
            select: { globalHoldoutPercent: true, globalHoldoutSeed: true },
        });
    }
    async memberCounts(workspaceId) {
        const rows = await this.prisma.globalHoldoutMember.groupBy({
            by: ['inHoldout'],
            where: { workspaceId },
            _count: { _all: true },
        });
        return {
            members: rows.find((r) => r.inHoldout)?._count._all ?? 0,
            nonMembers: rows.find((r) => !r.inHoldout)?._count._all ?? 0,
        };
    }
};
exports.GlobalHoldoutRepository = GlobalHoldoutRepository;
exports.GlobalHoldoutRepository = GlobalHoldoutRepository = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [prisma_service_1.PrismaService])
], GlobalHoldoutRepository);
//# sourceMappingURL=global-holdout.repository.js.map