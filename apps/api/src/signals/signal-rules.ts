import type {
  HealthSignal,
  SignalBoard,
  SignalBoardRule,
  SignalBoardTeam,
  SignalCondition,
  SignalIntervention,
  SlaStatus,
} from '@liftlab/contracts';

/**
 * The rules of health signals as plain values: the windows and thresholds each kind is evaluated with, the SLA
 * status of a signal, and the board's grouping. No database, no clock: `now` is always passed in.
 */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
/** Usage drop compares two calendar-free weeks ending now. */
export const WEEK_DAYS = 7;
/** A signal is "due soon" in the last quarter of its response time. */
export const DUE_SOON_FRACTION = 0.25;

/**
 * What the database is asked, per kind. Windows are half-open on the left: an event at exactly `from` is
 * outside, one at `to` (now) is inside, so consecutive windows never count an event twice.
 */
export type SignalQuery =
  | {
      kind: 'onboarding_incomplete';
      /** Customers who started at or before this instant are `days` days in. */
      startedBy: Date;
      /** Customers who started at or before this instant are ignored (lookbackDays); null: no limit. */
      startedAfter: Date | null;
      completionEvent: string;
      now: Date;
    }
  | {
      kind: 'usage_drop';
      previousFrom: Date;
      currentFrom: Date;
      to: Date;
      /** Null: every `activity` event counts as usage. */
      eventName: string | null;
      /** Decimal text, compared exactly in SQL: (previous − current) × 100 ≥ percent × previous. */
      percent: string;
    }
  | { kind: 'support_tickets'; from: Date; to: Date; eventName: string; minCount: number }
  | {
      kind: 'spend_spike';
      previousFrom: Date;
      currentFrom: Date;
      to: Date;
      /** Decimal text; exactly one is set: current ≥ previous × multiple, or ≥ previous × (1 + percent/100). */
      multiple: string | null;
      percent: string | null;
    };

const minus = (at: Date, days: number): Date => new Date(at.getTime() - days * DAY_MS);

/** The windows and thresholds of a rule evaluated at `now`. */
export function signalQuery(condition: SignalCondition, now: Date): SignalQuery {
  switch (condition.kind) {
    case 'onboarding_incomplete': {
      const p = condition.params;
      return {
        kind: 'onboarding_incomplete',
        startedBy: minus(now, p.days),
        startedAfter: p.lookbackDays === undefined ? null : minus(now, p.lookbackDays),
        completionEvent: p.completionEvent,
        now,
      };
    }
    case 'usage_drop': {
      const p = condition.params;
      return {
        kind: 'usage_drop',
        previousFrom: minus(now, 2 * WEEK_DAYS),
        currentFrom: minus(now, WEEK_DAYS),
        to: now,
        eventName: p.eventName ?? null,
        percent: String(p.percent),
      };
    }
    case 'support_tickets': {
      const p = condition.params;
      return {
        kind: 'support_tickets',
        from: minus(now, p.days),
        to: now,
        eventName: p.eventName,
        minCount: p.count,
      };
    }
    case 'spend_spike': {
      const p = condition.params;
      return {
        kind: 'spend_spike',
        previousFrom: minus(now, 2 * p.days),
        currentFrom: minus(now, p.days),
        to: now,
        multiple: p.multiple === undefined ? null : String(p.multiple),
        percent: p.percent === undefined ? null : String(p.percent),
      };
    }
  }
}

/** The rule in words, for lists and the board. */
export function describeCondition(condition: SignalCondition): string {
  switch (condition.kind) {
    case 'onboarding_incomplete': {
      const p = condition.params;
      const lookback = p.lookbackDays === undefined ? '' : ` (started in the last ${p.lookbackDays} days)`;
      return `No '${p.completionEvent}' by day ${p.days}${lookback}`;
    }
    case 'usage_drop': {
      const p = condition.params;
      return `${p.eventName ? `'${p.eventName}' events` : 'Activity'} down ≥ ${p.percent}% week over week`;
    }
    case 'support_tickets': {
      const p = condition.params;
      return `≥ ${p.count} '${p.eventName}' in ${p.days} days`;
    }
    case 'spend_spike': {
      const p = condition.params;
      const by = p.multiple !== undefined ? `≥ ${p.multiple}×` : `≥ ${p.percent}% above`;
      return `Spend over ${p.days} days ${by} the ${p.days} days before`;
    }
  }
}

/** When a signal opened at `openedAt` breaches its response time. */
export function signalDueAt(openedAt: Date, slaHours: number): Date {
  return new Date(openedAt.getTime() + slaHours * HOUR_MS);
}

/** When a task created for a signal is due: `dueInHours` after it opened, else at the signal's due time. */
export function taskDueAt(openedAt: Date, slaHours: number, intervention: SignalIntervention): Date | null {
  if (intervention.type !== 'task') return null;
  return signalDueAt(openedAt, intervention.dueInHours ?? slaHours);
}

/**
 * SLA status. Open: breached from its due time on (a signal still open `slaHours` after it opened has missed its
 * response time), due soon in the last DUE_SOON_FRACTION of the response time, else on time. Resolved: on time
 * when resolved before its due time, else breached.
 */
export function slaStatus(
  signal: { openedAt: Date; dueAt: Date; resolvedAt: Date | null },
  now: Date,
): SlaStatus {
  const due = signal.dueAt.getTime();
  if (signal.resolvedAt) return signal.resolvedAt.getTime() < due ? 'on_time' : 'breached';
  const at = now.getTime();
  if (at >= due) return 'breached';
  return at >= dueSoonFrom(signal.openedAt, signal.dueAt).getTime() ? 'due_soon' : 'on_time';
}

/** The instant an open signal becomes due soon. */
export function dueSoonFrom(openedAt: Date, dueAt: Date): Date {
  const span = dueAt.getTime() - openedAt.getTime();
  return new Date(dueAt.getTime() - span * DUE_SOON_FRACTION);
}

// ---------------------------------------------------------------------------------------------------------------
// Board

/** Open-signal counts of one rule, as aggregated by the database. */
export interface RuleOpenCounts {
  ruleId: string;
  ruleKey: string;
  ruleName: string;
  kind: SignalCondition['kind'];
  description: string;
  ownerTeam: string;
  slaHours: number;
  open: number;
  dueSoon: number;
  breached: number;
  oldestOpenedAt: Date;
}

const byOldest = <T extends { oldestOpenedAt: string; ownerTeam?: string; ruleKey?: string }>(
  a: T,
  b: T,
): number =>
  a.oldestOpenedAt.localeCompare(b.oldestOpenedAt) ||
  (a.ownerTeam ?? '').localeCompare(b.ownerTeam ?? '') ||
  (a.ruleKey ?? '').localeCompare(b.ruleKey ?? '');

/**
 * Groups open signals by owner team, then rule. Teams and rules are ordered by their oldest open signal (the one
 * waiting longest first); signals keep the order given (oldest first). Counts come from `counts`, which cover every
 * open signal even when only the first few per rule are listed.
 */
export function buildBoard(
  counts: readonly RuleOpenCounts[],
  signals: readonly HealthSignal[],
  now: Date,
): SignalBoard {
  const signalsByRule = new Map<string, HealthSignal[]>();
  for (const s of signals) {
    const list = signalsByRule.get(s.ruleId) ?? [];
    list.push(s);
    signalsByRule.set(s.ruleId, list);
  }
  const teams = new Map<string, SignalBoardTeam>();
  for (const c of counts) {
    if (c.open === 0) continue;
    const rule: SignalBoardRule = {
      ruleId: c.ruleId,
      ruleKey: c.ruleKey,
      ruleName: c.ruleName,
      kind: c.kind,
      description: c.description,
      slaHours: c.slaHours,
      open: c.open,
      dueSoon: c.dueSoon,
      breached: c.breached,
      oldestOpenedAt: c.oldestOpenedAt.toISOString(),
      signals: signalsByRule.get(c.ruleId) ?? [],
    };
    const team = teams.get(c.ownerTeam) ?? {
      ownerTeam: c.ownerTeam,
      open: 0,
      dueSoon: 0,
      breached: 0,
      oldestOpenedAt: rule.oldestOpenedAt,
      rules: [],
    };
    team.open += rule.open;
    team.dueSoon += rule.dueSoon;
    team.breached += rule.breached;
    if (rule.oldestOpenedAt < team.oldestOpenedAt) team.oldestOpenedAt = rule.oldestOpenedAt;
    team.rules.push(rule);
    teams.set(c.ownerTeam, team);
  }
  const sorted = [...teams.values()].sort(byOldest);
  for (const team of sorted) team.rules.sort(byOldest);
  return {
    generatedAt: now.toISOString(),
    open: sorted.reduce((s, t) => s + t.open, 0),
    dueSoon: sorted.reduce((s, t) => s + t.dueSoon, 0),
    breached: sorted.reduce((s, t) => s + t.breached, 0),
    teams: sorted,
  };
}
