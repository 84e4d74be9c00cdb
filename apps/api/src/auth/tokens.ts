import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { KeyScope } from './actor';

/**
 * Session tokens and API keys are 256-bit random values. Only their hashes are stored, so a copy of the database
 * does not let anyone sign in. Session ids are keyed with SESSION_SECRET (rotating it signs everyone out); API
 * key hashes are plain SHA-256 so keys survive a secret rotation.
 */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sessionIdFor(token: string, secret: string): string {
  return createHmac('sha256', secret).update(token).digest('hex');
}

export const API_KEY_PREFIX_LENGTH = 8;

export function newApiKey(scope: KeyScope): string {
  const tag = scope === 'ingest' ? 'lli' : 'llr';
  return `${tag}_${randomBytes(32).toString('base64url')}`;
}

export function apiKeyHash(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function apiKeyPrefix(key: string): string {
  return key.slice(0, API_KEY_PREFIX_LENGTH);
}
