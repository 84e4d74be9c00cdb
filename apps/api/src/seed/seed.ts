import { randomBytes } from 'node:crypto';
import {
  CampaignCreateSchema,
  SequenceCreateSchema,
  SignalRuleCreateSchema,
  type RoiVerdict,
  type ValueInterval,
} from '@liftlab/contracts';
import { AnalysisRepository } from '../analysis/analysis.repository';
import { AnalysisService } from '../analysis/analysis.service';
import { customerAttributes, decide, toSdkExperiment } from '../assignment/bucketing';
import { AuditRepository } from '../audit/audit.repository';
import { AuditService } from '../audit/audit.service';
import type { SystemActor } from '../auth/actor';
import { CampaignsRepository } from '../campaigns/campaigns.repository';
import { CampaignsService } from '../campaigns/campaigns.service';
import { ResultSnapshots } from '../campaigns/snapshots';
import { toCampaignView, toCostRow } from '../campaigns/views';
import type { Clock } from '../common/clock';
import { prepareCustomers } from '../customers/customer-rows';
import { CustomersRepository } from '../customers/customers.repository';
import { uuidv7 } from '../database/ids';
import type { PrismaService } from '../database/prisma.service';
import { experimentKeysOf, prepareEvents } from '../events/event-rows';
import { EventsRepository } from '../events/events.repository';
import { SequencesRepository } from '../sequences/sequences.repository';
import { SequencesService } from '../sequences/sequences.service';
import { SignalsRepository } from '../signals/signals.repository';
import { SignalsService } from '../signals/signals.service';
import {
  DEMO_CAMPAIGNS,
  DEMO_EXPERIMENTS,
  DEMO_EXTERNAL_ID_PREFIX,
  DEMO_METRICS,
  DEMO_PROGRAM_TARGETS,
  DEMO_SEQUENCE,
  DEMO_SIGNAL_RULES,
  demoCampaignBody,
  demoCustomers,
  experimentEvents,
  exposureTime,
  historyEvents,
  type DemoEvent,
  type DemoExperiment,
  type DemoExposure,
} from './demo-data';

const DAY = 86_400_000;
/** Events stored per statement. */
const EVENT_BATCH = 5_000;

export interface SeededCampaign {
  key: string;
  created: boolean;
  /** The headline (projected) verdict and ROI from the latest results; null when not measurable yet. */
  verdict: RoiVerdict | null;
  roi: ValueInterval | null;
}

export interface SeedReport {
  workspaceId: string;
  customersCreated: number;
  metricsCreated: string[];
  experimentsCreated: string[];
  assignmentsCreated: number;
  eventsCreated: number;
  /** Experiments whose results snapshot was computed by this run. */
  resultsComputed: string[];
  campaignsCreated: string[];
  campaigns: SeededCampaign[];
  /** The demo win-back sequence, when this run created and launched it, with its first enrollments. */
  sequencesCreated: string[];
  enrollmentsCreated: number;
  /** Demo health signal rules created by this run, and the signals their first evaluation opened. */
  signalRulesCreated: string[];
  signalsOpened: number;
}

/**
 * Fills the first workspace (creating it when the database is empty) with the demo data, computes the first
 * results of its experiments and the campaigns' verdicts, so every page has numbers right away.
 *
 * Idempotent: customers, metrics, experiments, campaigns and program targets are only created when their key
 * is missing; assignments and events are keyed; results are only computed for an experiment that has none yet
 * or got new data. A second run changes nothing; what already exists keeps its settings and start date.
 */
export async function seedDemo(prisma: PrismaService, now: Date): Promise<SeedReport> {
  const workspaceId = await firstWorkspace(prisma);
  const clock: Clock = { now: () => now };
  const audit = new AuditService(new AuditRepository(prisma), clock);
  const actor: SystemActor = { type: 'system', id: 'seed', workspaceId };

  // Customers: only the missing ones, so edits made in the product survive a re-run.
  const existing = new Set(
    (
      await prisma.customer.findMany({
        where: { workspaceId, externalId: { startsWith: DEMO_EXTERNAL_ID_PREFIX } },
        select: { externalId: true },
      })
    ).map((c) => c.externalId),
  );
  const { patches, rejected } = prepareCustomers(
    demoCustomers(now).filter((c) => !existing.has(c.externalId)),
  );
  if (rejected.length > 0) throw new Error(`demo customers invalid: ${JSON.stringify(rejected.slice(0, 3))}`);
  const { created: customersCreated } = await new CustomersRepository(prisma).upsert(
    workspaceId,
    patches,
    now,
  );

  const metricIds = new Map<string, string>();
  const metricsCreated: string[] = [];
  for (const m of DEMO_METRICS) {
    const found = await prisma.metric.findUnique({ where: { workspaceId_key: { workspaceId, key: m.key } } });
    const metric = found ?? (await prisma.metric.create({ data: { workspaceId, ...m, createdAt: now } }));
    if (!found) metricsCreated.push(m.key);
    metricIds.set(m.key, metric.id);
  }

  const stored = await prisma.customer.findMany({
    where: { workspaceId, externalId: { startsWith: DEMO_EXTERNAL_ID_PREFIX } },
    orderBy: { externalId: 'asc' },
  });
  const customerIds = new Map(stored.map((c) => [c.externalId, c.id]));

  const experimentsCreated: string[] = [];
  const experiments: { design: DemoExperiment; id: string; startedAt: Date; assignmentsCreated: number }[] =
    [];
  const eventGroups: { experimentKey: string | null; events: DemoEvent[] }[] = [];
  for (const design of DEMO_EXPERIMENTS) {
    const { experiment, created } = await ensureExperiment(
      prisma,
      workspaceId,
      design,
      new Date(now.getTime() - design.startedDaysAgo * DAY),
      metricIds,
    );
    if (created) experimentsCreated.push(design.key);
    const startedAt = experiment.startedAt ?? new Date(now.getTime() - design.startedDaysAgo * DAY);
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
    // The same decision POST /v1/assign would make, so the SDK and the server agree with the seeded data; the
    // customer is assigned when first exposed, which is when the analysis counts them in.
    const exposures = new Map<string, DemoExposure>();
    for (const c of stored) {
      const d = decide(
        sdk,
        { externalId: c.externalId, attributes: customerAttributes(c) },
        { inGlobalHoldout: false },
      );
      if (d.kind !== 'assigned') continue;
      const exposedAt = exposureTime(design, startedAt, c);
      if (exposedAt) exposures.set(c.externalId, { variantKey: d.variantKey, exposedAt });
    }
    const variantIds = new Map(experiment.variants.map((v) => [v.key, v.id]));
    const assignmentsCreated = await insertAssignments(
      prisma,
      workspaceId,
      experiment.id,
      [...exposures].map(([externalId, e]) => ({
        customerId: customerIds.get(externalId) ?? '',
        variantId: variantIds.get(e.variantKey) ?? '',
        assignedAt: e.exposedAt,
      })),
      now,
    );
    experiments.push({ design, id: experiment.id, startedAt, assignmentsCreated });
    // Data ends at the moment the experiment was seeded (its start + startedDaysAgo), so a later run
    // regenerates exactly the same events.
    const until = new Date(Math.min(now.getTime(), startedAt.getTime() + design.startedDaysAgo * DAY));
    eventGroups.push({ experimentKey: design.key, events: experimentEvents(design, exposures, until) });
  }
  const historyEnd = new Date(Math.min(...experiments.map((e) => e.startedAt.getTime())));
  eventGroups.unshift({ experimentKey: null, events: historyEvents(stored, historyEnd) });

  const eventsRepo = new EventsRepository(prisma);
  const eventsByExperiment = new Map<string | null, number>();
  for (const group of eventGroups) {
    let added = 0;
    for (let start = 0; start < group.events.length; start += EVENT_BATCH) {
      const batch = group.events.slice(start, start + EVENT_BATCH);
      const found = await eventsRepo.findExperiments(workspaceId, experimentKeysOf(batch));
      const prepared = prepareEvents(batch, found, now);
      if (prepared.rejected.length > 0) {
        throw new Error(`demo events invalid: ${JSON.stringify(prepared.rejected.slice(0, 3))}`);
      }
      added += await eventsRepo.insertEvents(workspaceId, prepared.rows, now);
    }
    eventsByExperiment.set(group.experimentKey, added);
  }
  const eventsCreated = [...eventsByExperiment.values()].reduce((a, b) => a + b, 0);

  // Results: computed now, as the scheduled refresh would, for experiments without results or with new data.
  const analysis = new AnalysisService(new AnalysisRepository(prisma), audit, clock);
  const resultsComputed: string[] = [];
  for (const e of experiments) {
    const fresh =
      e.assignmentsCreated > 0 ||
      (eventsByExperiment.get(e.design.key) ?? 0) > 0 ||
      (eventsByExperiment.get(null) ?? 0) > 0;
    if (!fresh && (await analysis.latestSnapshot(e.id))) continue;
    await analysis.refreshExperiment(e.id, now, 'manual', workspaceId);
    resultsComputed.push(e.design.key);
  }

  // Campaigns around the experiments, through the campaigns module's own repository and ledger rules.
  const campaignsRepo = new CampaignsRepository(prisma);
  const snapshots: ResultSnapshots = { latest: (_ws, experimentId) => analysis.latestSnapshot(experimentId) };
  const campaigns = new CampaignsService(campaignsRepo, audit, snapshots, clock);
  const base = await prisma.customer.count({ where: { workspaceId } });
  const campaignsCreated: string[] = [];
  for (const demo of DEMO_CAMPAIGNS) {
    if (await campaignsRepo.keyExists(workspaceId, demo.key)) continue;
    const experiment = experiments.find((e) => e.design.key === demo.experimentKey);
    if (!experiment) throw new Error(`demo campaign ${demo.key}: experiment ${demo.experimentKey} missing`);
    const touched = await prisma.assignment.count({
      where: { experimentId: experiment.id, variant: { key: demo.variantKey } },
    });
    const body = CampaignCreateSchema.parse(demoCampaignBody(demo, experiment.id, touched, base));
    await campaignsRepo.transaction(async (tx) => {
      const created = await campaignsRepo.create(
        workspaceId,
        {
          key: body.key,
          name: body.name,
          programKey: body.programKey,
          experimentId: body.experimentId,
          variantKey: body.variantKey ?? null,
          horizonMonths: body.horizonMonths,
          annualDiscountRate: body.annualDiscountRate,
          marginUpsell: body.grossMargins.upsell,
          marginCrossSell: body.grossMargins.cross_sell,
          marginRetention: body.grossMargins.retention,
          marginOther: body.grossMargins.other,
          acquisitionCostPerCustomer: body.acquisitionCostPerCustomer ?? null,
          startsOn: null,
        },
        body.costs.map(toCostRow),
        tx,
      );
      const view = toCampaignView(created, await campaignsRepo.experiment(workspaceId, experiment.id, tx));
      await audit.record(actor, 'campaign.create', { type: 'campaign', id: created.id }, undefined, view, {
        tx,
      });
    });
    campaignsCreated.push(demo.key);
  }
  for (const target of DEMO_PROGRAM_TARGETS) {
    if (await campaignsRepo.findTarget(workspaceId, target.programKey)) continue;
    const values = { targetRoi: target.targetRoi, sectorReferenceRoi: null, sectorReferenceSource: null };
    await campaignsRepo.upsertTarget(workspaceId, target.programKey, values, now);
    await audit.record(
      actor,
      'program.targets.update',
      { type: 'program', id: target.programKey },
      undefined,
      values,
    );
  }
  // The campaign list shows the last recorded verdict; record it now rather than at the next scheduled run.
  if (campaignsCreated.length > 0 || resultsComputed.length > 0) await campaigns.recordVerdicts(now);

  // The win-back sequence, created and launched through its own service so it gets its holdout experiment.
  const sequencesRepo = new SequencesRepository(prisma);
  const sequencesCreated: string[] = [];
  let enrollmentsCreated = 0;
  if (!(await sequencesRepo.keyExists(workspaceId, DEMO_SEQUENCE.key))) {
    const sequences = new SequencesService(sequencesRepo, audit, clock);
    const created = await sequences.create(actor, SequenceCreateSchema.parse(DEMO_SEQUENCE));
    enrollmentsCreated = (await sequences.launch(actor, created.id)).run.enrolled;
    sequencesCreated.push(DEMO_SEQUENCE.key);
  }

  // Health signal rules (after the sequence their enroll intervention names), evaluated once when created so the
  // signals board has something to show.
  const signalsRepo = new SignalsRepository(prisma);
  const signals = new SignalsService(
    signalsRepo,
    audit,
    {
      enroll: (ws, sequenceId, customerIds, at) =>
        new SequencesService(sequencesRepo, audit, clock).enrollCustomers(ws, sequenceId, customerIds, at),
    },
    clock,
  );
  const signalRulesCreated: string[] = [];
  for (const demo of DEMO_SIGNAL_RULES) {
    if (await signalsRepo.keyExists(workspaceId, demo.key)) continue;
    await signals.createRule(actor, SignalRuleCreateSchema.parse(demo));
    signalRulesCreated.push(demo.key);
  }
  const signalsOpened =
    signalRulesCreated.length > 0
      ? (await signals.evaluate(now)).results.reduce((s, r) => s + r.opened, 0)
      : 0;

  const demoKeys = new Set(DEMO_CAMPAIGNS.map((c) => c.key));
  const evaluations = await campaigns.evaluateAll(
    workspaceId,
    (await campaignsRepo.all(workspaceId)).filter((c) => demoKeys.has(c.key)),
  );

  return {
    workspaceId,
    customersCreated,
    metricsCreated,
    experimentsCreated,
    assignmentsCreated: experiments.reduce((s, e) => s + e.assignmentsCreated, 0),
    eventsCreated,
    resultsComputed,
    campaignsCreated,
    sequencesCreated,
    enrollmentsCreated,
    signalRulesCreated,
    signalsOpened,
    campaigns: evaluations.map((e) => ({
      key: e.campaign.key,
      created: campaignsCreated.includes(e.campaign.key),
      verdict: e.computation?.projected.verdict ?? null,
      roi: e.computation?.projected.roi ?? null,
    })),
  };
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

/**
 * Server assignments in one statement (thousands of rows; Prisma's createMany binds a parameter per value).
 * A customer already assigned keeps the stored assignment. Returns how many were added.
 */
async function insertAssignments(
  prisma: PrismaService,
  workspaceId: string,
  experimentId: string,
  rows: { customerId: string; variantId: string; assignedAt: Date }[],
  now: Date,
): Promise<number> {
  if (rows.length === 0) return 0;
  const input = JSON.stringify(rows.map((r) => ({ ...r, id: uuidv7(now.getTime()) })));
  return prisma.$executeRaw`
    INSERT INTO assignments (id, workspace_id, experiment_id, customer_id, variant_id, assigned_at, source)
    SELECT r.id, ${workspaceId}::uuid, ${experimentId}::uuid, r."customerId", r."variantId", r."assignedAt",
           'server'
      FROM jsonb_to_recordset(${input}::jsonb)
           AS r(id uuid, "customerId" uuid, "variantId" uuid, "assignedAt" timestamptz)
    ON CONFLICT (experiment_id, customer_id) DO NOTHING`;
}
