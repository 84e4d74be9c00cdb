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
exports.NamespacesService = void 0;
exports.toNamespaceView = toNamespaceView;
const common_1 = require("@nestjs/common");
const audit_service_1 = require("../audit/audit.service");
const domain_error_1 = require("../common/domain-error");
const experiments_repository_1 = require("./experiments.repository");
const namespaces_repository_1 = require("./namespaces.repository");
function toNamespaceView(ns) {
    return {
        id: ns.id,
        key: ns.key,
        name: ns.name,
        ranges: ns.experiments
            .filter((e) => e.namespaceRangeStart !== null && e.namespaceRangeEnd !== null)
            .map((e) => ({
            experimentId: e.id,
            experimentKey: e.key,
            status: e.status,
            start: e.namespaceRangeStart,
            end: e.namespaceRangeEnd,
        })),
    };
}
/** Namespaces let experiments split customers: each takes a disjoint slice, so nobody is in two of them. */
let NamespacesService = class NamespacesService {
    repo;
    audit;
    constructor(repo, audit) {
        this.repo = repo;
        this.audit = audit;
    }
    async create(actor, body) {
        try {
            return await this.repo.transaction(async (tx) => {
                const view = toNamespaceView(await this.repo.create(actor.workspaceId, body.key, body.name, tx));
                await this.audit.record(actor, 'namespace.create', { type: 'namespace', id: view.id }, undefined, view, { tx });
                return view;
            });
        }
        catch (error) {
            if ((0, experiments_repository_1.isUniqueViolation)(error)) {
                throw domain_error_1.DomainError.conflict(`A namespace with key ${body.key} already exists.`, [
                    { path: 'key', rule: 'unique' },
                ]);
            }
            throw error;
        }
    }
    async list(actor) {
        return { items: (await this.repo.list(actor.workspaceId)).map(toNamespaceView) };
    }
};
exports.NamespacesService = NamespacesService;
exports.NamespacesService = NamespacesService = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [namespaces_repository_1.NamespacesRepository,
        audit_service_1.AuditService])
], NamespacesService);
//# sourceMappingURL=namespaces.service.js.map