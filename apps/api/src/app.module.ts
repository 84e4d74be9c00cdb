import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { LoggerModule } from 'nestjs-pino';
import { AnalysisModule } from './analysis/analysis.module';
import { AssignmentModule } from './assignment/assignment.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CampaignsModule } from './campaigns/campaigns.module';
import { ClockModule } from './common/clock';
import { ConfigModule, AppConfig } from './config/config';
import { CustomersModule } from './customers/customers.module';
import { DatabaseModule } from './database/database.module';
import { EventsModule } from './events/events.module';
import { ExperimentsModule } from './experiments/experiments.module';
import { HealthModule } from './health/health.module';
import { ImportsModule } from './imports/imports.module';
import { LOG_DESTINATION, LogDestinationModule, loggerParams } from './observability/logging';
import { ObservabilityModule } from './observability/observability.module';
import { ReportsModule } from './reports/reports.module';

/**
 * Root module. Each domain module adds itself to `imports` (one line each).
 * Global providers: AppConfig, CLOCK, PrismaService, AuditService; global guard: AuthGuard (from AuthModule).
 */
@Module({
  imports: [
    ConfigModule.forRoot(),
    ClockModule,
    LogDestinationModule,
    LoggerModule.forRootAsync({ inject: [AppConfig, LOG_DESTINATION], useFactory: loggerParams }),
    ScheduleModule.forRoot(),
    DatabaseModule,
    ObservabilityModule,
    AuditModule,
    AuthModule,
    HealthModule,
    ExperimentsModule,
    AssignmentModule,
    CustomersModule,
    EventsModule,
    ImportsModule,
    CampaignsModule,
    ReportsModule,
    AnalysisModule,
  ],
})
export class AppModule {}
