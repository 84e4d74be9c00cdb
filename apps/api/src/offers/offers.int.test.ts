import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Offer, OfferRedemptionResult } from '@liftlab/contracts';
import { createTestApp, type Agent, type TestApp } from '../../test/app';
import {
  ensureCustomers,
  insertEnrollment,
  insertSequence,
  type TestSequence,
} from '../sequence-results/test-sequence';
import { issueOffer } from './offer-codes';

/**
 * Offers through the API: CRUD with field-level errors, and redemptions checked against the message that
 * issued the offer (code, expiry), recorded once as an `offer_redeemed` conversion event.
 */

const DAY = 86_400_000;
let t: TestApp;
let lifecycle: Agent;
let executive: Agent;
let ingestKey: Agent;
let discount: Offer;
let upgrade: Offer;
let sequence: TestSequence;
let customers: Map<string, string>;

beforeAll(async () => {
  t = await createTestApp();
  lifecycle = await t.loginAs('lifecycle');
  executive = await t.loginAs('executive');
  ingestKey = await t.keyAgent('ingest');
});
afterAll(() => t?.close());

describe('offer CRUD', () => {
  it('creates each kind and lists them', async () => {
    const d = await lifecycle.post('/v1/offers').send({
      key: 'winback-20',
      name: '20% off',
      kind: 'discount',
      percent: 20,
      validDays: 14,
      codePrefix: 'WB20',
    });
    expect(d.status).toBe(201);
    discount = d.body as Offer;
    expect(discount).toMatchObject({ kind: 'discount', percent: 20, validDays: 14, codePrefix: 'WB20' });
    expect(discount.targetTier).toBeNull();

    const u = await lifecycle
      .post('/v1/offers')
      .send({ key: 'upgrade-pro', name: 'Pro for free', kind: 'tier_upgrade', targetTier: 'pro' });
    expect(u.status).toBe(201);
    upgrade = u.body as Offer;
    expect(upgrade).toMatchObject({ targetTier: 'pro', validDays: null, codePrefix: null });

    const p = await lifecycle.post('/v1/offers').send({
      key: 'pilot-b2b',
      name: 'Pilot',
      kind: 'pilot',
      termsDays: 30,
      description: 'Thirty days of the team plan',
    });
    expect(p.status).toBe(201);

    const list = await executive.get('/v1/offers');
    expect(list.status).toBe(200);
    expect((list.body as { items: Offer[] }).items.map((o) => o.key)).toEqual([
      'pilot-b2b',
      'upgrade-pro',
      'winback-20',
    ]);
  });

  it('names the field and the rule of every bad input', async () => {
    const missing = await lifecycle
      .post('/v1/offers')
      .send({ key: 'd2', name: 'x', kind: 'discount', percent: 10, validDays: 7 });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toContainEqual({ path: 'codePrefix', rule: 'required' });

    const bad = await lifecycle.post('/v1/offers').send({
      key: 'd3',
      name: 'x',
      kind: 'discount',
      percent: 150,
      validDays: 0,
      codePrefix: 'wb-20',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual(
      expect.arrayContaining([
        { path: 'percent', rule: 'max_100' },
        { path: 'validDays', rule: 'min_1' },
        { path: 'codePrefix', rule: 'code_prefix_format' },
      ]),
    );

    const kind = await lifecycle.post('/v1/offers').send({ key: 'd4', name: 'x', kind: 'voucher' });
    expect(kind.status).toBe(400);
    expect(kind.body.errors[0].path).toBe('kind');

    const dup = await lifecycle
      .post('/v1/offers')
      .send({ key: 'winback-20', name: 'again', kind: 'tier_upgrade', targetTier: 'pro' });
    expect(dup.status).toBe(409);
    expect(dup.body.errors).toEqual([{ path: 'key', rule: 'unique' }]);
  });

  it('edits only the fields of the offer’s kind', async () => {
    const wrong = await lifecycle.patch(`/v1/offers/${discount.id}`).send({ targetTier: 'pro' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors).toEqual([{ path: 'targetTier', rule: 'not_for_discount' }]);

    const noExpiry = await lifecycle.patch(`/v1/offers/${discount.id}`).send({ validDays: null });
    expect(noExpiry.status).toBe(400);
    expect(noExpiry.body.errors).toEqual([{ path: 'validDays', rule: 'required' }]);

    const ok = await lifecycle.patch(`/v1/offers/${discount.id}`).send({ percent: 25, name: '25% off' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ percent: 25, name: '25% off', codePrefix: 'WB20', validDays: 14 });

    expect((await lifecycle.get(`/v1/offers/not-a-uuid`)).status).toBe(404);
  });

  it('enforces roles: executives read, only lifecycle and marketers write', async () => {
    expect((await executive.get(`/v1/offers/${discount.id}`)).status).toBe(200);
    expect((await executive.post('/v1/offers').send({})).status).toBe(403);
    expect((await executive.patch(`/v1/offers/${discount.id}`).send({ name: 'x' })).status).toBe(403);
    expect((await ingestKey.get('/v1/offers')).status).toBe(403);
    expect((await t.anonymous().get('/v1/offers')).status).toBe(401);
    const marketer = await t.loginAs('marketer');
    expect((await marketer.patch(`/v1/offers/${upgrade.id}`).send({ name: 'Pro upgrade' })).status).toBe(200);
  });
});

describe('redemptions', () => {
  const now = () => t.clock.now();
  let validCode: string;
  let expiredCode: string;
  let pendingCode: string;

  beforeAll(async () => {
    sequence = await insertSequence(t.prisma, t.workspaceId, {
      key: 'redeem',
      launchedAt: new Date(now().getTime() - 30 * DAY),
      touches: [
        { delayDays: 0, offerId: discount.id },
        { delayDays: 3, offerId: upgrade.id },
      ],
    });
    customers = await ensureCustomers(t.prisma, t.workspaceId, ['c-valid', 'c-expired', 'c-pending'], now());
    const terms = { id: discount.id, kind: 'discount' as const, codePrefix: 'WB20', validDays: 14 };

    // Received 3 days ago: valid until 11 days from now.
    const sentRecently = new Date(now().getTime() - 3 * DAY);
    const valid = await insertEnrollment(t.prisma, t.workspaceId, sequence, customers.get('c-valid')!, {
      enrolledAt: sentRecently,
      messages: [{ touch: 0 }, { touch: 1 }],
    });
    const issuedValid = issueOffer(terms, valid.enrollmentId, sentRecently);
    validCode = issuedValid.code!;
    await t.prisma.message.update({
      where: { id: valid.messageIds[0] },
      data: { offerCode: validCode, offerExpiresAt: issuedValid.expiresAt },
    });

    // Received 20 days ago with 14 valid days: expired 6 days ago.
    const sentLongAgo = new Date(now().getTime() - 20 * DAY);
    const old = await insertEnrollment(t.prisma, t.workspaceId, sequence, customers.get('c-expired')!, {
      enrolledAt: sentLongAgo,
    });
    const issuedOld = issueOffer(terms, old.enrollmentId, sentLongAgo);
    expiredCode = issuedOld.code!;
    await t.prisma.message.create({
      data: {
        workspaceId: t.workspaceId,
        sequenceId: sequence.sequenceId,
        enrollmentId: old.enrollmentId,
        touchId: sequence.touchIds[0]!,
        customerId: customers.get('c-expired')!,
        channel: 'email',
        status: 'sent',
        nextAttemptAt: sentLongAgo,
        sentAt: sentLongAgo,
        offerCode: expiredCode,
        offerExpiresAt: issuedOld.expiresAt,
      },
    });

    const pending = await insertEnrollment(t.prisma, t.workspaceId, sequence, customers.get('c-pending')!, {
      enrolledAt: sentRecently,
    });
    pendingCode = issueOffer(terms, pending.enrollmentId, sentRecently).code!;
    await t.prisma.message.create({
      data: {
        workspaceId: t.workspaceId,
        sequenceId: sequence.sequenceId,
        enrollmentId: pending.enrollmentId,
        touchId: sequence.touchIds[0]!,
        customerId: customers.get('c-pending')!,
        channel: 'email',
        status: 'pending',
        nextAttemptAt: now(),
        offerCode: pendingCode,
      },
    });
  });

  it('records a valid code once, with an offer_redeemed conversion event', async () => {
    const redeemedAt = new Date(now().getTime() - DAY).toISOString();
    const first = await ingestKey
      .post('/v1/offers/redemptions')
      .send({ code: ` ${validCode.toLowerCase()} `, redeemedAt });
    expect(first.status).toBe(200);
    const r = first.body as OfferRedemptionResult;
    expect(r).toMatchObject({
      offerId: discount.id,
      offerKey: 'winback-20',
      customerExternalId: 'c-valid',
      sequenceId: sequence.sequenceId,
      code: validCode,
      redeemedAt,
      duplicate: false,
    });
    expect(r.eventId).not.toBeNull();

    const again = await ingestKey.post('/v1/offers/redemptions').send({ code: validCode, redeemedAt });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: r.id, eventId: r.eventId, duplicate: true });

    const events = await t.prisma.event.findMany({
      where: { workspaceId: t.workspaceId, name: 'offer_redeemed' },
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'conversion', customerId: customers.get('c-valid') });
    expect(String(events[0]!.id)).toBe(r.eventId);
    expect(events[0]!.occurredAt.toISOString()).toBe(redeemedAt);
    expect(await t.prisma.offerRedemption.count({ where: { offerId: discount.id } })).toBe(1);
    expect((await lifecycle.get(`/v1/offers/${discount.id}`)).body.redemptions).toBe(1);
  });

  it('refuses an expired code with a 400 naming code and the rule', async () => {
    const res = await ingestKey
      .post('/v1/offers/redemptions')
      .send({ code: expiredCode, redeemedAt: now().toISOString() });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'code', rule: 'expired' }]);
    expect(res.body.detail).toContain(new Date(now().getTime() - 6 * DAY).toISOString());
    // Before the expiry the same code is fine.
    const inTime = await ingestKey
      .post('/v1/offers/redemptions')
      .send({ code: expiredCode, redeemedAt: new Date(now().getTime() - 10 * DAY).toISOString() });
    expect(inTime.status).toBe(200);
    expect(inTime.body.duplicate).toBe(false);
  });

  it('refuses unknown, unsent, future and early redemptions', async () => {
    const at = now().toISOString();
    const cases: [object, { path: string; rule: string }][] = [
      [
        { code: 'WB20-NOPE0000', redeemedAt: at },
        { path: 'code', rule: 'unknown' },
      ],
      [
        { code: pendingCode, redeemedAt: at },
        { path: 'code', rule: 'not_sent' },
      ],
      [
        { code: validCode, redeemedAt: new Date(now().getTime() + 2 * DAY).toISOString() },
        { path: 'redeemedAt', rule: 'in_future' },
      ],
      [
        { code: validCode, redeemedAt: new Date(now().getTime() - 5 * DAY).toISOString() },
        { path: 'redeemedAt', rule: 'before_offer_sent' },
      ],
      [
        { code: validCode, offerKey: 'winback-20', redeemedAt: at },
        { path: 'offerKey', rule: 'code_or_offer_key' },
      ],
      [
        { customerExternalId: 'c-valid', redeemedAt: at },
        { path: 'code', rule: 'required_without_offer_key' },
      ],
      [
        { offerKey: 'upgrade-pro', redeemedAt: at },
        { path: 'customerExternalId', rule: 'required_with_offer_key' },
      ],
      [{ code: validCode }, { path: 'redeemedAt', rule: 'required' }],
      [
        { offerKey: 'nope', customerExternalId: 'c-valid', redeemedAt: at },
        { path: 'offerKey', rule: 'unknown' },
      ],
      [
        { offerKey: 'upgrade-pro', customerExternalId: 'c-expired', redeemedAt: at },
        { path: 'customerExternalId', rule: 'offer_not_received' },
      ],
    ];
    for (const [body, error] of cases) {
      const res = await ingestKey.post('/v1/offers/redemptions').send(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.errors).toContainEqual(error);
    }
  });

  it('redeems an offer without a code by offer key and customer', async () => {
    const res = await ingestKey
      .post('/v1/offers/redemptions')
      .send({ offerKey: 'upgrade-pro', customerExternalId: 'c-valid', redeemedAt: now().toISOString() });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ offerKey: 'upgrade-pro', code: null, duplicate: false });
  });

  it('is for ingest keys (and admins), not for sessions of other roles or read keys', async () => {
    const body = { code: validCode, redeemedAt: now().toISOString() };
    expect((await lifecycle.post('/v1/offers/redemptions').send(body)).status).toBe(403);
    expect((await (await t.keyAgent('read')).post('/v1/offers/redemptions').send(body)).status).toBe(403);
  });

  it('refuses to delete an offer a touch carries or someone redeemed', async () => {
    const res = await lifecycle.delete(`/v1/offers/${discount.id}`);
    expect(res.status).toBe(409);
    expect(res.body.errors).toEqual([{ path: 'id', rule: 'attached_to_touches' }]);
    const pilot = (await lifecycle.get('/v1/offers')).body.items.find((o: Offer) => o.key === 'pilot-b2b');
    expect((await lifecycle.delete(`/v1/offers/${pilot.id}`)).status).toBe(204);
    expect((await lifecycle.get(`/v1/offers/${pilot.id}`)).status).toBe(404);
  });
});
