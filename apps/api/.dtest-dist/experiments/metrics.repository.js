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
exports.MetricsRepository = void 0;
const common_1 = require("@nestjs/common");
const prisma_service_1 = require("../database/prisma.service");
/** The only place metric definitions touch the database. */
let MetricsRepository = class MetricsRepository {
    prisma;
    constructor(prisma) {
        this.prisma = prisma;
    }
    transaction(fn) {
        return this.prisma.$transaction(fn);
    }
    create(data, db) {
        return db.metric.create({ data });
    }
    list(workspaceId) {
        return this.prisma.metric.findMany({ where: { workspaceId }, orderBy: { key: 'asc' } });
    }
    findById(workspaceId, id) {
        return this.prisma.metric.findFirst({ where: { workspaceId, id } });
    }
};
exports.MetricsRepository = MetricsRepository;
exports.MetricsRepository = MetricsRepository = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [prisma_service_1.PrismaService])
], MetricsRepository);
//# sourceMappingURL=metrics.repository.js.map