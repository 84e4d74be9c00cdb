import { Module } from '@nestjs/common';
import { GlobalHoldoutReportController, ResultsController } from './analysis.controller';
import { AnalysisRepository } from './analysis.repository';
import { AnalysisScheduler } from './analysis.scheduler';
import { AnalysisService } from './analysis.service';

/**
 * Experiment results: sufficient statistics aggregated by the database, turned into snapshots by
 * @liftlab/stats, refreshed on a schedule and on demand. Exports AnalysisService (latestSnapshot) for reports.
 */
@Module({
  controllers: [ResultsController, GlobalHoldoutReportController],
  providers: [AnalysisRepository, AnalysisService, AnalysisScheduler],
  exports: [AnalysisService],
})
export class AnalysisModule {}
