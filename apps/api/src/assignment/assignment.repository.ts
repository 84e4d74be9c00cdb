import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { Prisma } from '../generated/prisma/client';

const designInclude = {
  variants: { orderBy: { position: 'asc' } },
  namespace: { select: { key: true } },
} satisfies Prisma.ExperimentInclude;

export type ExperimentDesignRecord = Prisma.ExperimentGetPayload<{ include: typeof designInclude }>;

const customerSelect = {
  id: true,
  externalId: true,
  segment: true,
  plan: true,
  country: true,
  timezone: true,
  acquisitionChannel: true,
  acquisitionDate: true,
  traits: true,
} satisfies Prisma.CustomerSelect;

export type CustomerRecord = Prisma.CustomerGetPayload<{ select: typeof customerSelect }>;

export interface StoredAssignment {
  experimentId: string;
  customerId: string;
  variantId: string;
  assignedAt: Date;
}

/** The only place assignments, global-holdout decisions and the data they depend on touch the database. */
@Injectable()
export class AssignmentRepository {
  constructor(private readonly prisma: PrismaService) {}

  holdoutSettings(workspaceId: string) {
    return this.prisma.workspace.findUnique({
      where: { id: workspaceId },
      select: { globalHoldoutPercent: true, globalHoldoutSeed: true },
    });
  }

  runningExperiments(workspaceId: string): Promise<ExperimentDesignRecord[]> {
    return this.prisma.experiment.findMany({
      where: { workspaceId, status: 'running' },
      include: designInclude,
      orderBy: { key: 'asc' },
    });
  }

  experimentsByKey(workspaceId: string, keys: string[]): Promise<ExperimentDesignRecord[]> {
    return this.prisma.experiment.findMany({
      where: { workspaceId, key: { in: keys } },
      include: designInclude,
    });
  }

  customersByExternalId(workspaceId: string, externalIds: string[]): Promise<CustomerRecord[]> {
    return this.prisma.customer.findMany({
      where: { workspaceId, externalId: { in: externalIds } },
      select: customerSelect,
    });
  }

  async holdoutDecisions(workspaceId: string, customerIds: string[]): Promise<Map<string, boolean>> {
    if (customerIds.length === 0) return new Map();
    const rows = await this.prisma.globalHoldoutMember.findMany({
      where: { workspaceId, customerId: { in: customerIds } },
      select: { customerId: true, inHoldout: true },
    });
    return new Map(rows.map((r) => [r.customerId, r.inHoldout]));
  }

  async assignments(experimentIds: string[], customerIds: string[]): Promise<StoredAssignment[]> {
    if (experimentIds.length === 0 || customerIds.length === 0) return [];
    return this.prisma.assignment.findMany({
      where: { experimentId: { in: experimentIds }, customerId: { in: customerIds } },
      select: { experimentId: true, customerId: true, variantId: true, assignedAt: true },
    });
  }

  /**
   * Stores first decisions. A row that already exists (another request or app instance decided first) is left
   * alone: the caller re-reads, so the earliest decision always wins and stays.
   */
  async saveHoldoutDecisions(
    workspaceId: string,
    decisions: { customerId: string; inHoldout: boolean }[],
    at: Date,
  ): Promise<void> {
    if (decisions.length === 0) return;
    await this.prisma.globalHoldoutMember.createMany({
      data: decisions.map((d) => ({
        workspaceId,
        customerId: d.customerId,
        inHoldout: d.inHoldout,
        decidedAt: at,
      })),
      skipDuplicates: true,
    });
  }

  async saveAssignments(
    workspaceId: string,
    rows: { experimentId: string; customerId: string; variantId: string }[],
    at: Date,
  ): Promise<void> {
    if (rows.length === 0) return;
    await this.prisma.assignment.createMany({
      data: rows.map((r) => ({ ...r, workspaceId, assignedAt: at, source: 'server' as const })),
      skipDuplicates: true,
    });
  }

  /** Stored assignments of these customers in running experiments, keyed by experiment and variant key. */
  async stickyForCustomers(
    workspaceId: string,
    externalIds: string[],
  ): Promise<
    {
      externalId: string;
      inHoldout: boolean | null;
      assignments: { experimentKey: string; variantKey: string }[];
    }[]
  > {
    if (externalIds.length === 0) return [];
    const customers = await this.prisma.customer.findMany({
      where: { workspaceId, externalId: { in: externalIds } },
      select: {
        externalId: true,
        globalHoldoutMember: { where: { workspaceId }, select: { inHoldout: true } },
        assignments: {
          where: { experiment: { status: 'running' } },
          select: { experiment: { select: { key: true } }, variant: { select: { key: true } } },
        },
      },
    });
    return customers.map((c) => ({
      externalId: c.externalId,
      inHoldout: c.globalHoldoutMember[0]?.inHoldout ?? null,
      assignments: c.assignments.map((a) => ({ experimentKey: a.experiment.key, variantKey: a.variant.key })),
    }));
  }
}
