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
exports.NamespacesRepository = void 0;
const common_1 = require("@nestjs/common");
const prisma_service_1 = require("../database/prisma.service");
const namespaceInclude = {
    experiments: {
        select: { id: true, key: true, status: true, namespaceRangeStart: true, namespaceRangeEnd: true },
        orderBy: { namespaceRangeStart: 'asc' },
    },
};
/** The only place namespaces touch the database. */
let NamespacesRepository = class NamespacesRepository {
    prisma;
    constructor(prisma) {
        this.prisma = prisma;
    }
    transaction(fn) {
        return this.prisma.$transaction(fn);
    }
    async create(workspaceId, key, name, db) {
        const ns = await db.namespace.create({ data: { workspaceId, key, name } });
        return { ...ns, experiments: [] };
    }
    list(workspaceId) {
        return this.prisma.namespace.findMany({
            where: { workspaceId },
            orderBy: { key: 'asc' },
            include: namespaceInclude,
        });
    }
};
exports.NamespacesRepository = NamespacesRepository;
exports.NamespacesRepository = NamespacesRepository = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [prisma_service_1.PrismaService])
], NamespacesRepository);
//# sourceMappingURL=namespaces.repository.js.map