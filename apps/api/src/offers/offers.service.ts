import { Inject, Injectable } from '@nestjs/common';
import type {
  Offer,
  OfferCreate,
  OfferList,
  OfferRedemptionRequest,
  OfferRedemptionResult,
  OfferUpdate,
} from '@liftlab/contracts';
import type { Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { CLOCK, type Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { MAX_FUTURE_SKEW_MS } from '../events/event-rows';
import { EventsService } from '../events/events.service';
import type { Prisma } from '../generated/prisma/client';
import { isExpired, normaliseOfferCode, offerExpiry } from './offer-codes';
import {
  OffersRepository,
  isUniqueViolation,
  type IssuedOfferRecord,
  type OfferRecord,
  type OfferRow,
  type RedemptionRecord,
} from './offers.repository';

const ENTITY = 'offer';
export const OFFER_REDEEMED_EVENT = 'offer_redeemed';

/** Fields an update may carry for each kind (besides `name`). */
const KIND_FIELDS: Record<Offer['kind'], readonly string[]> = {
  tier_upgrade: ['targetTier', 'validDays'],
  discount: ['percent', 'validDays', 'codePrefix'],
  pilot: ['termsDays', 'description', 'validDays'],
};

interface OfferDetails {
  targetTier?: string;
  percent?: number;
  termsDays?: number;
  description?: string;
}

export function toOfferView(o: OfferRecord): Offer {
  const d = (o.details ?? {}) as OfferDetails;
  return {
    id: o.id,
    key: o.key,
    name: o.name,
    kind: o.kind,
    targetTier: o.kind === 'tier_upgrade' ? (d.targetTier ?? null) : null,
    percent: o.kind === 'discount' ? (d.percent ?? null) : null,
    validDays: o.validDays,
    codePrefix: o.kind === 'discount' ? o.codePrefix : null,
    termsDays: o.kind === 'pilot' ? (d.termsDays ?? null) : null,
    description: o.kind === 'pilot' ? (d.description ?? null) : null,
    touches: o._count.touches,
    redemptions: o._count.redemptions,
    createdAt: o.createdAt.toISOString(),
  };
}

function toRow(body: OfferCreate): OfferRow {
  switch (body.kind) {
    case 'tier_upgrade':
      return {
        key: body.key,
        name: body.name,
        kind: body.kind,
        details: { targetTier: body.targetTier },
        codePrefix: null,
        validDays: body.validDays ?? null,
      };
    case 'discount':
      return {
        key: body.key,
        name: body.name,
        kind: body.kind,
        details: { percent: body.percent },
        codePrefix: body.codePrefix,
        validDays: body.validDays,
      };
    case 'pilot':
      return {
        key: body.key,
        name: body.name,
        kind: body.kind,
        details: { termsDays: body.termsDays, description: body.description },
        codePrefix: null,
        validDays: body.validDays ?? null,
      };
  }
}

function keyTaken(key: string): DomainError {
  return DomainError.conflict(`An offer with key ${key} already exists.`, [{ path: 'key', rule: 'unique' }]);
}

@Injectable()
export class OffersService {
  constructor(
    private readonly repo: OffersRepository,
    private readonly events: EventsService,
    private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(actor: Actor): Promise<OfferList> {
    return { items: (await this.repo.list(actor.workspaceId)).map(toOfferView) };
  }

  async get(actor: Actor, id: string): Promise<Offer> {
    return toOfferView(await this.load(actor.workspaceId, id));
  }

  async create(actor: Actor, body: OfferCreate): Promise<Offer> {
    const ws = actor.workspaceId;
    try {
      return await this.repo.transaction(async (tx) => {
        if (await this.repo.findByKey(ws, body.key, tx)) throw keyTaken(body.key);
        const created = toOfferView(await this.repo.create(ws, toRow(body), this.clock.now(), tx));
        await this.audit.record(actor, 'offer.create', { type: ENTITY, id: created.id }, undefined, created, {
          tx,
        });
        return created;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw keyTaken(body.key);
      throw error;
    }
  }

  async update(actor: Actor, id: string, body: OfferUpdate): Promise<Offer> {
    const ws = actor.workspaceId;
    return this.repo.transaction(async (tx) => {
      const current = await this.load(ws, id, tx);
      const allowed = KIND_FIELDS[current.kind];
      for (const [field, value] of Object.entries(body)) {
        if (value === undefined || field === 'name') continue;
        if (!allowed.includes(field)) throw DomainError.invalid(field, `not_for_${current.kind}`);
      }
      // A discount code must always expire: the customer is told until when it holds.
      if (current.kind === 'discount' && body.validDays === null)
        throw DomainError.invalid('validDays', 'required');
      const details = { ...((current.details ?? {}) as OfferDetails) };
      if (body.targetTier !== undefined) details.targetTier = body.targetTier;
      if (body.percent !== undefined) details.percent = body.percent;
      if (body.termsDays !== undefined) details.termsDays = body.termsDays;
      if (body.description !== undefined) details.description = body.description;
      const data: Prisma.OfferUncheckedUpdateInput = { details: details as Prisma.InputJsonValue };
      if (body.name !== undefined) data.name = body.name;
      if (body.validDays !== undefined) data.validDays = body.validDays;
      if (body.codePrefix !== undefined) data.codePrefix = body.codePrefix;
      const before = toOfferView(current);
      const after = toOfferView(await this.repo.update(ws, id, data, tx));
      await this.audit.record(actor, 'offer.update', { type: ENTITY, id }, before, after, { tx });
      return after;
    });
  }

  /** Refused while a touch carries the offer or it has redemptions (they are results). */
  async remove(actor: Actor, id: string): Promise<void> {
    const ws = actor.workspaceId;
    await this.repo.transaction(async (tx) => {
      const current = await this.load(ws, id, tx);
      if (current._count.touches > 0)
        throw DomainError.conflict('The offer is attached to touches; detach it first.', [
          { path: 'id', rule: 'attached_to_touches' },
        ]);
      if (current._count.redemptions > 0)
        throw DomainError.conflict('The offer has redemptions; they are kept as results.', [
          { path: 'id', rule: 'has_redemptions' },
        ]);
      await this.repo.remove(id, tx);
      await this.audit.record(actor, 'offer.delete', { type: ENTITY, id }, toOfferView(current), undefined, {
        tx,
      });
    });
  }

  /**
   * Records a redemption and its `offer_redeemed` conversion event. The offer must have been sent to the
   * customer and still be valid at `redeemedAt`: a code's expiry is the one its message announced.
   * Idempotent per (offer, customer, enrollment): the event's clientEventId is derived from them.
   */
  async redeem(actor: Actor, body: OfferRedemptionRequest): Promise<OfferRedemptionResult> {
    const ws = actor.workspaceId;
    const now = this.clock.now();
    const redeemedAt = new Date(body.redeemedAt);
    if (redeemedAt.getTime() > now.getTime() + MAX_FUTURE_SKEW_MS)
      throw DomainError.invalid('redeemedAt', 'in_future');

    const issued = await this.findIssued(ws, body);
    const field = body.code !== undefined ? 'code' : 'offerKey';
    if (issued.status !== 'sent')
      throw DomainError.invalid(field, 'not_sent', `${field}: the offer's message was never sent.`);
    const receivedAt = issued.deliveredAt ?? issued.sentAt ?? issued.createdAt;
    if (redeemedAt.getTime() < (issued.sentAt ?? issued.createdAt).getTime())
      throw DomainError.invalid('redeemedAt', 'before_offer_sent');
    const expiresAt = issued.offerExpiresAt ?? offerExpiry(receivedAt, issued.validDays);
    if (isExpired(expiresAt, redeemedAt))
      throw DomainError.validation(
        [{ path: field, rule: 'expired' }],
        `${field}: the offer expired at ${expiresAt!.toISOString()}, before redeemedAt.`,
      );

    const existing = await this.repo.findRedemption(issued.offerId, issued.customerId, issued.enrollmentId);
    if (existing) return this.view(existing, issued, true);

    const clientEventId = `${OFFER_REDEEMED_EVENT}:${issued.offerId}:${issued.enrollmentId}`;
    const ingested = await this.events.ingest(actor, {
      events: [
        {
          clientEventId,
          type: 'conversion',
          name: OFFER_REDEEMED_EVENT,
          customerId: issued.externalId,
          occurredAt: redeemedAt.toISOString(),
          properties: {
            offerKey: issued.offerKey,
            code: issued.offerCode,
            sequenceId: issued.sequenceId,
            enrollmentId: issued.enrollmentId,
          },
        },
      ],
    });
    if (ingested.rejected.length > 0) {
      const first = ingested.rejected[0]!;
      throw DomainError.invalid(first.field === 'occurredAt' ? 'redeemedAt' : first.field, first.rule);
    }
    const row: Omit<RedemptionRecord, 'id'> = {
      offerId: issued.offerId,
      customerId: issued.customerId,
      enrollmentId: issued.enrollmentId,
      code: issued.offerCode,
      redeemedAt,
      eventId: await this.repo.eventIdOf(ws, clientEventId),
    };
    const inserted = await this.repo.insertRedemption(ws, row, now);
    const stored = await this.repo.findRedemption(issued.offerId, issued.customerId, issued.enrollmentId);
    return this.view(stored!, issued, !inserted);
  }

  private async findIssued(ws: string, body: OfferRedemptionRequest): Promise<IssuedOfferRecord> {
    if (body.code !== undefined) {
      const issued = await this.repo.issuedByCode(ws, normaliseOfferCode(body.code));
      if (!issued) throw DomainError.invalid('code', 'unknown', 'code: no offer was issued with this code.');
      return issued;
    }
    const offer = await this.repo.findByKey(ws, body.offerKey!);
    if (!offer) throw DomainError.invalid('offerKey', 'unknown');
    if (!(await this.repo.customerExists(ws, body.customerExternalId!)))
      throw DomainError.invalid('customerExternalId', 'unknown');
    const issued = await this.repo.issuedToCustomer(ws, offer.id, body.customerExternalId!);
    if (!issued)
      throw DomainError.invalid(
        'customerExternalId',
        'offer_not_received',
        'customerExternalId: no message carrying this offer was sent to the customer.',
      );
    return issued;
  }

  private view(r: RedemptionRecord, issued: IssuedOfferRecord, duplicate: boolean): OfferRedemptionResult {
    return {
      id: r.id,
      offerId: r.offerId,
      offerKey: issued.offerKey,
      customerExternalId: issued.externalId,
      sequenceId: issued.sequenceId,
      enrollmentId: r.enrollmentId,
      code: r.code,
      redeemedAt: r.redeemedAt.toISOString(),
      eventId: r.eventId === null ? null : String(r.eventId),
      duplicate,
    };
  }

  private async load(ws: string, id: string, db?: Prisma.TransactionClient): Promise<OfferRecord> {
    const offer = await this.repo.findById(ws, id, db);
    if (!offer) throw DomainError.notFound('Offer', id);
    return offer;
  }
}
