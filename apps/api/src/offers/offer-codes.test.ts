import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isExpired, issueOffer, normaliseOfferCode, offerCode, offerExpiry } from './offer-codes';

const OFFER = '0190a0b0-0000-7000-8000-000000000001';
const ENROLLMENT_A = '0190a0b0-0000-7000-8000-0000000000aa';
const ENROLLMENT_B = '0190a0b0-0000-7000-8000-0000000000bb';

describe('offerCode', () => {
  it('is the prefix and 8 Crockford base32 characters of SHA-256(offerId:enrollmentId)', () => {
    const code = offerCode('WINBACK20', OFFER, ENROLLMENT_A);
    expect(code).toMatch(/^WINBACK20-[0-9A-HJKMNP-TV-Z]{8}$/);
    // Independent decoding: the 40 leading bits of the digest, 5 bits per character.
    const digest = createHash('sha256').update(`${OFFER}:${ENROLLMENT_A}`).digest();
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    const bits = [...digest.subarray(0, 5)].map((b) => b.toString(2).padStart(8, '0')).join('');
    const expected = bits
      .match(/.{5}/g)!
      .map((chunk) => alphabet[parseInt(chunk, 2)])
      .join('');
    expect(code).toBe(`WINBACK20-${expected}`);
  });

  it('is stable for an enrollment and differs between enrollments and offers', () => {
    expect(offerCode('WB', OFFER, ENROLLMENT_A)).toBe(offerCode('WB', OFFER, ENROLLMENT_A));
    expect(offerCode('WB', OFFER, ENROLLMENT_A)).not.toBe(offerCode('WB', OFFER, ENROLLMENT_B));
    expect(offerCode('WB', OFFER, ENROLLMENT_A)).not.toBe(
      offerCode('WB', '0190a0b0-0000-7000-8000-000000000002', ENROLLMENT_A),
    );
  });

  it('does not collide over many enrollments of one offer', () => {
    const codes = new Set<string>();
    for (let i = 0; i < 20_000; i++) codes.add(offerCode('WB', OFFER, `enrollment-${i}`));
    expect(codes.size).toBe(20_000);
  });
});

describe('offer expiry', () => {
  const received = new Date('2025-03-29T22:30:00.000Z');

  it('is received + validDays × 24 h, and none without validDays', () => {
    expect(offerExpiry(received, 14)?.toISOString()).toBe('2025-04-12T22:30:00.000Z');
    expect(offerExpiry(received, null)).toBeNull();
  });

  it('still accepts the expiry instant and refuses one millisecond later', () => {
    const expires = offerExpiry(received, 7)!;
    expect(isExpired(expires, expires)).toBe(false);
    expect(isExpired(expires, new Date(expires.getTime() + 1))).toBe(true);
    expect(isExpired(null, new Date('2100-01-01T00:00:00Z'))).toBe(false);
  });
});

describe('issueOffer', () => {
  const received = new Date('2025-01-15T09:00:00.000Z');

  it('gives discounts a code and an expiry', () => {
    const issued = issueOffer(
      { id: OFFER, kind: 'discount', codePrefix: 'SAVE15', validDays: 10 },
      ENROLLMENT_A,
      received,
    );
    expect(issued.code).toBe(offerCode('SAVE15', OFFER, ENROLLMENT_A));
    expect(issued.expiresAt?.toISOString()).toBe('2025-01-25T09:00:00.000Z');
  });

  it('gives upgrades and pilots no code; they expire only with validDays', () => {
    expect(
      issueOffer(
        { id: OFFER, kind: 'tier_upgrade', codePrefix: null, validDays: null },
        ENROLLMENT_A,
        received,
      ),
    ).toEqual({ code: null, expiresAt: null });
    expect(
      issueOffer({ id: OFFER, kind: 'pilot', codePrefix: null, validDays: 30 }, ENROLLMENT_A, received)
        .expiresAt,
    ).toEqual(new Date('2025-02-14T09:00:00.000Z'));
  });

  it('normalises typed codes to the issued form', () => {
    expect(normaliseOfferCode('  save15-ab12cd34 ')).toBe('SAVE15-AB12CD34');
  });
});
