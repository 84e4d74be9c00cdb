import { Module } from '@nestjs/common';
import { AnalysisModule } from '../analysis/analysis.module';
import { AnalysisService } from '../analysis/analysis.service';
import { CampaignsController, ProgramsController } from './campaigns.controller';
import { CampaignsRepository } from './campaigns.repository';
import { CampaignsScheduler } from './campaigns.scheduler';
import { CampaignsService } from './campaigns.service';
import { ResultSnapshots } from './snapshots';

/** Campaigns tied to experiments, their cost ledgers, ROI, planning, and program targets. */
@Module({
  imports: [AnalysisModule],
  controllers: [CampaignsController, ProgramsController],
  providers: [
    CampaignsRepository,
    CampaignsService,
    CampaignsScheduler,
    {
      provide: ResultSnapshots,
      inject: [AnalysisService],
      useFactory: (analysis: AnalysisService): ResultSnapshots => ({
        latest: (_workspaceId, experimentId) => analysis.latestSnapshot(experimentId),
      }),
    },
  ],
  exports: [CampaignsService],
})
export class CampaignsModule {}
