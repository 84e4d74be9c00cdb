import { isApiError } from '../api/client';

/** Retry only what may heal by itself: network failures and 5xx/429, at most twice. 4xx will not change. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (failureCount >= 2) return false;
  if (!isApiError(error)) return false;
  return error.status === 0 || error.status === 429 || error.status >= 500;
}
