/**
 * The ingestion baseline: the same events as the HTTP run, written straight into the same `events` table with
 * PostgreSQL's COPY, the fastest way rows get into PostgreSQL. Rows are prepared exactly as POST /v1/events
 * prepares them (prepareEvents), so both runs store identical rows; only the COPY itself is timed.
 */
import { PGlite } from '@electric-sql/pglite';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { prepareEvents, type EventRow } from '../src/events/event-rows';
import { EventsRepository } from '../src/events/events.repository';
import type { PrismaService } from '../src/database/prisma.service';
import type { CopyResult } from './protocol';
import { BENCH_EXPERIMENTS, eventBatch, type EventPlan } from './workload';

const COLUMNS = [
  'workspace_id',
  'client_event_id',
  'type',
  'name',
  'customer_id',
  'experiment_id',
  'variant_id',
  'occurred_at',
  'received_at',
  'value',
  'amount',
  'currency',
  'revenue_stream',
  'properties',
].join(', ');

/** Empties the table between runs, so each starts from the same state (empty table, empty indexes). */
export async function truncateEvents(prisma: PrismaService): Promise<void> {
  await prisma.$executeRawUnsafe('TRUNCATE events RESTART IDENTITY CASCADE');
}

export async function countEvents(prisma: PrismaService): Promise<number> {
  return prisma.event.count();
}

/** CSV field: unquoted empty is NULL; everything else is quoted, quotes doubled. */
function field(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  return `"${value.replaceAll('"', '""')}"`;
}

function csvLine(workspaceId: string, receivedAt: string, customerId: string, row: EventRow): string {
  return [
    field(workspaceId),
    field(row.clientEventId),
    field(row.type),
    field(row.name),
    field(customerId),
    field(row.experimentId),
    field(row.variantId),
    field(row.occurredAt),
    field(receivedAt),
    field(row.value),
    field(row.amount),
    field(row.currency),
    field(row.revenueStream),
    field(JSON.stringify(row.properties)),
  ].join(',');
}

async function customerIds(prisma: PrismaService, workspaceId: string): Promise<Map<string, string>> {
  const customers = await prisma.customer.findMany({
    where: { workspaceId },
    select: { id: true, externalId: true },
  });
  return new Map(customers.map((c) => [c.externalId, c.id]));
}

/** One CSV chunk per batch of the plan, for customers that already exist (the runner creates them first). */
async function csvChunks(
  prisma: PrismaService,
  workspaceId: string,
  now: Date,
  plan: EventPlan,
): Promise<{ chunks: string[]; rows: number }> {
  const repository = new EventsRepository(prisma);
  const experiments = await repository.findExperiments(
    workspaceId,
    BENCH_EXPERIMENTS.map((e) => e.key),
  );
  const customers = await customerIds(prisma, workspaceId);
  const receivedAt = now.toISOString();
  const chunks: string[] = [];
  let rows = 0;
  for (let b = 0; b < plan.batches; b++) {
    const prepared = prepareEvents(eventBatch(plan, b), experiments, now);
    if (prepared.rejected.length > 0)
      throw new Error(`bench events rejected: ${JSON.stringify(prepared.rejected.slice(0, 3))}`);
    const lines = prepared.rows.map((row) => {
      const customerId = customers.get(row.externalId);
      if (!customerId) throw new Error(`customer ${row.externalId} was not created before the COPY run`);
      return csvLine(workspaceId, receivedAt, customerId, row);
    });
    chunks.push(`${lines.join('\n')}\n`);
    rows += lines.length;
  }
  return { chunks, rows };
}

/**
 * COPYs the plan's events in one statement: through `COPY ... FROM STDIN` on its own connection for
 * PostgreSQL, or `COPY ... FROM '/dev/blob'` for the embedded PGlite database.
 */
export async function copyEvents(
  prisma: PrismaService,
  workspaceId: string,
  now: Date,
  databaseUrl: string | undefined,
  plan: EventPlan,
): Promise<CopyResult> {
  const { chunks, rows } = await csvChunks(prisma, workspaceId, now, plan);
  const sql = (source: string) => `COPY events (${COLUMNS}) FROM ${source} WITH (FORMAT csv)`;

  if (databaseUrl) {
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const started = process.hrtime.bigint();
      await pipeline(Readable.from(chunks), client.query(copyFrom(sql('STDIN'))));
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      return { rows, seconds, method: 'COPY FROM STDIN (csv, pg-copy-streams, one statement)' };
    } finally {
      await client.end();
    }
  }

  // The PGlite adapter keeps the database it wraps in its `client` field; COPY needs the database itself.
  const pglite = (prisma.database.client as unknown as { client?: unknown }).client;
  if (!(pglite instanceof PGlite))
    throw new Error('COPY baseline: the embedded PGlite database is not reachable');
  const blob = new Blob(chunks, { type: 'text/csv' });
  const started = process.hrtime.bigint();
  await pglite.query(sql(`'/dev/blob'`), [], { blob });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { rows, seconds, method: "COPY FROM '/dev/blob' (csv, PGlite, one statement)" };
}
