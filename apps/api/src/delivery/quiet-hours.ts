/**
 * Quiet hours: a daily window of local wall-clock time ("21:00"–"08:00") in which a customer is not contacted.
 * A send due inside the window is deferred to the window's end, computed in the customer's IANA time zone so
 * that daylight-saving changes move the instant, not the wall-clock time.
 */

export interface QuietHours {
  /** "HH:MM", 24-hour local time at which the quiet window opens. */
  start: string;
  /** "HH:MM", 24-hour local time at which it closes; earlier than `start` when the window spans midnight. */
  end: string;
}

const MINUTE = 60_000;
const DAY = 86_400_000;
const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after midnight of an "HH:MM" time; throws on anything else. */
export function parseClockTime(value: string): number {
  const match = HHMM.exec(value);
  if (!match) throw new RangeError(`expected a time as HH:MM, got "${value}"`);
  return Number(match[1]) * 60 + Number(match[2]);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when the runtime knows the IANA zone (customers' zones come from imported data). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * The local wall-clock reading of an instant, expressed as milliseconds on a UTC axis (so that date arithmetic on
 * it is plain arithmetic). Milliseconds are carried over from the instant; every zone offset in use since 1972 is
 * a whole number of seconds.
 */
function wallClock(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(instant))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const seconds = Math.floor(instant / 1000) * 1000;
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return wall + (instant - seconds);
}

/** UTC offset (wall − instant) in milliseconds at an instant. */
function offsetAt(instant: number, timeZone: string): number {
  return wallClock(instant, timeZone) - instant;
}

/**
 * The earliest instant at or after `notBefore` whose local wall-clock reads `wall` — or, when `wall` does not
 * exist that day (it falls in a spring-forward gap), the instant the clocks jump past it. On a fall-back night a
 * repeated wall-clock time is taken at its first occurrence not before `notBefore`.
 */
function firstInstantAtWall(wall: number, timeZone: string, notBefore: number): number {
  // Offsets 14 hours either side bracket any transition that can affect a given local day.
  const offsets = [
    ...new Set([offsetAt(wall - 14 * 3_600_000, timeZone), offsetAt(wall + 14 * 3_600_000, timeZone)]),
  ];
  const matches = offsets
    .map((o) => wall - o)
    .filter((t) => t >= notBefore && wallClock(t, timeZone) === wall)
    .sort((a, b) => a - b);
  if (matches.length > 0) return matches[0]!;

  // A gap: the wall-clock time is skipped. Find the transition between the two candidate instants by bisection on
  // the offset (before the transition it is the earlier offset).
  const before = offsets[0]!;
  let lo = Math.min(...offsets.map((o) => wall - o));
  let hi = Math.max(...offsets.map((o) => wall - o));
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetAt(mid, timeZone) === before) lo = mid;
    else hi = mid;
  }
  return Math.max(hi, notBefore);
}

/**
 * When a send due at `at` may go out: `at` itself outside quiet hours, else the end of the quiet window in the
 * customer's zone. Windows spanning midnight (21:00–08:00) end on the next local day when entered before
 * midnight. A window of zero length (start = end) means no quiet hours.
 */
export function nextAllowedSendTime(at: Date, timeZone: string, quiet: QuietHours): Date {
  const start = parseClockTime(quiet.start) * MINUTE;
  const end = parseClockTime(quiet.end) * MINUTE;
  if (start === end) return at;

  const instant = at.getTime();
  const wall = wallClock(instant, timeZone);
  const midnight = Math.floor(wall / DAY) * DAY;
  const sinceMidnight = wall - midnight;

  let endWall: number;
  if (start < end) {
    if (sinceMidnight < start || sinceMidnight >= end) return at;
    endWall = midnight + end;
  } else if (sinceMidnight >= start) {
    endWall = midnight + DAY + end;
  } else if (sinceMidnight < end) {
    endWall = midnight + end;
  } else {
    return at;
  }
  return new Date(firstInstantAtWall(endWall, timeZone, instant));
}
