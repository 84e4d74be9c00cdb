import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { Metric, Prisma } from '../generated/prisma/client';

/** The only place metric definitions touch the database. */
@Injectable()
export class MetricsRepository {
  constructor(private readonly prisma: PrismaService) {}

  transaction<T>(fn: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(fn);
  }

  create(data: Prisma.MetricUncheckedCreateInput, db: Prisma.TransactionClient): Promise<Metric> {
    return db.metric.create({ data });
  }

  list(workspaceId: string): Promise<Metric[]> {
    return this.prisma.metric.findMany({ where: { workspaceId }, orderBy: { key: 'asc' } });
  }

  findById(workspaceId: string, id: string): Promise<Metric | null> {
    return this.prisma.metric.findFirst({ where: { workspaceId, id } });
  }
}
