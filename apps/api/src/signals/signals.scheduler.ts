import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { CLOCK, type Clock } from '../common/clock';
import { AppConfig } from '../config/config';
import { SignalsService } from './signals.service';

export const SIGNALS_JOB = 'health-signals';

/**
 * Schedule only: evaluates every enabled signal rule on SIGNALS_CRON (UTC; 'off' disables it). The expression
 * comes from the configuration, so the job is registered at start rather than with a static @Cron decorator.
 */
@Injectable()
export class SignalsScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger('Signals');
  private running = false;

  constructor(
    private readonly signals: SignalsService,
    private readonly registry: SchedulerRegistry,
    private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    const cronTime = this.config.SIGNALS_CRON;
    if (cronTime === 'off') return;
    this.registry.addCronJob(
      SIGNALS_JOB,
      CronJob.from({ cronTime, onTick: () => this.tick(), start: true, timeZone: 'UTC' }),
    );
  }

  async tick(): Promise<void> {
    // A slow run is not overlapped by the next tick of this instance (other instances serialize on the rule lock).
    if (this.running) return;
    this.running = true;
    try {
      const { results, failures } = await this.signals.evaluate(this.clock.now());
      const opened = results.reduce((s, r) => s + r.opened, 0);
      const resolved = results.reduce((s, r) => s + r.resolved, 0);
      if (opened + resolved > 0) this.logger.log(`health signals: ${opened} opened, ${resolved} resolved`);
      for (const f of failures) this.logger.error(`signal rule ${f.ruleId}: ${f.error}`);
      for (const r of results) {
        if (r.interventionErrors.length > 0) {
          this.logger.warn(
            `signal rule ${r.ruleKey}: ${r.interventionErrors.length} interventions pending (${r.interventionErrors[0]?.error})`,
          );
        }
      }
    } catch (error) {
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    } finally {
      this.running = false;
    }
  }
}
