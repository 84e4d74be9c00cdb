/**
 * `npm run db:seed` (and the first `npm start`): fills the first workspace with the demo data — customers,
 * order history, a running A/B test and a running holdout test with known effects. Safe to run again.
 */
import { loadConfig } from '../config/config';
import { PrismaService } from '../database/prisma.service';
import { seedDemo } from './seed';

async function main(): Promise<void> {
  const prisma = PrismaService.fromConfig(loadConfig());
  try {
    await prisma.onModuleInit();
    const report = await seedDemo(prisma, new Date());
    console.log(
      `demo data: ${report.customersCreated} customers, ${report.assignmentsCreated} assignments, ` +
        `${report.eventsCreated} events added` +
        (report.experimentsCreated.length > 0 ? `; experiments ${report.experimentsCreated.join(', ')}` : ''),
    );
  } finally {
    await prisma.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
