import { randomBytes } from 'node:crypto';

let lastMs = -1;
let sequence = 0;

/**
 * A UUID version 7 (RFC 9562 §5.7): 48-bit Unix milliseconds, a 12-bit sequence, then random bits. Ids made
 * here sort like the ones Prisma makes for `@default(uuid(7))`, so rows inserted with raw SQL keep their
 * creation order in keyset pages. Within one millisecond (or when the clock stands still or goes back) the
 * sequence counts up (RFC 9562 §6.2, method 1), so ids from this process are strictly increasing.
 */
export function uuidv7(now: number = Date.now()): string {
  let ms = Math.max(0, Math.floor(now));
  if (ms <= lastMs) {
    ms = lastMs;
    sequence++;
    if (sequence > 0xfff) {
      ms = lastMs + 1;
      sequence = 0;
    }
  } else {
    // Start low in the 12-bit range so many ids fit into one millisecond.
    sequence = randomBytes(1)[0] ?? 0;
  }
  lastMs = ms;
  const bytes = randomBytes(16);
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | ((sequence >> 8) & 0x0f);
  bytes[7] = sequence & 0xff;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
