import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { CLOCK, type Clock } from '../common/clock';
import { AppConfig } from '../config/config';
import { ReportsService } from './reports.service';

/**
 * Schedule only: sends the executive digest on DIGEST_CRON (UTC). The expression comes from the configuration,
 * so the job is registered at start rather than with a static @Cron decorator.
 */
@Injectable()
export class ReportsScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger('Reports');

  constructor(
    private readonly reports: ReportsService,
    private readonly registry: SchedulerRegistry,
    private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    const cronTime = this.config.DIGEST_CRON;
    if (cronTime === 'off') return;
    this.registry.addCronJob(
      'executive-digest',
      CronJob.from({ cronTime, onTick: () => this.tick(), start: true, timeZone: 'UTC' }),
    );
  }

  async tick(): Promise<void> {
    try {
      const { sent, skipped } = await this.reports.sendScheduledDigests(this.clock.now());
      this.logger.log(`executive digest: ${sent} sent, ${skipped} without recipients`);
    } catch (error) {
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    }
  }
}
