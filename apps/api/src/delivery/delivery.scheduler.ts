import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { CLOCK, type Clock } from '../common/clock';
import { AppConfig } from '../config/config';
import { DeliveryService } from './delivery.service';

/**
 * Schedule only: runs the delivery tick on SEQUENCE_TICK_CRON ('off' disables). A tick still running when the
 * next one is due is not doubled up in this process (other processes may run theirs; claims keep them apart).
 */
@Injectable()
export class DeliveryScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger('Delivery');
  private running: Promise<void> | null = null;

  constructor(
    private readonly delivery: DeliveryService,
    private readonly registry: SchedulerRegistry,
    private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    const cronTime = this.config.SEQUENCE_TICK_CRON;
    // Integration tests drive tick() on their fixed clock; a background tick every 30 s would race them.
    if (cronTime === 'off' || this.config.NODE_ENV === 'test') return;
    this.registry.addCronJob(
      'sequence-delivery',
      CronJob.from({ cronTime, onTick: () => this.tick(), start: true, timeZone: 'UTC' }),
    );
  }

  /** Starts a tick unless one is running; resolves when the running tick ends. */
  tick(): Promise<void> {
    if (this.running) return this.running;
    this.running = this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async run(): Promise<void> {
    try {
      const { advance, send } = await this.delivery.tick(this.clock.now());
      if (advance.claimed + send.claimed > 0) {
        this.logger.log(
          `tick: ${advance.messages} messages written, ${advance.exited} exited; ` +
            `${send.sent} sent, ${send.deferred} deferred, ${send.retried} retried, ${send.failed} failed, ` +
            `${send.suppressed} suppressed`,
        );
      }
    } catch (error) {
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    }
  }
}
