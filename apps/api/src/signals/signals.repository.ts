import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';
import { DUE_SOON_FRACTION, type SignalQuery } from './signal-rules';

export type Db = PrismaService | Prisma.TransactionClient;
export type SignalRuleRecord = Prisma.SignalRuleGetPayload<object>;

export interface SignalRuleRow {
  key: string;
  name: string;
  kind: SignalRuleRecord['kind'];
  params: Prisma.InputJsonValue;
  ownerTeam: string;
  slaHours: number;
  intervention: Prisma.InputJsonValue;
  enabled: boolean;
}

/** A signal joined with its rule and customer, as listed. */
export interface SignalRow {
  id: string;
  ruleId: string;
  ruleKey: string;
  ruleName: string;
  kind: SignalRuleRecord['kind'];
  ownerTeam: string;
  customerId: string;
  customerExternalId: string;
  status: 'open' | 'resolved';
  openedAt: Date;
  dueAt: Date;
  resolvedAt: Date | null;
  resolvedBy: string | null;
  details: Prisma.JsonValue;
  interventionAt: Date | null;
  intervention: Prisma.JsonValue | null;
}

export interface OpenCountsRow {
  ruleId: string;
  open: number;
  dueSoon: number;
  breached: number;
  oldestOpenedAt: Date;
}

export interface SignalListFilter {
  status?: 'open' | 'resolved' | undefined;
  ruleId?: string | undefined;
  ownerTeam?: string | undefined;
  customerExternalId?: string | undefined;
  sla?: 'on_time' | 'due_soon' | 'breached' | undefined;
}

export interface EvaluationCounts {
  matching: number;
  opened: number;
  resolved: number;
}

const ts = (d: Date): Prisma.Sql => Prisma.sql`${d.toISOString()}::timestamptz`;

/**
 * A UUID version 7 made by the database for rows inserted set-wise, with `at` as its timestamp (RFC 9562 §5.7:
 * 48-bit Unix milliseconds, version 7, variant 10, random rest), so they sort like the ids made in Node.
 */
const uuidv7At = (at: Date): Prisma.Sql =>
  Prisma.sql`encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) PLACING
    substring(int8send(${at.getTime()}::bigint) FROM 3) FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid`;

/** Due soon: open, not yet due, and in the last DUE_SOON_FRACTION of the response time. */
const dueSoonSql = (now: Prisma.Sql): Prisma.Sql =>
  Prisma.sql`(s.due_at > ${now} AND ${now} >= s.due_at - (s.due_at - s.opened_at) * ${DUE_SOON_FRACTION}::float8)`;

/** The only place signal rules, health signals and the tasks they create touch the database. */
@Injectable()
export class SignalsRepository {
  constructor(readonly prisma: PrismaService) {}

  transaction<T>(fn: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(fn, { timeout: 120_000, maxWait: 30_000 });
  }

  // ------------------------------------------------------------------------------------------------------------
  // Rules

  findRule(workspaceId: string, id: string, db: Db = this.prisma): Promise<SignalRuleRecord | null> {
    return db.signalRule.findFirst({ where: { id, workspaceId } });
  }

  rules(workspaceId: string): Promise<SignalRuleRecord[]> {
    return this.prisma.signalRule.findMany({ where: { workspaceId }, orderBy: { key: 'asc' } });
  }

  /** Enabled rules of every workspace, for the scheduled evaluation. */
  enabledRules(): Promise<SignalRuleRecord[]> {
    return this.prisma.signalRule.findMany({ where: { enabled: true }, orderBy: { id: 'asc' } });
  }

  keyExists(workspaceId: string, key: string, db: Db = this.prisma): Promise<boolean> {
    return db.signalRule.count({ where: { workspaceId, key } }).then((n) => n > 0);
  }

  createRule(workspaceId: string, row: SignalRuleRow, now: Date, db: Db): Promise<SignalRuleRecord> {
    return db.signalRule.create({ data: { workspaceId, ...row, createdAt: now } });
  }

  updateRule(id: string, data: Prisma.SignalRuleUncheckedUpdateInput, db: Db): Promise<SignalRuleRecord> {
    return db.signalRule.update({ where: { id }, data });
  }

  async removeRule(id: string, db: Db): Promise<void> {
    await db.signalRule.delete({ where: { id } });
  }

  /** Open signals per rule of the workspace. */
  async openCountsByRule(workspaceId: string): Promise<Map<string, number>> {
    const rows = await this.prisma.healthSignal.groupBy({
      by: ['ruleId'],
      where: { workspaceId, status: 'open' },
      _count: { _all: true },
    });
    return new Map(rows.map((r) => [r.ruleId, r._count._all]));
  }

  /** A sequence of the workspace by key, for enroll interventions. */
  sequenceByKey(
    workspaceId: string,
    key: string,
    db: Db = this.prisma,
  ): Promise<{ id: string; key: string; status: string } | null> {
    return db.sequence.findFirst({
      where: { workspaceId, key },
      select: { id: true, key: true, status: true },
    });
  }

  // ------------------------------------------------------------------------------------------------------------
  // Evaluation

  /**
   * One evaluation of a rule, in one transaction holding the rule's row lock (so two evaluators of the same rule
   * run one after the other): opens a signal for each matching customer who has none open and no earlier one
   * resolved by hand whose condition has not cleared since; resolves open signals whose condition no longer
   * holds; marks signals resolved by hand as cleared once their condition stops holding.
   */
  async evaluate(
    rule: { id: string; workspaceId: string },
    query: SignalQuery,
    now: Date,
    dueAt: Date,
    tx: Prisma.TransactionClient,
  ): Promise<EvaluationCounts> {
    await tx.$queryRaw`SELECT id FROM signal_rules WHERE id = ${rule.id}::uuid FOR UPDATE`;
    // The matching customers go into a keyed, analysed temporary table: as a CTE the planner guesses its size and
    // picks nested-loop anti joins, quadratic in the number of open signals.
    await tx.$executeRaw`CREATE TEMP TABLE signal_matching (customer_id uuid PRIMARY KEY, details jsonb NOT NULL)
      ON COMMIT DROP`;
    const matching = await tx.$executeRaw`
      INSERT INTO signal_matching (customer_id, details) ${this.matchingSql(rule.workspaceId, query)}`;
    await tx.$executeRaw`ANALYZE signal_matching`;
    // Every remaining join is set against set (matching customers, the rule's signals): hash joins, never loops.
    await tx.$executeRaw`SET LOCAL enable_nestloop = off`;
    const at = ts(now);
    const opened = await tx.$executeRaw`
      INSERT INTO health_signals (id, workspace_id, rule_id, customer_id, status, opened_at, due_at, details)
      SELECT ${uuidv7At(now)}, ${rule.workspaceId}::uuid, ${rule.id}::uuid, m.customer_id, 'open', ${at},
             ${ts(dueAt)}, m.details
        FROM signal_matching m
       WHERE NOT EXISTS (
               SELECT 1 FROM health_signals s
                WHERE s.rule_id = ${rule.id}::uuid AND s.customer_id = m.customer_id
                  AND (s.status = 'open' OR s.cleared_at IS NULL))`;
    const resolved = await tx.$executeRaw`
      UPDATE health_signals s
         SET status = 'resolved', resolved_at = ${at}, resolved_by = 'evaluator', cleared_at = ${at}
       WHERE s.rule_id = ${rule.id}::uuid AND s.status = 'open'
         AND NOT EXISTS (SELECT 1 FROM signal_matching m WHERE m.customer_id = s.customer_id)`;
    await tx.$executeRaw`
      UPDATE health_signals s SET cleared_at = ${at}
       WHERE s.rule_id = ${rule.id}::uuid AND s.status = 'resolved' AND s.cleared_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM signal_matching m WHERE m.customer_id = s.customer_id)`;
    await tx.$executeRaw`SET LOCAL enable_nestloop = on`;
    return { matching, opened, resolved };
  }

  /**
   * Customers for whom the condition holds at the query's `now`, with the measured values as `details`. Events
   * are aggregated here; only the matching customers leave the database.
   */
  private matchingSql(workspaceId: string, q: SignalQuery): Prisma.Sql {
    const ws = Prisma.sql`${workspaceId}::uuid`;
    switch (q.kind) {
      case 'onboarding_incomplete':
        // An acquisition date is a calendar day: it starts at 00:00 UTC, whatever the session's time zone.
        return Prisma.sql`
          SELECT c.id AS customer_id,
                 jsonb_build_object('startedAt', c.started_at, 'completionEvent', ${q.completionEvent}::text) AS details
            FROM (SELECT id, COALESCE(acquisition_date::timestamp AT TIME ZONE 'UTC', created_at) AS started_at
                    FROM customers WHERE workspace_id = ${ws}) c
           WHERE c.started_at <= ${ts(q.startedBy)}
             ${q.startedAfter ? Prisma.sql`AND c.started_at > ${ts(q.startedAfter)}` : Prisma.empty}
             AND NOT EXISTS (
                   SELECT 1 FROM events e
                    WHERE e.workspace_id = ${ws} AND e.customer_id = c.id
                      AND e.name = ${q.completionEvent} AND e.occurred_at <= ${ts(q.now)})`;
      case 'usage_drop': {
        const usage =
          q.eventName === null ? Prisma.sql`e.type = 'activity'` : Prisma.sql`e.name = ${q.eventName}`;
        return Prisma.sql`
          SELECT w.customer_id,
                 jsonb_build_object('previousWeek', w.previous, 'currentWeek', w.current,
                   'dropPercent', round((w.previous - w.current) * 100.0 / w.previous, 2)) AS details
            FROM (SELECT e.customer_id,
                         count(*) FILTER (WHERE e.occurred_at <= ${ts(q.currentFrom)})::int AS previous,
                         count(*) FILTER (WHERE e.occurred_at > ${ts(q.currentFrom)})::int AS current
                    FROM events e
                   WHERE e.workspace_id = ${ws} AND ${usage}
                     AND e.occurred_at > ${ts(q.previousFrom)} AND e.occurred_at <= ${ts(q.to)}
                   GROUP BY e.customer_id) w
           WHERE w.previous > 0 AND (w.previous - w.current) * 100 >= ${q.percent}::numeric * w.previous`;
      }
      case 'support_tickets':
        return Prisma.sql`
          SELECT e.customer_id, jsonb_build_object('count', count(*), 'eventName', ${q.eventName}::text) AS details
            FROM events e
           WHERE e.workspace_id = ${ws} AND e.name = ${q.eventName}
             AND e.occurred_at > ${ts(q.from)} AND e.occurred_at <= ${ts(q.to)}
           GROUP BY e.customer_id
          HAVING count(*) >= ${q.minCount}::int`;
      case 'spend_spike': {
        const factor =
          q.multiple !== null
            ? Prisma.sql`${q.multiple}::numeric`
            : Prisma.sql`(1 + ${q.percent}::numeric / 100)`;
        return Prisma.sql`
          SELECT w.customer_id,
                 jsonb_build_object('previousSpend', w.previous, 'currentSpend', w.current,
                   'ratio', round(w.current / w.previous, 4)) AS details
            FROM (SELECT e.customer_id,
                         COALESCE(sum(e.amount) FILTER (WHERE e.occurred_at <= ${ts(q.currentFrom)}), 0) AS previous,
                         COALESCE(sum(e.amount) FILTER (WHERE e.occurred_at > ${ts(q.currentFrom)}), 0) AS current
                    FROM events e
                   WHERE e.workspace_id = ${ws} AND e.type = 'order' AND e.amount IS NOT NULL
                     AND e.occurred_at > ${ts(q.previousFrom)} AND e.occurred_at <= ${ts(q.to)}
                   GROUP BY e.customer_id) w
           WHERE w.previous > 0 AND w.current >= w.previous * ${factor}`;
      }
    }
  }

  /**
   * Creates the task of every open signal of the rule whose intervention is pending, and marks the intervention
   * applied, in the caller's transaction (so a task exists exactly once per signal: call_tasks.signal_id is unique).
   */
  async applyTaskInterventions(
    ruleId: string,
    task: { owner: string; title: string; instructions: string; dueInHours: number },
    now: Date,
    tx: Prisma.TransactionClient,
  ): Promise<number> {
    const at = ts(now);
    const [row] = await tx.$queryRaw<{ applied: number }[]>`
      WITH pending AS (
        SELECT id, workspace_id, customer_id, opened_at FROM health_signals
         WHERE rule_id = ${ruleId}::uuid AND status = 'open' AND intervention_at IS NULL),
      created AS (
        INSERT INTO call_tasks (id, workspace_id, customer_id, signal_id, owner, title, instructions, due_at,
                                status, created_at)
        SELECT ${uuidv7At(now)}, p.workspace_id, p.customer_id, p.id, ${task.owner}, ${task.title},
               ${task.instructions}, p.opened_at + make_interval(hours => ${task.dueInHours}::int), 'open', ${at}
          FROM pending p
        ON CONFLICT (signal_id) DO NOTHING
        RETURNING id, signal_id),
      marked AS (
        UPDATE health_signals s
           SET intervention_at = ${at},
               intervention = jsonb_build_object('type', 'task', 'taskId', c.id, 'owner', ${task.owner}::text)
          FROM created c WHERE s.id = c.signal_id
        RETURNING s.id)
      SELECT count(*)::int AS applied FROM marked`;
    return row?.applied ?? 0;
  }

  /** Open signals of the rule whose intervention is pending (new, or failed earlier). */
  pendingInterventions(ruleId: string): Promise<{ id: string; customerId: string }[]> {
    return this.prisma.healthSignal.findMany({
      where: { ruleId, status: 'open', interventionAt: null },
      select: { id: true, customerId: true },
      orderBy: { id: 'asc' },
    });
  }

  async markIntervention(
    ids: string[],
    appliedAt: Date | null,
    outcome: Prisma.InputJsonValue,
    db: Db = this.prisma,
  ): Promise<void> {
    if (ids.length === 0) return;
    await db.healthSignal.updateMany({
      where: { id: { in: ids } },
      data: { interventionAt: appliedAt, intervention: outcome },
    });
  }

  // ------------------------------------------------------------------------------------------------------------
  // Signals

  private signalSelect(): Prisma.Sql {
    return Prisma.sql`
      SELECT s.id, s.rule_id AS "ruleId", r.key AS "ruleKey", r.name AS "ruleName", r.kind::text AS kind,
             r.owner_team AS "ownerTeam", s.customer_id AS "customerId", c.external_id AS "customerExternalId",
             s.status::text AS status, s.opened_at AS "openedAt", s.due_at AS "dueAt", s.resolved_at AS "resolvedAt",
             s.resolved_by AS "resolvedBy", s.details, s.intervention_at AS "interventionAt", s.intervention
        FROM health_signals s
        JOIN signal_rules r ON r.id = s.rule_id
        JOIN customers c ON c.id = s.customer_id`;
  }

  async findSignal(workspaceId: string, id: string, db: Db = this.prisma): Promise<SignalRow | null> {
    const rows = await db.$queryRaw<SignalRow[]>`
      ${this.signalSelect()} WHERE s.workspace_id = ${workspaceId}::uuid AND s.id = ${id}::uuid`;
    return rows[0] ?? null;
  }

  /** Newest first (ids are time-ordered); `cursor` is the id of the last signal of the previous page. */
  listSignals(
    workspaceId: string,
    filter: SignalListFilter,
    now: Date,
    limit: number,
    cursor?: string,
  ): Promise<SignalRow[]> {
    const at = ts(now);
    const where = [Prisma.sql`s.workspace_id = ${workspaceId}::uuid`];
    if (filter.status) where.push(Prisma.sql`s.status = ${filter.status}::signal_status`);
    if (filter.ruleId) where.push(Prisma.sql`s.rule_id = ${filter.ruleId}::uuid`);
    if (filter.ownerTeam) where.push(Prisma.sql`r.owner_team = ${filter.ownerTeam}`);
    if (filter.customerExternalId) where.push(Prisma.sql`c.external_id = ${filter.customerExternalId}`);
    const breached = Prisma.sql`((s.status = 'open' AND s.due_at <= ${at}) OR (s.status = 'resolved' AND s.resolved_at >= s.due_at))`;
    const dueSoon = Prisma.sql`(s.status = 'open' AND ${dueSoonSql(at)})`;
    if (filter.sla === 'breached') where.push(breached);
    if (filter.sla === 'due_soon') where.push(dueSoon);
    if (filter.sla === 'on_time') where.push(Prisma.sql`NOT ${breached} AND NOT ${dueSoon}`);
    if (cursor) where.push(Prisma.sql`s.id < ${cursor}::uuid`);
    return this.prisma.$queryRaw<SignalRow[]>`
      ${this.signalSelect()} WHERE ${Prisma.join(where, ' AND ')} ORDER BY s.id DESC LIMIT ${limit}::int`;
  }

  async resolveSignal(id: string, now: Date, by: string, db: Db): Promise<boolean> {
    const n = await db.healthSignal.updateMany({
      where: { id, status: 'open' },
      data: { status: 'resolved', resolvedAt: now, resolvedBy: by },
    });
    return n.count === 1;
  }

  /** Open-signal counts per rule with SLA states at `now`, and the oldest open signal. */
  openCounts(workspaceId: string, now: Date, ownerTeam?: string): Promise<OpenCountsRow[]> {
    const at = ts(now);
    return this.prisma.$queryRaw<OpenCountsRow[]>`
      SELECT s.rule_id AS "ruleId", count(*)::int AS open,
             count(*) FILTER (WHERE ${dueSoonSql(at)})::int AS "dueSoon",
             count(*) FILTER (WHERE s.due_at <= ${at})::int AS breached,
             min(s.opened_at) AS "oldestOpenedAt"
        FROM health_signals s
        JOIN signal_rules r ON r.id = s.rule_id
       WHERE s.workspace_id = ${workspaceId}::uuid AND s.status = 'open'
         ${ownerTeam ? Prisma.sql`AND r.owner_team = ${ownerTeam}` : Prisma.empty}
       GROUP BY s.rule_id`;
  }

  /** The oldest `perRule` open signals of each rule, oldest first. */
  oldestOpen(workspaceId: string, perRule: number, ownerTeam?: string): Promise<SignalRow[]> {
    return this.prisma.$queryRaw<SignalRow[]>`
      WITH ranked AS (
        SELECT s.id, row_number() OVER (PARTITION BY s.rule_id ORDER BY s.opened_at, s.id) AS rank
          FROM health_signals s
         WHERE s.workspace_id = ${workspaceId}::uuid AND s.status = 'open')
      ${this.signalSelect()}
        JOIN ranked k ON k.id = s.id
       WHERE k.rank <= ${perRule}::int
         ${ownerTeam ? Prisma.sql`AND r.owner_team = ${ownerTeam}` : Prisma.empty}
       ORDER BY s.opened_at, s.id`;
  }
}

/** True for a unique-constraint violation (Prisma P2002): two rules created with one key at once. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}
