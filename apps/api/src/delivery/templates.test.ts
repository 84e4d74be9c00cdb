import { describe, expect, it } from 'vitest';
import { DomainError } from '../common/domain-error';
import {
  chooseContentVariant,
  htmlToText,
  renderContent,
  withOpenPixel,
  type TemplateContext,
} from './templates';

const context: TemplateContext = {
  customer: {
    externalId: 'cust-42',
    segment: 'vip',
    plan: 'pro',
    country: 'FR',
    timezone: 'Europe/Paris',
    acquisitionChannel: null,
    traits: { first_name: 'Ada', email: 'ada@example.com' },
  },
  offer: {
    key: 'winback-20',
    name: '20% off',
    kind: 'discount',
    code: 'WINBACK20-7K3M9QXT',
    expiresAt: new Date('2025-02-01T00:00:00Z'),
    discountPercent: 20,
    targetTier: null,
    termsDays: null,
    description: null,
  },
  links: { unsubscribe: 'https://liftlab.test/v1/unsubscribe/tok', survey: null },
  sequence: { key: 'winback', name: 'Win-back' },
};
const click = (url: string) => `https://liftlab.test/v1/t/c/${encodeURIComponent(url)}`;

function fieldError(fn: () => unknown): { path: string; rule: string } {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    const err = e as DomainError;
    expect(err.code).toBe('validation_failed');
    return (err.details as { path: string; rule: string }[])[0]!;
  }
  throw new Error('expected a template error');
}

describe('renderContent', () => {
  it('renders e-mail subject, text and html with customer traits, offer and links', () => {
    const out = renderContent(
      'email',
      {
        subject: 'We miss you, {{ customer.traits.first_name }}',
        text: 'Use {{ offer.code }} before {{ offer.expiresAt | date: "%Y-%m-%d" }} ({{ offer.discountPercent }}% off). Unsubscribe: {{ links.unsubscribe }}',
        html: '<p>Hi {{ customer.traits.first_name }}, <a href="{{ "https://shop.test/back" | click }}">come back</a></p>',
      },
      context,
      click,
      'touches[0].content',
    );
    expect(out.subject).toBe('We miss you, Ada');
    expect(out.body).toBe(
      'Use WINBACK20-7K3M9QXT before 2025-02-01 (20% off). Unsubscribe: https://liftlab.test/v1/unsubscribe/tok',
    );
    expect(out.html).toBe(
      '<p>Hi Ada, <a href="https://liftlab.test/v1/t/c/https%3A%2F%2Fshop.test%2Fback">come back</a></p>',
    );
  });

  it('always produces a plain-text part, from the HTML when the text is empty', () => {
    const out = renderContent(
      'email',
      {
        subject: 'Hi',
        text: ' ',
        html: '<h1>Hello {{ customer.externalId }}</h1><p>Line<br>two &amp; more</p>',
      },
      context,
      click,
      'content',
    );
    expect(out.body).toBe('Hello cust-42\nLine\ntwo & more');
    expect(out.html).toContain('<h1>Hello cust-42</h1>');
  });

  it('names the field of an undefined variable, including the touch position', () => {
    const err = fieldError(() =>
      renderContent(
        'email',
        { subject: 'Hi {{ customer.traits.nickname }}', text: 'x' },
        context,
        click,
        'touches[1].content',
      ),
    );
    expect(err).toEqual({ path: 'touches[1].content.subject', rule: 'template_undefined_variable' });
  });

  it('names the field of a syntax error and of an unknown filter', () => {
    expect(
      fieldError(() =>
        renderContent('email', { subject: 'ok', text: 'Hi {{ customer.plan ' }, context, click, 'content'),
      ),
    ).toEqual({ path: 'content.text', rule: 'template_syntax' });
    expect(
      fieldError(() =>
        renderContent(
          'in_app',
          { title: 'T', body: '{{ customer.plan | shout }}' },
          context,
          click,
          'content',
        ),
      ),
    ).toEqual({ path: 'content.body', rule: 'template_syntax' });
  });

  it('lets a template test an optional trait with if', () => {
    const out = renderContent(
      'email',
      {
        subject: 'Hi{% if customer.traits.nickname %} {{ customer.traits.nickname }}{% endif %}!',
        text: 'x',
      },
      context,
      click,
      'content',
    );
    expect(out.subject).toBe('Hi!');
  });

  it('renders in-app, call-task and webhook content into subject/body/payload', () => {
    expect(
      renderContent(
        'in_app',
        {
          title: 'Welcome back {{ customer.traits.first_name }}',
          body: 'Plan {{ customer.plan }}',
          ctaUrl: 'https://app.test',
        },
        context,
        click,
        'content',
      ),
    ).toEqual({
      subject: 'Welcome back Ada',
      body: 'Plan pro',
      html: null,
      payload: { ctaUrl: 'https://app.test' },
    });
    expect(
      renderContent(
        'call_task',
        {
          owner: 'csm@x.test',
          title: 'Call {{ customer.externalId }}',
          instructions: 'Segment {{ customer.segment }}',
          dueInDays: 3,
        },
        context,
        click,
        'content',
      ),
    ).toEqual({
      subject: 'Call cust-42',
      body: 'Segment vip',
      html: null,
      payload: { owner: 'csm@x.test', dueInDays: 3 },
    });
    const hook = renderContent('webhook', { url: 'https://ads.test/hook' }, context, click, 'content');
    expect(hook).toEqual({
      subject: null,
      body: null,
      html: null,
      payload: { url: 'https://ads.test/hook' },
    });
  });
});

describe('chooseContentVariant', () => {
  const content = {
    subject: 'base',
    text: 'base',
    variants: [
      { key: 'a', weight: 0.5, subject: 'A', text: 'a' },
      { key: 'b', weight: 0.5, subject: 'B', text: 'b' },
    ],
  };

  it('returns null for a touch without a split', () => {
    expect(chooseContentVariant({ subject: 's', text: 't' }, 'e1:t1')).toBeNull();
  });

  it('is deterministic per message key and splits by weight', () => {
    const first = chooseContentVariant(content, 'enrollment-1:touch-1');
    expect(chooseContentVariant(content, 'enrollment-1:touch-1')).toEqual(first);
    expect(first?.content).toEqual({ subject: first?.key.toUpperCase(), text: first?.key });
    const counts = { a: 0, b: 0 } as Record<string, number>;
    for (let i = 0; i < 4000; i++)
      counts[chooseContentVariant(content, `enrollment-${i}:touch-1`)!.key]! += 1;
    // Binomial(4000, 0.5): sd ≈ 31.6, so ±150 is beyond 4.7 sd.
    expect(Math.abs(counts.a! - 2000)).toBeLessThan(150);
    const skewed = {
      ...content,
      variants: [
        { ...content.variants[0]!, weight: 0.9 },
        { ...content.variants[1]!, weight: 0.1 },
      ],
    };
    let a = 0;
    for (let i = 0; i < 4000; i++)
      if (chooseContentVariant(skewed, `enrollment-${i}:touch-1`)!.key === 'a') a += 1;
    // Binomial(4000, 0.9): sd ≈ 19.
    expect(Math.abs(a - 3600)).toBeLessThan(100);
  });
});

describe('htmlToText', () => {
  it('keeps link targets and drops markup', () => {
    expect(
      htmlToText('<p>Back <a href="https://x.test">here</a></p><style>p{}</style><ul><li>one</li></ul>'),
    ).toBe('Back here (https://x.test)\n- one');
  });
});

describe('withOpenPixel', () => {
  const url = 'https://liftlab.example/v1/t/o/abc?x=1&y="2"';
  it('puts the escaped tracking image just before </body>, whatever its case', () => {
    const out = withOpenPixel('<html><BODY><p>Hi</p></Body ></html>', url);
    expect(out).toBe(
      '<html><BODY><p>Hi</p><img src="https://liftlab.example/v1/t/o/abc?x=1&amp;y=&quot;2&quot;" ' +
        'width="1" height="1" alt="" style="display:none"></Body ></html>',
    );
  });
  it('appends it to a fragment without a body', () => {
    expect(withOpenPixel('<p>Hi</p>', 'https://a.example/o')).toMatch(
      /^<p>Hi<\/p><img src="https:\/\/a\.example\/o"/,
    );
  });
});
