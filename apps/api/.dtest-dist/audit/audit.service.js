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
exports.AuditService = void 0;
exports.snapshot = snapshot;
const common_1 = require("@nestjs/common");
const clock_1 = require("../common/clock");
const domain_error_1 = require("../common/domain-error");
const audit_repository_1 = require("./audit.repository");
/** Fields never copied into the audit trail, wherever they appear. */
const SECRET_FIELDS = new Set(['passwordHash', 'password', 'hash', 'token', 'key', 'secret']);
/**
 * Who changed what, when, with the before/after snapshots. Every change to experiments, users and API keys is
 * recorded: `audit.record(actor, 'experiment.start', { type: 'experiment', id }, before, after)`.
 */
let AuditService = class AuditService {
    repo;
    clock;
    constructor(repo, clock) {
        this.repo = repo;
        this.clock = clock;
    }
    async record(actor, action, entity, before, after, options = {}) {
        await this.repo.create({
            workspaceId: actor.workspaceId,
            actorType: actor.type,
            actorId: actor.id,
            action,
            entityType: entity.type,
            entityId: entity.id,
            before: snapshot(before),
            after: snapshot(after),
            at: this.clock.now(),
        }, options.tx);
    }
    async list(workspaceId, query) {
        const after = query.cursor ? decodeCursor(query.cursor) : undefined;
        const rows = await this.repo.list(workspaceId, query, query.limit + 1, after);
        const page = rows.slice(0, query.limit);
        const last = page.at(-1);
        return {
            items: page.map(toEntry),
            nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
        };
    }
};
exports.AuditService = AuditService;
exports.AuditService = AuditService = __decorate([
    (0, common_1.Injectable)(),
    __param(1, (0, common_1.Inject)(clock_1.CLOCK)),
    __metadata("design:paramtypes", [audit_repository_1.AuditRepository, Object])
], AuditService);
/** JSON-safe copy: dates as ISO strings, bigints and decimals as strings, secrets removed. */
function snapshot(value) {
    if (value === undefined || value === null)
        return undefined;
    const json = JSON.stringify(value, function (key, v) {
        if (SECRET_FIELDS.has(key))
            return undefined;
        if (typeof v === 'bigint')
            return v.toString();
        return v;
    });
    return json === undefined ? undefined : JSON.parse(json);
}
function toEntry(row) {
    return {
        id: row.id,
        actorType: row.actorType,
        actorId: row.actorId,
        action: row.action,
        entityType: row.entityType,
        entityId: row.entityId,
        before: row.before ?? null,
        after: row.after ?? null,
        at: row.at.toISOString(),
    };
}
function encodeCursor(row) {
    return Buffer.from(JSON.stringify([row.at.toISOString(), row.id])).toString('base64url');
}
function decodeCursor(cursor) {
    try {
        const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
        if (Array.isArray(parsed) && typeof parsed[0] === 'string' && typeof parsed[1] === 'string') {
            const at = new Date(parsed[0]);
            if (!Number.isNaN(at.getTime()))
                return { at, id: parsed[1] };
        }
    }
    catch {
        // fall through
    }
    throw domain_error_1.DomainError.invalid('query.cursor', 'invalid_cursor');
}
//# sourceMappingURL=audit.service.js.map