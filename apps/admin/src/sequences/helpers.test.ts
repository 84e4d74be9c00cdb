import { describe, expect, it } from 'vitest';
import type { AudiencePreview, SequenceResults, TouchFunnel } from '@liftlab/contracts';
import { toApiError } from '../api/client';
import { newTouch, setSplit } from './form';
import {
  dueText,
  EMAIL_FRAME_CSP,
  nextAttemptText,
  outboxFiltersFrom,
  sandboxedEmailDocument,
} from './outbox';
import { exclusionRows, renderProblems, templatePreviewRequest, totalExcluded } from './preview';
import { funnelRows, intervalDomain, liftTone, reactivationSentence, touchLabel } from './results';
import { detailsText } from './signals';

describe('template preview request', () => {
  it('sends the channel content, the customer and the offer', () => {
    const t = newTouch('email', 0);
    const touch = {
      ...t,
      offerKey: 'winback20',
      content: {
        ...t.content,
        subject: 'Hi {{ customer.externalId }}',
        text: 'Come back',
        title: 'not an email field',
      },
    };
    expect(templatePreviewRequest(touch, ' c-42 ')).toEqual({
      ok: true,
      request: {
        channel: 'email',
        content: { subject: 'Hi {{ customer.externalId }}', text: 'Come back' },
        customerExternalId: 'c-42',
        offerKey: 'winback20',
      },
    });
  });

  it('waits for a customer and for the content the channel requires', () => {
    const touch = newTouch('email', 0);
    expect(templatePreviewRequest(touch, '')).toEqual({
      ok: false,
      errors: { customerExternalId: 'required', 'content.subject': 'required', 'content.text': 'required' },
    });
  });

  it('names a bad variant field like the API does', () => {
    const t = newTouch('in_app', 0);
    const touch = setSplit({ ...t, content: { ...t.content, title: 'T', body: 'B' } }, true);
    touch.variants[1] = { ...touch.variants[1]!, body: '' };
    const mapped = templatePreviewRequest(touch, 'c-1');
    expect(mapped.ok ? {} : mapped.errors).toEqual({ 'content.variants.1.body': 'required' });
  });
});

describe('render problems', () => {
  it('places a template error under its field, with the renderer’s words and without the field prefix', () => {
    const error = toApiError(400, {
      title: 'Validation failed',
      detail: 'content.variants[1].subject: undefined variable: customer.fist_name, line:1, col:4',
      errors: [{ path: 'content.variants[1].subject', rule: 'template_undefined_variable' }],
    });
    expect(renderProblems(error)).toEqual({
      'content.variants.1.subject': {
        rule: 'template_undefined_variable',
        detail: 'undefined variable: customer.fist_name, line:1, col:4',
      },
    });
  });

  it('keeps only rules when several fields failed (the detail would be ambiguous)', () => {
    const error = toApiError(400, {
      title: 'Validation failed',
      detail: 'Two problems',
      errors: [
        { path: 'customerExternalId', rule: 'unknown_customer' },
        { path: 'offerKey', rule: 'unknown_offer' },
      ],
    });
    expect(renderProblems(error)).toEqual({
      customerExternalId: { rule: 'unknown_customer', detail: undefined },
      offerKey: { rule: 'unknown_offer', detail: undefined },
    });
    expect(renderProblems(new Error('network'))).toEqual({});
  });
});

describe('audience preview', () => {
  const preview: AudiencePreview = {
    asOf: '2026-12-02T10:00:00.000Z',
    matched: 120,
    excluded: { suppressed: 3, unsubscribed: 2, recentlyContacted: 10, globalHoldout: 5, alreadyEnrolled: 0 },
    eligible: 100,
    wouldEnroll: 100,
    expectedHoldout: 10,
    expectedTreated: 90,
    sample: [],
  };

  it('lists exclusions in the order the API counts them, and they add up to matched − eligible', () => {
    expect(exclusionRows(preview).map((r) => [r.reason, r.count])).toEqual([
      ['suppressed', 3],
      ['unsubscribed', 2],
      ['recentlyContacted', 10],
      ['globalHoldout', 5],
      ['alreadyEnrolled', 0],
    ]);
    expect(totalExcluded(preview)).toBe(preview.matched - preview.eligible);
  });
});

describe('outbox', () => {
  it('frames e-mail HTML with a policy that loads nothing remote (no tracking pixel, no scripts)', () => {
    const doc = sandboxedEmailDocument('<p>Hi</p><img src="https://x.example/v1/t/o/abc">');
    expect(doc).toContain(`content="${EMAIL_FRAME_CSP}"`);
    expect(EMAIL_FRAME_CSP).toContain("default-src 'none'");
    expect(EMAIL_FRAME_CSP).toContain('img-src data:');
    expect(EMAIL_FRAME_CSP).not.toMatch(/script-src|https:/);
    expect(doc.indexOf('Content-Security-Policy')).toBeLessThan(doc.indexOf('<p>Hi</p>'));
  });

  it('reads filters from the query string and ignores unknown values', () => {
    expect(
      outboxFiltersFrom(
        new URLSearchParams('channel=email&status=sent&sequence=abc&customer=%20c-1%20&outbox=true'),
      ),
    ).toEqual({ channel: 'email', status: 'sent', sequenceId: 'abc', customer: 'c-1', outbox: true });
    expect(outboxFiltersFrom(new URLSearchParams('channel=fax&status=lost&outbox=no'))).toEqual({});
  });

  it('says when a deferred message will be tried again, and how late a task is', () => {
    const now = new Date('2026-12-02T12:00:00Z');
    expect(nextAttemptText('2026-12-02T11:00:00Z', now)).toBeNull();
    expect(nextAttemptText('2026-12-02T12:11:30Z', now)).toBe('in 12 min');
    expect(nextAttemptText('2026-12-02T20:00:00Z', now)).toBe('in 8 h');
    expect(nextAttemptText('2026-12-06T12:00:00Z', now)).toBe('in 4 days');
    expect(dueText('2026-12-02T17:00:00Z', now)).toBe('due in 5 h');
    expect(dueText('2026-12-02T09:00:00Z', now)).toBe('3 h overdue');
    expect(dueText('2026-11-29T12:00:00Z', now)).toBe('3 days overdue');
    expect(dueText('2026-12-02T12:20:00Z', now)).toBe('due in 20 min');
  });
});

function funnel(position: number, counts: Partial<TouchFunnel>): TouchFunnel {
  return {
    touchId: `t${position}`,
    position,
    delayDays: position * 3,
    channel: 'email',
    offerKey: null,
    enrolledTreated: 200,
    messages: 0,
    sent: 0,
    delivered: 0,
    opened: 0,
    clicked: 0,
    converted: 0,
    variants: [],
    ...counts,
  };
}

describe('results', () => {
  it('orders the funnel by position and gives each step as a share of messages sent', () => {
    const rows = funnelRows([
      funnel(1, { messages: 150, sent: 0 }),
      funnel(0, { messages: 180, sent: 160, delivered: 160, opened: 80, clicked: 20, converted: 8 }),
    ]);
    expect(rows.map((r) => r.label)).toEqual(['1. Day 0 e-mail', '2. Day 3 e-mail']);
    expect(rows[0]?.rates).toEqual({ sent: 1, delivered: 1, opened: 0.5, clicked: 0.125, converted: 0.05 });
    expect(rows[0]?.reach).toBe(0.9);
    expect(rows[1]?.rates.opened).toBeNull();
    expect(rows[0]?.variants).toEqual([]);
    expect(touchLabel({ position: 2, delayDays: 14, channel: 'call_task' })).toBe('3. Day 14 call task');
  });

  it('gives each A/B variant of a split touch its own funnel, in key order', () => {
    const counts = (sent: number, opened: number) => ({
      messages: sent,
      sent,
      delivered: sent,
      opened,
      clicked: 0,
      converted: 0,
    });
    const [row] = funnelRows([
      funnel(0, {
        ...counts(100, 30),
        variants: [
          { variant: 'b', ...counts(50, 20) },
          { variant: 'a', ...counts(50, 10) },
        ],
      }),
    ]);
    expect(row?.variants.map((v) => [v.variant, v.counts.sent, v.rates.opened])).toEqual([
      ['a', 50, 0.2],
      ['b', 50, 0.4],
    ]);
  });

  it('reads the lift interval: above zero works, below harms, across zero is not clear', () => {
    expect(liftTone({ ci: [0.01, 0.09] })).toBe('good');
    expect(liftTone({ ci: [-0.09, -0.01] })).toBe('bad');
    expect(liftTone({ ci: [-0.01, 0.09] })).toBe('neutral');
    expect(liftTone(null)).toBe('neutral');
    const [lo, hi] = intervalDomain({ estimate: 0.05, ci: [0.01, 0.09] });
    expect(lo).toBeCloseTo(-0.1035, 10);
    expect(hi).toBeCloseTo(0.1035, 10);
  });

  it('states the comparison in words with the interval in percentage points', () => {
    const arm = (n: number, reactivated: number) => ({
      n,
      reactivated,
      rate: reactivated / n,
      revenue: 0,
      revenuePerCustomer: 0,
    });
    const base: Pick<SequenceResults, 'reactivation' | 'alpha'> = {
      alpha: 0.05,
      reactivation: {
        treated: arm(900, 270),
        holdout: arm(100, 20),
        absoluteLift: { estimate: 0.1, se: 0.043, ci: [0.0157, 0.1843], pValue: 0.02 },
        relativeLift: null,
        incrementalReactivated: null,
        incrementalRevenue: null,
        notMeasurable: null,
      },
    };
    expect(reactivationSentence(base)).toBe(
      'The sequence works: 30% of treated customers reactivated against 20% of the holdout, +10 points (95% interval +1.6 points to +18.4 points).',
    );
    const unclear = {
      ...base,
      reactivation: {
        ...base.reactivation,
        absoluteLift: { estimate: 0.1, se: 0.06, ci: [-0.02, 0.22] as [number, number], pValue: 0.1 },
      },
    };
    expect(reactivationSentence(unclear)).toMatch(/^Not clear yet: .* includes no change\)\.$/);
    const early = {
      ...base,
      reactivation: {
        ...base.reactivation,
        absoluteLift: null,
        notMeasurable: {
          field: 'enrollments',
          rule: 'window_open',
          message: 'No enrollment has finished its 30-day window.',
        },
      },
    };
    expect(reactivationSentence(early)).toBe('No enrollment has finished its 30-day window.');
  });
});

describe('signals', () => {
  it('writes the measured values of a signal as a short line', () => {
    expect(detailsText({ previousWeek: 14, lastWeek: 3, dropPercent: 78.5714, window: { days: 7 } })).toBe(
      'previous week 14, last week 3, drop percent 78.57',
    );
    expect(detailsText({})).toBe('—');
  });
});
