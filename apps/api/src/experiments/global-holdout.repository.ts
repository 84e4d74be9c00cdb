import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { Prisma } from '../generated/prisma/client';

/** The only place the workspace's global-holdout settings and membership counts touch the database. */
@Injectable()
export class GlobalHoldoutRepository {
  constructor(private readonly prisma: PrismaService) {}

  transaction<T>(fn: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(fn);
  }

  settings(workspaceId: string, db: Prisma.TransactionClient | PrismaService = this.prisma) {
    return db.workspace.findUnique({
      where: { id: workspaceId },
      select: { globalHoldoutPercent: true, globalHoldoutSeed: true },
    });
  }

  setPercent(workspaceId: string, percent: number, db: Prisma.TransactionClient) {
    return db.workspace.update({
      where: { id: workspaceId },
      data: { globalHoldoutPercent: percent },
      select: { globalHoldoutPercent: true, globalHoldoutSeed: true },
    });
  }

  async memberCounts(workspaceId: string): Promise<{ members: number; nonMembers: number }> {
    const rows = await this.prisma.globalHoldoutMember.groupBy({
      by: ['inHoldout'],
      where: { workspaceId },
      _count: { _all: true },
    });
    return {
      members: rows.find((r) => r.inHoldout)?._count._all ?? 0,
      nonMembers: rows.find((r) => !r.inHoldout)?._count._all ?? 0,
    };
  }
}
