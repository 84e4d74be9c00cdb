/**
 * Retry schedule for transient failures (SMTP 4xx, connection errors, webhook 5xx): exponential, no jitter, so
 * a retry time can be asserted in tests and reasoned about in the message log. Claims spread load across
 * workers already, which is what jitter would otherwise be for.
 */

/** First retry after one minute, doubling each time: 1, 2, 4, 8, 16 min, … */
export const BASE_RETRY_DELAY_MS = 60_000;
/** No single wait longer than six hours. */
export const MAX_RETRY_DELAY_MS = 6 * 3_600_000;
/** Attempts in total (the first included) before a message is given up as failed. */
export const MAX_ATTEMPTS = 8;

/** Delay before the next attempt after `attempt` attempts (1-based) have failed transiently. */
export function retryDelayMs(attempt: number): number {
  if (!Number.isInteger(attempt) || attempt < 1)
    throw new RangeError(`attempt must be an integer ≥ 1, got ${attempt}`);
  return Math.min(MAX_RETRY_DELAY_MS, BASE_RETRY_DELAY_MS * 2 ** (attempt - 1));
}

/** After `attempts` attempts have failed, either the time of the next one or null: give up. */
export function nextRetryAt(attempts: number, now: Date, maxAttempts = MAX_ATTEMPTS): Date | null {
  if (attempts >= maxAttempts) return null;
  return new Date(now.getTime() + retryDelayMs(attempts));
}
