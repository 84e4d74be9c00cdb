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
exports.ExperimentsRepository = void 0;
exports.isUniqueViolation = isUniqueViolation;
const common_1 = require("@nestjs/common");
const prisma_service_1 = require("../database/prisma.service");
const client_1 = require("../generated/prisma/client");
const experimentInclude = {
    variants: { orderBy: { position: 'asc' } },
    metrics: { include: { metric: { select: { key: true } } } },
    namespace: { select: { id: true, key: true } },
};
/** The only place experiments, variants, their metrics and exposure counts touch the database. */
let ExperimentsRepository = class ExperimentsRepository {
    prisma;
    constructor(prisma) {
        this.prisma = prisma;
    }
    transaction(fn) {
        return this.prisma.$transaction(fn);
    }
    findById(workspaceId, id, db = this.prisma) {
        return db.experiment.findFirst({ where: { id, workspaceId }, include: experimentInclude });
    }
    keyExists(workspaceId, key, db = this.prisma) {
        return db.experiment.count({ where: { workspaceId, key } }).then((n) => n > 0);
    }
    /** Newest first; `cursor` is the id of the last experiment of the previous page (ids are time-ordered). */
    list(workspaceId, filter, limit, cursor) {
        return this.prisma.experiment.findMany({
            where: {
                workspaceId,
                ...(filter.status ? { status: filter.status } : {}),
                ...(cursor ? { id: { lt: cursor } } : {}),
            },
            orderBy: { id: 'desc' },
            take: limit,
            include: experimentInclude,
        });
    }
    async create(workspaceId, row, variants, metrics, db) {
        const created = await db.experiment.create({
            data: {
                workspaceId,
                ...row,
                variants: { create: variants },
                metrics: { create: metrics },
            },
        });
        return (await this.findById(workspaceId, created.id, db));
    }
    async update(workspaceId, id, data, replace, db) {
        if (replace.variants) {
            await db.variant.deleteMany({ where: { experimentId: id } });
            await db.variant.createMany({ data: replace.variants.map((v) => ({ ...v, experimentId: id })) });
        }
        if (replace.metrics) {
            await db.experimentMetric.deleteMany({ where: { experimentId: id } });
            await db.experimentMetric.createMany({
                data: replace.metrics.map((m) => ({ ...m, experimentId: id })),
            });
        }
        await db.experiment.update({ where: { id }, data });
        return (await this.findById(workspaceId, id, db));
    }
    async setWeights(experimentId, weights, db) {
        for (const [key, weight] of weights) {
            await db.variant.update({ where: { experimentId_key: { experimentId, key } }, data: { weight } });
        }
    }
    /** Metric ids by key for the workspace; unknown keys are simply absent. */
    async metricIds(workspaceId, keys, db = this.prisma) {
        if (keys.length === 0)
            return new Map();
        const rows = await db.metric.findMany({
            where: { workspaceId, key: { in: keys } },
            select: { id: true, key: true },
        });
        return new Map(rows.map((r) => [r.key, r.id]));
    }
    findNamespaceByKey(workspaceId, key, db = this.prisma) {
        return db.namespace.findFirst({ where: { workspaceId, key } });
    }
    /**
     * Locks the namespace row until the transaction ends, so two experiments cannot claim overlapping slices
     * concurrently (the overlap check and the insert happen under the lock).
     */
    async lockNamespace(namespaceId, db) {
        await db.$queryRaw `SELECT id FROM namespaces WHERE id = ${namespaceId}::uuid FOR UPDATE`;
    }
    async namespaceSlices(namespaceId, db = this.prisma) {
        const rows = await db.experiment.findMany({
            where: { namespaceId },
            select: { id: true, key: true, status: true, namespaceRangeStart: true, namespaceRangeEnd: true },
            orderBy: { namespaceRangeStart: 'asc' },
        });
        return rows
            .filter((r) => r.namespaceRangeStart !== null && r.namespaceRangeEnd !== null)
            .map((r) => ({
            experimentId: r.id,
            experimentKey: r.key,
            status: r.status,
            start: r.namespaceRangeStart,
            end: r.namespaceRangeEnd,
        }));
    }
    /** Exposure events and distinct exposed customers per variant, counted by the database. */
    async exposureCounts(experimentId) {
        const rows = await this.prisma.$queryRaw `
      SELECT variant_id::text AS "variantId",
             count(*)::int AS exposures,
             count(DISTINCT customer_id)::int AS customers
        FROM events
       WHERE experiment_id = ${experimentId}::uuid AND type = 'exposure'
       GROUP BY variant_id`;
        return rows.map((r) => ({
            variantId: r.variantId,
            exposures: Number(r.exposures),
            customers: Number(r.customers),
        }));
    }
    async assignedCounts(experimentId) {
        const rows = await this.prisma.assignment.groupBy({
            by: ['variantId'],
            where: { experimentId },
            _count: { _all: true },
        });
        return new Map(rows.map((r) => [r.variantId, r._count._all]));
    }
};
exports.ExperimentsRepository = ExperimentsRepository;
exports.ExperimentsRepository = ExperimentsRepository = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [prisma_service_1.PrismaService])
], ExperimentsRepository);
/** True for a unique-constraint violation (Prisma P2002), e.g. two experiments created with one key at once. */
function isUniqueViolation(error) {
    return error instanceof client_1.Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}
//# sourceMappingURL=experiments.repository.js.map