import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { LoggerModule } from 'nestjs-pino';
import { AnalysisModule } from './analysis/analysis.module';
import { AssignmentModule } from './assignment/assignment.module';
import { AttributionModule } from './attribution/attribution.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CampaignsModule } from './campaigns/campaigns.module';
import { CohortsModule } from './cohorts/cohorts.module';
import { ClockModule } from './common/clock';
import { ConfigModule, AppConfig } from './config/config';
import { CustomerValueModule } from './customer-value/customer-value.module';
import { CustomersModule } from './customers/customers.module';
import { DatabaseModule } from './database/database.module';
import { DeliveryModule } from './delivery/delivery.module';
import { EventsModule } from './events/events.module';
import { ExperimentsModule } from './experiments/experiments.module';
import { HealthModule } from './health/health.module';
import { ImportsModule } from './imports/imports.module';
import { InboxModule } from './inbox/inbox.module';
import { LOG_DESTINATION, LogDestinationModule, loggerParams } from './observability/logging';
import { ObservabilityModule } from './observability/observability.module';
import { OffersModule } from './offers/offers.module';
import { ReportsModule } from './reports/reports.module';
import { SequenceResultsModule } from './sequence-results/sequence-results.module';
import { SequencesModule } from './sequences/sequences.module';
import { SegmentFinderModule } from './segment-finder/segment-finder.module';
import { SignalsModule } from './signals/signals.module';
import { SurveysModule } from './surveys/surveys.module';
import { OutboxModule } from './outbox/outbox.module';
import { SuppressionModule } from './suppression/suppression.module';
import { TasksModule } from './tasks/tasks.module';

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
    CohortsModule,
    AttributionModule,
    SegmentFinderModule,
    SignalsModule,
    CustomerValueModule,
    SuppressionModule,
    InboxModule,
    TasksModule,
    DeliveryModule,
    OutboxModule,
    SequencesModule,
    OffersModule,
    SurveysModule,
    SequenceResultsModule,
  ],
})
export class AppModule {}
