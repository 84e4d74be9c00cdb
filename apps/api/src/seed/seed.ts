import { randomBytes } from 'node:crypto';
import { customerAttributes, decide, toSdkExperiment } from '../assignment/bucketing';
import { prepareCustomers } from '../customers/customer-rows';
import { CustomersRepository } from '../customers/customers.repository';
import type { PrismaService } from '../database/prisma.service';
import { experimentKeysOf, prepareEvents } from '../events/event-rows';
import { EventsRepository } from '../events/events.repository';
import {
  DEMO_EXPERIMENTS,
  DEMO_EXTERNAL_ID_PREFIX,
  DEMO_METRICS,
  demoCustomers,
  experimentEvents,
  historyEvents,
  type DemoEvent,
  type DemoExperiment,
} from './demo-data';

const DAY = 86_400_000;
/** Events stored per statement. */
const EVENT_BATCH = 5_000;

export interface SeedReport {
  workspaceId: string;
  customersCreated: number;
  experimentsCreated: string[];
  assignmentsCreated: number;
  eventsCreated: number;
}

/**
 * Fills the first workspace (creating it when the database is empty) with the demo data. Idempotent: customers,
 * metrics and experiments are only created when their key is missing, assignments and events are keyed, so a
 * second run changes nothing; experiments already present keep their settings and start date.
 */
export async function seedDemo(prisma: PrismaService, now: Date): Promise<SeedReport> {
  const workspaceId = await firstWorkspace(prisma);
  const customers = demoCustomers(now);

  // Customers: only the missing ones, so edits made in the product survive a re-run.
  const existing = new Set(
    (
      await prisma.customer.findMany({
        where: { workspaceId, externalId: { startsWith: DEMO_EXTERNAL_ID_PREFIX } },
        select: { externalId: true },
      })
    ).map((c) => c.externalId),
  );
  const { patches, rejected } = prepareCustomers(customers.filter((c) => !existing.has(c.externalId)));
  if (rejected.length > 0) throw new Error(`demo customers invalid: ${JSON.stringify(rejected.slice(0, 3))}`);
  const { created: customersCreated } = await new CustomersRepository(prisma).upsert(
    workspaceId,
    patches,
    now,
  );

  const metricIds = new Map<string, string>();
  for (const m of DEMO_METRICS) {
    const metric = await prisma.metric.upsert({
      where: { workspaceId_key: { workspaceId, key: m.key } },
      update: {},
      create: { workspaceId, ...m, createdAt: now },
    });
    metricIds.set(m.key, metric.id);
  }

  const experimentsCreated: string[] = [];
  const started = DEMO_EXPERIMENTS.map((e) => new Date(now.getTime() - e.startedDaysAgo * DAY));
  const historyEnd = new Date(Math.min(...started.map((d) => d.getTime())));
  let events: DemoEvent[] = historyEvents(customers, historyEnd);
  let assignmentsCreated = 0;

  const stored = await prisma.customer.findMany({
    where: { workspaceId, externalId: { startsWith: DEMO_EXTERNAL_ID_PREFIX } },
  });
  for (const [i, design] of DEMO_EXPERIMENTS.entries()) {
    const { experiment, created } = await ensureExperiment(
      prisma,
      workspaceId,
      design,
      started[i] ?? now,
      metricIds,
    );
    if (created) experimentsCreated.push(design.key);
    const sdk = toSdkExperiment({
      key: experiment.key,
      kind: experiment.kind,
      seed: experiment.seed,
      hashVersion: experiment.hashVersion,
      coverage: experiment.coverage,
      targeting: experiment.targeting,
      variants: experiment.variants,
      namespace: null,
    });
    // The same decision POST /v1/assign would make, so the SDK and the server agree with the seeded data.
    const assigned = new Map<string, string>();
    for (const c of stored) {
      const d = decide(
        sdk,
        { externalId: c.externalId, attributes: customerAttributes(c) },
        { inGlobalHoldout: false },
      );
      if (d.kind === 'assigned') assigned.set(c.externalId, d.variantKey);
    }
    const variantIds = new Map(experiment.variants.map((v) => [v.key, v.id]));
    const customerIds = new Map(stored.map((c) => [c.externalId, c.id]));
    const startedAt = experiment.startedAt ?? started[i] ?? now;
    const result = await prisma.assignment.createMany({
      data: [...assigned].map(([externalId, variantKey]) => ({
        workspaceId,
        experimentId: experiment.id,
        customerId: customerIds.get(externalId) ?? '',
        variantId: variantIds.get(variantKey) ?? '',
        source: 'server' as const,
        assignedAt: startedAt,
      })),
      skipDuplicates: true,
    });
    assignmentsCreated += result.count;
    events = events.concat(experimentEvents(design, startedAt, assigned));
  }

  const eventsRepo = new EventsRepository(prisma);
  let eventsCreated = 0;
  for (let start = 0; start < events.length; start += EVENT_BATCH) {
    const batch = events.slice(start, start + EVENT_BATCH);
    const experiments = await eventsRepo.findExperiments(workspaceId, experimentKeysOf(batch));
    const prepared = prepareEvents(batch, experiments, now);
    if (prepared.rejected.length > 0) {
      throw new Error(`demo events invalid: ${JSON.stringify(prepared.rejected.slice(0, 3))}`);
    }
    eventsCreated += await eventsRepo.insertEvents(workspaceId, prepared.rows, now);
  }

  return { workspaceId, customersCreated, experimentsCreated, assignmentsCreated, eventsCreated };
}

/** The oldest workspace, as the first-run admin uses; created when the database has none. */
async function firstWorkspace(prisma: PrismaService): Promise<string> {
  const existing = await prisma.workspace.findFirst({ orderBy: { createdAt: 'asc' }, select: { id: true } });
  if (existing) return existing.id;
  const created = await prisma.workspace.create({
    data: { name: 'Liftlab', globalHoldoutSeed: randomBytes(8).toString('hex') },
    select: { id: true },
  });
  return created.id;
}

async function ensureExperiment(
  prisma: PrismaService,
  workspaceId: string,
  design: DemoExperiment,
  startedAt: Date,
  metricIds: ReadonlyMap<string, string>,
) {
  const include = { variants: { orderBy: { position: 'asc' } } } as const;
  const found = await prisma.experiment.findUnique({
    where: { workspaceId_key: { workspaceId, key: design.key } },
    include,
  });
  if (found) return { experiment: found, created: false };
  const experiment = await prisma.experiment.create({
    data: {
      workspaceId,
      key: design.key,
      name: design.name,
      kind: design.kind,
      hypothesis: design.hypothesis,
      status: 'running',
      seed: design.key,
      targeting: design.targeting,
      primaryMetricId: metricIds.get(design.metrics.find((m) => m.role === 'primary')?.key ?? '') ?? null,
      startedAt,
      frozenAt: startedAt,
      createdAt: new Date(startedAt.getTime() - 2 * DAY),
      variants: {
        create: design.variants.map((v, position) => ({ ...v, position })),
      },
      metrics: {
        create: design.metrics.map((m) => ({ metricId: metricIds.get(m.key) ?? '', role: m.role })),
      },
    },
    include,
  });
  return { experiment, created: true };
}
