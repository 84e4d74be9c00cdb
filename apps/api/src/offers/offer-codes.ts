import { createHash } from 'node:crypto';

/**
 * Per-enrollment offer codes. The code is derived, not stored first: rendering the same touch twice (a retry,
 * a template preview) yields the same code, so a customer never holds two codes for one offer.
 */

/** Crockford base32: no I, L, O, U, so a code read aloud or retyped is not misread. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Characters after the prefix: 8 × 5 = 40 bits, enough that codes of one offer do not collide in practice. */
export const OFFER_CODE_HASH_LENGTH = 8;
const DAY_MS = 86_400_000;

/** The parts of an offer that decide its code and expiry. */
export interface OfferCodeTerms {
  id: string;
  kind: 'tier_upgrade' | 'discount' | 'pilot';
  codePrefix: string | null;
  validDays: number | null;
}

/** What a rendered touch shows the customer: the code (discounts only) and until when the offer holds. */
export interface IssuedOffer {
  code: string | null;
  expiresAt: Date | null;
}

/**
 * `<PREFIX>-<8 base32 chars>`, the chars being the first 40 bits of SHA-256(offerId:enrollmentId). Upper-case
 * so that redemption can normalise what the customer typed.
 */
export function offerCode(codePrefix: string, offerId: string, enrollmentId: string): string {
  const digest = createHash('sha256').update(`${offerId}:${enrollmentId}`).digest();
  let bits = 0n;
  for (let i = 0; i < 5; i++) bits = (bits << 8n) | BigInt(digest[i]!);
  let out = '';
  for (let i = OFFER_CODE_HASH_LENGTH - 1; i >= 0; i--)
    out += ALPHABET[Number((bits >> BigInt(i * 5)) & 31n)];
  return `${codePrefix.toUpperCase()}-${out}`;
}

/** receivedAt + validDays × 24 h; null when the offer does not expire. */
export function offerExpiry(receivedAt: Date, validDays: number | null): Date | null {
  if (validDays === null) return null;
  return new Date(receivedAt.getTime() + validDays * DAY_MS);
}

/**
 * The code and expiry a message carries. Only discounts have codes; every kind with `validDays` expires.
 * `receivedAt` is when the message is rendered for sending (the delivery engine's `now`).
 */
export function issueOffer(offer: OfferCodeTerms, enrollmentId: string, receivedAt: Date): IssuedOffer {
  const code =
    offer.kind === 'discount' && offer.codePrefix
      ? offerCode(offer.codePrefix, offer.id, enrollmentId)
      : null;
  return { code, expiresAt: offerExpiry(receivedAt, offer.validDays) };
}

/** What a customer typed, as stored: trimmed, upper-case (codes are case-insensitive). */
export function normaliseOfferCode(input: string): string {
  return input.trim().toUpperCase();
}

/** Whether a redemption at `redeemedAt` is past the expiry (the expiry instant itself is still valid). */
export function isExpired(expiresAt: Date | null, redeemedAt: Date): boolean {
  return expiresAt !== null && redeemedAt.getTime() > expiresAt.getTime();
}
