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
exports.CustomersService = void 0;
exports.toCustomer = toCustomer;
const common_1 = require("@nestjs/common");
const contracts_1 = require("@liftlab/contracts");
const clock_1 = require("../common/clock");
const domain_error_1 = require("../common/domain-error");
const customer_rows_1 = require("./customer-rows");
const customers_repository_1 = require("./customers.repository");
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
let CustomersService = class CustomersService {
    customers;
    clock;
    constructor(customers, clock) {
        this.customers = customers;
        this.clock = clock;
    }
    /** Stores every valid entry (insert or update by externalId) and reports the invalid ones. */
    async bulkUpsert(actor, body) {
        const { patches, rejected } = (0, customer_rows_1.prepareCustomers)(body.customers);
        const { created, updated } = await this.customers.upsert(actor.workspaceId, patches, this.clock.now());
        return { created, updated, rejected };
    }
    async list(actor, query) {
        if (query.cursor !== undefined && !UUID.test(query.cursor))
            throw domain_error_1.DomainError.invalid('query.cursor', 'cursor');
        const page = await this.customers.list(actor.workspaceId, {
            search: query.search,
            before: query.cursor,
            take: query.limit + 1,
        });
        const items = page.slice(0, query.limit).map(toCustomer);
        const last = items.at(-1);
        return { items, nextCursor: page.length > query.limit && last ? last.id : null };
    }
    async get(actor, externalId) {
        const found = await this.customers.findDetail(actor.workspaceId, externalId);
        if (!found)
            throw domain_error_1.DomainError.notFound('Customer', externalId);
        const events = await this.customers.recentEvents(actor.workspaceId, found.id, contracts_1.CUSTOMER_RECENT_EVENTS);
        return {
            ...toCustomer(found),
            assignments: found.assignments.map((a) => ({
                experimentId: a.experiment.id,
                experimentKey: a.experiment.key,
                experimentName: a.experiment.name,
                experimentStatus: a.experiment.status,
                variantKey: a.variant.key,
                variantName: a.variant.name,
                isControl: a.variant.isControl,
                assignedAt: a.assignedAt.toISOString(),
                source: a.source,
            })),
            recentEvents: events.map(toEvent),
        };
    }
};
exports.CustomersService = CustomersService;
exports.CustomersService = CustomersService = __decorate([
    (0, common_1.Injectable)(),
    __param(1, (0, common_1.Inject)(clock_1.CLOCK)),
    __metadata("design:paramtypes", [customers_repository_1.CustomersRepository, Object])
], CustomersService);
function toCustomer(c) {
    return {
        id: c.id,
        externalId: c.externalId,
        segment: c.segment,
        acquisitionDate: c.acquisitionDate ? c.acquisitionDate.toISOString().slice(0, 10) : null,
        acquisitionChannel: c.acquisitionChannel,
        plan: c.plan,
        country: c.country,
        timezone: c.timezone,
        traits: asObject(c.traits),
        createdAt: c.createdAt.toISOString(),
        updatedAt: c.updatedAt.toISOString(),
    };
}
function toEvent(e) {
    return {
        id: e.id.toString(),
        clientEventId: e.clientEventId,
        type: e.type,
        name: e.name,
        occurredAt: e.occurredAt.toISOString(),
        receivedAt: e.receivedAt.toISOString(),
        experimentKey: e.experiment?.key ?? null,
        variantKey: e.variant?.key ?? null,
        value: e.value,
        amount: e.amount === null ? null : Number(e.amount.toString()),
        currency: e.currency,
        revenueStream: e.revenueStream,
        properties: asObject(e.properties),
    };
}
function asObject(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value)
        ? value
        : {};
}
//# sourceMappingURL=customers.service.js.map