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
exports.EventsController = void 0;
const common_1 = require("@nestjs/common");
const swagger_1 = require("@nestjs/swagger");
const contracts_1 = require("@liftlab/contracts");
const decorators_1 = require("../auth/decorators");
const openapi_1 = require("../common/openapi");
const zod_pipe_1 = require("../common/zod.pipe");
const events_service_1 = require("./events.service");
let EventsController = class EventsController {
    events;
    constructor(events) {
        this.events = events;
    }
    ingest(actor, body) {
        return this.events.ingest(actor, body);
    }
};
exports.EventsController = EventsController;
__decorate([
    (0, common_1.Post)(),
    (0, common_1.HttpCode)(200),
    (0, decorators_1.KeyScopes)('ingest'),
    (0, swagger_1.ApiOperation)({
        summary: 'Ingest up to 10 000 exposures, conversions, orders and activity events',
        description: 'Idempotent per clientEventId: re-sent events are counted as duplicates and ignored. Each invalid event ' +
            'is reported with its index, field and rule; the valid events of the same batch are stored. Events name ' +
            'customers by externalId; unknown customers are created.',
    }),
    (0, openapi_1.ApiZodResponse)(200, contracts_1.EventIngestResultSchema),
    __param(0, (0, decorators_1.CurrentActor)()),
    __param(1, (0, zod_pipe_1.ZodBody)(contracts_1.EventIngestRequestSchema)),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, Object]),
    __metadata("design:returntype", Promise)
], EventsController.prototype, "ingest", null);
exports.EventsController = EventsController = __decorate([
    (0, swagger_1.ApiTags)('events'),
    (0, common_1.Controller)('v1/events'),
    __metadata("design:paramtypes", [events_service_1.EventsService])
], EventsController);
//# sourceMappingURL=events.controller.js.map