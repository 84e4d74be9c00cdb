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
exports.EventsService = void 0;
const common_1 = require("@nestjs/common");
const clock_1 = require("../common/clock");
const event_rows_1 = require("./event-rows");
const events_repository_1 = require("./events.repository");
let EventsService = class EventsService {
    events;
    clock;
    constructor(events, clock) {
        this.events = events;
        this.clock = clock;
    }
    /**
     * Stores the valid events of a batch and reports the rest. Customers named by an event but unknown to the
     * workspace are created (exposures often arrive before the CRM sync; dropping them would bias results).
     */
    async ingest(actor, body) {
        const now = this.clock.now();
        const experiments = await this.events.findExperiments(actor.workspaceId, (0, event_rows_1.experimentKeysOf)(body.events));
        const { rows, repeatedInBatch, rejected } = (0, event_rows_1.prepareEvents)(body.events, experiments, now);
        await this.events.ensureCustomers(actor.workspaceId, [...new Set(rows.map((r) => r.externalId))], now);
        const accepted = await this.events.insertEvents(actor.workspaceId, rows, now);
        return { accepted, duplicates: repeatedInBatch + (rows.length - accepted), rejected };
    }
};
exports.EventsService = EventsService;
exports.EventsService = EventsService = __decorate([
    (0, common_1.Injectable)(),
    __param(1, (0, common_1.Inject)(clock_1.CLOCK)),
    __metadata("design:paramtypes", [events_repository_1.EventsRepository, Object])
], EventsService);
//# sourceMappingURL=events.service.js.map