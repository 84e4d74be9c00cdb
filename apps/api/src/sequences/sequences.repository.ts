import { Injectable } from '@nestjs/common';
import type { AudienceRules, TargetingRule } from '@liftlab/contracts';
import { PrismaService } from '../database/prisma.service';
import { uuidv7 } from '../database/ids';
import { Prisma } from '../generated/prisma/client';
import type { EnrollmentPlan, HoldoutVariantRow } from './audience';

export type Db = PrismaService | Prisma.TransactionClient;

const sequenceInclude = {
  touches: { orderBy: { position: 'asc' }, include: { offer: { select: { key: true } } } },
} satisfies Prisma.SequenceInclude;

export type SequenceRecord = Prisma.SequenceGetPayload<{ include: typeof sequenceInclude }>;
export type EnrollmentRecord = Prisma.EnrollmentGetPayload<object>;

export interface SequenceRow {
  key: string;
  name: string;
  audience: Prisma.InputJsonValue;
  holdoutPercent: number;
  maxEnrollmentsPerRun: number | null;
  reentryDays: number;
  exitEventTypes: string[];
  measurementDays: number;
}

export interface TouchRow {
  position: number;
  delayDays: number;
  channel: 'email' | 'in_app' | 'webhook' | 'call_task';
  conditions: Prisma.InputJsonValue;
  content: Prisma.InputJsonValue;
  offerId: string | null;
}

export interface EnrollmentCountRow {
  sequenceId: string;
  total: number;
  treated: number;
  holdout: number;
  active: number;
  completed: number;
  exited: number;
}

/** What an audience query needs besides the rules: when, for which sequence, and optionally for whom. */
export interface AudienceQuery {
  workspaceId: string;
  rules: AudienceRules;
  now: Date;
  /** Window bounds on the last activity (see inactivityBounds). */
  latest: Date;
  earliestExclusive: Date;
  /** Messages sent after this instant count as recent contact; null turns the exclusion off. */
  contactedSince: Date | null;
  /** The sequence being planned (its own re-entry period applies); null for a preview of unsaved rules. */
  sequenceId: string | null;
  reentrySince: Date | null;
  /**
   * Health-signal interventions: exactly these customers, whatever their activity (the audience's window,
   * spend, segment and condition rules do not apply; the exclusions do).
   */
  customerIds?: string[];
}

export interface AudienceCounts {
  matched: number;
  suppressed: number;
  unsubscribed: number;
  recentlyContacted: number;
  globalHoldout: number;
  alreadyEnrolled: number;
  eligible: number;
  sample: {
    customerId: string;
    externalId: string;
    segment: string | null;
    priorSpend: number;
    lastActivityAt: Date;
  }[];
}

export interface AudienceCandidate {
  customerId: string;
  externalId: string;
  priorSpend: number;
  /** Null only for intervention customers without any activity event. */
  lastActivityAt: Date | null;
  /** No global-holdout decision stored yet. */
  undecided: boolean;
}

export interface HoldoutExperimentRow {
  key: string;
  name: string;
  seed: string;
  variants: HoldoutVariantRow[];
}

const ENROLL_CHUNK = 10_000;
/**
 * Settings of the planning transaction only. Planning groups every event of the workspace by customer: with
 * the default work_mem (4 MB) the hash aggregate of a large base spills to disk many times over, and PostgreSQL
 * then prefers walking the (workspace, customer, occurred_at) index in customer order, one random heap read
 * per event (measured: 56 s of a 80 s plan on 3M events). Without plain index scans it reads the workspace's
 * events with a bitmap scan in physical order and hash-aggregates them in memory; index-only and bitmap probes
 * for the exclusions stay available.
 */
const PLANNING_SETTINGS = ["SET LOCAL work_mem = '128MB'", 'SET LOCAL enable_indexscan = off'];

/** Interactive transactions default to 5 s; an audience run over a large base takes longer. */
const RUN_TRANSACTION = { maxWait: 30_000, timeout: 15 * 60_000 };

/** The only place sequences, touches, enrollments and audience planning touch the database. */
@Injectable()
export class SequencesRepository {
  constructor(readonly prisma: PrismaService) {}

  transaction<T>(fn: (tx: Prisma.TransactionClient) => Promise<T>, long = false): Promise<T> {
    return long ? this.prisma.$transaction(fn, RUN_TRANSACTION) : this.prisma.$transaction(fn);
  }

  findById(workspaceId: string, id: string, db: Db = this.prisma): Promise<SequenceRecord | null> {
    return db.sequence.findFirst({ where: { id, workspaceId }, include: sequenceInclude });
  }

  keyExists(workspaceId: string, key: string, db: Db = this.prisma): Promise<boolean> {
    return db.sequence.count({ where: { workspaceId, key } }).then((n) => n > 0);
  }

  experimentKeyTaken(workspaceId: string, key: string, db: Db): Promise<boolean> {
    return db.experiment.count({ where: { workspaceId, key } }).then((n) => n > 0);
  }

  /** Newest first; `cursor` is the id of the last sequence of the previous page (ids are time-ordered). */
  list(
    workspaceId: string,
    filter: { status?: SequenceRecord['status'] | undefined },
    limit: number,
    cursor?: string,
  ): Promise<SequenceRecord[]> {
    return this.prisma.sequence.findMany({
      where: {
        workspaceId,
        ...(filter.status ? { status: filter.status } : {}),
        ...(cursor ? { id: { lt: cursor } } : {}),
      },
      orderBy: { id: 'desc' },
      take: limit,
      include: sequenceInclude,
    });
  }

  /** Running sequences of every workspace, for the scheduled audience runs. */
  running(): Promise<{ id: string; workspaceId: string }[]> {
    return this.prisma.sequence.findMany({
      where: { status: 'running' },
      select: { id: true, workspaceId: true },
      orderBy: { id: 'asc' },
    });
  }

  async create(
    workspaceId: string,
    row: SequenceRow,
    touches: TouchRow[],
    now: Date,
    db: Db,
  ): Promise<SequenceRecord> {
    const created = await db.sequence.create({
      data: { workspaceId, ...row, createdAt: now, updatedAt: now, touches: { create: touches } },
    });
    return (await this.findById(workspaceId, created.id, db))!;
  }

  async update(
    workspaceId: string,
    id: string,
    data: Prisma.SequenceUncheckedUpdateInput,
    db: Db,
  ): Promise<SequenceRecord> {
    await db.sequence.update({ where: { id }, data });
    return (await this.findById(workspaceId, id, db))!;
  }

  async remove(id: string, db: Db): Promise<void> {
    await db.sequence.delete({ where: { id } });
  }

  async markAudienceRun(id: string, now: Date, db: Db): Promise<void> {
    await db.sequence.update({ where: { id }, data: { lastAudienceRunAt: now } });
  }

  /** Draft sequences: the touch list is replaced as a whole. */
  async replaceTouches(sequenceId: string, touches: TouchRow[], db: Db): Promise<void> {
    await db.sequenceTouch.deleteMany({ where: { sequenceId } });
    await db.sequenceTouch.createMany({ data: touches.map((t) => ({ ...t, sequenceId })) });
  }

  /** Launched sequences: touches keep their ids (messages point at them); only their settings change. */
  async updateTouchesInPlace(sequenceId: string, touches: TouchRow[], db: Db): Promise<void> {
    for (const t of touches) {
      await db.sequenceTouch.update({
        where: { sequenceId_position: { sequenceId, position: t.position } },
        data: { delayDays: t.delayDays, conditions: t.conditions, content: t.content, offerId: t.offerId },
      });
    }
  }

  async offerIds(workspaceId: string, keys: string[], db: Db = this.prisma): Promise<Map<string, string>> {
    if (keys.length === 0) return new Map();
    const rows = await db.offer.findMany({
      where: { workspaceId, key: { in: keys } },
      select: { id: true, key: true },
    });
    return new Map(rows.map((r) => [r.key, r.id]));
  }

  async experimentKeys(ids: string[], db: Db = this.prisma): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await db.experiment.findMany({
      where: { id: { in: ids } },
      select: { id: true, key: true },
    });
    return new Map(rows.map((r) => [r.id, r.key]));
  }

  async enrollmentCounts(
    sequenceIds: string[],
    db: Db = this.prisma,
  ): Promise<Map<string, EnrollmentCountRow>> {
    if (sequenceIds.length === 0) return new Map();
    const rows = await db.$queryRaw<EnrollmentCountRow[]>`
      SELECT sequence_id AS "sequenceId",
             count(*)::int AS total,
             count(*) FILTER (WHERE arm = 'treated')::int AS treated,
             count(*) FILTER (WHERE arm = 'holdout')::int AS holdout,
             count(*) FILTER (WHERE status = 'active')::int AS active,
             count(*) FILTER (WHERE status = 'completed')::int AS completed,
             count(*) FILTER (WHERE status = 'exited')::int AS exited
        FROM enrollments
       WHERE sequence_id = ANY(${sequenceIds}::uuid[])
       GROUP BY sequence_id`;
    return new Map(rows.map((r) => [r.sequenceId, r]));
  }

  /** Serialises audience runs of one sequence (scheduler, launch and interventions on several instances). */
  async lockSequence(id: string, db: Prisma.TransactionClient): Promise<void> {
    await db.$queryRaw`SELECT id FROM sequences WHERE id = ${id}::uuid FOR UPDATE`;
  }

  /** The holdout experiment of a launch: running, coverage 0 (see decideArm), its two arms. */
  async createHoldoutExperiment(
    workspaceId: string,
    row: HoldoutExperimentRow,
    now: Date,
    db: Db,
  ): Promise<{ id: string; variants: { id: string; key: string; weight: number; position: number }[] }> {
    const created = await db.experiment.create({
      data: {
        workspaceId,
        key: row.key,
        name: row.name,
        kind: 'holdout',
        hypothesis: 'The win-back sequence reactivates more customers than no contact.',
        status: 'running',
        seed: row.seed,
        coverage: 0,
        startedAt: now,
        frozenAt: now,
        createdAt: now,
        updatedAt: now,
        variants: { create: row.variants },
      },
      include: { variants: { orderBy: { position: 'asc' } } },
    });
    return { id: created.id, variants: created.variants };
  }

  holdoutExperiment(experimentId: string, db: Db = this.prisma) {
    return db.experiment.findUnique({
      where: { id: experimentId },
      select: {
        id: true,
        key: true,
        seed: true,
        hashVersion: true,
        variants: { select: { id: true, key: true, weight: true, position: true } },
      },
    });
  }

  globalHoldoutSettings(workspaceId: string, db: Db = this.prisma) {
    return db.workspace.findUnique({
      where: { id: workspaceId },
      select: { globalHoldoutPercent: true, globalHoldoutSeed: true },
    });
  }

  async saveGlobalHoldoutDecisions(
    workspaceId: string,
    decisions: { customerId: string; inHoldout: boolean }[],
    now: Date,
    db: Db,
  ): Promise<void> {
    // One statement with array parameters: createMany binds four parameters per row and is far slower here.
    for (let i = 0; i < decisions.length; i += ENROLL_CHUNK) {
      const chunk = decisions.slice(i, i + ENROLL_CHUNK);
      await db.$executeRaw`
        INSERT INTO global_holdout_members (workspace_id, customer_id, in_holdout, decided_at)
        SELECT ${workspaceId}::uuid, x.customer_id, x.in_holdout, ${now}
          FROM unnest(${chunk.map((d) => d.customerId)}::uuid[], ${chunk.map((d) => d.inHoldout)}::boolean[])
               AS x(customer_id, in_holdout)
        ON CONFLICT (workspace_id, customer_id) DO NOTHING`;
    }
  }

  // ------------------------------------------------------------------------------------------------------------
  // Audience planning

  /** Counts by exclusion reason and the top of the priority order, in one statement. */
  async audienceCounts(q: AudienceQuery, sampleSize: number, db: Db = this.prisma): Promise<AudienceCounts> {
    const rows = await this.withPlanningSettings(
      db,
      (tx) => tx.$queryRaw<
        {
          matched: number;
          suppressed: number;
          unsubscribed: number;
          recently_contacted: number;
          global_holdout: number;
          already_enrolled: number;
          eligible: number;
          sample: {
            id: string;
            external_id: string;
            segment: string | null;
            spend: number;
            last_at: string;
          }[];
        }[]
      >`${audienceCtes(q)},
      top AS (
        SELECT id, external_id, segment, spend, last_at FROM flagged
         WHERE excluded_by IS NULL
         ORDER BY spend DESC, last_at DESC, id
         LIMIT ${sampleSize}
      )
      SELECT count(*)::int AS matched,
             count(*) FILTER (WHERE excluded_by = 'suppressed')::int AS suppressed,
             count(*) FILTER (WHERE excluded_by = 'unsubscribed')::int AS unsubscribed,
             count(*) FILTER (WHERE excluded_by = 'recently_contacted')::int AS recently_contacted,
             count(*) FILTER (WHERE excluded_by = 'global_holdout')::int AS global_holdout,
             count(*) FILTER (WHERE excluded_by = 'already_enrolled')::int AS already_enrolled,
             count(*) FILTER (WHERE excluded_by IS NULL)::int AS eligible,
             (SELECT coalesce(json_agg(top ORDER BY top.spend DESC, top.last_at DESC, top.id), '[]'::json) FROM top)
               AS sample
        FROM flagged`,
    );
    const r = rows[0]!;
    return {
      matched: r.matched,
      suppressed: r.suppressed,
      unsubscribed: r.unsubscribed,
      recentlyContacted: r.recently_contacted,
      globalHoldout: r.global_holdout,
      alreadyEnrolled: r.already_enrolled,
      eligible: r.eligible,
      sample: r.sample.map((s) => ({
        customerId: s.id,
        externalId: s.external_id,
        segment: s.segment,
        priorSpend: Number(s.spend),
        lastActivityAt: new Date(s.last_at),
      })),
    };
  }

  /** Eligible customers in priority order (highest prior spend first), at most `limit` of them. */
  async audienceCandidates(
    q: AudienceQuery,
    limit: number | null,
    db: Db = this.prisma,
  ): Promise<AudienceCandidate[]> {
    const rows = await this.withPlanningSettings(
      db,
      (tx) => tx.$queryRaw<
        { id: string; external_id: string; spend: number; last_at: Date | null; undecided: boolean }[]
      >`${audienceCtes(q)}
      SELECT id, external_id, spend, last_at, undecided FROM flagged
       WHERE excluded_by IS NULL
       ORDER BY spend DESC, last_at DESC NULLS LAST, id
       ${limit === null ? Prisma.empty : Prisma.sql`LIMIT ${limit}`}`,
    );
    return rows.map((r) => ({
      customerId: r.id,
      externalId: r.external_id,
      priorSpend: Number(r.spend),
      lastActivityAt: r.last_at === null ? null : new Date(r.last_at),
      undecided: r.undecided,
    }));
  }

  /** Runs `fn` under the planning settings: in the caller's transaction, else in a transaction of its own. */
  async withPlanningSettings<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
    const raise = async (tx: Db) => {
      for (const setting of PLANNING_SETTINGS) await tx.$executeRawUnsafe(setting);
    };
    if (db !== this.prisma) {
      await raise(db);
      return fn(db);
    }
    return this.prisma.$transaction(async (tx) => {
      await raise(tx);
      return fn(tx);
    }, RUN_TRANSACTION);
  }

  /**
   * Writes the enrollments and their assignments on the holdout experiment, in the caller's transaction.
   * The re-entry number is one more than the customer's last enrollment in this sequence; the unique key
   * (sequence, customer, re-entry) makes a concurrent duplicate a no-op. A customer re-entering keeps the
   * assignment of their first enrollment (the same arm, since the hash is deterministic).
   */
  async insertEnrollments(
    workspaceId: string,
    sequenceId: string,
    experimentId: string,
    variantIds: { holdout: string; treated: string },
    plans: EnrollmentPlan[],
    now: Date,
    db: Db,
  ): Promise<{ customerId: string; arm: 'treated' | 'holdout' }[]> {
    const inserted: { customerId: string; arm: 'treated' | 'holdout' }[] = [];
    for (let i = 0; i < plans.length; i += ENROLL_CHUNK) {
      const chunk = plans.slice(i, i + ENROLL_CHUNK);
      const rows = await db.$queryRaw<{ customer_id: string; arm: 'treated' | 'holdout' }[]>`
        INSERT INTO enrollments (id, workspace_id, sequence_id, customer_id, reentry, arm, status, enrolled_at,
                                 prior_spend, days_inactive, next_position, next_due_at)
        SELECT x.id, ${workspaceId}::uuid, ${sequenceId}::uuid, x.customer_id,
               coalesce((SELECT max(e.reentry) + 1 FROM enrollments e
                          WHERE e.sequence_id = ${sequenceId}::uuid AND e.customer_id = x.customer_id), 0),
               x.arm::enrollment_arm, x.status::enrollment_status, ${now},
               x.prior_spend, x.days_inactive, x.next_position, x.next_due_at
          FROM unnest(${chunk.map(() => uuidv7(now.getTime()))}::uuid[],
                      ${chunk.map((p) => p.customerId)}::uuid[],
                      ${chunk.map((p) => p.arm)}::text[],
                      ${chunk.map((p) => p.status)}::text[],
                      ${chunk.map((p) => p.priorSpend)}::float8[],
                      ${chunk.map((p) => p.daysInactive)}::int[],
                      ${chunk.map((p) => p.nextPosition)}::int[],
                      ${chunk.map((p) => p.nextDueAt?.toISOString() ?? null)}::timestamptz[])
               AS x(id, customer_id, arm, status, prior_spend, days_inactive, next_position, next_due_at)
        ON CONFLICT (sequence_id, customer_id, reentry) DO NOTHING
        RETURNING customer_id, arm::text AS arm`;
      if (rows.length === 0) continue;
      await db.$executeRaw`
        INSERT INTO assignments (id, workspace_id, experiment_id, customer_id, variant_id, assigned_at, source)
        SELECT x.id, ${workspaceId}::uuid, ${experimentId}::uuid, x.customer_id,
               CASE x.arm WHEN 'holdout' THEN ${variantIds.holdout}::uuid ELSE ${variantIds.treated}::uuid END,
               ${now}, 'server'::assignment_source
          FROM unnest(${rows.map(() => uuidv7(now.getTime()))}::uuid[],
                      ${rows.map((r) => r.customer_id)}::uuid[],
                      ${rows.map((r) => r.arm)}::text[]) AS x(id, customer_id, arm)
        ON CONFLICT (experiment_id, customer_id) DO NOTHING`;
      inserted.push(...rows.map((r) => ({ customerId: r.customer_id, arm: r.arm })));
    }
    return inserted;
  }

  // ------------------------------------------------------------------------------------------------------------
  // Enrollments

  /** Newest first; `cursor` is the id of the last enrollment of the previous page (ids are time-ordered). */
  listEnrollments(
    sequenceId: string,
    filter: { arm?: 'treated' | 'holdout' | undefined; status?: EnrollmentRecord['status'] | undefined },
    limit: number,
    cursor?: string,
  ): Promise<(EnrollmentRecord & { externalId: string })[]> {
    return this.prisma.$queryRaw<(EnrollmentRecord & { externalId: string })[]>`
      SELECT e.id, e.workspace_id AS "workspaceId", e.sequence_id AS "sequenceId", e.customer_id AS "customerId",
             c.external_id AS "externalId", e.reentry, e.arm::text AS arm, e.status::text AS status,
             e.enrolled_at AS "enrolledAt", e.prior_spend AS "priorSpend", e.days_inactive AS "daysInactive",
             e.next_position AS "nextPosition", e.next_due_at AS "nextDueAt", e.exited_at AS "exitedAt",
             e.exit_reason AS "exitReason", e.completed_at AS "completedAt"
        FROM enrollments e JOIN customers c ON c.id = e.customer_id
       WHERE e.sequence_id = ${sequenceId}::uuid
         ${filter.arm ? Prisma.sql`AND e.arm = ${filter.arm}::enrollment_arm` : Prisma.empty}
         ${filter.status ? Prisma.sql`AND e.status = ${filter.status}::enrollment_status` : Prisma.empty}
         ${cursor ? Prisma.sql`AND e.id < ${cursor}::uuid` : Prisma.empty}
       ORDER BY e.id DESC
       LIMIT ${limit}`;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Audience SQL

/**
 * The audience as CTEs ending in `flagged`: every customer matching the window, spend, segment and condition
 * rules, with the first exclusion reason that applies (null = eligible) and whether their global-holdout
 * membership is still undecided. Last activity and prior spend come from one pass over the customer's
 * order / activity / conversion events.
 */
export function audienceCtes(q: AudienceQuery): Prisma.Sql {
  const ws = q.workspaceId;
  const r = q.rules;
  const only = q.customerIds ? Prisma.sql`AND e.customer_id = ANY(${q.customerIds}::uuid[])` : Prisma.empty;
  const segments =
    r.segments.length > 0 ? Prisma.sql`AND c.segment = ANY(${r.segments}::text[])` : Prisma.empty;
  const conditions =
    r.conditions.length > 0
      ? Prisma.join(
          r.conditions.map((rule) => Prisma.sql`AND ${conditionSql(rule)}`),
          ' ',
        )
      : Prisma.empty;
  const onlyIn = (column: Prisma.Sql) =>
    q.customerIds ? Prisma.sql`AND ${column} = ANY(${q.customerIds}::uuid[])` : Prisma.empty;
  // Exclusion sets as relations rather than per-row EXISTS probes, so a large audience can hash-join them.
  const contactedCte = q.contactedSince
    ? Prisma.sql`contacted AS (
        SELECT DISTINCT msg.customer_id FROM messages msg
         WHERE msg.workspace_id = ${ws}::uuid AND msg.sent_at > ${q.contactedSince} ${onlyIn(Prisma.sql`msg.customer_id`)}
      ),`
    : Prisma.sql`contacted AS (SELECT NULL::uuid AS customer_id WHERE false),`;
  const globalHoldout = r.excludeGlobalHoldout
    ? Prisma.sql`WHEN g.in_holdout THEN 'global_holdout'`
    : Prisma.empty;
  const sameSequence =
    q.sequenceId && q.reentrySince
      ? Prisma.sql`OR (en.sequence_id = ${q.sequenceId}::uuid AND en.enrolled_at > ${q.reentrySince})`
      : Prisma.empty;
  return Prisma.sql`
    WITH activity AS (
      SELECT e.customer_id, max(e.occurred_at) AS last_at,
             coalesce(sum(e.amount) FILTER (WHERE e.type = 'order'), 0)::float8 AS spend
        FROM events e
       WHERE e.workspace_id = ${ws}::uuid AND e.type IN ('order', 'activity', 'conversion') ${only}
       GROUP BY e.customer_id
    ),
    matched AS (${
      q.customerIds
        ? Prisma.sql`
      SELECT c.id, c.external_id, c.segment, a.last_at, coalesce(a.spend, 0)::float8 AS spend
        FROM customers c LEFT JOIN activity a ON a.customer_id = c.id
       WHERE c.workspace_id = ${ws}::uuid AND c.id = ANY(${q.customerIds}::uuid[])`
        : Prisma.sql`
      SELECT c.id, c.external_id, c.segment, a.last_at, a.spend
        FROM activity a JOIN customers c ON c.id = a.customer_id
       WHERE a.last_at <= ${q.latest} AND a.last_at > ${q.earliestExclusive}
         AND a.spend >= ${r.minPriorSpend}::float8
         ${segments}
         ${conditions}`
    }
    ),
    ${contactedCte}
    enrolled AS (
      SELECT DISTINCT en.customer_id
        FROM enrollments en JOIN sequences sq ON sq.id = en.sequence_id
       WHERE en.workspace_id = ${ws}::uuid ${onlyIn(Prisma.sql`en.customer_id`)}
         AND (en.status = 'active'
              OR (en.status = 'holdout'
                  AND en.enrolled_at > ${q.now}::timestamptz - make_interval(days => sq.measurement_days))
              ${sameSequence})
    ),
    flagged AS (
      SELECT m.*,
             CASE
               WHEN s.reason IS NOT NULL AND s.reason <> 'unsubscribe' THEN 'suppressed'
               WHEN s.reason = 'unsubscribe' THEN 'unsubscribed'
               WHEN ct.customer_id IS NOT NULL THEN 'recently_contacted'
               ${globalHoldout}
               WHEN en.customer_id IS NOT NULL THEN 'already_enrolled'
             END AS excluded_by,
             g.customer_id IS NULL AS undecided
        FROM matched m
        LEFT JOIN suppressions s ON s.workspace_id = ${ws}::uuid AND s.customer_id = m.id
        LEFT JOIN global_holdout_members g ON g.workspace_id = ${ws}::uuid AND g.customer_id = m.id
        LEFT JOIN contacted ct ON ct.customer_id = m.id
        LEFT JOIN enrolled en ON en.customer_id = m.id
    )`;
}

// Targeting rules in SQL, with the semantics of @liftlab/sdk's matchesTargeting (checked against it by the
// integration tests): missing values are absent, arrays match when any element does, numbers equal their
// decimal strings, and comparisons are numeric when both sides are numbers, else lexicographic.

const COLUMNS: Record<string, Prisma.Sql> = {
  externalId: Prisma.sql`to_jsonb(c.external_id)`,
  segment: Prisma.sql`to_jsonb(c.segment)`,
  plan: Prisma.sql`to_jsonb(c.plan)`,
  country: Prisma.sql`to_jsonb(c.country)`,
  timezone: Prisma.sql`to_jsonb(c.timezone)`,
  acquisitionChannel: Prisma.sql`to_jsonb(c.acquisition_channel)`,
  acquisitionDate: Prisma.sql`to_jsonb(to_char(c.acquisition_date, 'YYYY-MM-DD'))`,
  traits: Prisma.sql`c.traits`,
};

const NUMERIC = '^\\s*[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?\\s*$';

function attributeSql(path: string): Prisma.Sql {
  const [head, ...rest] = path.split('.');
  if (head === 'traits' && rest.length > 0) return Prisma.sql`(c.traits #> ${rest}::text[])`;
  if (rest.length > 0) return Prisma.sql`NULL::jsonb`;
  return COLUMNS[head!] ?? Prisma.sql`NULL::jsonb`;
}

type Scalar = string | number | boolean;

function sameSql(x: Prisma.Sql, expected: Scalar): Prisma.Sql {
  if (typeof expected === 'number') {
    return Prisma.sql`((jsonb_typeof(${x}) = 'number' AND (${x})::numeric = ${expected}::numeric)
      OR (jsonb_typeof(${x}) IN ('string', 'boolean') AND ${x} #>> '{}' = ${String(expected)}))`;
  }
  return Prisma.sql`(jsonb_typeof(${x}) IN ('string', 'number', 'boolean') AND ${x} #>> '{}' = ${String(expected)})`;
}

function anyElementSql(v: Prisma.Sql, predicate: (x: Prisma.Sql) => Prisma.Sql): Prisma.Sql {
  const x = Prisma.sql`el.x`;
  return Prisma.sql`EXISTS (SELECT 1 FROM jsonb_array_elements(
      CASE WHEN jsonb_typeof(${v}) = 'array' THEN ${v} ELSE jsonb_build_array(${v}) END) AS el(x)
    WHERE ${predicate(x)})`;
}

function presentSql(v: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(${v} IS NOT NULL AND ${v} <> 'null'::jsonb AND ${v} <> '""'::jsonb)`;
}

function compareSql(v: Prisma.Sql, op: 'gt' | 'gte' | 'lt' | 'lte', expected: Scalar): Prisma.Sql {
  const sqlOp = Prisma.raw({ gt: '>', gte: '>=', lt: '<', lte: '<=' }[op]);
  const text = Prisma.sql`(${v} #>> '{}')`;
  const asNumber =
    typeof expected === 'number'
      ? expected
      : typeof expected === 'string' && expected.trim() !== '' && !Number.isNaN(Number(expected))
        ? Number(expected)
        : null;
  const numeric =
    asNumber === null
      ? Prisma.empty
      : Prisma.sql`WHEN jsonb_typeof(${v}) = 'number' OR (jsonb_typeof(${v}) = 'string' AND ${text} ~ ${NUMERIC})
          THEN ${text}::numeric ${sqlOp} ${asNumber}::numeric`;
  const lexical =
    typeof expected === 'string'
      ? Prisma.sql`WHEN jsonb_typeof(${v}) = 'string' AND ${text} <> ''
          THEN ${text} COLLATE "C" ${sqlOp} ${expected}::text COLLATE "C"`
      : Prisma.empty;
  return Prisma.sql`(CASE ${numeric} ${lexical} ELSE false END)`;
}

/** One targeting rule as a boolean SQL expression over the customer row `c`. */
export function conditionSql(rule: TargetingRule): Prisma.Sql {
  if (rule.type === 'segment') {
    const inList = Prisma.sql`coalesce(c.segment = ANY(${rule.segments}::text[]), false)`;
    return rule.operator === 'not_in' ? Prisma.sql`NOT ${inList}` : inList;
  }
  const v = attributeSql(rule.attribute);
  const value = rule.value;
  const list: Scalar[] = Array.isArray(value) ? value : value === undefined ? [] : [value];
  const scalar = Array.isArray(value) ? undefined : value;
  const inList = (x: Prisma.Sql) =>
    list.length === 0
      ? Prisma.sql`false`
      : Prisma.sql`(${Prisma.join(
          list.map((e) => sameSql(x, e)),
          ' OR ',
        )})`;
  switch (rule.operator) {
    case 'exists':
      return presentSql(v);
    case 'not_exists':
      return Prisma.sql`NOT ${presentSql(v)}`;
    case 'eq':
      return scalar === undefined ? Prisma.sql`false` : anyElementSql(v, (x) => sameSql(x, scalar));
    case 'neq':
      return scalar === undefined
        ? Prisma.sql`false`
        : Prisma.sql`NOT ${anyElementSql(v, (x) => sameSql(x, scalar))}`;
    case 'in':
      return anyElementSql(v, inList);
    case 'not_in':
      return Prisma.sql`NOT ${anyElementSql(v, inList)}`;
    case 'contains': {
      if (scalar === undefined) return Prisma.sql`false`;
      return Prisma.sql`(CASE WHEN jsonb_typeof(${v}) = 'array' THEN ${anyElementSql(v, (x) => sameSql(x, scalar))}
        WHEN jsonb_typeof(${v}) = 'string' THEN strpos(${v} #>> '{}', ${String(scalar)}) > 0 ELSE false END)`;
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return scalar === undefined ? Prisma.sql`false` : compareSql(v, rule.operator, scalar);
    default:
      return Prisma.sql`false`;
  }
}

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}
