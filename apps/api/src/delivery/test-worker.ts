/**
 * A delivery worker process for the SIGKILL test (exactly-once.int.test.ts): ticks the delivery engine against
 * DATABASE_URL and SMTP_URL on the real clock until no work is left, then exits 0. The test kills it at random
 * moments and starts it again. Run: `node -r @swc-node/register src/delivery/test-worker.ts`.
 *
 * Configuration (read by the config module as everywhere): DATABASE_URL, SMTP_URL, LINK_SECRET,
 * DELIVERY_LEASE_SECONDS. Argument: `--send-concurrency <n>` (default 1).
 */
import 'reflect-metadata';
import { loadConfig } from '../config/config';
import { createDatabaseAdapter } from '../database/adapters';
import { PrismaService } from '../database/prisma.service';
import { createDelivery } from './test-fixtures';

function sendConcurrencyArg(args: string[]): number {
  const i = args.indexOf('--send-concurrency');
  const n = i === -1 ? 1 : Number(args[i + 1]);
  if (!Number.isInteger(n) || n < 1) throw new Error('--send-concurrency: expected a positive integer');
  return n;
}

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.DATABASE_URL || !config.SMTP_URL)
    throw new Error('test-worker needs DATABASE_URL and SMTP_URL');
  const prisma = new PrismaService(createDatabaseAdapter({ DATABASE_URL: config.DATABASE_URL }), {
    migrateOnStart: false,
  });
  const delivery = createDelivery(prisma, config, {
    sendConcurrency: sendConcurrencyArg(process.argv.slice(2)),
  });
  process.stdout.write(
    `${JSON.stringify({ event: 'start', pid: process.pid, owner: delivery.service.owner })}\n`,
  );
  for (;;) {
    const { advance, send } = await delivery.service.tick(new Date());
    process.stdout.write(
      `${JSON.stringify({ event: 'tick', messages: advance.messages, sent: send.sent })}\n`,
    );
    if (advance.claimed + send.claimed > 0) continue;
    // Nothing claimable: either done, or rows are still leased by a killed predecessor (wait for expiry).
    const [active, open] = await Promise.all([
      prisma.enrollment.count({ where: { status: 'active' } }),
      prisma.message.count({ where: { status: { in: ['pending', 'sending'] } } }),
    ]);
    if (active === 0 && open === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  delivery.close();
  await prisma.close();
  process.stdout.write(`${JSON.stringify({ event: 'done' })}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
