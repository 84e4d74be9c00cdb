import { describe, expect, it } from 'vitest';
import { toFieldErrors } from './common';
import { AudienceRulesSchema, SequenceCreateSchema, SequenceUpdateSchema } from './sequences';

const email = {
  channel: 'email',
  delayDays: 0,
  content: { subject: 'We miss you', text: 'Hi {{ customer.externalId }}' },
};

function errors(result: { success: boolean; error?: unknown }) {
  expect(result.success).toBe(false);
  return toFieldErrors(result.error as never);
}

describe('SequenceCreateSchema', () => {
  it('fills the documented defaults', () => {
    const parsed = SequenceCreateSchema.parse({ key: 'winback', name: 'Win-back', touches: [email] });
    expect(parsed.audience).toMatchObject({
      minDaysInactive: 60,
      maxDaysInactive: 120,
      excludeGlobalHoldout: true,
    });
    expect(parsed.holdoutPercent).toBe(10);
    expect(parsed.reentryDays).toBe(180);
    expect(parsed.exitEventTypes).toEqual(['order', 'activity']);
    expect(parsed.touches[0]!.conditions).toEqual([]);
  });

  it('names the touch whose delay does not increase', () => {
    const result = SequenceCreateSchema.safeParse({
      key: 'winback',
      name: 'Win-back',
      touches: [email, { ...email, delayDays: 3 }, { ...email, delayDays: 3 }],
    });
    expect(errors(result)).toEqual([{ path: 'touches.2.delayDays', rule: 'strictly_increasing' }]);
  });

  it('checks content per channel and A/B variant weights', () => {
    const result = SequenceCreateSchema.safeParse({
      key: 'winback',
      name: 'Win-back',
      holdoutPercent: 60,
      touches: [
        {
          ...email,
          content: {
            subject: 's',
            text: 't',
            variants: [
              { key: 'a', weight: 0.5, subject: 'A', text: 't' },
              { key: 'b', weight: 0.4, subject: 'B', text: 't' },
            ],
          },
        },
        { channel: 'webhook', delayDays: 7, content: { url: 'not a url' } },
        { channel: 'call_task', delayDays: 14, content: { title: 'Call' } },
      ],
    });
    expect(errors(result)).toEqual(
      expect.arrayContaining([
        { path: 'holdoutPercent', rule: 'max_50' },
        { path: 'touches.0.content.variants', rule: 'weights_sum_to_1' },
        { path: 'touches.1.content.url', rule: 'http_url' },
        { path: 'touches.2.content.owner', rule: 'required' },
      ]),
    );
  });
});

describe('AudienceRulesSchema', () => {
  it('requires the window to be ordered', () => {
    const result = AudienceRulesSchema.safeParse({ minDaysInactive: 90, maxDaysInactive: 30 });
    expect(errors(result)).toEqual([{ path: 'maxDaysInactive', rule: 'at_least_min_days_inactive' }]);
  });

  it('reuses experiment targeting for conditions', () => {
    const result = AudienceRulesSchema.safeParse({
      conditions: [{ type: 'attribute', attribute: 'traits.tier', operator: 'in', value: [] }],
    });
    expect(errors(result)).toEqual([{ path: 'conditions.0.value', rule: 'non_empty_list' }]);
  });
});

describe('SequenceUpdateSchema', () => {
  it('rejects an empty update', () => {
    expect(errors(SequenceUpdateSchema.safeParse({}))).toEqual([{ path: '', rule: 'at_least_one_field' }]);
  });
});
