import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { toFieldErrors } from './common';
import { SignalParamsSchemas, SignalRuleCreateSchema, SignalRuleUpdateSchema } from './signals';

function errors(schema: z.ZodType, input: unknown) {
  const r = schema.safeParse(input);
  if (r.success) throw new Error('expected the input to be refused');
  return toFieldErrors(r.error);
}

const rule = {
  key: 'tickets',
  name: 'Tickets',
  kind: 'support_tickets',
  params: { count: 3, eventName: 'support_ticket' },
  ownerTeam: 'support',
  slaHours: 24,
  intervention: { type: 'task', owner: 'lead', title: 'Call' },
};

describe('SignalRuleCreateSchema', () => {
  it('accepts a rule and fills the defaults (7-day ticket window, enabled)', () => {
    const parsed = SignalRuleCreateSchema.parse(rule);
    expect(parsed.params).toEqual({ count: 3, days: 7, eventName: 'support_ticket' });
    expect(parsed.enabled).toBe(true);
  });

  it('checks params by kind, naming the field', () => {
    expect(errors(SignalRuleCreateSchema, { ...rule, kind: 'usage_drop', params: { percent: 0 } })).toEqual([
      { path: 'params.percent', rule: 'greater_than_0' },
    ]);
    expect(errors(SignalRuleCreateSchema, { ...rule, kind: 'spend_spike', params: { days: 30 } })).toEqual([
      { path: 'params.multiple', rule: 'exactly_one_of_multiple_percent' },
    ]);
    expect(errors(SignalRuleCreateSchema, { ...rule, kind: 'unknown' })).toEqual([
      { path: 'kind', rule: 'one_of' },
    ]);
    expect(
      errors(SignalRuleCreateSchema, { ...rule, intervention: { type: 'enroll', sequenceKey: 'Not A Key' } }),
    ).toEqual([{ path: 'intervention.sequenceKey', rule: 'key_format' }]);
  });

  it('keeps the onboarding lookback at least as long as the deadline', () => {
    expect(
      errors(SignalParamsSchemas.onboarding_incomplete, { days: 14, completionEvent: 'x', lookbackDays: 13 }),
    ).toEqual([{ path: 'lookbackDays', rule: 'at_least_days' }]);
    expect(
      SignalParamsSchemas.onboarding_incomplete.parse({ days: 14, completionEvent: 'x', lookbackDays: 14 }),
    ).toEqual({ days: 14, completionEvent: 'x', lookbackDays: 14 });
  });
});

describe('SignalRuleUpdateSchema', () => {
  it('refuses an empty update and a kind change', () => {
    expect(errors(SignalRuleUpdateSchema, {})).toEqual([{ path: '', rule: 'empty_update' }]);
    expect(errors(SignalRuleUpdateSchema, { kind: 'usage_drop' })).toContainEqual({
      path: 'kind',
      rule: 'unknown_key',
    });
  });
});
