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
exports.MetricsService = void 0;
const common_1 = require("@nestjs/common");
const audit_service_1 = require("../audit/audit.service");
const domain_error_1 = require("../common/domain-error");
const experiments_repository_1 = require("./experiments.repository");
const metrics_repository_1 = require("./metrics.repository");
const views_1 = require("./views");
let MetricsService = class MetricsService {
    repo;
    audit;
    constructor(repo, audit) {
        this.repo = repo;
        this.audit = audit;
    }
    async create(actor, body) {
        try {
            return await this.repo.transaction(async (tx) => {
                const metric = await this.repo.create({
                    workspaceId: actor.workspaceId,
                    key: body.key,
                    name: body.name,
                    kind: body.kind,
                    eventName: body.eventName,
                    valueProperty: body.valueProperty ?? null,
                    denominatorEventName: body.denominatorEventName ?? null,
                    denominatorValueProperty: body.denominatorValueProperty ?? null,
                    windowDays: body.windowDays,
                    capping: body.capping,
                    capValue: body.capValue ?? null,
                    revenueStream: body.revenueStream ?? null,
                    higherIsBetter: body.higherIsBetter,
                }, tx);
                const view = (0, views_1.toMetricView)(metric);
                await this.audit.record(actor, 'metric.create', { type: 'metric', id: metric.id }, undefined, view, {
                    tx,
                });
                return view;
            });
        }
        catch (error) {
            if ((0, experiments_repository_1.isUniqueViolation)(error)) {
                throw domain_error_1.DomainError.conflict(`A metric with key ${body.key} already exists.`, [
                    { path: 'key', rule: 'unique' },
                ]);
            }
            throw error;
        }
    }
    async list(actor) {
        return { items: (await this.repo.list(actor.workspaceId)).map(views_1.toMetricView) };
    }
    async get(actor, id) {
        const metric = await this.repo.findById(actor.workspaceId, id);
        if (!metric)
            throw domain_error_1.DomainError.notFound('Metric', id);
        return (0, views_1.toMetricView)(metric);
    }
};
exports.MetricsService = MetricsService;
exports.MetricsService = MetricsService = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [metrics_repository_1.MetricsRepository,
        audit_service_1.AuditService])
], MetricsService);
//# sourceMappingURL=metrics.service.js.map