"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.LoginLimiter = void 0;
/**
 * Failed sign-ins are counted per (email, client IP) in a sliding window; once `maxFailures` is reached every
 * attempt for that pair is refused until the oldest failure leaves the window. A looser per-IP limit
 * (4 × maxFailures) stops one client from spraying passwords across many emails.
 * Counters are in memory: a restart clears them, which is acceptable for a single-instance deployment.
 */
class LoginLimiter {
    clock;
    maxFailures;
    windowSeconds;
    failures = new Map();
    constructor(clock, maxFailures, windowSeconds) {
        this.clock = clock;
        this.maxFailures = maxFailures;
        this.windowSeconds = windowSeconds;
    }
    /** Seconds until another attempt is allowed, or 0 if allowed now. */
    retryAfter(email, ip) {
        const now = this.clock.now().getTime();
        return Math.max(this.blockedFor(this.pairKey(email, ip), this.maxFailures, now), this.blockedFor(this.ipKey(ip), this.maxFailures * 4, now));
    }
    recordFailure(email, ip) {
        const now = this.clock.now().getTime();
        for (const key of [this.pairKey(email, ip), this.ipKey(ip)]) {
            const list = this.recent(key, now);
            list.push(now);
            this.failures.set(key, list);
        }
        if (this.failures.size > 10_000)
            this.sweep(now);
    }
    recordSuccess(email, ip) {
        this.failures.delete(this.pairKey(email, ip));
    }
    blockedFor(key, limit, now) {
        const list = this.recent(key, now);
        if (list.length < limit)
            return 0;
        const oldestRelevant = list[list.length - limit] ?? now;
        return Math.max(1, Math.ceil((oldestRelevant + this.windowSeconds * 1000 - now) / 1000));
    }
    recent(key, now) {
        const cutoff = now - this.windowSeconds * 1000;
        const list = (this.failures.get(key) ?? []).filter((t) => t > cutoff);
        if (list.length === 0)
            this.failures.delete(key);
        else
            this.failures.set(key, list);
        return list;
    }
    sweep(now) {
        for (const key of [...this.failures.keys()])
            this.recent(key, now);
    }
    pairKey(email, ip) {
        return `pair:${email.trim().toLowerCase()}|${ip}`;
    }
    ipKey(ip) {
        return `ip:${ip}`;
    }
}
exports.LoginLimiter = LoginLimiter;
//# sourceMappingURL=login-limiter.js.map