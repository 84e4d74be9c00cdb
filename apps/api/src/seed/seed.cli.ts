/**
 * `npm run db:seed` (and the first `npm start`): fills the first workspace with the demo data — customers,
 * order history, a running A/B test and a running holdout test with known effects, a campaign with its cost
 * ledger around each — and computes their first results and ROI. Safe to run again.
 */
import { loadConfig } from '../config/config';
import { PrismaService } from '../database/prisma.service';
import { seedDemo, type SeededCampaign } from './seed';

const percent = (x: number) => `${Math.round(x * 100)}%`;

function headline(c: SeededCampaign): string {
  if (!c.verdict || !c.roi) return `${c.key}: no return to show yet`;
  return `${c.key}: ${c.verdict}, ROI ${percent(c.roi.estimate)} (${percent(c.roi.lower)} to ${percent(c.roi.upper)})`;
}

async function main(): Promise<void> {
  const prisma = PrismaService.fromConfig(loadConfig());
  try {
    await prisma.onModuleInit();
    const started = performance.now();
    const report = await seedDemo(prisma, new Date());
    const lines = [
      `demo data: ${report.customersCreated} customers, ${report.assignmentsCreated} assignments, ` +
        `${report.eventsCreated} events added` +
        (report.experimentsCreated.length > 0
          ? `; experiments ${report.experimentsCreated.join(', ')}`
          : '') +
        (report.campaignsCreated.length > 0 ? `; campaigns ${report.campaignsCreated.join(', ')}` : ''),
      report.resultsComputed.length > 0
        ? `results computed for ${report.resultsComputed.join(', ')}`
        : 'results unchanged',
      ...report.campaigns.map(headline),
      `(${((performance.now() - started) / 1000).toFixed(1)} s)`,
    ];
    console.log(lines.join('\n'));
  } finally {
    await prisma.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
