import { describe, expect, it } from 'vitest';
import { FixedClock } from '../common/clock';
import { LoginLimiter } from './login-limiter';

describe('LoginLimiter', () => {
  it('blocks an email+IP pair after maxFailures within the window and frees it when the window passes', () => {
    const clock = new FixedClock('2025-01-01T00:00:00Z');
    const limiter = new LoginLimiter(clock, 5, 60);
    for (let i = 0; i < 5; i++) {
      expect(limiter.retryAfter('a@x.io', '1.1.1.1')).toBe(0);
      limiter.recordFailure('A@x.io', '1.1.1.1');
      clock.advance(1000);
    }
    // First failure was at t=0; now t=5s → blocked until t=60s.
    expect(limiter.retryAfter('a@x.io', '1.1.1.1')).toBe(55);
    expect(limiter.retryAfter('a@x.io', '2.2.2.2')).toBe(0);
    expect(limiter.retryAfter('b@x.io', '1.1.1.1')).toBe(0);
    clock.set('2025-01-01T00:01:00.001Z');
    expect(limiter.retryAfter('a@x.io', '1.1.1.1')).toBe(0);
  });

  it('a success clears the pair counter', () => {
    const clock = new FixedClock();
    const limiter = new LoginLimiter(clock, 3, 60);
    limiter.recordFailure('a@x.io', 'ip');
    limiter.recordFailure('a@x.io', 'ip');
    limiter.recordSuccess('a@x.io', 'ip');
    limiter.recordFailure('a@x.io', 'ip');
    limiter.recordFailure('a@x.io', 'ip');
    expect(limiter.retryAfter('a@x.io', 'ip')).toBe(0);
  });

  it('limits one IP spraying many emails at 4x the pair limit', () => {
    const clock = new FixedClock();
    const limiter = new LoginLimiter(clock, 2, 60);
    for (let i = 0; i < 8; i++) limiter.recordFailure(`user${i}@x.io`, '9.9.9.9');
    expect(limiter.retryAfter('fresh@x.io', '9.9.9.9')).toBeGreaterThan(0);
    expect(limiter.retryAfter('fresh@x.io', '8.8.8.8')).toBe(0);
  });
});
