import { describe, expect, it } from 'vitest';
import { uuidv7 } from './ids';

const timestampOf = (id: string) => parseInt(id.replace(/-/g, '').slice(0, 12), 16);

describe('uuidv7', () => {
  it('carries version 7, the RFC variant and the timestamp in its first 48 bits', () => {
    const at = Date.UTC(2030, 0, 15, 9, 0, 0, 123);
    const id = uuidv7(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(timestampOf(id)).toBe(at);
  });

  it('is strictly increasing, also within one millisecond and when the clock stands still', () => {
    const at = Date.UTC(2031, 5, 1);
    const ids = Array.from({ length: 10_000 }, () => uuidv7(at));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    // 10 000 ids cannot fit the 4096 sequence values of one millisecond: the timestamp moves on.
    expect(timestampOf(ids.at(-1) ?? '')).toBeGreaterThan(at);
    expect(timestampOf(ids.at(-1) ?? '') - at).toBeLessThanOrEqual(3);
  });

  it('never goes backwards when the clock does', () => {
    const later = uuidv7(Date.UTC(2032, 0, 2));
    const earlier = uuidv7(Date.UTC(2032, 0, 1));
    expect(earlier > later).toBe(true);
  });
});
