/**
 * Frequency cap across all sequences: at most `count` messages per customer in any rolling window of `days`
 * days. A send that would exceed it is deferred to the moment the oldest counted message leaves the window.
 */

export interface FrequencyCap {
  count: number;
  days: number;
}

const DAY = 86_400_000;

/**
 * `sentAts`: when the customer's earlier messages went out (any sequence, any channel; messages being sent right
 * now count as sent at `now`). Returns null when one more message may go out at `now`, else the earliest instant
 * at which it may. A cap with `count` or `days` below 1 is no cap.
 */
export function frequencyCapRelease(sentAts: readonly Date[], now: Date, cap: FrequencyCap): Date | null {
  if (cap.count < 1 || cap.days <= 0) return null;
  const window = cap.days * DAY;
  const t = now.getTime();
  // A message sent exactly `window` ago has just left the window: (now − window, now].
  const inWindow = sentAts
    .map((d) => d.getTime())
    .filter((s) => s > t - window && s <= t)
    .sort((a, b) => a - b);
  if (inWindow.length < cap.count) return null;
  // Sending one more needs inWindow.length − count + 1 of them to have left the window.
  const leaving = inWindow[inWindow.length - cap.count]!;
  return new Date(leaving + window);
}
