import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Agent, type TestApp } from '../../test/app';

let t: TestApp;
let lifecycle: Agent;

beforeAll(async () => {
  t = await createTestApp({
    env: { LINK_SECRET: 'preview-test-link-secret-0123456789abcdef', SEQUENCE_TICK_CRON: 'off' },
  });
  lifecycle = await t.loginAs('lifecycle');
  await t.prisma.customer.create({
    data: {
      workspaceId: t.workspaceId,
      externalId: 'ada',
      segment: 'vip',
      plan: 'pro',
      timezone: 'Europe/Paris',
      traits: { first_name: 'Ada', email: 'ada@example.test' },
    },
  });
  await t.prisma.offer.create({
    data: {
      workspaceId: t.workspaceId,
      key: 'winback-20',
      name: '20% off',
      kind: 'discount',
      details: { percent: 20 },
      codePrefix: 'WINBACK20',
      validDays: 14,
    },
  });
});

afterAll(async () => {
  await t?.close();
});

const preview = (body: object, agent: Agent = lifecycle) =>
  agent.post('/v1/sequences/template-preview').send(body);

describe('POST /v1/sequences/template-preview', () => {
  it('renders subject, plain text and html for a real customer with the offer and signed links', async () => {
    const res = await preview({
      channel: 'email',
      customerExternalId: 'ada',
      offerKey: 'winback-20',
      content: {
        subject: 'We miss you, {{ customer.traits.first_name }}',
        text: 'Use {{ offer.code }} for {{ offer.discountPercent }}% off until {{ offer.expiresAt | date: "%Y-%m-%d" }}.\nUnsubscribe: {{ links.unsubscribe }}',
        html: '<p>Hi {{ customer.traits.first_name }}, <a href="{{ "https://shop.test/back" | click }}">come back</a></p>',
        variants: [
          { key: 'a', weight: 0.5, subject: 'A: {{ customer.plan }}', text: 'a' },
          { key: 'b', weight: 0.5, subject: 'B: {{ customer.segment }}', text: 'b' },
        ],
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      channel: 'email',
      customerExternalId: 'ada',
      recipient: 'ada@example.test',
      subject: 'We miss you, Ada',
      offerExpiresAt: '2025-01-29T09:00:00.000Z',
    });
    expect(res.body.offerCode).toMatch(/^WINBACK20-[0-9A-Z]{8}$/);
    expect(res.body.text).toContain(`Use ${res.body.offerCode} for 20% off until 2025-01-29.`);
    expect(res.body.text).toMatch(/Unsubscribe: http:\/\/\S+\/v1\/unsubscribe\/\S+/);
    expect(res.body.html).toMatch(/<a href="http:\/\/\S+\/v1\/t\/c\/\S+">come back<\/a>/);
    expect(res.body.variants).toEqual([
      { key: 'a', weight: 0.5, subject: 'A: pro', text: 'a', html: null, payload: null },
      { key: 'b', weight: 0.5, subject: 'B: vip', text: 'b', html: null, payload: null },
    ]);
  });

  it('answers 400 naming the template field and the rule', async () => {
    const res = await preview({
      channel: 'email',
      customerExternalId: 'ada',
      content: { subject: 'Hi {{ customer.traits.nickname }}', text: 'x' },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'content.subject', rule: 'template_undefined_variable' }]);

    const syntax = await preview({
      channel: 'in_app',
      customerExternalId: 'ada',
      content: {
        title: 'ok',
        body: 'ok',
        variants: [
          { key: 'a', weight: 0.5, title: 'fine', body: 'x' },
          { key: 'b', weight: 0.5, title: '{% if %}', body: 'x' },
        ],
      },
    });
    expect(syntax.status).toBe(400);
    expect(syntax.body.errors).toEqual([{ path: 'content.variants[1].title', rule: 'template_syntax' }]);
  });

  it('answers 400 for content that breaks the channel schema, an unknown customer or offer', async () => {
    const missing = await preview({
      channel: 'email',
      customerExternalId: 'ada',
      content: { text: 'no subject' },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([expect.objectContaining({ path: 'content.subject' })]);

    const customer = await preview({
      channel: 'email',
      customerExternalId: 'nobody',
      content: { subject: 's', text: 't' },
    });
    expect(customer.status).toBe(400);
    expect(customer.body.errors).toEqual([{ path: 'customerExternalId', rule: 'unknown_customer' }]);

    const offer = await preview({
      channel: 'email',
      customerExternalId: 'ada',
      offerKey: 'no-such-offer',
      content: { subject: 's', text: 't' },
    });
    expect(offer.status).toBe(400);
    expect(offer.body.errors).toEqual([{ path: 'offerKey', rule: 'unknown_offer' }]);
  });

  it('is for the lifecycle team and marketers only', async () => {
    const executive = await t.loginAs('executive');
    const res = await preview(
      { channel: 'email', customerExternalId: 'ada', content: { subject: 's', text: 't' } },
      executive,
    );
    expect(res.status).toBe(403);
    const marketer = await t.loginAs('marketer');
    expect(
      (
        await preview(
          { channel: 'email', customerExternalId: 'ada', content: { subject: 's', text: 't' } },
          marketer,
        )
      ).status,
    ).toBe(200);
  });
});
