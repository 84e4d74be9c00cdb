import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { CLOCK, type Clock } from '../common/clock';
import { AppConfig } from '../config/config';
import { CampaignsService } from './campaigns.service';

/**
 * Schedule only: re-evaluates campaign verdicts on CAMPAIGN_VERDICT_CRON (UTC). The expression comes from the
 * configuration, so the job is registered at start rather than with a static @Cron decorator.
 */
@Injectable()
export class CampaignsScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger('Campaigns');

  constructor(
    private readonly campaigns: CampaignsService,
    private readonly registry: SchedulerRegistry,
    private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    const cronTime = this.config.CAMPAIGN_VERDICT_CRON;
    if (cronTime === 'off') return;
    this.registry.addCronJob(
      'campaign-verdicts',
      CronJob.from({ cronTime, onTick: () => this.tick(), start: true, timeZone: 'UTC' }),
    );
  }

  async tick(): Promise<void> {
    try {
      const { evaluated, changed } = await this.campaigns.recordVerdicts(this.clock.now());
      if (changed > 0) this.logger.log(`campaign verdicts: ${changed} of ${evaluated} changed`);
    } catch (error) {
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    }
  }
}
