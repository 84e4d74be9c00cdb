import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';

export type SuppressionReason = 'unsubscribe' | 'hard_bounce' | 'complaint' | 'manual';

export interface SuppressionRow {
  customerId: string;
  externalId: string;
  reason: SuppressionReason;
  detail: string | null;
  createdAt: Date;
}

/** Position of the last row of a page: newest first, ties broken by customer id. */
export interface SuppressionCursor {
  createdAt: Date;
  customerId: string;
}

/** The only place the suppression list touches the database. */
@Injectable()
export class SuppressionRepository {
  constructor(private readonly prisma: PrismaService) {}

  async isSuppressed(workspaceId: string, customerId: string): Promise<boolean> {
    const row = await this.prisma.suppression.findUnique({
      where: { workspaceId_customerId: { workspaceId, customerId } },
      select: { customerId: true },
    });
    return row !== null;
  }

  /**
   * Adds the customer unless already suppressed; the first entry (and its reason) wins, so a later bounce does
   * not rewrite why someone left. Returns the stored entry and whether this call created it.
   */
  async add(
    workspaceId: string,
    customerId: string,
    reason: SuppressionReason,
    detail: string | null,
    now: Date,
  ): Promise<{ row: SuppressionRow; created: boolean }> {
    const inserted = await this.prisma.$executeRaw`
      INSERT INTO suppressions (workspace_id, customer_id, reason, detail, created_at)
      VALUES (${workspaceId}::uuid, ${customerId}::uuid, ${reason}::suppression_reason, ${detail}, ${now}::timestamptz)
      ON CONFLICT (workspace_id, customer_id) DO NOTHING`;
    const row = await this.find(workspaceId, customerId);
    if (!row) throw new Error(`suppression of ${customerId} vanished after insert`);
    return { row, created: inserted === 1 };
  }

  async remove(workspaceId: string, customerId: string): Promise<SuppressionRow | null> {
    const row = await this.find(workspaceId, customerId);
    if (!row) return null;
    await this.prisma.suppression.deleteMany({ where: { workspaceId, customerId } });
    return row;
  }

  async find(workspaceId: string, customerId: string): Promise<SuppressionRow | null> {
    const rows = await this.prisma.$queryRaw<SuppressionRow[]>`
      SELECT s.customer_id AS "customerId", c.external_id AS "externalId", s.reason::text AS reason,
             s.detail, s.created_at AS "createdAt"
        FROM suppressions s JOIN customers c ON c.id = s.customer_id
       WHERE s.workspace_id = ${workspaceId}::uuid AND s.customer_id = ${customerId}::uuid`;
    return rows[0] ?? null;
  }

  list(
    workspaceId: string,
    filter: { reason?: SuppressionReason | undefined; search?: string | undefined },
    after: SuppressionCursor | undefined,
    take: number,
  ): Promise<SuppressionRow[]> {
    const conditions = [Prisma.sql`s.workspace_id = ${workspaceId}::uuid`];
    if (filter.reason) conditions.push(Prisma.sql`s.reason = ${filter.reason}::suppression_reason`);
    if (filter.search)
      conditions.push(Prisma.sql`c.external_id ILIKE ${'%' + escapeLike(filter.search) + '%'}`);
    if (after)
      conditions.push(
        Prisma.sql`(s.created_at, s.customer_id) < (${after.createdAt}::timestamptz, ${after.customerId}::uuid)`,
      );
    return this.prisma.$queryRaw<SuppressionRow[]>`
      SELECT s.customer_id AS "customerId", c.external_id AS "externalId", s.reason::text AS reason,
             s.detail, s.created_at AS "createdAt"
        FROM suppressions s JOIN customers c ON c.id = s.customer_id
       WHERE ${Prisma.join(conditions, ' AND ')}
       ORDER BY s.created_at DESC, s.customer_id DESC
       LIMIT ${take}`;
  }

  async customerIdByExternalId(workspaceId: string, externalId: string): Promise<string | null> {
    const c = await this.prisma.customer.findUnique({
      where: { workspaceId_externalId: { workspaceId, externalId } },
      select: { id: true },
    });
    return c?.id ?? null;
  }

  async customerExists(workspaceId: string, customerId: string): Promise<boolean> {
    const c = await this.prisma.customer.findFirst({
      where: { id: customerId, workspaceId },
      select: { id: true },
    });
    return c !== null;
  }

  /**
   * The customer a bounce is about, by the Message-ID we sent (angle brackets optional) or the message's own id.
   */
  async customerIdByMessageId(workspaceId: string, messageId: string): Promise<string | null> {
    const bare = messageId.replace(/^<|>$/g, '');
    const candidates = [`<${bare}>`, bare];
    const byProvider = await this.prisma.message.findFirst({
      where: { workspaceId, providerMessageId: { in: candidates } },
      select: { customerId: true },
    });
    if (byProvider) return byProvider.customerId;
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(bare)) return null;
    const byId = await this.prisma.message.findFirst({
      where: { workspaceId, id: bare.toLowerCase() },
      select: { customerId: true },
    });
    return byId?.customerId ?? null;
  }

  /** The customer of the most recent message addressed to `email` (case-insensitive). */
  async customerIdByRecipient(workspaceId: string, email: string): Promise<string | null> {
    const m = await this.prisma.message.findFirst({
      where: { workspaceId, channel: 'email', recipient: { equals: email, mode: 'insensitive' } },
      orderBy: { createdAt: 'desc' },
      select: { customerId: true },
    });
    return m?.customerId ?? null;
  }
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
