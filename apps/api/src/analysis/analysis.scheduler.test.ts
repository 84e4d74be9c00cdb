import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { afterEach, describe, expect, it } from 'vitest';
import { FixedClock } from '../common/clock';
import { loadConfig } from '../config/config';
import { AnalysisScheduler, RESULTS_REFRESH_JOB } from './analysis.scheduler';
import type { AnalysisService } from './analysis.service';

Logger.overrideLogger(false);

function setup(cron = '*/5 * * * *') {
  const calls: Date[] = [];
  let release: () => void = () => undefined;
  const service = {
    refreshAll: (now: Date) => {
      calls.push(now);
      return new Promise<{ refreshed: number; failed: number }>((resolve) => {
        release = () => resolve({ refreshed: 1, failed: 0 });
      });
    },
  } as unknown as AnalysisService;
  const registry = new SchedulerRegistry();
  const clock = new FixedClock('2025-03-01T12:00:00Z');
  const scheduler = new AnalysisScheduler(
    service,
    registry,
    loadConfig({ RESULTS_REFRESH_CRON: cron }),
    clock,
  );
  return { scheduler, registry, clock, calls, release: () => release() };
}

let registries: SchedulerRegistry[] = [];
afterEach(() => {
  for (const r of registries) for (const [, job] of r.getCronJobs()) void job.stop();
  registries = [];
});

describe('AnalysisScheduler', () => {
  it('registers the refresh job with the configured cron expression', () => {
    const { scheduler, registry } = setup('0 */2 * * *');
    registries.push(registry);
    scheduler.onApplicationBootstrap();
    const job = registry.getCronJob(RESULTS_REFRESH_JOB);
    expect(job.cronTime.source).toBe('0 */2 * * *');
    expect(job.isActive).toBe(true);
  });

  it('refreshes everything with the time of the clock, and skips a tick while the previous one runs', async () => {
    const { scheduler, clock, calls, release } = setup();
    const first = scheduler.tick();
    clock.advanceMinutes(5);
    await scheduler.tick();
    expect(calls).toEqual([new Date('2025-03-01T12:00:00Z')]);
    release();
    await first;
    await Promise.resolve();
    const third = scheduler.tick();
    expect(calls).toEqual([new Date('2025-03-01T12:00:00Z'), new Date('2025-03-01T12:05:00Z')]);
    release();
    await third;
  });
});
