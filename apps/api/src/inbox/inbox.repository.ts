import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { Prisma } from '../generated/prisma/client';

const inboxSelect = {
  id: true,
  sequenceId: true,
  subject: true,
  body: true,
  html: true,
  payload: true,
  offerCode: true,
  offerExpiresAt: true,
  sentAt: true,
  seenAt: true,
} satisfies Prisma.MessageSelect;

export type InboxRecord = Prisma.MessageGetPayload<{ select: typeof inboxSelect }>;

/** The only place the in-app inbox touches the database. */
@Injectable()
export class InboxRepository {
  constructor(private readonly prisma: PrismaService) {}

  async customerId(workspaceId: string, externalId: string): Promise<string | null> {
    const c = await this.prisma.customer.findUnique({
      where: { workspaceId_externalId: { workspaceId, externalId } },
      select: { id: true },
    });
    return c?.id ?? null;
  }

  /** In-app messages that reached the inbox (status sent), newest first. */
  list(
    workspaceId: string,
    customerId: string,
    options: { includeSeen: boolean; take: number },
  ): Promise<InboxRecord[]> {
    return this.prisma.message.findMany({
      where: {
        workspaceId,
        customerId,
        channel: 'in_app',
        status: 'sent',
        ...(options.includeSeen ? {} : { seenAt: null }),
      },
      orderBy: [{ sentAt: 'desc' }, { id: 'desc' }],
      take: options.take,
      select: inboxSelect,
    });
  }

  /** Sets seenAt once (the first report wins); null when the customer has no such in-app message. */
  async markSeen(
    workspaceId: string,
    customerId: string,
    id: string,
    now: Date,
  ): Promise<InboxRecord | null> {
    const where = { id, workspaceId, customerId, channel: 'in_app', status: 'sent' } as const;
    await this.prisma.message.updateMany({ where: { ...where, seenAt: null }, data: { seenAt: now } });
    return this.prisma.message.findFirst({ where, select: inboxSelect });
  }
}
