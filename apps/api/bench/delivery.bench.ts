/**
 * Delivery benchmark: messages per second from a 100k-enrollment step to a local SMTP sink (nodemailer's
 * smtp-server in this process), through the whole engine: advance (claim, render, write messages), then send
 * (claim, suppression / quiet hours / cap gate, SMTP over a pooled transport, record). Reports both phases and
 * the end-to-end rate.
 *
 * Run from apps/api: `node -r @swc-node/register bench/delivery.bench.ts`. PostgreSQL at BENCH_DATABASE_URL /
 * TEST_DATABASE_URL / postgresql://postgres@127.0.0.1:5432/postgres (a throwaway database is created and dropped).
 * Knobs: BENCH_DELIVERY_ENROLLMENTS (100000), BENCH_DELIVERY_CONCURRENCY (8 sends in flight),
 * BENCH_DELIVERY_WORKERS (1 service instance; more run concurrently on the same database).
 */
import 'reflect-metadata';
import { createTestDatabase } from '../src/database/test-database';
import { startSmtpSink } from '../src/delivery/smtp-sink';
import {
  createDelivery,
  createSequence,
  createWorkspace,
  deliveryConfig,
  LOCAL_POSTGRES,
  postgresAnswers,
  seedStep,
} from '../src/delivery/test-fixtures';

function intSetting(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

const ENROLLMENTS = intSetting('BENCH_DELIVERY_ENROLLMENTS', 100_000);
const CONCURRENCY = intSetting('BENCH_DELIVERY_CONCURRENCY', 8);
const WORKERS = intSetting('BENCH_DELIVERY_WORKERS', 1);
const line = (text: string) => process.stdout.write(`${text}\n`);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function main(): Promise<void> {
  const server = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? LOCAL_POSTGRES;
  if (!(await postgresAnswers(server))) throw new Error(`delivery bench: no PostgreSQL answers at ${server}`);
  process.env.TEST_DATABASE_URL = server;
  const [db, sink] = await Promise.all([createTestDatabase(), startSmtpSink({ keepRaw: false })]);
  const config = deliveryConfig({ SMTP_URL: sink.url });
  const workers = Array.from({ length: WORKERS }, () =>
    createDelivery(db.prisma, config, { sendConcurrency: CONCURRENCY, sendBatch: 200, advanceBatch: 1000 }),
  );
  try {
    const now = new Date();
    const ws = await createWorkspace(db.prisma, { quietHoursStart: '00:00', quietHoursEnd: '00:00' });
    const seq = await createSequence(db.prisma, ws, 'bench', [{ delayDays: 0 }, { delayDays: 3 }]);
    const seedStart = performance.now();
    await seedStep(db.prisma, ws, seq.id, ENROLLMENTS, 'bench-', now);
    line(
      `delivery bench: ${fmt(ENROLLMENTS)} enrollments seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
    );
    line(
      `  PostgreSQL, ${WORKERS} worker(s), ${CONCURRENCY} sends in flight per worker, SMTP sink on loopback`,
    );

    const t0 = performance.now();
    const advanced = await Promise.all(workers.map((w) => w.service.advance(now)));
    const t1 = performance.now();
    const written = advanced.reduce((s, a) => s + a.messages, 0);
    const advanceS = (t1 - t0) / 1000;
    // Each phase is reported as soon as it ends, so a long run shows progress.
    line(
      `  advance (claim, render, write):      ${fmt(written / advanceS)} messages/s (${advanceS.toFixed(1)} s)`,
    );
    const sent = await Promise.all(workers.map((w) => w.service.sendDue(now)));
    const t2 = performance.now();
    const delivered = sent.reduce((s, a) => s + a.sent, 0);
    const sendS = (t2 - t1) / 1000;
    line(
      `  send (claim, gate, SMTP, record):    ${fmt(delivered / sendS)} messages/s (${sendS.toFixed(1)} s)`,
    );
    line(`  end to end:                          ${fmt(ENROLLMENTS / (advanceS + sendS))} messages/s`);

    const unique = new Set(sink.arrivals.map((a) => a.messageId)).size;
    if (
      written !== ENROLLMENTS ||
      delivered !== ENROLLMENTS ||
      unique !== ENROLLMENTS ||
      sink.arrivals.length !== ENROLLMENTS
    ) {
      throw new Error(
        `delivery bench: expected ${ENROLLMENTS} messages written, sent and received once; got ${written} written, ` +
          `${delivered} sent, ${sink.arrivals.length} arrivals (${unique} distinct)`,
      );
    }
  } finally {
    for (const w of workers) w.close();
    await sink.close();
    await db.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
