import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';

export interface ExperimentForSegments {
  id: string;
  workspaceId: string;
  primaryMetricId: string | null;
  variants: { id: string; key: string; isControl: boolean; position: number }[];
  metrics: MetricForSegments[];
}

export interface MetricForSegments {
  id: string;
  key: string;
  name: string;
  kind: 'proportion' | 'mean' | 'ratio';
  eventName: string;
  valueProperty: string | null;
  windowDays: number;
  capping: 'none' | 'absolute' | 'percentile';
  capValue: number | null;
}

/** n, Σx, Σx² of one arm in one segment. */
export interface SegmentArmSums {
  segment: string;
  variantId: string;
  n: number;
  sum: number;
  sumSquares: number;
}

export interface SegmentSumsQuery {
  workspaceId: string;
  experimentId: string;
  variantIds: [string, string];
  metric: MetricForSegments;
  /** Dimension key (segment, acquisitionChannel, acquisitionCohort, plan, country, trait.<name>). */
  dimension: string;
  until: Date;
}

/**
 * The only place the segment finder reads the database: per segment × arm the sufficient statistics of the
 * metric (customers, Σx, Σx²), with customers entering the experiment as in the results (the earlier of their
 * assignment and their first exposure; the assignment's variant wins) and the metric counted over its window
 * after entry, capped as the metric says.
 */
@Injectable()
export class SegmentFinderRepository {
  constructor(private readonly prisma: PrismaService) {}

  async experiment(workspaceId: string, id: string): Promise<ExperimentForSegments | null> {
    const row = await this.prisma.experiment.findFirst({
      where: { id, workspaceId },
      include: { variants: { orderBy: { position: 'asc' } }, metrics: { include: { metric: true } } },
    });
    if (!row) return null;
    return {
      id: row.id,
      workspaceId: row.workspaceId,
      primaryMetricId: row.primaryMetricId,
      variants: row.variants.map((v) => ({
        id: v.id,
        key: v.key,
        isControl: v.isControl,
        position: v.position,
      })),
      metrics: row.metrics.map(({ metric: m }) => ({
        id: m.id,
        key: m.key,
        name: m.name,
        kind: m.kind,
        eventName: m.eventName,
        valueProperty: m.valueProperty,
        windowDays: m.windowDays,
        capping: m.capping,
        capValue: m.capValue,
      })),
    };
  }

  async segmentSums(q: SegmentSumsQuery): Promise<SegmentArmSums[]> {
    const exp = Prisma.sql`${q.experimentId}::uuid`;
    const untilTs = Prisma.sql`${q.until.toISOString()}::timestamptz`;
    const window = Prisma.sql`make_interval(secs => ${q.metric.windowDays * 86_400}::float8)`;
    const m = q.metric;
    const value =
      m.valueProperty === null
        ? Prisma.sql`e.value`
        : Prisma.sql`(CASE WHEN jsonb_typeof(e.properties -> ${m.valueProperty}::text) = 'number'
                           THEN (e.properties ->> ${m.valueProperty}::text)::float8 END)`;
    const x =
      m.kind === 'proportion'
        ? Prisma.sql`(count(e.id) > 0)::int::float8`
        : Prisma.sql`coalesce(sum(${value}), 0)::float8`;
    const cap =
      m.capping === 'absolute' && m.capValue !== null
        ? Prisma.sql`${m.capValue}::float8`
        : m.capping === 'percentile' && m.capValue !== null
          ? Prisma.sql`(SELECT percentile_cont(${m.capValue}::float8) WITHIN GROUP (ORDER BY x) FROM unit_values)`
          : Prisma.sql`NULL::float8`;
    const rows = await this.prisma.$queryRaw<Record<string, unknown>[]>`
      WITH first_exposure AS (
        SELECT DISTINCT ON (customer_id) customer_id, variant_id, occurred_at
          FROM events
         WHERE experiment_id = ${exp} AND type = 'exposure' AND variant_id IS NOT NULL AND occurred_at < ${untilTs}
         ORDER BY customer_id, occurred_at, id),
      assigned AS (
        SELECT customer_id, variant_id, assigned_at FROM assignments
         WHERE experiment_id = ${exp} AND assigned_at < ${untilTs}),
      units AS (
        SELECT coalesce(a.customer_id, f.customer_id) AS customer_id,
               coalesce(a.variant_id, f.variant_id) AS variant_id,
               least(a.assigned_at, f.occurred_at) AS enrolled_at
          FROM assigned a FULL JOIN first_exposure f ON f.customer_id = a.customer_id),
      unit_values AS (
        SELECT u.customer_id, u.variant_id, coalesce(nullif(${dimensionExpr(q.dimension)}, ''), '(none)') AS seg_value,
               ${x} AS x
          FROM units u
          JOIN customers c ON c.id = u.customer_id
          LEFT JOIN events e
            ON e.customer_id = u.customer_id AND e.workspace_id = ${q.workspaceId}::uuid
           AND e.name = ${m.eventName}::text
           AND e.occurred_at >= u.enrolled_at AND e.occurred_at < least(u.enrolled_at + ${window}, ${untilTs})
         WHERE u.variant_id IN (${q.variantIds[0]}::uuid, ${q.variantIds[1]}::uuid)
         GROUP BY u.customer_id, u.variant_id, 3),
      caps AS (SELECT ${cap} AS cap)
      SELECT seg_value, variant_id::text AS variant_id, count(*)::int AS n,
             sum(least(x, cap))::float8 AS sum, sum(least(x, cap) * least(x, cap))::float8 AS sum_squares
        FROM unit_values CROSS JOIN caps
       GROUP BY seg_value, variant_id`;
    return rows.map((r) => ({
      segment: String(r.seg_value),
      variantId: String(r.variant_id),
      n: Number(r.n),
      sum: Number(r.sum),
      sumSquares: Number(r.sum_squares),
    }));
  }
}

/** A dimension key → its expression on `customers c` (keys are validated by the contracts; traits are parameters). */
function dimensionExpr(key: string): Prisma.Sql {
  switch (key) {
    case 'segment':
      return Prisma.sql`c.segment`;
    case 'acquisitionChannel':
      return Prisma.sql`c.acquisition_channel`;
    case 'acquisitionCohort':
      return Prisma.sql`to_char(c.acquisition_date, 'YYYY-MM')`;
    case 'plan':
      return Prisma.sql`c.plan`;
    case 'country':
      return Prisma.sql`c.country`;
    default:
      return Prisma.sql`(c.traits ->> ${key.slice('trait.'.length)}::text)`;
  }
}
