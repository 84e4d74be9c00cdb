import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { CampaignLtvController, CustomerValueController } from './customer-value.controller';
import { CustomerValueRepository } from './customer-value.repository';
import { CustomerValueScheduler } from './customer-value.scheduler';
import { CustomerValueService } from './customer-value.service';

/** Predictive CLV per workspace, value segments, calibration check, and the incremental LTV of campaigns. */
@Module({
  imports: [CampaignsModule],
  controllers: [CustomerValueController, CampaignLtvController],
  providers: [CustomerValueRepository, CustomerValueService, CustomerValueScheduler],
  exports: [CustomerValueService],
})
export class CustomerValueModule {}
