import { describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS, MAX_RETRY_DELAY_MS, nextRetryAt, retryDelayMs } from './backoff';

describe('retryDelayMs', () => {
  it('doubles from one minute', () => {
    expect([1, 2, 3, 4, 5].map(retryDelayMs)).toEqual([60_000, 120_000, 240_000, 480_000, 960_000]);
  });

  it('is capped at six hours', () => {
    expect(retryDelayMs(9)).toBe(256 * 60_000);
    expect(retryDelayMs(10)).toBe(MAX_RETRY_DELAY_MS);
    expect(retryDelayMs(40)).toBe(MAX_RETRY_DELAY_MS);
  });

  it('refuses attempt numbers below 1', () => {
    expect(() => retryDelayMs(0)).toThrow(RangeError);
    expect(() => retryDelayMs(1.5)).toThrow(RangeError);
  });
});

describe('nextRetryAt', () => {
  const now = new Date('2025-01-15T09:00:00.000Z');

  it('schedules the next attempt after the backoff delay', () => {
    expect(nextRetryAt(1, now)?.toISOString()).toBe('2025-01-15T09:01:00.000Z');
    expect(nextRetryAt(3, now)?.toISOString()).toBe('2025-01-15T09:04:00.000Z');
  });

  it('gives up once the attempts are used', () => {
    expect(nextRetryAt(MAX_ATTEMPTS - 1, now)).not.toBeNull();
    expect(nextRetryAt(MAX_ATTEMPTS, now)).toBeNull();
    expect(nextRetryAt(2, now, 2)).toBeNull();
  });
});
