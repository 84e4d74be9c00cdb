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
exports.AssignmentRepository = void 0;
const common_1 = require("@nestjs/common");
const prisma_service_1 = require("../database/prisma.service");
const designInclude = {
    variants: { orderBy: { position: 'asc' } },
    namespace: { select: { key: true } },
};
const customerSelect = {
    id: true,
    externalId: true,
    segment: true,
    plan: true,
    country: true,
    timezone: true,
    acquisitionChannel: true,
    acquisitionDate: true,
    traits: true,
};
/** The only place assignments, global-holdout decisions and the data they depend on touch the database. */
let AssignmentRepository = class AssignmentRepository {
    prisma;
    constructor(prisma) {
        this.prisma = prisma;
    }
    holdoutSettings(workspaceId) {
        return this.prisma.workspace.findUnique({
            where: { id: workspaceId },
            select: { globalHoldoutPercent: true, globalHoldoutSeed: true },
        });
    }
    runningExperiments(workspaceId) {
        return this.prisma.experiment.findMany({
            where: { workspaceId, status: 'running' },
            include: designInclude,
            orderBy: { key: 'asc' },
        });
    }
    experimentsByKey(workspaceId, keys) {
        return this.prisma.experiment.findMany({
            where: { workspaceId, key: { in: keys } },
            include: designInclude,
        });
    }
    customersByExternalId(workspaceId, externalIds) {
        return this.prisma.customer.findMany({
            where: { workspaceId, externalId: { in: externalIds } },
            select: customerSelect,
        });
    }
    async holdoutDecisions(workspaceId, customerIds) {
        if (customerIds.length === 0)
            return new Map();
        const rows = await this.prisma.globalHoldoutMember.findMany({
            where: { workspaceId, customerId: { in: customerIds } },
            select: { customerId: true, inHoldout: true },
        });
        return new Map(rows.map((r) => [r.customerId, r.inHoldout]));
    }
    async assignments(experimentIds, customerIds) {
        if (experimentIds.length === 0 || customerIds.length === 0)
            return [];
        return this.prisma.assignment.findMany({
            where: { experimentId: { in: experimentIds }, customerId: { in: customerIds } },
            select: { experimentId: true, customerId: true, variantId: true, assignedAt: true },
        });
    }
    /**
     * Stores first decisions. A row that already exists (another request or app instance decided first) is left
     * alone: the caller re-reads, so the earliest decision always wins and stays.
     */
    async saveHoldoutDecisions(workspaceId, decisions, at) {
        if (decisions.length === 0)
            return;
        await this.prisma.globalHoldoutMember.createMany({
            data: decisions.map((d) => ({
                workspaceId,
                customerId: d.customerId,
                inHoldout: d.inHoldout,
                decidedAt: at,
            })),
            skipDuplicates: true,
        });
    }
    async saveAssignments(workspaceId, rows, at) {
        if (rows.length === 0)
            return;
        await this.prisma.assignment.createMany({
            data: rows.map((r) => ({ ...r, workspaceId, assignedAt: at, source: 'server' })),
            skipDuplicates: true,
        });
    }
    /** Stored assignments of these customers in running experiments, keyed by experiment and variant key. */
    async stickyForCustomers(workspaceId, externalIds) {
        if (externalIds.length === 0)
            return [];
        const customers = await this.prisma.customer.findMany({
            where: { workspaceId, externalId: { in: externalIds } },
            select: {
                externalId: true,
                globalHoldoutMember: { where: { workspaceId }, select: { inHoldout: true } },
                assignments: {
                    where: { experiment: { status: 'running' } },
                    select: { experiment: { select: { key: true } }, variant: { select: { key: true } } },
                },
            },
        });
        return customers.map((c) => ({
            externalId: c.externalId,
            inHoldout: c.globalHoldoutMember[0]?.inHoldout ?? null,
            assignments: c.assignments.map((a) => ({ experimentKey: a.experiment.key, variantKey: a.variant.key })),
        }));
    }
};
exports.AssignmentRepository = AssignmentRepository;
exports.AssignmentRepository = AssignmentRepository = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [prisma_service_1.PrismaService])
], AssignmentRepository);
//# sourceMappingURL=assignment.repository.js.map