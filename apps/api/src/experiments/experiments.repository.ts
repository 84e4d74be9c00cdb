import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';
import type { ExperimentStatus } from './status';
import type { NamespaceSlice } from './namespace-rules';

export type Db = PrismaService | Prisma.TransactionClient;

const experimentInclude = {
  variants: { orderBy: { position: 'asc' } },
  metrics: { include: { metric: { select: { key: true } } } },
  namespace: { select: { id: true, key: true } },
} satisfies Prisma.ExperimentInclude;

export type ExperimentRecord = Prisma.ExperimentGetPayload<{ include: typeof experimentInclude }>;

export interface VariantRow {
  key: string;
  name: string;
  weight: number;
  isControl: boolean;
  position: number;
}

export interface ExperimentRow {
  key: string;
  name: string;
  kind: 'ab' | 'holdout';
  hypothesis: string;
  seed: string;
  coverage: number;
  namespaceId: string | null;
  namespaceRangeStart: number | null;
  namespaceRangeEnd: number | null;
  targeting: Prisma.InputJsonValue;
  engine: 'frequentist' | 'sequential' | 'bayesian';
  primaryMetricId: string | null;
}

export interface ExposureCount {
  variantId: string | null;
  exposures: number;
  customers: number;
}

/** The only place experiments, variants, their metrics and exposure counts touch the database. */
@Injectable()
export class ExperimentsRepository {
  constructor(readonly prisma: PrismaService) {}

  transaction<T>(fn: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(fn);
  }

  findById(workspaceId: string, id: string, db: Db = this.prisma): Promise<ExperimentRecord | null> {
    return db.experiment.findFirst({ where: { id, workspaceId }, include: experimentInclude });
  }

  keyExists(workspaceId: string, key: string, db: Db = this.prisma): Promise<boolean> {
    return db.experiment.count({ where: { workspaceId, key } }).then((n) => n > 0);
  }

  /** Newest first; `cursor` is the id of the last experiment of the previous page (ids are time-ordered). */
  list(
    workspaceId: string,
    filter: { status?: ExperimentStatus | undefined },
    limit: number,
    cursor?: string,
  ): Promise<ExperimentRecord[]> {
    return this.prisma.experiment.findMany({
      where: {
        workspaceId,
        ...(filter.status ? { status: filter.status } : {}),
        ...(cursor ? { id: { lt: cursor } } : {}),
      },
      orderBy: { id: 'desc' },
      take: limit,
      include: experimentInclude,
    });
  }

  async create(
    workspaceId: string,
    row: ExperimentRow,
    variants: VariantRow[],
    metrics: { metricId: string; role: 'primary' | 'secondary' | 'guardrail' }[],
    db: Db,
  ): Promise<ExperimentRecord> {
    const created = await db.experiment.create({
      data: {
        workspaceId,
        ...row,
        variants: { create: variants },
        metrics: { create: metrics },
      },
    });
    return (await this.findById(workspaceId, created.id, db))!;
  }

  async update(
    workspaceId: string,
    id: string,
    data: Prisma.ExperimentUncheckedUpdateInput,
    replace: {
      variants?: VariantRow[];
      metrics?: { metricId: string; role: 'primary' | 'secondary' | 'guardrail' }[];
    },
    db: Db,
  ): Promise<ExperimentRecord> {
    if (replace.variants) {
      await db.variant.deleteMany({ where: { experimentId: id } });
      await db.variant.createMany({ data: replace.variants.map((v) => ({ ...v, experimentId: id })) });
    }
    if (replace.metrics) {
      await db.experimentMetric.deleteMany({ where: { experimentId: id } });
      await db.experimentMetric.createMany({
        data: replace.metrics.map((m) => ({ ...m, experimentId: id })),
      });
    }
    await db.experiment.update({ where: { id }, data });
    return (await this.findById(workspaceId, id, db))!;
  }

  async setWeights(experimentId: string, weights: Map<string, number>, db: Db): Promise<void> {
    for (const [key, weight] of weights) {
      await db.variant.update({ where: { experimentId_key: { experimentId, key } }, data: { weight } });
    }
  }

  /** Metric ids by key for the workspace; unknown keys are simply absent. */
  async metricIds(workspaceId: string, keys: string[], db: Db = this.prisma): Promise<Map<string, string>> {
    if (keys.length === 0) return new Map();
    const rows = await db.metric.findMany({
      where: { workspaceId, key: { in: keys } },
      select: { id: true, key: true },
    });
    return new Map(rows.map((r) => [r.key, r.id]));
  }

  findNamespaceByKey(workspaceId: string, key: string, db: Db = this.prisma) {
    return db.namespace.findFirst({ where: { workspaceId, key } });
  }

  /**
   * Locks the namespace row until the transaction ends, so two experiments cannot claim overlapping slices
   * concurrently (the overlap check and the insert happen under the lock).
   */
  async lockNamespace(namespaceId: string, db: Prisma.TransactionClient): Promise<void> {
    await db.$queryRaw`SELECT id FROM namespaces WHERE id = ${namespaceId}::uuid FOR UPDATE`;
  }

  async namespaceSlices(namespaceId: string, db: Db = this.prisma): Promise<NamespaceSlice[]> {
    const rows = await db.experiment.findMany({
      where: { namespaceId },
      select: { id: true, key: true, status: true, namespaceRangeStart: true, namespaceRangeEnd: true },
      orderBy: { namespaceRangeStart: 'asc' },
    });
    return rows
      .filter((r) => r.namespaceRangeStart !== null && r.namespaceRangeEnd !== null)
      .map((r) => ({
        experimentId: r.id,
        experimentKey: r.key,
        status: r.status,
        start: r.namespaceRangeStart!,
        end: r.namespaceRangeEnd!,
      }));
  }

  /** Exposure events and distinct exposed customers per variant, counted by the database. */
  async exposureCounts(experimentId: string): Promise<ExposureCount[]> {
    const rows = await this.prisma.$queryRaw<
      { variantId: string | null; exposures: number; customers: number }[]
    >`
      SELECT variant_id::text AS "variantId",
             count(*)::int AS exposures,
             count(DISTINCT customer_id)::int AS customers
        FROM events
       WHERE experiment_id = ${experimentId}::uuid AND type = 'exposure'
       GROUP BY variant_id`;
    return rows.map((r) => ({
      variantId: r.variantId,
      exposures: Number(r.exposures),
      customers: Number(r.customers),
    }));
  }

  async assignedCounts(experimentId: string): Promise<Map<string, number>> {
    const rows = await this.prisma.assignment.groupBy({
      by: ['variantId'],
      where: { experimentId },
      _count: { _all: true },
    });
    return new Map(rows.map((r) => [r.variantId, r._count._all]));
  }
}

/** True for a unique-constraint violation (Prisma P2002), e.g. two experiments created with one key at once. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}
