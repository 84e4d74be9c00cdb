import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { Mailer } from './mailer';
import { PortfolioController } from './reports.controller';
import { ReportsRepository } from './reports.repository';
import { ReportsScheduler } from './reports.scheduler';
import { ReportsService } from './reports.service';

/** Executive portfolio (JSON, CSV, printable HTML) and the scheduled e-mail digest. */
@Module({
  imports: [CampaignsModule],
  controllers: [PortfolioController],
  providers: [ReportsRepository, ReportsService, Mailer, ReportsScheduler],
})
export class ReportsModule {}
