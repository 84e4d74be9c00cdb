import { describe, expect, it } from 'vitest';
import { decideGlobalHoldout } from '../assignment/bucketing';
import {
  applyCap,
  decideArm,
  expectedSplit,
  globalHoldoutDecisions,
  holdoutVariants,
  inactivityBounds,
  normaliseAudience,
  planEnrollments,
  remainingCap,
  wholeDaysInactive,
  type Candidate,
  type HoldoutDesign,
} from './audience';

const NOW = new Date('2025-06-01T12:00:00Z');
const DAY = 86_400_000;
const daysAgo = (d: number) => new Date(NOW.getTime() - d * DAY);

function design(holdoutPercent: number, seed = 'seq-winback'): HoldoutDesign {
  return { key: seed, seed, hashVersion: 2, variants: holdoutVariants(holdoutPercent) };
}

describe('normaliseAudience', () => {
  it('fills defaults for rules stored before a field existed and de-duplicates segments', () => {
    expect(normaliseAudience({ segments: ['vip', 'mid', 'vip'] })).toEqual({
      minDaysInactive: 60,
      maxDaysInactive: 120,
      minPriorSpend: 0,
      segments: ['mid', 'vip'],
      conditions: [],
      excludeContactedWithinDays: 14,
      excludeGlobalHoldout: true,
    });
  });
});

describe('inactivity window', () => {
  const rules = { minDaysInactive: 60, maxDaysInactive: 120 };
  const inWindow = (last: Date) => {
    const b = inactivityBounds(rules, NOW);
    return last <= b.latest && last > b.earliestExclusive;
  };

  it('includes 60 and 120 whole days, excludes 59 and 121', () => {
    expect(inWindow(daysAgo(59))).toBe(false);
    expect(inWindow(daysAgo(60))).toBe(true);
    expect(inWindow(daysAgo(120))).toBe(true);
    expect(inWindow(new Date(daysAgo(121).getTime() + 1))).toBe(true);
    expect(inWindow(daysAgo(121))).toBe(false);
  });

  it('agrees with the whole days recorded at enrollment', () => {
    for (const hours of [0, 1, 23, 24, 59 * 24 + 23, 60 * 24, 120 * 24 + 23, 121 * 24]) {
      const last = new Date(NOW.getTime() - hours * 3_600_000);
      const days = wholeDaysInactive(last, NOW);
      expect(inWindow(last)).toBe(days >= 60 && days <= 120);
    }
  });
});

describe('priority and cap', () => {
  const c = (id: string, spend: number, lastDaysAgo: number | null): Candidate => ({
    customerId: id,
    externalId: `ext-${id}`,
    priorSpend: spend,
    lastActivityAt: lastDaysAgo === null ? null : daysAgo(lastDaysAgo),
  });

  it('takes the highest prior spend first, then the most recent, then the id', () => {
    const ordered = applyCap(
      [c('b', 10, 90), c('a', 10, 90), c('c', 50, 100), c('d', 10, 70), c('e', 10, null)],
      null,
    );
    expect(ordered.map((x) => x.customerId)).toEqual(['c', 'd', 'a', 'b', 'e']);
  });

  it('caps to the first places', () => {
    expect(applyCap([c('a', 1, 90), c('b', 5, 90), c('c', 3, 90)], 2).map((x) => x.customerId)).toEqual([
      'b',
      'c',
    ]);
    expect(applyCap([c('a', 1, 90)], 0)).toEqual([]);
  });

  it('counts the places left in a run', () => {
    expect(remainingCap(null, 10)).toBeNull();
    expect(remainingCap(10, 4)).toBe(6);
    expect(remainingCap(10, 12)).toBe(0);
  });
});

describe('holdout arm', () => {
  it('uses two arms, holdout first, weights from the percent', () => {
    expect(holdoutVariants(10)).toEqual([
      { key: 'holdout', name: 'Holdout', weight: 0.1, isControl: true, position: 0 },
      { key: 'treated', name: 'Treated', weight: 0.9, isControl: false, position: 1 },
    ]);
  });

  it('is deterministic per customer and seed, and close to the share over many customers', () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => `customer-${i}`);
    const arms = ids.map((id) => decideArm(design(10), id));
    expect(ids.map((id) => decideArm(design(10), id))).toEqual(arms);
    const share = arms.filter((a) => a === 'holdout').length / ids.length;
    // Binomial sd at n=20000, p=0.1 is 0.0021; 4 sd either side.
    expect(share).toBeGreaterThan(0.1 - 0.0085);
    expect(share).toBeLessThan(0.1 + 0.0085);
    const otherSeed = ids.map((id) => decideArm(design(10, 'seq-other'), id));
    expect(otherSeed).not.toEqual(arms);
  });

  it('puts nobody in the holdout at 0% and keeps holdout members when the share grows', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `c${i}`);
    expect(ids.every((id) => decideArm(design(0), id) === 'treated')).toBe(true);
    const at10 = ids.filter((id) => decideArm(design(10), id) === 'holdout');
    expect(at10.every((id) => decideArm(design(20), id) === 'holdout')).toBe(true);
  });

  it('expects the configured split', () => {
    expect(expectedSplit(1000, 10)).toEqual({ holdout: 100, treated: 900 });
    expect(expectedSplit(7, 15)).toEqual({ holdout: 1, treated: 6 });
  });
});

describe('planEnrollments', () => {
  it('gives treated customers their first touch and the holdout none', () => {
    const ids = Array.from({ length: 200 }, (_, i) => `p${i}`);
    const plans = planEnrollments(
      ids.map((id, i) => ({ customerId: id, externalId: id, priorSpend: i, lastActivityAt: daysAgo(75) })),
      design(30),
      3,
      NOW,
    );
    const holdout = plans.filter((p) => p.arm === 'holdout');
    expect(holdout.length).toBeGreaterThan(0);
    for (const p of plans) {
      expect(p.daysInactive).toBe(75);
      if (p.arm === 'holdout') {
        expect(p).toMatchObject({ status: 'holdout', nextPosition: null, nextDueAt: null });
      } else {
        expect(p).toMatchObject({
          status: 'active',
          nextPosition: 0,
          nextDueAt: new Date(NOW.getTime() + 3 * DAY),
        });
      }
    }
  });
});

describe('globalHoldoutDecisions', () => {
  it('decides with the same hash as /v1/assign', () => {
    const holdout = { seed: 'ws-seed', percent: 25 };
    const customers = Array.from({ length: 500 }, (_, i) => ({ customerId: `id${i}`, externalId: `x${i}` }));
    const decisions = globalHoldoutDecisions(customers, holdout);
    expect(decisions.map((d) => d.inHoldout)).toEqual(
      customers.map((c) => decideGlobalHoldout(c.externalId, holdout)),
    );
    expect(decisions.some((d) => d.inHoldout)).toBe(true);
    expect(globalHoldoutDecisions(customers, null).every((d) => !d.inHoldout)).toBe(true);
  });
});
