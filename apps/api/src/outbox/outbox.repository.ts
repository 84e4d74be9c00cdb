import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { Prisma } from '../generated/prisma/client';

const outboxInclude = {
  enrollment: { select: { sequence: { select: { id: true, key: true, name: true } } } },
  touch: { select: { position: true } },
} satisfies Prisma.MessageInclude;

export type OutboxRecord = Prisma.MessageGetPayload<{ include: typeof outboxInclude }>;

export type MessageChannel = 'email' | 'in_app' | 'webhook' | 'call_task';
export type MessageStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'suppressed';

export interface OutboxFilter {
  channel?: MessageChannel | undefined;
  status?: MessageStatus | undefined;
  sequenceId?: string | undefined;
  customerId?: string | undefined;
  outbox?: boolean | undefined;
}

/** Position of the last row of a page: newest first, ties broken by id. */
export interface OutboxCursor {
  createdAt: Date;
  id: string;
}

/** The only place the outbox, the message log and the open/click tracking touch the database. */
@Injectable()
export class OutboxRepository {
  constructor(private readonly prisma: PrismaService) {}

  list(
    workspaceId: string,
    filter: OutboxFilter,
    after: OutboxCursor | undefined,
    take: number,
  ): Promise<OutboxRecord[]> {
    return this.prisma.message.findMany({
      where: {
        workspaceId,
        ...(filter.channel !== undefined ? { channel: filter.channel } : {}),
        ...(filter.status !== undefined ? { status: filter.status } : {}),
        ...(filter.sequenceId !== undefined ? { sequenceId: filter.sequenceId } : {}),
        ...(filter.customerId !== undefined ? { customerId: filter.customerId } : {}),
        ...(filter.outbox !== undefined ? { outbox: filter.outbox } : {}),
        ...(after
          ? {
              OR: [
                { createdAt: { lt: after.createdAt } },
                { createdAt: after.createdAt, id: { lt: after.id } },
              ],
            }
          : {}),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take,
      include: outboxInclude,
    });
  }

  find(workspaceId: string, id: string): Promise<OutboxRecord | null> {
    return this.prisma.message.findFirst({ where: { id, workspaceId }, include: outboxInclude });
  }

  async customerIdByExternalId(workspaceId: string, externalId: string): Promise<string | null> {
    const c = await this.prisma.customer.findUnique({
      where: { workspaceId_externalId: { workspaceId, externalId } },
      select: { id: true },
    });
    return c?.id ?? null;
  }

  async externalIds(workspaceId: string, customerIds: string[]): Promise<Map<string, string>> {
    if (customerIds.length === 0) return new Map();
    const rows = await this.prisma.customer.findMany({
      where: { workspaceId, id: { in: [...new Set(customerIds)] } },
      select: { id: true, externalId: true },
    });
    return new Map(rows.map((r) => [r.id, r.externalId]));
  }

  /** Records the first open of a sent message; later opens change nothing. True when this call recorded it. */
  async markOpened(workspaceId: string, customerId: string, messageId: string, now: Date): Promise<boolean> {
    const { count } = await this.prisma.message.updateMany({
      where: { id: messageId, workspaceId, customerId, status: 'sent', openedAt: null },
      data: { openedAt: now },
    });
    return count === 1;
  }

  /**
   * Records the first click; a click also counts as an open when the pixel was blocked (most clients block
   * images by default), so opened ≥ clicked holds in the funnel.
   */
  async markClicked(workspaceId: string, customerId: string, messageId: string, now: Date): Promise<boolean> {
    const where = { id: messageId, workspaceId, customerId, status: 'sent' } as const;
    return this.prisma.$transaction(async (tx) => {
      await tx.message.updateMany({ where: { ...where, openedAt: null }, data: { openedAt: now } });
      const { count } = await tx.message.updateMany({
        where: { ...where, clickedAt: null },
        data: { clickedAt: now },
      });
      return count === 1;
    });
  }
}
