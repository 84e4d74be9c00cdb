/**
 * Audience planning benchmark: a win-back audience over 1M customers (3M order/activity events over a year,
 * suppressions, global-holdout members, enrollments and sent messages of another sequence to probe), measured
 * as (1) the preview — every matched customer classified by exclusion reason, counted, and the top 20 by prior
 * spend — and (2) the candidate query of an audience run with a cap of 10,000; then (3) a launch that plans,
 * hashes and writes 10,000 enrollments with their assignments.
 *
 * Run from apps/api: `node -r @swc-node/register bench/audience.bench.ts`. PostgreSQL at BENCH_DATABASE_URL /
 * TEST_DATABASE_URL / postgresql://postgres@127.0.0.1:5432/postgres (a throwaway database is created, filled with
 * generate_series, ANALYZEd, and dropped). Knobs: BENCH_AUDIENCE_CUSTOMERS (1000000), BENCH_AUDIENCE_RUNS (3,
 * the median is reported), BENCH_AUDIENCE_EXPLAIN (set: print the run query's plan).
 */
import type { Actor } from '../src/auth/actor';
import type { AuditService } from '../src/audit/audit.service';
import { FixedClock } from '../src/common/clock';
import type { PrismaService } from '../src/database/prisma.service';
import { createTestDatabase } from '../src/database/test-database';
import { inactivityBounds } from '../src/sequences/audience';
import { Prisma } from '../src/generated/prisma/client';
import { audienceCtes, SequencesRepository, type AudienceQuery } from '../src/sequences/sequences.repository';
import { SequencesService } from '../src/sequences/sequences.service';

const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';
const NOW = new Date('2025-06-01T00:00:00Z');

function intSetting(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

const CUSTOMERS = intSetting('BENCH_AUDIENCE_CUSTOMERS', 1_000_000);
const RUNS = intSetting('BENCH_AUDIENCE_RUNS', 3);
const CAP = 10_000;
const line = (text: string) => process.stdout.write(`${text}\n`);
const fmt = (n: number) => n.toLocaleString('en-US');

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Customers, a year of events, and the tables the exclusions probe, all with set-based SQL. */
async function load(prisma: PrismaService): Promise<string> {
  const ws = (await prisma.workspace.create({ data: { name: 'Bench', globalHoldoutSeed: 'bench' } })).id;
  const now = NOW.toISOString();
  await prisma.$executeRawUnsafe(`
    INSERT INTO customers (id, workspace_id, external_id, segment, plan, traits, created_at, updated_at)
    SELECT gen_random_uuid(), '${ws}', 'c' || i,
           (ARRAY['new', 'regular', 'vip', 'lapsed'])[1 + i % 4],
           (ARRAY['free', 'basic', 'pro'])[1 + i % 3],
           jsonb_build_object('tier', (ARRAY['bronze', 'silver', 'gold'])[1 + i % 3], 'ltv', i % 1000),
           '${now}', '${now}'
      FROM generate_series(1, ${CUSTOMERS}) AS i`);
  // Three events per customer over the last year: two orders with amounts and one activity.
  await prisma.$executeRawUnsafe(`
    INSERT INTO events (workspace_id, client_event_id, type, name, customer_id, occurred_at, received_at, amount,
                        currency)
    SELECT c.workspace_id, c.external_id || ':' || k,
           (CASE WHEN k < 3 THEN 'order' ELSE 'activity' END)::event_type,
           CASE WHEN k < 3 THEN 'order' ELSE 'login' END,
           c.id, timestamptz '${now}' - random() * interval '365 days', timestamptz '${now}',
           CASE WHEN k < 3 THEN round((5 + random() * 195)::numeric, 2) END,
           CASE WHEN k < 3 THEN 'EUR' END
      FROM customers c CROSS JOIN generate_series(1, 3) AS k
     WHERE c.workspace_id = '${ws}'`);
  await prisma.$executeRawUnsafe(`
    INSERT INTO suppressions (workspace_id, customer_id, reason, created_at)
    SELECT workspace_id, id, (CASE WHEN random() < 0.5 THEN 'unsubscribe' ELSE 'hard_bounce' END)::suppression_reason,
           '${now}'
      FROM customers WHERE workspace_id = '${ws}' AND random() < 0.02`);
  await prisma.$executeRawUnsafe(`
    INSERT INTO global_holdout_members (workspace_id, customer_id, in_holdout, decided_at)
    SELECT workspace_id, id, random() < 0.05, '${now}'
      FROM customers WHERE workspace_id = '${ws}' AND random() < 0.5`);
  // Another sequence holding 3% of the base, with a message sent to each of them some days ago.
  const other = await prisma.sequence.create({
    data: {
      workspaceId: ws,
      key: 'other',
      name: 'Other',
      status: 'running',
      audience: {},
      touches: { create: [{ position: 0, delayDays: 0, channel: 'email', content: {} }] },
    },
    include: { touches: true },
  });
  await prisma.$executeRawUnsafe(`
    INSERT INTO enrollments (id, workspace_id, sequence_id, customer_id, reentry, arm, status, enrolled_at)
    SELECT gen_random_uuid(), workspace_id, '${other.id}', id, 0, 'treated',
           (CASE WHEN random() < 0.5 THEN 'active' ELSE 'completed' END)::enrollment_status,
           timestamptz '${now}' - interval '20 days'
      FROM customers WHERE workspace_id = '${ws}' AND random() < 0.03`);
  await prisma.$executeRawUnsafe(`
    INSERT INTO messages (id, workspace_id, sequence_id, enrollment_id, touch_id, customer_id, channel, status,
                          next_attempt_at, sent_at, created_at)
    SELECT gen_random_uuid(), workspace_id, sequence_id, id, '${other.touches[0]!.id}', customer_id, 'email', 'sent',
           enrolled_at, timestamptz '${now}' - random() * interval '20 days', enrolled_at
      FROM enrollments WHERE sequence_id = '${other.id}'`);
  await prisma.$executeRawUnsafe('ANALYZE');
  return ws;
}

async function main(): Promise<void> {
  process.env.TEST_DATABASE_URL =
    process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || DEFAULT_DATABASE_URL;
  const db = await createTestDatabase();
  try {
    if (!db.url) throw new Error('the audience benchmark needs PostgreSQL');
    const version = await db.prisma.$queryRawUnsafe<{ server_version: string }[]>('SHOW server_version');
    line(`audience bench: PostgreSQL ${version[0]?.server_version ?? '?'}, ${fmt(CUSTOMERS)} customers`);
    const loadMs = await timed(async () => {
      workspaceId = await load(db.prisma);
    });
    const events = await db.prisma.event.count();
    line(`  loaded ${fmt(events)} events with generate_series in ${(loadMs / 1000).toFixed(1)} s`);

    const audit = { record: async () => undefined } as unknown as AuditService;
    const repo = new SequencesRepository(db.prisma);
    const service = new SequencesService(repo, audit, new FixedClock(NOW));
    const actor: Actor = { type: 'api_key', id: 'bench', scope: 'read', workspaceId };
    const audience = {
      minDaysInactive: 60,
      maxDaysInactive: 120,
      minPriorSpend: 50,
      segments: [],
      conditions: [],
      excludeContactedWithinDays: 14,
      excludeGlobalHoldout: true,
    };

    let preview = await service.previewRules(actor, {
      audience,
      holdoutPercent: 10,
      maxEnrollmentsPerRun: CAP,
    });
    const previews: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      previews.push(
        await timed(async () => {
          preview = await service.previewRules(actor, {
            audience,
            holdoutPercent: 10,
            maxEnrollmentsPerRun: CAP,
          });
        }),
      );
    }
    line(
      `  audience: ${fmt(preview.matched)} matched, ${fmt(preview.eligible)} eligible ` +
        `(excluded ${Object.entries(preview.excluded)
          .map(([k, v]) => `${k} ${fmt(v)}`)
          .join(', ')})`,
    );
    line(
      `  audience planning, preview (classify + count all, top 20): ${median(previews).toFixed(0)} ms ` +
        `(median of ${RUNS}: ${previews.map((x) => x.toFixed(0)).join(', ')})`,
    );

    // The candidate query of an audience run on its own: eligible customers in priority order, LIMIT cap.
    const query: AudienceQuery = {
      workspaceId,
      rules: audience,
      now: NOW,
      ...inactivityBounds(audience, NOW),
      contactedSince: new Date(NOW.getTime() - 14 * 86_400_000),
      sequenceId: null,
      reentrySince: null,
    };
    await repo.audienceCandidates(query, CAP);
    const candidates: number[] = [];
    for (let i = 0; i < RUNS; i++) candidates.push(await timed(() => repo.audienceCandidates(query, CAP)));
    line(
      `  audience planning, run (eligible by prior spend, LIMIT ${fmt(CAP)}): ${median(candidates).toFixed(0)} ms ` +
        `(median of ${RUNS}: ${candidates.map((x) => x.toFixed(0)).join(', ')})`,
    );

    if (process.env.BENCH_AUDIENCE_EXPLAIN) {
      // Under the planning transaction's settings, as the run above.
      const plan = await repo.withPlanningSettings(db.prisma, (tx) =>
        tx.$queryRaw<{ 'QUERY PLAN': string }[]>(
          Prisma.sql`EXPLAIN (ANALYZE, BUFFERS) ${audienceCtes(query)}
            SELECT id FROM flagged WHERE excluded_by IS NULL ORDER BY spend DESC, last_at DESC, id LIMIT ${CAP}`,
        ),
      );
      line(plan.map((r) => r['QUERY PLAN']).join('\n'));
    }

    const created = await service.create(actor, {
      key: 'winback',
      name: 'Win-back',
      audience,
      holdoutPercent: 10,
      maxEnrollmentsPerRun: CAP,
      reentryDays: 180,
      exitEventTypes: ['order', 'activity'],
      measurementDays: 30,
      touches: [{ channel: 'email', delayDays: 0, conditions: [], content: { subject: 's', text: 't' } }],
    });
    const launchMs = await timed(async () => {
      const result = await service.launch(actor, created.id);
      line(`  launch: ${fmt(result.run.enrolled)} enrolled (${fmt(result.run.holdout)} holdout)`);
    });
    line(
      `  launch with cap ${fmt(CAP)} (plan, hash, write enrollments + assignments): ${launchMs.toFixed(0)} ms`,
    );
  } finally {
    await db.close();
  }
}

let workspaceId = '';

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
