import { describe, expect, it } from 'vitest';
import { isValidTimeZone, nextAllowedSendTime, parseClockTime } from './quiet-hours';

const NIGHT = { start: '21:00', end: '08:00' };
const next = (at: string, zone: string, quiet = NIGHT) =>
  nextAllowedSendTime(new Date(at), zone, quiet).toISOString();

describe('nextAllowedSendTime', () => {
  it('leaves a send outside quiet hours where it is', () => {
    expect(next('2025-01-15T14:00:00.000Z', 'UTC')).toBe('2025-01-15T14:00:00.000Z');
    // 20:59:59 local in New York (EST, UTC-5) is still before the window opens.
    expect(next('2025-01-16T01:59:59.000Z', 'America/New_York')).toBe('2025-01-16T01:59:59.000Z');
  });

  it('defers a send in the evening part of a window spanning midnight to the next local morning', () => {
    // 21:00 EST on 15 Jan → 08:00 EST on 16 Jan = 13:00Z.
    expect(next('2025-01-16T02:00:00.000Z', 'America/New_York')).toBe('2025-01-16T13:00:00.000Z');
  });

  it('defers a send in the early-morning part to the same local morning', () => {
    // 03:00 CET in Paris (UTC+1) → 08:00 CET = 07:00Z the same day.
    expect(next('2025-01-15T02:00:00.000Z', 'Europe/Paris')).toBe('2025-01-15T07:00:00.000Z');
  });

  it('handles windows that do not span midnight, with the end exclusive', () => {
    const lunch = { start: '12:00', end: '13:30' };
    expect(next('2025-01-15T12:15:00.000Z', 'UTC', lunch)).toBe('2025-01-15T13:30:00.000Z');
    expect(next('2025-01-15T13:30:00.000Z', 'UTC', lunch)).toBe('2025-01-15T13:30:00.000Z');
    expect(next('2025-01-15T11:59:00.000Z', 'UTC', lunch)).toBe('2025-01-15T11:59:00.000Z');
  });

  it('treats a zero-length window as no quiet hours', () => {
    expect(next('2025-01-15T23:00:00.000Z', 'UTC', { start: '08:00', end: '08:00' })).toBe(
      '2025-01-15T23:00:00.000Z',
    );
  });

  it('uses the 30-minute offset of Asia/Kolkata (UTC+5:30)', () => {
    // 20:59 IST is allowed; 21:00 IST (15:30Z) opens the window; it closes at 08:00 IST = 02:30Z.
    expect(next('2025-01-15T15:29:00.000Z', 'Asia/Kolkata')).toBe('2025-01-15T15:29:00.000Z');
    expect(next('2025-01-15T15:30:00.000Z', 'Asia/Kolkata')).toBe('2025-01-16T02:30:00.000Z');
    expect(next('2025-01-15T22:00:00.000Z', 'Asia/Kolkata')).toBe('2025-01-16T02:30:00.000Z');
  });

  describe('America/New_York DST', () => {
    it('spring-forward night: the window ends at 08:00 EDT (12:00Z), one hour earlier in UTC', () => {
      // 22:00 EST on 8 March 2025; clocks jump 02:00 → 03:00 on 9 March.
      expect(next('2025-03-09T03:00:00.000Z', 'America/New_York')).toBe('2025-03-09T12:00:00.000Z');
    });

    it('spring-forward night: an end time inside the skipped hour is taken as the jump (03:00 EDT)', () => {
      expect(next('2025-03-09T03:00:00.000Z', 'America/New_York', { start: '22:00', end: '02:30' })).toBe(
        '2025-03-09T07:00:00.000Z',
      );
    });

    it('fall-back night: the window ends at 08:00 EST (13:00Z)', () => {
      // 21:30 EDT on 1 November 2025; clocks fall back 02:00 → 01:00 on 2 November.
      expect(next('2025-11-02T01:30:00.000Z', 'America/New_York')).toBe('2025-11-02T13:00:00.000Z');
    });

    it('fall-back night: a repeated end time is taken at its first occurrence', () => {
      // 23:30 EDT → 01:30 EDT (05:30Z), not 01:30 EST (06:30Z).
      expect(next('2025-11-02T03:30:00.000Z', 'America/New_York', { start: '23:00', end: '01:30' })).toBe(
        '2025-11-02T05:30:00.000Z',
      );
      // During the repeated hour (01:10 EST, after 01:30 EDT has passed) the wall clock is back inside the window.
      expect(next('2025-11-02T06:10:00.000Z', 'America/New_York', { start: '23:00', end: '01:30' })).toBe(
        '2025-11-02T06:30:00.000Z',
      );
    });
  });

  describe('Europe/Paris DST', () => {
    it('spring-forward night: 22:00 CET → 08:00 CEST = 06:00Z', () => {
      // Clocks jump 02:00 → 03:00 on 30 March 2025.
      expect(next('2025-03-29T21:00:00.000Z', 'Europe/Paris')).toBe('2025-03-30T06:00:00.000Z');
    });

    it('spring-forward night: an end at 02:15 (skipped) becomes 03:00 CEST = 01:00Z', () => {
      expect(next('2025-03-29T23:30:00.000Z', 'Europe/Paris', { start: '00:00', end: '02:15' })).toBe(
        '2025-03-30T01:00:00.000Z',
      );
    });

    it('fall-back night: 22:00 CEST → 08:00 CET = 07:00Z', () => {
      // Clocks fall back 03:00 → 02:00 on 26 October 2025.
      expect(next('2025-10-25T20:00:00.000Z', 'Europe/Paris')).toBe('2025-10-26T07:00:00.000Z');
    });
  });

  it('always returns an instant not before `at` and outside the window (sampled over a year in 5 zones)', () => {
    const zones = ['America/New_York', 'Europe/Paris', 'Asia/Kolkata', 'Australia/Lord_Howe', 'UTC'];
    const windows = [NIGHT, { start: '22:30', end: '02:30' }, { start: '01:00', end: '03:00' }];
    const begin = Date.parse('2025-01-01T00:00:00Z');
    for (const zone of zones) {
      for (const quiet of windows) {
        for (let t = begin; t < begin + 366 * 86_400_000; t += 11 * 3_600_000 + 13 * 60_000) {
          const at = new Date(t);
          const allowed = nextAllowedSendTime(at, zone, quiet);
          expect(allowed.getTime()).toBeGreaterThanOrEqual(t);
          expect(allowed.getTime() - t).toBeLessThan(24 * 3_600_000);
          // Idempotent: the returned instant is itself allowed.
          expect(nextAllowedSendTime(allowed, zone, quiet).getTime()).toBe(allowed.getTime());
          // And one minute earlier was still quiet (the deferral is not longer than needed).
          if (allowed.getTime() > t) {
            const before = new Date(allowed.getTime() - 60_000);
            if (before.getTime() >= t)
              expect(nextAllowedSendTime(before, zone, quiet).getTime()).toBeGreaterThan(before.getTime());
          }
        }
      }
    }
  });
});

describe('parseClockTime / isValidTimeZone', () => {
  it('parses HH:MM and refuses anything else', () => {
    expect(parseClockTime('00:00')).toBe(0);
    expect(parseClockTime('21:30')).toBe(21 * 60 + 30);
    expect(() => parseClockTime('24:00')).toThrow(RangeError);
    expect(() => parseClockTime('9:00')).toThrow(RangeError);
  });

  it('recognises IANA zones', () => {
    expect(isValidTimeZone('Asia/Kolkata')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});
