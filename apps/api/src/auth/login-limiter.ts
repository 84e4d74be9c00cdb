import type { Clock } from '../common/clock';

/**
 * Failed sign-ins are counted per (email, client IP) in a sliding window; once `maxFailures` is reached every
 * attempt for that pair is refused until the oldest failure leaves the window. A looser per-IP limit
 * (4 × maxFailures) stops one client from spraying passwords across many emails.
 * Counters are in memory: a restart clears them, which is acceptable for a single-instance deployment.
 */
export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly maxFailures: number,
    private readonly windowSeconds: number,
  ) {}

  /** Seconds until another attempt is allowed, or 0 if allowed now. */
  retryAfter(email: string, ip: string): number {
    const now = this.clock.now().getTime();
    return Math.max(
      this.blockedFor(this.pairKey(email, ip), this.maxFailures, now),
      this.blockedFor(this.ipKey(ip), this.maxFailures * 4, now),
    );
  }

  recordFailure(email: string, ip: string): void {
    const now = this.clock.now().getTime();
    for (const key of [this.pairKey(email, ip), this.ipKey(ip)]) {
      const list = this.recent(key, now);
      list.push(now);
      this.failures.set(key, list);
    }
    if (this.failures.size > 10_000) this.sweep(now);
  }

  recordSuccess(email: string, ip: string): void {
    this.failures.delete(this.pairKey(email, ip));
  }

  private blockedFor(key: string, limit: number, now: number): number {
    const list = this.recent(key, now);
    if (list.length < limit) return 0;
    const oldestRelevant = list[list.length - limit] ?? now;
    return Math.max(1, Math.ceil((oldestRelevant + this.windowSeconds * 1000 - now) / 1000));
  }

  private recent(key: string, now: number): number[] {
    const cutoff = now - this.windowSeconds * 1000;
    const list = (this.failures.get(key) ?? []).filter((t) => t > cutoff);
    if (list.length === 0) this.failures.delete(key);
    else this.failures.set(key, list);
    return list;
  }

  private sweep(now: number): void {
    for (const key of [...this.failures.keys()]) this.recent(key, now);
  }

  private pairKey(email: string, ip: string): string {
    return `pair:${email.trim().toLowerCase()}|${ip}`;
  }

  private ipKey(ip: string): string {
    return `ip:${ip}`;
  }
}
