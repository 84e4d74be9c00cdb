import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { CLOCK, type Clock } from '../common/clock';
import { AppConfig } from '../config/config';
import { CustomerValueService } from './customer-value.service';

/**
 * Schedule only: refits every workspace's CLV model on CLV_FIT_CRON (UTC). The expression comes from the
 * configuration, so the job is registered at start rather than with a static @Cron decorator.
 */
@Injectable()
export class CustomerValueScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger('CustomerValue');

  constructor(
    private readonly values: CustomerValueService,
    private readonly registry: SchedulerRegistry,
    private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    const cronTime = this.config.CLV_FIT_CRON;
    if (cronTime === 'off') return;
    this.registry.addCronJob(
      'clv-fit',
      CronJob.from({ cronTime, onTick: () => this.tick(), start: true, timeZone: 'UTC' }),
    );
  }

  async tick(): Promise<void> {
    try {
      const { fitted, skipped } = await this.values.fitAll(this.clock.now());
      this.logger.log(`CLV fit: ${fitted} workspaces fitted, ${skipped} skipped`);
    } catch (error) {
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    }
  }
}
