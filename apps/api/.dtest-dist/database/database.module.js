"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.DatabaseModule = void 0;
const common_1 = require("@nestjs/common");
const config_1 = require("../config/config");
const prisma_service_1 = require("./prisma.service");
/**
 * Global: provides PrismaService for every repository. The database follows AppConfig (DATABASE_URL, else
 * PGlite under DATA_DIR/pglite); pending migrations are applied while the module starts.
 */
let DatabaseModule = class DatabaseModule {
};
exports.DatabaseModule = DatabaseModule;
exports.DatabaseModule = DatabaseModule = __decorate([
    (0, common_1.Global)(),
    (0, common_1.Module)({
        providers: [
            {
                provide: prisma_service_1.PrismaService,
                useFactory: (config) => prisma_service_1.PrismaService.fromConfig(config),
                inject: [config_1.AppConfig],
            },
        ],
        exports: [prisma_service_1.PrismaService],
    })
], DatabaseModule);
//# sourceMappingURL=database.module.js.map