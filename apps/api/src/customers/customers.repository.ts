import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { uuidv7 } from '../database/ids';
import { Prisma } from '../generated/prisma/client';
import type { CustomerPatch } from './customer-rows';

const detailInclude = {
  assignments: {
    orderBy: { assignedAt: 'desc' },
    include: {
      experiment: { select: { id: true, key: true, name: true, status: true } },
      variant: { select: { key: true, name: true, isControl: true } },
    },
  },
} satisfies Prisma.CustomerInclude;

export type CustomerRecord = Prisma.CustomerGetPayload<object>;
export type CustomerDetailRecord = Prisma.CustomerGetPayload<{ include: typeof detailInclude }>;

const eventInclude = {
  experiment: { select: { key: true } },
  variant: { select: { key: true } },
} satisfies Prisma.EventInclude;
export type CustomerEventRecord = Prisma.EventGetPayload<{ include: typeof eventInclude }>;

/** The only place customers touch the database. */
@Injectable()
export class CustomersRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Upserts a batch with two set-based statements in one transaction: insert the new externalIds, then update
   * the existing ones, touching only the fields each patch carries. Patches must have distinct externalIds.
   */
  async upsert(
    workspaceId: string,
    patches: CustomerPatch[],
    now: Date,
  ): Promise<{ created: number; updated: number }> {
    if (patches.length === 0) return { created: 0, updated: 0 };
    const rows = patches.map((p) => ({ id: uuidv7(now.getTime()), externalId: p.externalId, data: p }));
    return this.prisma.$transaction(
      async (tx) => {
        const inserted = await tx.$queryRaw<{ external_id: string }[]>`
          INSERT INTO customers (id, workspace_id, external_id, segment, acquisition_date, acquisition_channel,
                                 plan, country, timezone, traits, created_at, updated_at)
          SELECT r.id, ${workspaceId}::uuid, r."externalId", r.data->>'segment',
                 (r.data->>'acquisitionDate')::date, r.data->>'acquisitionChannel', r.data->>'plan',
                 r.data->>'country', r.data->>'timezone', jsonb_strip_nulls(coalesce(r.data->'traits', '{}')),
                 ${now}::timestamptz, ${now}::timestamptz
            FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(id uuid, "externalId" text, data jsonb)
          ON CONFLICT (workspace_id, external_id) DO NOTHING
          RETURNING external_id`;
        const created = new Set(inserted.map((r) => r.external_id));
        const existing = rows.filter((r) => !created.has(r.externalId));
        if (existing.length === 0) return { created: created.size, updated: 0 };
        const updated = await tx.$executeRaw`
          UPDATE customers c SET
            segment = CASE WHEN r.data ? 'segment' THEN r.data->>'segment' ELSE c.segment END,
            acquisition_date = CASE WHEN r.data ? 'acquisitionDate'
                                    THEN (r.data->>'acquisitionDate')::date ELSE c.acquisition_date END,
            acquisition_channel = CASE WHEN r.data ? 'acquisitionChannel'
                                       THEN r.data->>'acquisitionChannel' ELSE c.acquisition_channel END,
            plan = CASE WHEN r.data ? 'plan' THEN r.data->>'plan' ELSE c.plan END,
            country = CASE WHEN r.data ? 'country' THEN r.data->>'country' ELSE c.country END,
            timezone = CASE WHEN r.data ? 'timezone' THEN r.data->>'timezone' ELSE c.timezone END,
            traits = CASE WHEN r.data ? 'traits' THEN jsonb_strip_nulls(c.traits || (r.data->'traits'))
                          ELSE c.traits END,
            updated_at = ${now}::timestamptz
          FROM jsonb_to_recordset(${JSON.stringify(existing)}::jsonb) AS r("externalId" text, data jsonb)
          WHERE c.workspace_id = ${workspaceId}::uuid AND c.external_id = r."externalId"`;
        return { created: created.size, updated };
      },
      { timeout: 120_000, maxWait: 30_000 },
    );
  }

  /** Newest first; `before` is the id of the last customer of the previous page. */
  list(
    workspaceId: string,
    options: { search?: string | undefined; before?: string | undefined; take: number },
  ): Promise<CustomerRecord[]> {
    return this.prisma.customer.findMany({
      where: {
        workspaceId,
        ...(options.search ? { externalId: { contains: options.search, mode: 'insensitive' } } : {}),
        ...(options.before ? { id: { lt: options.before } } : {}),
      },
      orderBy: { id: 'desc' },
      take: options.take,
    });
  }

  findDetail(workspaceId: string, externalId: string): Promise<CustomerDetailRecord | null> {
    return this.prisma.customer.findUnique({
      where: { workspaceId_externalId: { workspaceId, externalId } },
      include: detailInclude,
    });
  }

  recentEvents(workspaceId: string, customerId: string, take: number): Promise<CustomerEventRecord[]> {
    return this.prisma.event.findMany({
      where: { workspaceId, customerId },
      orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }],
      take,
      include: eventInclude,
    });
  }
}
