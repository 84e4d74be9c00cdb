import type { SchedulerRegistry } from '@nestjs/schedule';
import { describe, expect, it, vi } from 'vitest';
import { FixedClock } from '../common/clock';
import { loadConfig } from '../config/config';
import { DeliveryScheduler } from './delivery.scheduler';
import type { DeliveryService } from './delivery.service';

const summary = {
  advance: { claimed: 0, messages: 0, exited: 0, completed: 0, skippedTouches: 0 },
  send: { claimed: 0, sent: 0, deferred: 0, suppressed: 0, retried: 0, failed: 0, lostLease: 0 },
};

function scheduler(env: Record<string, string>, tick: () => Promise<typeof summary>) {
  const registry = { addCronJob: vi.fn() };
  const service = { tick: vi.fn((_now: Date) => tick()) };
  const clock = new FixedClock('2025-01-15T09:00:00Z');
  const s = new DeliveryScheduler(
    service as unknown as DeliveryService,
    registry as unknown as SchedulerRegistry,
    loadConfig(env),
    clock,
  );
  return { s, registry, service, clock };
}

describe('DeliveryScheduler', () => {
  it('registers the tick on SEQUENCE_TICK_CRON, and nothing when it is off', () => {
    const on = scheduler(
      { NODE_ENV: 'production', SEQUENCE_TICK_CRON: '*/10 * * * * *' },
      async () => summary,
    );
    on.s.onApplicationBootstrap();
    expect(on.registry.addCronJob).toHaveBeenCalledTimes(1);
    expect(on.registry.addCronJob.mock.calls[0]![0]).toBe('sequence-delivery');
    const off = scheduler({ NODE_ENV: 'production', SEQUENCE_TICK_CRON: 'off' }, async () => summary);
    off.s.onApplicationBootstrap();
    expect(off.registry.addCronJob).not.toHaveBeenCalled();
    // Stop the registered job's timer (the mock registry holds it).
    (on.registry.addCronJob.mock.calls[0]![1] as { stop(): void }).stop();
  });

  it('does not start a second tick while one is running, and passes the clock time', async () => {
    let release: () => void = () => undefined;
    const { s, service, clock } = scheduler(
      { NODE_ENV: 'production' },
      () => new Promise((r) => (release = () => r(summary))),
    );
    const first = s.tick();
    const second = s.tick();
    expect(service.tick).toHaveBeenCalledTimes(1);
    expect(service.tick.mock.calls[0]![0]).toEqual(clock.now());
    release();
    await Promise.all([first, second]);
    // Once it ended, the next tick starts.
    const third = s.tick();
    expect(service.tick).toHaveBeenCalledTimes(2);
    release();
    await third;
  });

  it('logs and survives a failing tick', async () => {
    const { s, service } = scheduler({ NODE_ENV: 'production' }, () =>
      Promise.reject(new Error('database down')),
    );
    await expect(s.tick()).resolves.toBeUndefined();
    expect(service.tick).toHaveBeenCalledTimes(1);
  });
});
