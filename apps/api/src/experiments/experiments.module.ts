import { Module } from '@nestjs/common';
import { GlobalHoldoutController, MetricsController, NamespacesController } from './catalog.controller';
import { ExperimentsController } from './experiments.controller';
import { ExperimentsRepository } from './experiments.repository';
import { ExperimentsService } from './experiments.service';
import { GlobalHoldoutRepository } from './global-holdout.repository';
import { GlobalHoldoutService } from './global-holdout.service';
import { MetricsRepository } from './metrics.repository';
import { MetricsService } from './metrics.service';
import { NamespacesRepository } from './namespaces.repository';
import { NamespacesService } from './namespaces.service';

/** Experiments and their lifecycle, metric definitions, namespaces and the global holdout settings. */
@Module({
  controllers: [ExperimentsController, MetricsController, NamespacesController, GlobalHoldoutController],
  providers: [
    ExperimentsRepository,
    ExperimentsService,
    MetricsRepository,
    MetricsService,
    NamespacesRepository,
    NamespacesService,
    GlobalHoldoutRepository,
    GlobalHoldoutService,
  ],
})
export class ExperimentsModule {}
