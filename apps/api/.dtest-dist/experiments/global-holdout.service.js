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
exports.GlobalHoldoutService = void 0;
const common_1 = require("@nestjs/common");
const audit_service_1 = require("../audit/audit.service");
const domain_error_1 = require("../common/domain-error");
const global_holdout_repository_1 = require("./global-holdout.repository");
/**
 * The workspace-wide control group: a share of customers excluded from every campaign, compared against an
 * equal-size random sample of everyone else to measure the total effect of all retention work. A customer's
 * membership is decided the first time they are assigned and then kept, so a later change of the percent
 * only applies to customers not seen yet.
 */
let GlobalHoldoutService = class GlobalHoldoutService {
    repo;
    audit;
    constructor(repo, audit) {
        this.repo = repo;
        this.audit = audit;
    }
    async get(actor) {
        const settings = await this.repo.settings(actor.workspaceId);
        if (!settings)
            throw domain_error_1.DomainError.notFound('Workspace', actor.workspaceId);
        const counts = await this.repo.memberCounts(actor.workspaceId);
        return { percent: settings.globalHoldoutPercent, seed: settings.globalHoldoutSeed, ...counts };
    }
    async update(actor, body) {
        await this.repo.transaction(async (tx) => {
            const before = await this.repo.settings(actor.workspaceId, tx);
            if (!before)
                throw domain_error_1.DomainError.notFound('Workspace', actor.workspaceId);
            await this.repo.setPercent(actor.workspaceId, body.percent, tx);
            await this.audit.record(actor, 'global_holdout.update', { type: 'workspace', id: actor.workspaceId }, { percent: before.globalHoldoutPercent }, { percent: body.percent }, { tx });
        });
        return this.get(actor);
    }
};
exports.GlobalHoldoutService = GlobalHoldoutService;
exports.GlobalHoldoutService = GlobalHoldoutService = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [global_holdout_repository_1.GlobalHoldoutRepository,
        audit_service_1.AuditService])
], GlobalHoldoutService);
//# sourceMappingURL=global-holdout.service.js.map