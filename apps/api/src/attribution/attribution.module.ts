import { Module } from '@nestjs/common';
import { AttributionController } from './attribution.controller';
import { AttributionRepository } from './attribution.repository';
import { AttributionService } from './attribution.service';

/** Attribution comparison for upsell and cross-sell: journeys aggregated in SQL, models from @liftlab/stats. */
@Module({
  controllers: [AttributionController],
  providers: [AttributionRepository, AttributionService],
})
export class AttributionModule {}
