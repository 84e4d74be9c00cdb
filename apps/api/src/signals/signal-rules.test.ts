import { describe, expect, it } from 'vitest';
import type { HealthSignal } from '@liftlab/contracts';
import {
  buildBoard,
  describeCondition,
  dueSoonFrom,
  signalDueAt,
  signalQuery,
  slaStatus,
  taskDueAt,
  type RuleOpenCounts,
} from './signal-rules';

const NOW = new Date('2025-03-10T12:00:00.000Z');
const at = (iso: string) => new Date(iso);

describe('signalQuery', () => {
  it('onboarding: started at least `days` ago, optionally within the lookback', () => {
    expect(
      signalQuery({ kind: 'onboarding_incomplete', params: { days: 14, completionEvent: 'onboarded' } }, NOW),
    ).toEqual({
      kind: 'onboarding_incomplete',
      startedBy: at('2025-02-24T12:00:00.000Z'),
      startedAfter: null,
      completionEvent: 'onboarded',
      now: NOW,
    });
    const q = signalQuery(
      { kind: 'onboarding_incomplete', params: { days: 14, completionEvent: 'onboarded', lookbackDays: 60 } },
      NOW,
    );
    expect(q.kind === 'onboarding_incomplete' && q.startedAfter).toEqual(at('2025-01-09T12:00:00.000Z'));
  });

  it('usage drop: two consecutive 7-day windows ending now, percent kept as exact decimal text', () => {
    expect(signalQuery({ kind: 'usage_drop', params: { percent: 33.3 } }, NOW)).toEqual({
      kind: 'usage_drop',
      previousFrom: at('2025-02-24T12:00:00.000Z'),
      currentFrom: at('2025-03-03T12:00:00.000Z'),
      to: NOW,
      eventName: null,
      percent: '33.3',
    });
    const named = signalQuery({ kind: 'usage_drop', params: { percent: 50, eventName: 'login' } }, NOW);
    expect(named.kind === 'usage_drop' && named.eventName).toBe('login');
  });

  it('support tickets: the last `days` days', () => {
    expect(
      signalQuery(
        { kind: 'support_tickets', params: { count: 3, days: 7, eventName: 'support_ticket' } },
        NOW,
      ),
    ).toEqual({
      kind: 'support_tickets',
      from: at('2025-03-03T12:00:00.000Z'),
      to: NOW,
      eventName: 'support_ticket',
      minCount: 3,
    });
  });

  it('spend spike: the last `days` days against the `days` before, by multiple or percent', () => {
    expect(signalQuery({ kind: 'spend_spike', params: { multiple: 2.5, days: 30 } }, NOW)).toEqual({
      kind: 'spend_spike',
      previousFrom: at('2025-01-09T12:00:00.000Z'),
      currentFrom: at('2025-02-08T12:00:00.000Z'),
      to: NOW,
      multiple: '2.5',
      percent: null,
    });
    const byPercent = signalQuery({ kind: 'spend_spike', params: { percent: 150, days: 30 } }, NOW);
    expect(byPercent.kind === 'spend_spike' && [byPercent.multiple, byPercent.percent]).toEqual([
      null,
      '150',
    ]);
  });
});

describe('describeCondition', () => {
  it('says each rule in words', () => {
    expect(describeCondition({ kind: 'usage_drop', params: { percent: 50 } })).toBe(
      'Activity down ≥ 50% week over week',
    );
    expect(
      describeCondition({
        kind: 'support_tickets',
        params: { count: 3, days: 7, eventName: 'support_ticket' },
      }),
    ).toBe("≥ 3 'support_ticket' in 7 days");
    expect(describeCondition({ kind: 'spend_spike', params: { percent: 100, days: 30 } })).toBe(
      'Spend over 30 days ≥ 100% above the 30 days before',
    );
    expect(
      describeCondition({
        kind: 'onboarding_incomplete',
        params: { days: 14, completionEvent: 'onboarded' },
      }),
    ).toBe("No 'onboarded' by day 14");
  });
});

describe('SLA', () => {
  const openedAt = at('2025-03-10T00:00:00.000Z');
  const dueAt = signalDueAt(openedAt, 24);

  it('is due slaHours after the signal opened; a task is due dueInHours after it, else with the signal', () => {
    expect(dueAt).toEqual(at('2025-03-11T00:00:00.000Z'));
    expect(taskDueAt(openedAt, 24, { type: 'task', owner: 'a', title: 't', dueInHours: 4 })).toEqual(
      at('2025-03-10T04:00:00.000Z'),
    );
    expect(taskDueAt(openedAt, 24, { type: 'task', owner: 'a', title: 't' })).toEqual(dueAt);
    expect(taskDueAt(openedAt, 24, { type: 'enroll', sequenceKey: 'win-back' })).toBeNull();
  });

  it('open: on time, due soon in the last quarter, breached from the due time on', () => {
    expect(dueSoonFrom(openedAt, dueAt)).toEqual(at('2025-03-10T18:00:00.000Z'));
    const open = { openedAt, dueAt, resolvedAt: null };
    expect(slaStatus(open, at('2025-03-10T17:59:59.999Z'))).toBe('on_time');
    expect(slaStatus(open, at('2025-03-10T18:00:00.000Z'))).toBe('due_soon');
    expect(slaStatus(open, at('2025-03-10T23:59:59.999Z'))).toBe('due_soon');
    expect(slaStatus(open, at('2025-03-11T00:00:00.000Z'))).toBe('breached');
  });

  it('resolved: on time when resolved before the due time, whatever time it is now', () => {
    const later = at('2025-04-01T00:00:00.000Z');
    expect(slaStatus({ openedAt, dueAt, resolvedAt: at('2025-03-10T23:59:59.999Z') }, later)).toBe('on_time');
    expect(slaStatus({ openedAt, dueAt, resolvedAt: dueAt }, later)).toBe('breached');
  });
});

describe('buildBoard', () => {
  const counts = (over: Partial<RuleOpenCounts>): RuleOpenCounts => ({
    ruleId: 'r',
    ruleKey: 'r',
    ruleName: 'R',
    kind: 'usage_drop',
    description: 'd',
    ownerTeam: 'success',
    slaHours: 24,
    open: 1,
    dueSoon: 0,
    breached: 0,
    oldestOpenedAt: at('2025-03-01T00:00:00.000Z'),
    ...over,
  });
  const signal = (id: string, ruleId: string): HealthSignal =>
    ({ id, ruleId, sla: 'on_time' }) as unknown as HealthSignal;

  it('groups by team then rule, the longest-waiting first, and sums the counts', () => {
    const board = buildBoard(
      [
        counts({
          ruleId: 'a',
          ruleKey: 'a',
          ownerTeam: 'support',
          open: 2,
          breached: 1,
          oldestOpenedAt: at('2025-03-05T00:00:00Z'),
        }),
        counts({
          ruleId: 'b',
          ruleKey: 'b',
          ownerTeam: 'success',
          open: 3,
          dueSoon: 2,
          oldestOpenedAt: at('2025-03-04T00:00:00Z'),
        }),
        counts({
          ruleId: 'c',
          ruleKey: 'c',
          ownerTeam: 'support',
          open: 1,
          breached: 1,
          oldestOpenedAt: at('2025-03-02T00:00:00Z'),
        }),
        counts({ ruleId: 'd', ruleKey: 'd', ownerTeam: 'sales', open: 0 }),
      ],
      [signal('s1', 'a'), signal('s2', 'a'), signal('s3', 'c')],
      NOW,
    );
    expect(board.generatedAt).toBe(NOW.toISOString());
    expect([board.open, board.dueSoon, board.breached]).toEqual([6, 2, 2]);
    expect(board.teams.map((t) => [t.ownerTeam, t.open, t.dueSoon, t.breached, t.oldestOpenedAt])).toEqual([
      ['support', 3, 0, 2, '2025-03-02T00:00:00.000Z'],
      ['success', 3, 2, 0, '2025-03-04T00:00:00.000Z'],
    ]);
    expect(board.teams[0]?.rules.map((r) => r.ruleKey)).toEqual(['c', 'a']);
    expect(board.teams[0]?.rules[1]?.signals.map((s) => s.id)).toEqual(['s1', 's2']);
    expect(board.teams[1]?.rules[0]?.signals).toEqual([]);
  });

  it('is empty without open signals', () => {
    expect(buildBoard([], [], NOW)).toEqual({
      generatedAt: NOW.toISOString(),
      open: 0,
      dueSoon: 0,
      breached: 0,
      teams: [],
    });
  });
});
