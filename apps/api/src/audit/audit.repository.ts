import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { AuditLog, Prisma } from '../generated/prisma/client';

export type { AuditLog };
/** A Prisma client or an interactive transaction, so an audit entry can commit with the change it records. */
export type AuditDb = Pick<PrismaService, 'auditLog'> | Prisma.TransactionClient;

export interface AuditRow {
  workspaceId: string;
  actorType: 'user' | 'api_key' | 'system';
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before: Prisma.InputJsonValue | undefined;
  after: Prisma.InputJsonValue | undefined;
  at: Date;
}

@Injectable()
export class AuditRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(row: AuditRow, db: AuditDb = this.prisma): Promise<AuditLog> {
    return db.auditLog.create({ data: row });
  }

  /** Newest first, keyset-paginated on (at, id). */
  list(
    workspaceId: string,
    filter: { entityType?: string | undefined; entityId?: string | undefined },
    limit: number,
    after?: { at: Date; id: string },
  ): Promise<AuditLog[]> {
    return this.prisma.auditLog.findMany({
      where: {
        workspaceId,
        ...(filter.entityType ? { entityType: filter.entityType } : {}),
        ...(filter.entityId ? { entityId: filter.entityId } : {}),
        ...(after ? { OR: [{ at: { lt: after.at } }, { at: after.at, id: { lt: after.id } }] } : {}),
      },
      orderBy: [{ at: 'desc' }, { id: 'desc' }],
      take: limit,
    });
  }
}
