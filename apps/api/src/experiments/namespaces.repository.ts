import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { Prisma } from '../generated/prisma/client';

const namespaceInclude = {
  experiments: {
    select: { id: true, key: true, status: true, namespaceRangeStart: true, namespaceRangeEnd: true },
    orderBy: { namespaceRangeStart: 'asc' },
  },
} satisfies Prisma.NamespaceInclude;

export type NamespaceRecord = Prisma.NamespaceGetPayload<{ include: typeof namespaceInclude }>;

/** The only place namespaces touch the database. */
@Injectable()
export class NamespacesRepository {
  constructor(private readonly prisma: PrismaService) {}

  transaction<T>(fn: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(fn);
  }

  async create(
    workspaceId: string,
    key: string,
    name: string,
    db: Prisma.TransactionClient,
  ): Promise<NamespaceRecord> {
    const ns = await db.namespace.create({ data: { workspaceId, key, name } });
    return { ...ns, experiments: [] };
  }

  list(workspaceId: string): Promise<NamespaceRecord[]> {
    return this.prisma.namespace.findMany({
      where: { workspaceId },
      orderBy: { key: 'asc' },
      include: namespaceInclude,
    });
  }
}
