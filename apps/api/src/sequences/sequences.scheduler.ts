import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { CLOCK, type Clock } from '../common/clock';
import { AppConfig } from '../config/config';
import { SequencesService } from './sequences.service';

/**
 * Schedule only: re-evaluates the audiences of running sequences on AUDIENCE_CRON (UTC; 'off' disables). The
 * expression comes from the configuration, so the job is registered at start rather than with @Cron.
 */
@Injectable()
export class SequencesScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger('Sequences');
  private running = false;

  constructor(
    private readonly sequences: SequencesService,
    private readonly registry: SchedulerRegistry,
    private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    const cronTime = this.config.AUDIENCE_CRON;
    if (cronTime === 'off') return;
    this.registry.addCronJob(
      'sequence-audiences',
      CronJob.from({ cronTime, onTick: () => this.tick(), start: true, timeZone: 'UTC' }),
    );
  }

  async tick(): Promise<void> {
    // A run over a large base can outlast the interval; overlapping runs would only wait on each other's locks.
    if (this.running) return;
    this.running = true;
    try {
      const runs = await this.sequences.runAudiences(this.clock.now());
      const enrolled = runs.reduce((s, r) => s + r.enrolled, 0);
      if (enrolled > 0)
        this.logger.log(`audience runs: ${enrolled} enrolled across ${runs.length} sequences`);
    } catch (error) {
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    } finally {
      this.running = false;
    }
  }
}
