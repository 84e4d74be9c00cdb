/**
 * CLV fit benchmark: POST /v1/customer-value/fit's work for one workspace of BENCH_CLV_CUSTOMERS (100,000)
 * customers simulated from a BG/NBD + Gamma-Gamma base over a year (about 3.5 orders each): the RFM summary in
 * SQL, the BG/NBD and Gamma-Gamma fits, every customer's 12-month discounted CLV, the calibration check (a second
 * SQL pass and fit) and the bulk replacement of the stored predictions, timed as a whole and by phase.
 *
 * Run from apps/api: `node -r @swc-node/register bench/clv.bench.ts`. PostgreSQL at BENCH_DATABASE_URL /
 * TEST_DATABASE_URL / postgresql://postgres@127.0.0.1:5432/postgres (a throwaway database is created, loaded
 * with COPY, and dropped). BENCH_CLV_RUNS (3) fits are timed, the median reported.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { AuditService } from '../src/audit/audit.service';
import type { CampaignsService } from '../src/campaigns/campaigns.service';
import { CustomerValueRepository } from '../src/customer-value/customer-value.repository';
import { CustomerValueService } from '../src/customer-value/customer-value.service';
import { simulateCampaign } from '../src/customer-value/simulation';
import { createTestDatabase } from '../src/database/test-database';

const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';
const DAY = 86_400_000;
const START = Date.parse('2025-01-01T00:00:00Z');
const NOW = new Date(START + 365 * DAY);

function intSetting(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

const CUSTOMERS = intSetting('BENCH_CLV_CUSTOMERS', 100_000);
const RUNS = intSetting('BENCH_CLV_RUNS', 3);
const line = (text: string) => process.stdout.write(`${text}\n`);

async function copy(
  client: Client,
  table: string,
  columns: string[],
  rows: () => Generator<string>,
): Promise<void> {
  const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN WITH (FORMAT csv)`));
  async function* chunks() {
    let buffer = '';
    for (const row of rows()) {
      buffer += row;
      if (buffer.length > 1 << 20) {
        yield buffer;
        buffer = '';
      }
    }
    if (buffer) yield buffer;
  }
  await pipeline(Readable.from(chunks()), stream);
}

async function main(): Promise<void> {
  process.env.TEST_DATABASE_URL ||= process.env.BENCH_DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const db = await createTestDatabase();
  try {
    const prisma = db.prisma;
    const workspace = await prisma.workspace.create({ data: { name: 'Bench', globalHoldoutSeed: 'bench' } });
    const simulated = simulateCampaign({
      params: { r: 0.6, alpha: 30, a: 1, b: 6, p: 6, q: 4, gamma: 60 },
      customers: CUSTOMERS,
      acquisitionDays: 300,
      until: 365,
      treatedShare: 0,
      rateFactor: 1,
      seed: 5,
    });
    const ids = simulated.map(() => randomUUID());
    const client = new Client({ connectionString: db.url });
    await client.connect();
    const loadStart = performance.now();
    await copy(client, 'customers', ['id', 'workspace_id', 'external_id'], function* () {
      for (let i = 0; i < ids.length; i++) yield `${ids[i]},${workspace.id},c${i}\n`;
    });
    let orders = 0;
    await copy(
      client,
      'events',
      ['workspace_id', 'client_event_id', 'type', 'name', 'customer_id', 'occurred_at', 'amount', 'currency'],
      function* () {
        for (const c of simulated) {
          for (let k = 0; k < c.purchases.length; k++) {
            const p = c.purchases[k]!;
            orders++;
            yield `${workspace.id},o${c.index}-${k},order,order,${ids[c.index]},${new Date(START + p.day * DAY).toISOString()},${p.amount},EUR\n`;
          }
        }
      },
    );
    await client.query('ANALYZE');
    await client.end();
    line(
      `clv bench: ${CUSTOMERS.toLocaleString('en-US')} customers, ${orders.toLocaleString('en-US')} orders ` +
        `loaded in ${((performance.now() - loadStart) / 1000).toFixed(1)} s`,
    );

    const repo = new CustomerValueRepository(prisma);
    const service = new CustomerValueService(repo, {} as AuditService, {} as CampaignsService);
    const times: number[] = [];
    let phases = '';
    for (let run = 0; run < RUNS; run++) {
      const t0 = performance.now();
      await repo.rfm(workspace.id, NOW);
      const tRfm = performance.now() - t0;
      const t1 = performance.now();
      const fit = await service.fitWorkspace(workspace.id, NOW, 'scheduled');
      const total = performance.now() - t1;
      times.push(total);
      phases =
        `RFM SQL alone ${(tRfm / 1000).toFixed(2)} s; fit ${fit.customers.toLocaleString('en-US')} customers, ` +
        `r=${fit.params.bgnbd.r.toFixed(3)} α=${fit.params.bgnbd.alpha.toFixed(2)} a=${fit.params.bgnbd.a.toFixed(3)} ` +
        `b=${fit.params.bgnbd.b.toFixed(3)} (truth 0.6, 30, 1, 6), calibration ${fit.calibration ? 'done' : 'skipped'}`;
    }
    times.sort((a, b) => a - b);
    const stored = await prisma.customerValue.count({ where: { workspaceId: workspace.id } });
    line(
      `clv bench: fit + predict + calibration check + store ${stored.toLocaleString('en-US')} predictions: ` +
        `median ${(times[Math.floor(times.length / 2)]! / 1000).toFixed(2)} s over ${RUNS} runs (${phases})`,
    );
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
