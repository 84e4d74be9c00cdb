import { describe, expect, it } from 'vitest';
import { frequencyCapRelease } from './frequency-cap';

const now = new Date('2025-01-15T12:00:00.000Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
const cap = { count: 2, days: 7 };

describe('frequencyCapRelease', () => {
  it('allows a send while fewer than `count` messages fall in the window', () => {
    expect(frequencyCapRelease([], now, cap)).toBeNull();
    expect(frequencyCapRelease([daysAgo(1)], now, cap)).toBeNull();
    expect(frequencyCapRelease([daysAgo(1), daysAgo(8), daysAgo(30)], now, cap)).toBeNull();
  });

  it('defers to the moment the oldest counted message leaves the rolling window', () => {
    // Sent 1 and 3 days ago: the 3-days-ago one leaves in 4 days.
    expect(frequencyCapRelease([daysAgo(1), daysAgo(3)], now, cap)?.toISOString()).toBe(
      new Date(now.getTime() + 4 * 86_400_000).toISOString(),
    );
  });

  it('needs enough messages to leave when the window holds more than the cap', () => {
    // Three in the window (a cap lowered after they went out): two must leave, so the second oldest decides.
    const release = frequencyCapRelease([daysAgo(6), daysAgo(2), daysAgo(5)], now, cap);
    expect(release?.toISOString()).toBe(new Date(now.getTime() + 2 * 86_400_000).toISOString());
  });

  it('counts a message sent exactly one window ago as gone, and one sent at `now` as in', () => {
    expect(frequencyCapRelease([daysAgo(7), daysAgo(1)], now, cap)).toBeNull();
    expect(frequencyCapRelease([now, daysAgo(1)], now, cap)).not.toBeNull();
  });

  it('ignores future timestamps and treats a cap below 1 as no cap', () => {
    expect(frequencyCapRelease([daysAgo(-1), daysAgo(-2)], now, cap)).toBeNull();
    expect(frequencyCapRelease([now, now, now], now, { count: 0, days: 7 })).toBeNull();
  });

  it('with a cap of 1 per day, releases exactly 24 hours after the last send', () => {
    const last = new Date(now.getTime() - 3_600_000);
    expect(frequencyCapRelease([last], now, { count: 1, days: 1 })?.toISOString()).toBe(
      new Date(last.getTime() + 86_400_000).toISOString(),
    );
  });
});
