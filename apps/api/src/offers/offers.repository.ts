import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { uuidv7 } from '../database/ids';
import { Prisma } from '../generated/prisma/client';

export type Db = PrismaService | Prisma.TransactionClient;

const offerInclude = {
  _count: { select: { touches: true, redemptions: true } },
} satisfies Prisma.OfferInclude;

export type OfferRecord = Prisma.OfferGetPayload<{ include: typeof offerInclude }>;

export interface OfferRow {
  key: string;
  name: string;
  kind: 'tier_upgrade' | 'discount' | 'pilot';
  details: Prisma.InputJsonValue;
  codePrefix: string | null;
  validDays: number | null;
}

/** A message that carried an offer to a customer: what a redemption is checked against. */
export interface IssuedOfferRecord {
  messageId: string;
  status: string;
  createdAt: Date;
  sentAt: Date | null;
  deliveredAt: Date | null;
  offerCode: string | null;
  offerExpiresAt: Date | null;
  offerId: string;
  offerKey: string;
  offerKind: 'tier_upgrade' | 'discount' | 'pilot';
  validDays: number | null;
  enrollmentId: string;
  sequenceId: string;
  customerId: string;
  externalId: string;
}

export interface RedemptionRecord {
  id: string;
  offerId: string;
  customerId: string;
  enrollmentId: string | null;
  code: string | null;
  redeemedAt: Date;
  eventId: bigint | null;
}

const ISSUED_COLUMNS = Prisma.sql`
  m.id AS "messageId", m.status::text AS status, m.created_at AS "createdAt", m.sent_at AS "sentAt",
  m.delivered_at AS "deliveredAt", m.offer_code AS "offerCode", m.offer_expires_at AS "offerExpiresAt",
  o.id AS "offerId", o.key AS "offerKey", o.kind::text AS "offerKind", o.valid_days AS "validDays",
  m.enrollment_id AS "enrollmentId", m.sequence_id AS "sequenceId", m.customer_id AS "customerId",
  c.external_id AS "externalId"`;

/** The only place offers and their redemptions touch the database. */
@Injectable()
export class OffersRepository {
  constructor(private readonly prisma: PrismaService) {}

  transaction<T>(fn: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(fn);
  }

  list(workspaceId: string): Promise<OfferRecord[]> {
    return this.prisma.offer.findMany({
      where: { workspaceId },
      orderBy: { key: 'asc' },
      include: offerInclude,
    });
  }

  findById(workspaceId: string, id: string, db: Db = this.prisma): Promise<OfferRecord | null> {
    return db.offer.findFirst({ where: { id, workspaceId }, include: offerInclude });
  }

  findByKey(workspaceId: string, key: string, db: Db = this.prisma): Promise<OfferRecord | null> {
    return db.offer.findFirst({ where: { key, workspaceId }, include: offerInclude });
  }

  async create(workspaceId: string, row: OfferRow, now: Date, db: Db): Promise<OfferRecord> {
    const created = await db.offer.create({ data: { workspaceId, ...row, createdAt: now } });
    return (await this.findById(workspaceId, created.id, db))!;
  }

  async update(
    workspaceId: string,
    id: string,
    data: Prisma.OfferUncheckedUpdateInput,
    db: Db,
  ): Promise<OfferRecord> {
    await db.offer.update({ where: { id }, data });
    return (await this.findById(workspaceId, id, db))!;
  }

  async remove(id: string, db: Db): Promise<void> {
    await db.offer.delete({ where: { id } });
  }

  /** The message that issued `code` (codes are stored upper-case by the delivery engine). */
  async issuedByCode(workspaceId: string, code: string): Promise<IssuedOfferRecord | null> {
    const rows = await this.prisma.$queryRaw<IssuedOfferRecord[]>`
      SELECT ${ISSUED_COLUMNS}
        FROM messages m
        JOIN sequence_touches t ON t.id = m.touch_id
        JOIN offers o ON o.id = t.offer_id
        JOIN customers c ON c.id = m.customer_id
       WHERE m.workspace_id = ${workspaceId}::uuid AND upper(m.offer_code) = ${code}
       ORDER BY m.created_at, m.id
       LIMIT 1`;
    return rows[0] ?? null;
  }

  /** The latest sent message carrying `offerId` to the customer, if any. */
  async issuedToCustomer(
    workspaceId: string,
    offerId: string,
    externalId: string,
  ): Promise<IssuedOfferRecord | null> {
    const rows = await this.prisma.$queryRaw<IssuedOfferRecord[]>`
      SELECT ${ISSUED_COLUMNS}
        FROM messages m
        JOIN sequence_touches t ON t.id = m.touch_id
        JOIN offers o ON o.id = t.offer_id
        JOIN customers c ON c.id = m.customer_id
       WHERE m.workspace_id = ${workspaceId}::uuid AND o.id = ${offerId}::uuid
         AND c.external_id = ${externalId} AND m.status = 'sent'
       ORDER BY m.sent_at DESC NULLS LAST, m.id DESC
       LIMIT 1`;
    return rows[0] ?? null;
  }

  async customerExists(workspaceId: string, externalId: string): Promise<boolean> {
    const n = await this.prisma.customer.count({ where: { workspaceId, externalId } });
    return n > 0;
  }

  async findRedemption(
    offerId: string,
    customerId: string,
    enrollmentId: string | null,
  ): Promise<RedemptionRecord | null> {
    const rows = await this.prisma.$queryRaw<RedemptionRecord[]>`
      SELECT id, offer_id AS "offerId", customer_id AS "customerId", enrollment_id AS "enrollmentId", code,
             redeemed_at AS "redeemedAt", event_id AS "eventId"
        FROM offer_redemptions
       WHERE offer_id = ${offerId}::uuid AND customer_id = ${customerId}::uuid
         AND enrollment_id IS NOT DISTINCT FROM ${enrollmentId}::uuid
       LIMIT 1`;
    return rows[0] ?? null;
  }

  async eventIdOf(workspaceId: string, clientEventId: string): Promise<bigint | null> {
    const event = await this.prisma.event.findUnique({
      where: { workspaceId_clientEventId: { workspaceId, clientEventId } },
      select: { id: true },
    });
    return event?.id ?? null;
  }

  /**
   * Inserts the redemption unless (offer, customer, enrollment) already has one; returns whether it was new.
   * The unique index settles concurrent reports of the same redemption.
   */
  async insertRedemption(
    workspaceId: string,
    row: Omit<RedemptionRecord, 'id'>,
    now: Date,
  ): Promise<boolean> {
    const inserted = await this.prisma.$executeRaw`
      INSERT INTO offer_redemptions (id, workspace_id, offer_id, customer_id, enrollment_id, code, redeemed_at,
                                     event_id)
      VALUES (${uuidv7(now.getTime())}::uuid, ${workspaceId}::uuid, ${row.offerId}::uuid,
              ${row.customerId}::uuid, ${row.enrollmentId}::uuid, ${row.code}, ${row.redeemedAt}::timestamptz,
              ${row.eventId})
      ON CONFLICT (offer_id, customer_id, enrollment_id) DO NOTHING`;
    return inserted > 0;
  }
}

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}
