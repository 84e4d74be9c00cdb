import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';

export type Db = PrismaService | Prisma.TransactionClient;

const campaignInclude = {
  costs: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
} satisfies Prisma.CampaignInclude;

export type CampaignRecord = Prisma.CampaignGetPayload<{ include: typeof campaignInclude }>;
export type CampaignCostRecord = CampaignRecord['costs'][number];

/** The parts of an experiment a campaign needs. */
export interface ExperimentSummary {
  id: string;
  key: string;
  startedAt: Date | null;
  variants: { key: string; isControl: boolean }[];
}

export interface CampaignRow {
  key: string;
  name: string;
  programKey: string;
  experimentId: string;
  variantKey: string | null;
  horizonMonths: number;
  annualDiscountRate: number;
  marginUpsell: number;
  marginCrossSell: number;
  marginRetention: number;
  marginOther: number;
  acquisitionCostPerCustomer: number | null;
  startsOn: Date | null;
}

export interface CostRow {
  category: 'technology' | 'people' | 'content' | 'media' | 'incentives';
  label: string;
  details: Prisma.InputJsonValue;
  total: number;
}

/** The only place campaigns, their ledgers and program targets touch the database. */
@Injectable()
export class CampaignsRepository {
  constructor(readonly prisma: PrismaService) {}

  transaction<T>(fn: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(fn);
  }

  findById(workspaceId: string, id: string, db: Db = this.prisma): Promise<CampaignRecord | null> {
    return db.campaign.findFirst({ where: { id, workspaceId }, include: campaignInclude });
  }

  keyExists(workspaceId: string, key: string, db: Db = this.prisma): Promise<boolean> {
    return db.campaign.count({ where: { workspaceId, key } }).then((n) => n > 0);
  }

  /** Newest first; `cursor` is the id of the last campaign of the previous page (ids are time-ordered). */
  list(
    workspaceId: string,
    filter: { programKey?: string | undefined },
    limit: number,
    cursor?: string,
  ): Promise<CampaignRecord[]> {
    return this.prisma.campaign.findMany({
      where: {
        workspaceId,
        ...(filter.programKey ? { programKey: filter.programKey } : {}),
        ...(cursor ? { id: { lt: cursor } } : {}),
      },
      orderBy: { id: 'desc' },
      take: limit,
      include: campaignInclude,
    });
  }

  /** Every campaign of the workspace (or of one program), for reports. */
  all(workspaceId: string, programKey?: string): Promise<CampaignRecord[]> {
    return this.prisma.campaign.findMany({
      where: { workspaceId, ...(programKey ? { programKey } : {}) },
      orderBy: { id: 'asc' },
      include: campaignInclude,
    });
  }

  /** Workspaces that have campaigns. */
  async workspacesWithCampaigns(): Promise<string[]> {
    const rows = await this.prisma.campaign.findMany({
      distinct: ['workspaceId'],
      select: { workspaceId: true },
    });
    return rows.map((r) => r.workspaceId);
  }

  async setVerdict(id: string, verdict: string | null, now: Date): Promise<void> {
    // The recorded verdict is bookkeeping, not an edit: updatedAt stays as it was.
    await this.prisma.$executeRaw`UPDATE campaigns SET verdict = ${verdict}, verdict_changed_at = ${now}
       WHERE id = ${id}::uuid`;
  }

  async create(workspaceId: string, row: CampaignRow, costs: CostRow[], db: Db): Promise<CampaignRecord> {
    const created = await db.campaign.create({
      data: { workspaceId, ...row, costs: { create: costs } },
    });
    return (await this.findById(workspaceId, created.id, db))!;
  }

  async update(
    workspaceId: string,
    id: string,
    data: Prisma.CampaignUncheckedUpdateInput,
    db: Db,
  ): Promise<CampaignRecord> {
    await db.campaign.update({ where: { id }, data });
    return (await this.findById(workspaceId, id, db))!;
  }

  async remove(id: string, db: Db): Promise<void> {
    await db.campaign.delete({ where: { id } });
  }

  addCost(campaignId: string, row: CostRow, db: Db): Promise<CampaignCostRecord> {
    return db.campaignCost.create({ data: { campaignId, ...row } });
  }

  findCost(campaignId: string, costId: string, db: Db = this.prisma): Promise<CampaignCostRecord | null> {
    return db.campaignCost.findFirst({ where: { id: costId, campaignId } });
  }

  replaceCost(costId: string, row: CostRow, db: Db): Promise<CampaignCostRecord> {
    return db.campaignCost.update({ where: { id: costId }, data: row });
  }

  async removeCost(costId: string, db: Db): Promise<void> {
    await db.campaignCost.delete({ where: { id: costId } });
  }

  /** Marks the campaign changed when its ledger changes. */
  async touch(id: string, now: Date, db: Db): Promise<void> {
    await db.campaign.update({ where: { id }, data: { updatedAt: now } });
  }

  async experiment(workspaceId: string, id: string, db: Db = this.prisma): Promise<ExperimentSummary | null> {
    const row = await db.experiment.findFirst({
      where: { id, workspaceId },
      select: {
        id: true,
        key: true,
        startedAt: true,
        variants: { select: { key: true, isControl: true }, orderBy: { position: 'asc' } },
      },
    });
    return row;
  }

  async experiments(workspaceId: string, ids: string[]): Promise<Map<string, ExperimentSummary>> {
    if (ids.length === 0) return new Map();
    const rows = await this.prisma.experiment.findMany({
      where: { workspaceId, id: { in: ids } },
      select: {
        id: true,
        key: true,
        startedAt: true,
        variants: { select: { key: true, isControl: true }, orderBy: { position: 'asc' } },
      },
    });
    return new Map(rows.map((r) => [r.id, r]));
  }

  findTarget(workspaceId: string, programKey: string) {
    return this.prisma.programTarget.findUnique({
      where: { workspaceId_programKey: { workspaceId, programKey } },
    });
  }

  async targets(workspaceId: string): Promise<Map<string, { targetRoi: number | null }>> {
    const rows = await this.prisma.programTarget.findMany({ where: { workspaceId } });
    return new Map(rows.map((r) => [r.programKey, r]));
  }

  upsertTarget(
    workspaceId: string,
    programKey: string,
    data: {
      targetRoi: number | null;
      sectorReferenceRoi: number | null;
      sectorReferenceSource: string | null;
    },
    now: Date,
    db: Db = this.prisma,
  ) {
    return db.programTarget.upsert({
      where: { workspaceId_programKey: { workspaceId, programKey } },
      create: { workspaceId, programKey, ...data, updatedAt: now },
      update: { ...data, updatedAt: now },
    });
  }
}

/** True for a unique-constraint violation (Prisma P2002): two campaigns created with one key at once. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

/** True when the row to update or delete is gone (Prisma P2025). */
export function isMissingRow(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2025';
}
