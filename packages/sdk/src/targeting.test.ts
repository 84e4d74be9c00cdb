import { describe, expect, it } from 'vitest';
import { matchesRule, matchesTargeting, readAttribute } from './targeting';
import type { AttributeRule, TargetingRule } from './types';

const customer = {
  externalId: 'c-1',
  segment: 'vip',
  plan: 'pro',
  country: 'FR',
  acquisitionDate: '2024-03-01',
  traits: { ltv: 420, tags: ['b2b', 'annual'], churnRisk: '0.7', newsletter: true },
};

const attr = (
  attribute: string,
  operator: AttributeRule['operator'],
  value?: AttributeRule['value'],
): TargetingRule => ({
  type: 'attribute',
  attribute,
  operator,
  value,
});

describe('readAttribute', () => {
  it('follows dotted paths and stops at missing steps', () => {
    expect(readAttribute(customer, 'traits.ltv')).toBe(420);
    expect(readAttribute(customer, 'traits.missing.deeper')).toBeUndefined();
    expect(readAttribute(customer, 'plan.length')).toBeUndefined();
  });
});

describe('matchesRule', () => {
  it.each([
    [attr('plan', 'eq', 'pro'), true],
    [attr('plan', 'eq', 'Pro'), false],
    [attr('plan', 'neq', 'free'), true],
    [attr('plan', 'neq', 'pro'), false],
    [attr('missing', 'neq', 'pro'), true],
    [attr('country', 'in', ['FR', 'DE']), true],
    [attr('country', 'in', ['US']), false],
    [attr('country', 'not_in', ['US']), true],
    [attr('missing', 'not_in', ['US']), true],
    [attr('traits.tags', 'in', ['b2b']), true],
    [attr('traits.tags', 'contains', 'annual'), true],
    [attr('traits.tags', 'contains', 'monthly'), false],
    [attr('plan', 'contains', 'r'), true],
    [attr('traits.ltv', 'gt', 400), true],
    [attr('traits.ltv', 'gt', 420), false],
    [attr('traits.ltv', 'gte', 420), true],
    [attr('traits.ltv', 'lt', '500'), true],
    [attr('traits.churnRisk', 'gte', 0.5), true],
    [attr('traits.churnRisk', 'lte', 0.5), false],
    [attr('acquisitionDate', 'lt', '2024-06-01'), true],
    [attr('acquisitionDate', 'gte', '2024-06-01'), false],
    [attr('missing', 'gt', 1), false],
    [attr('plan', 'gt', 3), false],
    [attr('traits.ltv', 'eq', '420'), true],
    [attr('traits.newsletter', 'eq', true), true],
    [attr('traits.newsletter', 'eq', 'true'), true],
    [attr('plan', 'exists'), true],
    [attr('missing', 'exists'), false],
    [attr('missing', 'not_exists'), true],
    [{ type: 'segment', operator: 'in', segments: ['vip', 'gold'] } as TargetingRule, true],
    [{ type: 'segment', operator: 'in', segments: ['churned'] } as TargetingRule, false],
    [{ type: 'segment', operator: 'not_in', segments: ['churned'] } as TargetingRule, true],
  ])('%j → %s', (rule, expected) => {
    expect(matchesRule(rule, customer)).toBe(expected);
  });

  it('refuses an operator it does not know', () => {
    expect(matchesRule(attr('plan', 'like' as AttributeRule['operator'], 'pro'), customer)).toBe(false);
  });

  it('treats a customer without a segment as not in any segment', () => {
    expect(matchesRule({ type: 'segment', operator: 'in', segments: ['vip'] }, {})).toBe(false);
    expect(matchesRule({ type: 'segment', operator: 'not_in', segments: ['vip'] }, {})).toBe(true);
  });
});

describe('matchesTargeting', () => {
  it('requires every rule (AND) and lets everyone in without rules', () => {
    expect(matchesTargeting([], {})).toBe(true);
    expect(matchesTargeting([attr('plan', 'eq', 'pro'), attr('country', 'eq', 'FR')], customer)).toBe(true);
    expect(matchesTargeting([attr('plan', 'eq', 'pro'), attr('country', 'eq', 'DE')], customer)).toBe(false);
  });
});
