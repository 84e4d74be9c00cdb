"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.AppModule = void 0;
const common_1 = require("@nestjs/common");
const schedule_1 = require("@nestjs/schedule");
const nestjs_pino_1 = require("nestjs-pino");
const assignment_module_1 = require("./assignment/assignment.module");
const audit_module_1 = require("./audit/audit.module");
const auth_module_1 = require("./auth/auth.module");
const clock_1 = require("./common/clock");
const config_1 = require("./config/config");
const customers_module_1 = require("./customers/customers.module");
const database_module_1 = require("./database/database.module");
const events_module_1 = require("./events/events.module");
const experiments_module_1 = require("./experiments/experiments.module");
const health_module_1 = require("./health/health.module");
const logging_1 = require("./observability/logging");
const observability_module_1 = require("./observability/observability.module");
/**
 * Root module. Each domain module adds itself to `imports` (one line each).
 * Global providers: AppConfig, CLOCK, PrismaService, AuditService; global guard: AuthGuard (from AuthModule).
 */
let AppModule = class AppModule {
};
exports.AppModule = AppModule;
exports.AppModule = AppModule = __decorate([
    (0, common_1.Module)({
        imports: [
            config_1.ConfigModule.forRoot(),
            clock_1.ClockModule,
            logging_1.LogDestinationModule,
            nestjs_pino_1.LoggerModule.forRootAsync({ inject: [config_1.AppConfig, logging_1.LOG_DESTINATION], useFactory: logging_1.loggerParams }),
            schedule_1.ScheduleModule.forRoot(),
            database_module_1.DatabaseModule,
            observability_module_1.ObservabilityModule,
            audit_module_1.AuditModule,
            auth_module_1.AuthModule,
            health_module_1.HealthModule,
            experiments_module_1.ExperimentsModule,
            assignment_module_1.AssignmentModule,
            customers_module_1.CustomersModule,
            events_module_1.EventsModule,
        ],
    })
], AppModule);
//# sourceMappingURL=app.module.js.map