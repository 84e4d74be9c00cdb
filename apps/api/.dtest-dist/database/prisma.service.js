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
var PrismaService_1;
Object.defineProperty(exports, "__esModule", { value: true });
exports.PrismaService = void 0;
const common_1 = require("@nestjs/common");
const client_1 = require("../generated/prisma/client");
const adapters_1 = require("./adapters");
const migrator_1 = require("./migrator");
/**
 * The application's PrismaClient (inject `PrismaService` and use it like a PrismaClient; repositories are the
 * only place that does). It owns the database connection: PostgreSQL or the embedded PGlite database.
 */
let PrismaService = PrismaService_1 = class PrismaService extends client_1.PrismaClient {
    database;
    options;
    logger = new common_1.Logger('Database');
    closed = false;
    constructor(database, options = { migrateOnStart: true }) {
        super({ adapter: database.client });
        this.database = database;
        this.options = options;
    }
    static fromConfig(target, options) {
        return new PrismaService_1((0, adapters_1.createDatabaseAdapter)(target), options);
    }
    async onModuleInit() {
        if (!this.options.migrateOnStart)
            return;
        const applied = await (0, migrator_1.applyMigrations)(this.database.migrations);
        for (const name of applied)
            this.logger.log(`applied migration ${name}`);
        this.logger.log(`${this.database.provider} database at ${this.database.location} is migrated`);
    }
    /** Which migrations on disk are applied; for the health check. */
    migrationStatus() {
        return (0, migrator_1.migrationStatus)(this);
    }
    async onModuleDestroy() {
        await this.close();
    }
    /** Disconnects and closes an embedded database; safe to call more than once. */
    async close() {
        if (this.closed)
            return;
        this.closed = true;
        await this.$disconnect();
        await this.database.close();
    }
};
exports.PrismaService = PrismaService;
exports.PrismaService = PrismaService = PrismaService_1 = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [Object, Object])
], PrismaService);
//# sourceMappingURL=prisma.service.js.map