/**
 * Results benchmark: the full results of one experiment over 1M customers (3 metrics: a conversion rate, revenue
 * per customer and average order value, CUPED on, breakdowns by 3 dimensions, the daily cumulative series and
 * revenue by month) against the bare aggregate SQL over the same rows in the same run: one hand-written
 * `GROUP BY variant` per metric returning n, Σx, Σx² over the metric window, the least any results system has to
 * ask of the database. Reports both times in seconds and their ratio.
 *
 * Run from apps/api: `node -r @swc-node/register bench/results.bench.ts`. PostgreSQL at BENCH_DATABASE_URL /
 * TEST_DATABASE_URL / postgresql://postgres@127.0.0.1:5432/postgres (a throwaway database is created, loaded
 * with COPY, ANALYZEd as autovacuum would, and dropped). Knobs: BENCH_RESULTS_CUSTOMERS (1000000),
 * BENCH_RESULTS_RUNS (3, the median is reported).
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { AnalysisRepository } from '../src/analysis/analysis.repository';
import { AnalysisService } from '../src/analysis/analysis.service';
import type { AuditService } from '../src/audit/audit.service';
import { FixedClock } from '../src/common/clock';
import type { PrismaService } from '../src/database/prisma.service';
import { createTestDatabase } from '../src/database/test-database';
import { random } from '../src/analysis/test-simulation';

const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';
const DAY = 86_400_000;
const START = Date.parse('2025-01-06T00:00:00Z');
const NOW = new Date('2025-03-15T00:00:00Z');

function intSetting(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

const CUSTOMERS = intSetting('BENCH_RESULTS_CUSTOMERS', 1_000_000);
const RUNS = intSetting('BENCH_RESULTS_RUNS', 3);
const line = (text: string) => process.stdout.write(`${text}\n`);
const fmt = (n: number) => n.toLocaleString('en-US');

/** Streams `rows()` into `table` with COPY … FROM STDIN (csv). */
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

interface Setup {
  workspaceId: string;
  experimentId: string;
  variants: [string, string];
  events: number;
}

/** One workspace, one running two-arm experiment with 3 metrics, CUPED-ready history and 3 customer attributes. */
async function load(prisma: PrismaService, url: string): Promise<Setup> {
  const workspace = await prisma.workspace.create({ data: { name: 'Bench', globalHoldoutSeed: 'bench' } });
  const metric = (data: Record<string, unknown>) =>
    prisma.metric.create({ data: { workspaceId: workspace.id, ...data } as never });
  const conversion = await metric({
    key: 'purchase',
    name: 'Purchase rate',
    kind: 'proportion',
    eventName: 'purchase',
    windowDays: 14,
  });
  const revenue = await metric({
    key: 'revenue',
    name: 'Revenue',
    kind: 'mean',
    eventName: 'order',
    windowDays: 28,
    revenueStream: 'upsell',
    capping: 'percentile',
    capValue: 0.99,
  });
  const aov = await metric({
    key: 'aov',
    name: 'Average order value',
    kind: 'ratio',
    eventName: 'order',
    denominatorEventName: 'order',
    windowDays: 28,
  });
  const experiment = await prisma.experiment.create({
    data: {
      workspaceId: workspace.id,
      key: 'bench-results',
      name: 'Upsell e-mail',
      kind: 'ab',
      seed: 'bench-results',
      status: 'running',
      startedAt: new Date(START),
      variants: {
        create: [
          { key: 'control', name: 'Control', weight: 0.5, isControl: true, position: 0 },
          { key: 'email', name: 'E-mail', weight: 0.5, position: 1 },
        ],
      },
      metrics: {
        create: [
          { metricId: conversion.id, role: 'primary' },
          { metricId: revenue.id, role: 'secondary' },
          { metricId: aov.id, role: 'guardrail' },
        ],
      },
    },
    include: { variants: { orderBy: { position: 'asc' } } },
  });
  const variants = experiment.variants.map((v) => v.id) as [string, string];
  await prisma.resultSettings.create({
    data: {
      experimentId: experiment.id,
      workspaceId: workspace.id,
      dimensions: ['segment', 'acquisitionChannel', 'plan'],
    },
  });

  const client = new Client({ connectionString: url });
  await client.connect();
  let events = 0;
  try {
    const ids = Array.from({ length: CUSTOMERS }, () => randomUUID());
    const segments = ['loyal', 'new', 'lapsed', 'vip'];
    const channels = ['web', 'app', 'store', 'partner', 'referral'];
    const plans = ['basic', 'plus', 'pro'];
    const next = random(2025);
    await copy(
      client,
      'customers',
      ['id', 'workspace_id', 'external_id', 'segment', 'acquisition_channel', 'plan', 'updated_at'],
      function* () {
        for (let i = 0; i < CUSTOMERS; i++) {
          yield `${ids[i]},${workspace.id},bench-${i},${segments[i % 4]},${channels[i % 5]},${plans[i % 3]},2025-01-01T00:00:00Z\n`;
        }
      },
    );
    const iso = (t: number) => new Date(t).toISOString();
    await copy(
      client,
      'events',
      [
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
      ],
      function* () {
        let n = 0;
        const ev = (
          type: string,
          name: string,
          c: number,
          t: number,
          arm: string | null,
          amount: number | null,
        ) => {
          n++;
          events++;
          const money = amount === null ? ',,' : `${amount},${amount},EUR`;
          return `${workspace.id},e${n},${type},${name},${ids[c]},${arm ? experiment.id : ''},${arm ?? ''},${iso(t)},${iso(t)},${money}\n`;
        };
        for (let c = 0; c < CUSTOMERS; c++) {
          const treated = next() < 0.5;
          const arm = variants[treated ? 1 : 0];
          const exposed = START + Math.floor(next() * 30 * DAY);
          yield ev('exposure', 'experiment_exposure', c, exposed, arm, null);
          const habit = 10 + 60 * next() * next();
          if (next() < 0.6)
            yield ev(
              'order',
              'order',
              c,
              exposed - Math.floor(next() * 27 * DAY) - 1,
              null,
              Math.round(habit * (0.5 + next()) * 100) / 100,
            );
          if (next() < 0.6)
            yield ev(
              'order',
              'order',
              c,
              exposed + Math.floor(next() * 27 * DAY),
              null,
              Math.round(habit * (0.5 + next()) * (treated ? 1.05 : 1) * 100) / 100,
            );
          if (next() < 0.3)
            yield ev(
              'order',
              'order',
              c,
              exposed + 30 * DAY + Math.floor(next() * 25 * DAY),
              null,
              Math.round(habit * 100) / 100,
            );
          if (next() < 0.1)
            yield ev('conversion', 'purchase', c, exposed - Math.floor(next() * 13 * DAY) - 1, null, null);
          if (next() < (treated ? 0.13 : 0.12))
            yield ev('conversion', 'purchase', c, exposed + Math.floor(next() * 13 * DAY), null, null);
        }
      },
    );
    await client.query('ANALYZE customers; ANALYZE events');
  } finally {
    await client.end();
  }
  return { workspaceId: workspace.id, experimentId: experiment.id, variants, events };
}

/** The floor: per metric, one GROUP BY variant of per-customer sums over the window, nothing else. */
async function bareAggregates(prisma: PrismaService, s: Setup): Promise<void> {
  const perMetric: [string, number, string][] = [
    ['purchase', 14, '(count(e.id) > 0)::int::float8'],
    ['order', 28, 'coalesce(sum(e.value), 0)'],
    ['order', 28, 'count(e.id)::float8'],
  ];
  for (const [name, window, value] of perMetric) {
    await prisma.$queryRawUnsafe(
      `WITH x AS (
         SELECT DISTINCT ON (customer_id) customer_id, variant_id, occurred_at
           FROM events WHERE experiment_id = $1::uuid AND type = 'exposure' ORDER BY customer_id, occurred_at),
       v AS (
         SELECT x.variant_id, ${value} AS v
           FROM x LEFT JOIN events e
             ON e.customer_id = x.customer_id AND e.workspace_id = $2::uuid AND e.name = $3
            AND e.occurred_at >= x.occurred_at AND e.occurred_at < x.occurred_at + make_interval(days => $4::int)
          GROUP BY x.customer_id, x.variant_id)
       SELECT variant_id, count(*)::int, sum(v)::float8, sum(v * v)::float8 FROM v GROUP BY variant_id`,
      s.experimentId,
      s.workspaceId,
      name,
      window,
    );
  }
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return (performance.now() - start) / 1000;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function main(): Promise<void> {
  process.env.TEST_DATABASE_URL =
    process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || DEFAULT_DATABASE_URL;
  const db = await createTestDatabase();
  try {
    if (!db.url) throw new Error('the results benchmark needs PostgreSQL');
    const version = await db.prisma.$queryRawUnsafe<{ server_version: string }[]>('SHOW server_version');
    line(`results bench: PostgreSQL ${version[0]?.server_version ?? '?'}, ${fmt(CUSTOMERS)} customers`);
    const loadStart = performance.now();
    const setup = await load(db.prisma, db.url);
    line(
      `  loaded ${fmt(setup.events)} events with COPY in ${((performance.now() - loadStart) / 1000).toFixed(1)} s`,
    );

    const audit = { record: async () => undefined } as unknown as AuditService;
    const service = new AnalysisService(new AnalysisRepository(db.prisma), audit, new FixedClock(NOW));
    const full: number[] = [];
    const bare: number[] = [];
    // One warm-up of each, then alternate so both see the same cache state.
    await bareAggregates(db.prisma, setup);
    let snapshot = await service.refreshExperiment(setup.experimentId, NOW, 'manual');
    for (let i = 0; i < RUNS; i++) {
      bare.push(await timed(() => bareAggregates(db.prisma, setup)));
      full.push(
        await timed(async () => {
          snapshot = await service.refreshExperiment(setup.experimentId, NOW, 'manual');
        }),
      );
    }
    const f = median(full);
    const b = median(bare);
    line(
      `  full results (3 metrics, CUPED, 3 dimensions, daily series, revenue by month; stored snapshot): ` +
        `${f.toFixed(2)} s (median of ${RUNS}: ${full.map((x) => x.toFixed(2)).join(', ')})`,
    );
    line(
      `  bare aggregate SQL (3 x GROUP BY variant of n, Σx, Σx²): ${b.toFixed(2)} s (${bare.map((x) => x.toFixed(2)).join(', ')})`,
    );
    line(`  ratio full / bare: ${(f / b).toFixed(2)}x`);

    // Where the full refresh spends its time: each query once more, on its own.
    const repo = new AnalysisRepository(db.prisma);
    const exp = await repo.experiment(setup.experimentId);
    const settings = await repo.settings(setup.experimentId);
    if (!exp || !settings) throw new Error('bench experiment vanished');
    const source = {
      kind: 'experiment' as const,
      workspaceId: setup.workspaceId,
      experimentId: setup.experimentId,
    };
    const family = { source, until: NOW, dimensions: settings.dimensions, withPrePeriod: true, byDay: true };
    const sql = (kind: 'mean' | 'ratio') =>
      exp.metrics
        .filter((m) => (m.kind === 'ratio') === (kind === 'ratio'))
        .map((m) => (m.kind === 'proportion' ? { ...m, capping: 'none' as const, capValue: null } : m));
    const parts = [
      ['arm sizes', await timed(() => repo.armCounts(source, NOW))],
      [
        'mean+proportion family (2 metrics)',
        await timed(() => repo.meanFamily({ ...family, metrics: sql('mean') })),
      ],
      ['ratio family (1 metric)', await timed(() => repo.ratioFamily({ ...family, metrics: sql('ratio') }))],
      [
        'revenue by month',
        await timed(() =>
          repo.monthly({
            source,
            until: NOW,
            metrics: exp.metrics.filter((m) => m.revenueStream),
            caps: [null],
          }),
        ),
      ],
    ] as const;
    line(`  of which: ${parts.map(([name, seconds]) => `${name} ${seconds.toFixed(2)} s`).join(', ')}`);
    line(
      `  snapshot: ${fmt(snapshot.units)} customers, cuped ${snapshot.metrics.map((m) => `${m.key}=${m.cuped}`).join(' ')}, ` +
        `${snapshot.dimensions.map((d) => `${d.dimension}:${d.values.length}`).join(' ')}, ` +
        `${snapshot.cumulative[0]?.points.length ?? 0} daily points`,
    );
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
