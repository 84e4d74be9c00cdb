import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../database/test-database';
import { DEMO_CUSTOMERS, DEMO_TRUE_EFFECTS } from './demo-data';
import { seedDemo, type SeedReport } from './seed';

const NOW = new Date('2025-03-01T12:00:00.000Z');
let db: TestDatabase;
let first: SeedReport;

beforeAll(async () => {
  db = await createTestDatabase();
  first = await seedDemo(db.prisma, NOW);
}, 300_000);
afterAll(() => db?.close());

/** Per arm: customers assigned, and how many of them had `eventName` within 14 days after their exposure. */
async function armOutcomes(experimentKey: string, eventName: string) {
  const rows = await db.prisma.$queryRaw<
    { variant: string; is_control: boolean; n: bigint; converted: bigint }[]
  >`
    WITH exposed AS (
      SELECT a.workspace_id, a.customer_id, v.key, v.is_control, x.occurred_at
        FROM assignments a
        JOIN experiments e ON e.id = a.experiment_id
        JOIN variants v ON v.id = a.variant_id
        JOIN events x ON x.workspace_id = a.workspace_id AND x.customer_id = a.customer_id
                     AND x.experiment_id = e.id AND x.type = 'exposure'
       WHERE e.key = ${experimentKey}),
    converted AS (
      SELECT DISTINCT x.customer_id
        FROM exposed x
        JOIN events o ON o.workspace_id = x.workspace_id AND o.customer_id = x.customer_id
                     AND o.occurred_at >= x.occurred_at AND o.occurred_at < x.occurred_at + interval '14 days'
       WHERE o.name = ${eventName})
    SELECT x.key AS variant, x.is_control, count(*) AS n, count(c.customer_id) AS converted
      FROM exposed x LEFT JOIN converted c ON c.customer_id = x.customer_id
     GROUP BY x.key, x.is_control`;
  const control = rows.find((r) => r.is_control);
  const treatment = rows.find((r) => !r.is_control);
  if (!control || !treatment) throw new Error(`arms missing for ${experimentKey}`);
  const rate = (r: typeof control) => Number(r.converted) / Number(r.n);
  return {
    control: { n: Number(control.n), rate: rate(control) },
    treatment: { n: Number(treatment.n), rate: rate(treatment) },
  };
}

describe('demo seed', () => {
  it('creates customers, both experiments, assignments and events', async () => {
    expect(first.customersCreated).toBe(DEMO_CUSTOMERS);
    expect(first.experimentsCreated).toEqual(['checkout-upsell-banner', 'winback-email-q1']);
    expect(first.assignmentsCreated).toBeGreaterThan(DEMO_CUSTOMERS);
    expect(first.eventsCreated).toBeGreaterThan(first.assignmentsCreated);
    const experiments = await db.prisma.experiment.findMany({ include: { variants: true, metrics: true } });
    expect(
      experiments.every((e) => e.status === 'running' && e.startedAt !== null && e.metrics.length === 2),
    ).toBe(true);
  });

  it('changes nothing when run again', async () => {
    const counts = async () => ({
      customers: await db.prisma.customer.count(),
      assignments: await db.prisma.assignment.count(),
      events: await db.prisma.event.count(),
      experiments: await db.prisma.experiment.count(),
      metrics: await db.prisma.metric.count(),
    });
    const before = await counts();
    const again = await seedDemo(db.prisma, new Date(NOW.getTime() + 3_600_000));
    expect(again).toMatchObject({
      customersCreated: 0,
      experimentsCreated: [],
      assignmentsCreated: 0,
      eventsCreated: 0,
    });
    expect(await counts()).toEqual(before);
  }, 300_000);

  it('targets the holdout test at lapsed and regular customers, about 20% held out', async () => {
    const segments = await db.prisma.$queryRaw<{ segment: string }[]>`
      SELECT DISTINCT c.segment FROM assignments a
        JOIN experiments e ON e.id = a.experiment_id JOIN customers c ON c.id = a.customer_id
       WHERE e.key = 'winback-email-q1' ORDER BY c.segment`;
    expect(segments.map((s) => s.segment)).toEqual(['lapsed', 'regular']);
    const { control, treatment } = await armOutcomes('winback-email-q1', 'order');
    const share = control.n / (control.n + treatment.n);
    expect(Math.abs(share - 0.2)).toBeLessThan(0.03);
  });

  for (const [key, effect] of Object.entries(DEMO_TRUE_EFFECTS)) {
    it(`${key}: the observed difference matches the built-in effect within sampling error`, async () => {
      const eventName = effect.metric === 'plan_upgrade' ? 'plan_upgrade' : 'order';
      const { control, treatment } = await armOutcomes(key, eventName);
      expect(Math.abs(control.rate - effect.control)).toBeLessThan(
        4 * Math.sqrt((effect.control * (1 - effect.control)) / control.n),
      );
      const se = Math.sqrt(
        (effect.control * (1 - effect.control)) / control.n +
          (effect.treatment * (1 - effect.treatment)) / treatment.n,
      );
      const observed = treatment.rate - control.rate;
      expect(Math.abs(observed - (effect.treatment - effect.control))).toBeLessThan(3 * se);
      // Built to be detectable: the true difference is well above the noise of these sample sizes.
      expect((effect.treatment - effect.control) / se).toBeGreaterThan(2);
    });
  }
});
