import { Module } from '@nestjs/common';
import { ChannelSpendController, CohortsController } from './cohorts.controller';
import { CohortsRepository } from './cohorts.repository';
import { CohortsService } from './cohorts.service';

/**
 * Cohort explorer (retention heatmap, cumulative revenue per customer), LTV:CAC and payback by acquisition
 * channel, and the channel spend behind CAC. Counts come from SQL; @liftlab/stats shapes the curves.
 */
@Module({
  controllers: [CohortsController, ChannelSpendController],
  providers: [CohortsRepository, CohortsService],
})
export class CohortsModule {}
