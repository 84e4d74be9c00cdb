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
exports.ApiKeysService = void 0;
const common_1 = require("@nestjs/common");
const audit_service_1 = require("../audit/audit.service");
const clock_1 = require("../common/clock");
const domain_error_1 = require("../common/domain-error");
const auth_repository_1 = require("./auth.repository");
const tokens_1 = require("./tokens");
const views_1 = require("./views");
let ApiKeysService = class ApiKeysService {
    repo;
    audit;
    clock;
    constructor(repo, audit, clock) {
        this.repo = repo;
        this.audit = audit;
        this.clock = clock;
    }
    async list(actor) {
        return (await this.repo.listApiKeys(actor.workspaceId)).map(views_1.toApiKeyView);
    }
    /** The full key is returned here and never again: only its SHA-256 and first characters are stored. */
    async create(actor, input) {
        const key = (0, tokens_1.newApiKey)(input.scope);
        const row = await this.repo.createApiKey({
            workspaceId: actor.workspaceId,
            name: input.name,
            scope: input.scope,
            prefix: (0, tokens_1.apiKeyPrefix)(key),
            hash: (0, tokens_1.apiKeyHash)(key),
            createdAt: this.clock.now(),
        });
        const view = (0, views_1.toApiKeyView)(row);
        await this.audit.record(actor, 'api_key.create', { type: 'api_key', id: row.id }, undefined, view);
        return { apiKey: view, key };
    }
    /** Revoking is permanent and idempotent; the row stays for the audit trail. */
    async revoke(actor, id) {
        const row = await this.repo.findApiKey(actor.workspaceId, id);
        if (!row)
            throw domain_error_1.DomainError.notFound('API key', id);
        if (row.revokedAt)
            return (0, views_1.toApiKeyView)(row);
        const revoked = await this.repo.revokeApiKey(row.id, this.clock.now());
        const view = (0, views_1.toApiKeyView)(revoked);
        await this.audit.record(actor, 'api_key.revoke', { type: 'api_key', id: row.id }, (0, views_1.toApiKeyView)(row), view);
        return view;
    }
};
exports.ApiKeysService = ApiKeysService;
exports.ApiKeysService = ApiKeysService = __decorate([
    (0, common_1.Injectable)(),
    __param(2, (0, common_1.Inject)(clock_1.CLOCK)),
    __metadata("design:paramtypes", [auth_repository_1.AuthRepository,
        audit_service_1.AuditService, Object])
], ApiKeysService);
//# sourceMappingURL=api-keys.service.js.map