import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { afterEach, describe, expect, it } from 'vitest';
import { FixedClock } from '../common/clock';
import { loadConfig } from '../config/config';
import { SIGNALS_JOB, SignalsScheduler } from './signals.scheduler';
import type { SignalsService } from './signals.service';

Logger.overrideLogger(false);

function setup(cron: string) {
  const calls: Date[] = [];
  let release: () => void = () => undefined;
  const service = {
    evaluate: (now: Date) => {
      calls.push(now);
      return new Promise((resolve) => {
        release = () => resolve({ results: [], failures: [] });
      });
    },
  } as unknown as SignalsService;
  const registry = new SchedulerRegistry();
  const clock = new FixedClock('2025-03-01T12:00:00Z');
  const scheduler = new SignalsScheduler(service, registry, loadConfig({ SIGNALS_CRON: cron }), clock);
  return { scheduler, registry, clock, calls, release: () => release() };
}

let registries: SchedulerRegistry[] = [];
afterEach(() => {
  for (const r of registries) for (const [, job] of r.getCronJobs()) void job.stop();
  registries = [];
});

describe('SignalsScheduler', () => {
  it('registers the job on SIGNALS_CRON, and none when it is off', () => {
    const on = setup('*/20 * * * *');
    registries.push(on.registry);
    on.scheduler.onApplicationBootstrap();
    expect(on.registry.getCronJob(SIGNALS_JOB).cronTime.source).toBe('*/20 * * * *');

    const off = setup('off');
    off.scheduler.onApplicationBootstrap();
    expect(off.registry.getCronJobs().size).toBe(0);
  });

  it('evaluates with the time of the clock, and skips a tick while the previous one runs', async () => {
    const { scheduler, clock, calls, release } = setup('10 * * * *');
    const first = scheduler.tick();
    clock.advanceMinutes(60);
    await scheduler.tick();
    expect(calls).toEqual([new Date('2025-03-01T12:00:00Z')]);
    release();
    await first;
    const second = scheduler.tick();
    expect(calls).toEqual([new Date('2025-03-01T12:00:00Z'), new Date('2025-03-01T13:00:00Z')]);
    release();
    await second;
  });
});
