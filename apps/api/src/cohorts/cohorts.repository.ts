import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';
import type { SubCohortActivity, SubCohortSize } from './cohort-shaping';

/** How customers are grouped, as the SQL needs it (validated by the contracts before it gets here). */
export type GroupSpec =
  | { kind: 'acquisitionMonth' }
  | { kind: 'column'; column: 'acquisition_channel' | 'segment' | 'plan' | 'country' }
  | { kind: 'trait'; name: string }
  | {
      kind: 'behaviour';
      eventName: string;
      days: number;
      minCount: number;
      maxCount: number | null;
      property: { name: string; value: string } | null;
    };

export interface CohortSqlQuery {
  workspaceId: string;
  group: GroupSpec;
  /** Customers acquired on or after `fromMonth`'s first day and before `untilMonth`'s first day. */
  fromMonth: string;
  untilMonth: string;
  /** Events at or after this instant are not counted (the start of the current, incomplete month). */
  now: Date;
  /** Periods since acquisition counted at most. */
  maxPeriods: number;
  activity: 'any' | 'orders';
}

export interface SpendRow {
  id: string;
  channel: string;
  month: Date;
  amount: number;
  note: string;
  updatedAt: Date;
}

const WINDOW_SECONDS = 30 * 86_400;

/**
 * The only place the cohort explorer, LTV:CAC and channel spend touch the database. Customer rows never leave
 * it: the queries return counts of customers and distinct active customers and revenue sums per group ×
 * sub-cohort × period since acquisition.
 */
@Injectable()
export class CohortsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Calendar-month curves: sub-cohort = acquisition month, period = calendar months between the acquisition
   * month and the event's month (UTC), complete months only (the current month is left out).
   */
  async monthly(q: CohortSqlQuery): Promise<{ sizes: SubCohortSize[]; activity: SubCohortActivity[] }> {
    const nowMonth = Prisma.sql`(extract(year FROM ${q.now.toISOString()}::timestamptz AT TIME ZONE 'UTC') * 12
                                 + extract(month FROM ${q.now.toISOString()}::timestamptz AT TIME ZONE 'UTC') - 1)::int`;
    const sizes = await this.prisma.$queryRaw<Record<string, unknown>[]>`
      WITH ${baseCte(q)}
      SELECT grp, acq_month, count(*)::int AS n,
             least(${nowMonth} - acq_index, ${q.maxPeriods}::int) AS observed
        FROM base GROUP BY grp, acq_month, acq_index`;
    const activity = await this.prisma.$queryRaw<Record<string, unknown>[]>`
      WITH ${baseCte(q)},
      touched AS (
        SELECT b.grp, b.acq_month, b.customer_id,
               (extract(year FROM e.occurred_at AT TIME ZONE 'UTC') * 12
                + extract(month FROM e.occurred_at AT TIME ZONE 'UTC') - 1)::int - b.acq_index AS period,
               least(${nowMonth} - b.acq_index, ${q.maxPeriods}::int) AS observed,
               CASE WHEN e.type = 'order' THEN coalesce(e.amount, 0) ELSE 0 END AS revenue
          FROM base b
          JOIN events e ON e.customer_id = b.customer_id AND e.workspace_id = ${q.workspaceId}::uuid
         WHERE e.type IN (${activeTypes(q.activity)}) AND e.occurred_at >= b.acquired_at
           AND e.occurred_at < ${q.now.toISOString()}::timestamptz
      )
      SELECT grp, acq_month, period, count(DISTINCT customer_id)::int AS active, sum(revenue)::float8 AS revenue
        FROM touched WHERE period >= 0 AND period < observed
       GROUP BY grp, acq_month, period`;
    return {
      sizes: sizes.map((r) => ({
        group: String(r.grp),
        sub: String(r.acq_month),
        customers: Number(r.n),
        periodsObserved: Math.max(0, Number(r.observed)),
      })),
      activity: activity.map((r) => ({
        group: String(r.grp),
        sub: String(r.acq_month),
        period: Number(r.period),
        activeCustomers: Number(r.active),
        revenue: Number(r.revenue),
      })),
    };
  }

  /**
   * 30-day windows since acquisition (periods 0..3, enough for 90-day retention): sub-cohort = the number of
   * complete windows observed by `now`, so every customer of a sub-cohort is observed equally long.
   */
  async windows(q: CohortSqlQuery): Promise<{ sizes: SubCohortSize[]; activity: SubCohortActivity[] }> {
    const nowTs = Prisma.sql`${q.now.toISOString()}::timestamptz`;
    const observed = Prisma.sql`least(floor(extract(epoch FROM (${nowTs} - b.acquired_at)) / ${WINDOW_SECONDS}::int)::int, 4)`;
    const sizes = await this.prisma.$queryRaw<Record<string, unknown>[]>`
      WITH ${baseCte(q)}
      SELECT grp, observed, count(*)::int AS n
        FROM (SELECT b.grp, ${observed} AS observed FROM base b) AS s
       GROUP BY grp, observed`;
    const activity = await this.prisma.$queryRaw<Record<string, unknown>[]>`
      WITH ${baseCte(q)},
      touched AS (
        SELECT b.grp, b.customer_id, ${observed} AS observed,
               floor(extract(epoch FROM (e.occurred_at - b.acquired_at)) / ${WINDOW_SECONDS}::int)::int AS period,
               CASE WHEN e.type = 'order' THEN coalesce(e.amount, 0) ELSE 0 END AS revenue
          FROM base b
          JOIN events e ON e.customer_id = b.customer_id AND e.workspace_id = ${q.workspaceId}::uuid
         WHERE e.type IN (${activeTypes(q.activity)}) AND e.occurred_at >= b.acquired_at AND e.occurred_at < ${nowTs}
      )
      SELECT grp, observed, period, count(DISTINCT customer_id)::int AS active, sum(revenue)::float8 AS revenue
        FROM touched WHERE period >= 0 AND period < observed
       GROUP BY grp, observed, period`;
    return {
      sizes: sizes.map((r) => ({
        group: String(r.grp),
        sub: String(r.observed),
        customers: Number(r.n),
        periodsObserved: Math.max(0, Number(r.observed)),
      })),
      activity: activity.map((r) => ({
        group: String(r.grp),
        sub: String(r.observed),
        period: Number(r.period),
        activeCustomers: Number(r.active),
        revenue: Number(r.revenue),
      })),
    };
  }

  /** Σ spend per channel over [from, until) months. */
  async spendByChannel(workspaceId: string, from: Date, until: Date): Promise<Map<string, number>> {
    const rows = await this.prisma.$queryRaw<{ channel: string; amount: number }[]>`
      SELECT channel, sum(amount)::float8 AS amount FROM channel_spend
       WHERE workspace_id = ${workspaceId}::uuid AND month >= ${from}::date AND month < ${until}::date
       GROUP BY channel`;
    return new Map(rows.map((r) => [r.channel, Number(r.amount)]));
  }

  /**
   * The latest customer-value fit of the workspace and Σ predicted CLV per acquisition channel over the customers
   * acquired in [from, until) months (customers without a prediction add nothing). Null without a fit.
   */
  async predictedClvByChannel(
    workspaceId: string,
    fromMonth: string,
    untilMonth: string,
  ): Promise<{ fittedAt: Date; horizonMonths: number; byChannel: Map<string, number> } | null> {
    const fit = await this.prisma.clvFit.findFirst({
      where: { workspaceId },
      orderBy: { fittedAt: 'desc' },
      select: { fittedAt: true, horizonMonths: true },
    });
    if (!fit) return null;
    const rows = await this.prisma.$queryRaw<{ channel: string; clv: number }[]>`
      SELECT coalesce(nullif(c.acquisition_channel, ''), '(none)') AS channel,
             coalesce(sum(v.predicted_clv), 0)::float8 AS clv
        FROM customers c
        LEFT JOIN customer_values v ON v.workspace_id = c.workspace_id AND v.customer_id = c.id
       WHERE c.workspace_id = ${workspaceId}::uuid
         AND c.acquisition_date >= ${fromMonth + '-01'}::date AND c.acquisition_date < ${untilMonth + '-01'}::date
       GROUP BY 1`;
    return { ...fit, byChannel: new Map(rows.map((r) => [r.channel, Number(r.clv)])) };
  }

  // ------------------------------------------------------------------------------------------ channel spend

  async listSpend(
    workspaceId: string,
    filter: { from?: Date; until?: Date; channel?: string },
  ): Promise<SpendRow[]> {
    const rows = await this.prisma.channelSpend.findMany({
      where: {
        workspaceId,
        ...(filter.channel !== undefined ? { channel: filter.channel } : {}),
        month: {
          ...(filter.from ? { gte: filter.from } : {}),
          ...(filter.until ? { lt: filter.until } : {}),
        },
      },
      orderBy: [{ month: 'asc' }, { channel: 'asc' }],
    });
    return rows.map(toSpendRow);
  }

  async findSpend(workspaceId: string, id: string): Promise<SpendRow | null> {
    const row = await this.prisma.channelSpend.findFirst({ where: { workspaceId, id } });
    return row ? toSpendRow(row) : null;
  }

  async findSpendByKey(workspaceId: string, channel: string, month: Date): Promise<SpendRow | null> {
    const row = await this.prisma.channelSpend.findUnique({
      where: { workspaceId_channel_month: { workspaceId, channel, month } },
    });
    return row ? toSpendRow(row) : null;
  }

  async createSpend(
    workspaceId: string,
    data: { channel: string; month: Date; amount: number; note: string },
    now: Date,
  ): Promise<SpendRow> {
    const row = await this.prisma.channelSpend.create({
      data: { workspaceId, ...data, createdAt: now, updatedAt: now },
    });
    return toSpendRow(row);
  }

  async updateSpend(id: string, data: { amount?: number; note?: string }, now: Date): Promise<SpendRow> {
    const row = await this.prisma.channelSpend.update({ where: { id }, data: { ...data, updatedAt: now } });
    return toSpendRow(row);
  }

  async deleteSpend(id: string): Promise<void> {
    await this.prisma.channelSpend.delete({ where: { id } });
  }

  /** Creates or replaces channel × month amounts in one transaction; returns how many existed before. */
  async upsertSpend(
    workspaceId: string,
    rows: { channel: string; month: Date; amount: number; note: string }[],
    now: Date,
  ): Promise<{ created: number; updated: number }> {
    return this.prisma.$transaction(async (tx) => {
      let updated = 0;
      for (const r of rows) {
        const existing = await tx.channelSpend.findUnique({
          where: { workspaceId_channel_month: { workspaceId, channel: r.channel, month: r.month } },
          select: { id: true },
        });
        if (existing) updated += 1;
        await tx.channelSpend.upsert({
          where: { workspaceId_channel_month: { workspaceId, channel: r.channel, month: r.month } },
          create: { workspaceId, ...r, createdAt: now, updatedAt: now },
          update: { amount: r.amount, note: r.note, updatedAt: now },
        });
      }
      return { created: rows.length - updated, updated };
    });
  }
}

function toSpendRow(row: {
  id: string;
  channel: string;
  month: Date;
  amount: Prisma.Decimal;
  note: string;
  updatedAt: Date;
}): SpendRow {
  return {
    id: row.id,
    channel: row.channel,
    month: row.month,
    amount: Number(row.amount),
    note: row.note,
    updatedAt: row.updatedAt,
  };
}

function activeTypes(activity: 'any' | 'orders'): Prisma.Sql {
  return activity === 'orders'
    ? Prisma.sql`'order'::event_type`
    : Prisma.sql`'order'::event_type, 'activity'::event_type, 'conversion'::event_type`;
}

/** `base(customer_id, acquired_at, acq_month, acq_index, grp)`: the period's customers and their group. */
function baseCte(q: CohortSqlQuery): Prisma.Sql {
  const acquiredAt = Prisma.sql`(c.acquisition_date::timestamp AT TIME ZONE 'UTC')`;
  return Prisma.sql`base AS (
    SELECT c.id AS customer_id, ${acquiredAt} AS acquired_at,
           to_char(c.acquisition_date, 'YYYY-MM') AS acq_month,
           (extract(year FROM c.acquisition_date) * 12 + extract(month FROM c.acquisition_date) - 1)::int AS acq_index,
           ${groupExpr(q, acquiredAt)} AS grp
      FROM customers c
     WHERE c.workspace_id = ${q.workspaceId}::uuid
       AND c.acquisition_date >= ${q.fromMonth + '-01'}::date
       AND c.acquisition_date < ${q.untilMonth + '-01'}::date)`;
}

function groupExpr(q: CohortSqlQuery, acquiredAt: Prisma.Sql): Prisma.Sql {
  const g = q.group;
  switch (g.kind) {
    case 'acquisitionMonth':
      return Prisma.sql`to_char(c.acquisition_date, 'YYYY-MM')`;
    case 'column':
      return Prisma.sql`coalesce(nullif(${Prisma.raw(`c.${g.column}`)}, ''), '(none)')`;
    case 'trait':
      return Prisma.sql`coalesce(nullif(c.traits ->> ${g.name}::text, ''), '(none)')`;
    case 'behaviour': {
      const property = g.property
        ? Prisma.sql`AND x.properties ->> ${g.property.name}::text = ${g.property.value}::text`
        : Prisma.empty;
      const max = g.maxCount === null ? Prisma.empty : Prisma.sql`AND n <= ${g.maxCount}::int`;
      return Prisma.sql`(SELECT CASE WHEN n >= ${g.minCount}::int ${max} THEN 'yes' ELSE 'no' END
                          FROM (SELECT count(*) AS n FROM events x
                                 WHERE x.workspace_id = ${q.workspaceId}::uuid AND x.customer_id = c.id
                                   AND x.name = ${g.eventName}::text
                                   AND x.occurred_at >= ${acquiredAt}
                                   AND x.occurred_at < ${acquiredAt} + make_interval(secs => ${g.days * 86_400}::float8)
                                   ${property}) AS k)`;
    }
  }
}
