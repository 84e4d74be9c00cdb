import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { uuidv7 } from '../database/ids';
import type { EventRow, ExperimentRef } from './event-rows';

/** The only place events (and the customers they create) touch the database. */
@Injectable()
export class EventsRepository {
  constructor(private readonly prisma: PrismaService) {}

  async findExperiments(workspaceId: string, keys: string[]): Promise<Map<string, ExperimentRef>> {
    if (keys.length === 0) return new Map();
    const found = await this.prisma.experiment.findMany({
      where: { workspaceId, key: { in: keys } },
      select: { id: true, key: true, variants: { select: { id: true, key: true } } },
    });
    return new Map(
      found.map((e) => [e.key, { id: e.id, variants: new Map(e.variants.map((v) => [v.key, v.id])) }]),
    );
  }

  /**
   * Creates the customers the events name but the workspace does not know yet. One statement for the whole
   * batch; concurrent batches naming the same new customer are fine (the later insert does nothing).
   */
  async ensureCustomers(workspaceId: string, externalIds: string[], now: Date): Promise<number> {
    if (externalIds.length === 0) return 0;
    const input = JSON.stringify(
      externalIds.map((externalId) => ({ id: uuidv7(now.getTime()), externalId })),
    );
    return this.prisma.$executeRaw`
      INSERT INTO customers (id, workspace_id, external_id, created_at, updated_at)
      SELECT r.id, ${workspaceId}::uuid, r."externalId", ${now}::timestamptz, ${now}::timestamptz
        FROM jsonb_to_recordset(${input}::jsonb) AS r(id uuid, "externalId" text)
      ON CONFLICT (workspace_id, external_id) DO NOTHING`;
  }

  /**
   * Stores the events in one statement; an event whose clientEventId the workspace already has is skipped by
   * the unique index (re-sending is a no-op). Returns how many were stored.
   */
  async insertEvents(workspaceId: string, rows: EventRow[], now: Date): Promise<number> {
    if (rows.length === 0) return 0;
    // `ord` keeps request order, so event ids (and ties on occurredAt) follow the order the sender used.
    const input = JSON.stringify(rows.map((row, ord) => ({ ...row, ord })));
    return this.prisma.$executeRaw`
      INSERT INTO events (workspace_id, client_event_id, type, name, customer_id, experiment_id, variant_id,
                          occurred_at, received_at, value, amount, currency, revenue_stream, properties)
      SELECT ${workspaceId}::uuid, r."clientEventId", r.type::event_type, r.name, c.id, r."experimentId",
             r."variantId", r."occurredAt", ${now}::timestamptz, r.value, r.amount, r.currency,
             r."revenueStream"::revenue_stream, r.properties
        FROM jsonb_to_recordset(${input}::jsonb) AS r(
               "clientEventId" text, type text, name text, "externalId" text, "experimentId" uuid,
               "variantId" uuid, "occurredAt" timestamptz, value double precision, amount numeric,
               currency text, "revenueStream" text, properties jsonb, ord integer)
        JOIN customers c ON c.workspace_id = ${workspaceId}::uuid AND c.external_id = r."externalId"
       ORDER BY r.ord
      ON CONFLICT (workspace_id, client_event_id) DO NOTHING`;
  }
}
