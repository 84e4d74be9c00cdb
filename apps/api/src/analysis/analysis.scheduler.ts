import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { CLOCK, type Clock } from '../common/clock';
import { AppConfig } from '../config/config';
import { AnalysisService } from './analysis.service';

export const RESULTS_REFRESH_JOB = 'results-refresh';

/**
 * Refreshes every results snapshot on RESULTS_REFRESH_CRON. The expression comes from the configuration at
 * start, so the job is registered with the scheduler here rather than with a static @Cron decorator. A tick that
 * comes while the previous refresh still runs is skipped.
 */
@Injectable()
export class AnalysisScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger('ResultsRefresh');
  private running = false;

  constructor(
    private readonly analysis: AnalysisService,
    private readonly registry: SchedulerRegistry,
    private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    const job = CronJob.from({
      cronTime: this.config.RESULTS_REFRESH_CRON,
      onTick: () => this.tick(),
      start: false,
    });
    this.registry.addCronJob(RESULTS_REFRESH_JOB, job);
    job.start();
  }

  async tick(): Promise<void> {
    if (this.running) {
      this.logger.warn('previous results refresh still running; skipping this one');
      return;
    }
    this.running = true;
    try {
      const { refreshed, failed } = await this.analysis.refreshAll(this.clock.now());
      this.logger.log(`results refreshed: ${refreshed} snapshots, ${failed} failed`);
    } finally {
      this.running = false;
    }
  }
}
