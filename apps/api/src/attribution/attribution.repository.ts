import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';
import type { RevenuePath } from './attribution-models';

export interface PathQuery {
  workspaceId: string;
  /** Conversions at or after `from` and before `until`. */
  from: Date;
  until: Date;
  lookbackDays: number;
  streams: ('upsell' | 'cross_sell' | 'retention' | 'other')[];
}

/** Touches kept per journey: the most recent ones (long journeys are rare and their early touches weigh little). */
export const MAX_PATH_TOUCHES = 20;

export interface PathAggregate {
  paths: RevenuePath[];
  unattributedConversions: number;
  unattributedRevenue: number;
}

/**
 * Journeys from the event log, aggregated to distinct paths in SQL.
 *
 * Touches: messages sent (channel = the message's channel) and every non-order event with a string property
 * `channel` (marketing touch events, exposures tagged with their channel). Conversions: orders of the chosen
 * revenue streams. A conversion's journey is the customer's touches at most `lookbackDays` before it and after
 * their previous conversion (so one touch never counts for two conversions); touches after the customer's last
 * conversion in the period (or all of them, for customers who did not convert) form a journey without a
 * conversion. A conversion with no touch in its lookback is reported as unattributed.
 */
@Injectable()
export class AttributionRepository {
  constructor(private readonly prisma: PrismaService) {}

  async paths(q: PathQuery): Promise<PathAggregate> {
    const ws = Prisma.sql`${q.workspaceId}::uuid`;
    const fromTs = Prisma.sql`${q.from.toISOString()}::timestamptz`;
    const untilTs = Prisma.sql`${q.until.toISOString()}::timestamptz`;
    const lookback = Prisma.sql`make_interval(secs => ${q.lookbackDays * 86_400}::float8)`;
    const streams = Prisma.join(q.streams.map((s) => Prisma.sql`${s}::revenue_stream`));
    const rows = await this.prisma.$queryRaw<Record<string, unknown>[]>`
      WITH touches AS (
        SELECT m.customer_id, m.channel::text AS channel, m.sent_at AS at
          FROM messages m
         WHERE m.workspace_id = ${ws} AND m.status = 'sent' AND m.sent_at IS NOT NULL
           AND m.sent_at >= ${fromTs} - ${lookback} AND m.sent_at < ${untilTs}
        UNION ALL
        SELECT e.customer_id, e.properties ->> 'channel', e.occurred_at
          FROM events e
         WHERE e.workspace_id = ${ws} AND e.type <> 'order'
           AND jsonb_typeof(e.properties -> 'channel') = 'string' AND e.properties ->> 'channel' <> ''
           AND e.occurred_at >= ${fromTs} - ${lookback} AND e.occurred_at < ${untilTs}
      ),
      conversions AS (
        SELECT e.customer_id, e.occurred_at AS at, coalesce(e.amount, 0)::float8 AS revenue
          FROM events e
         WHERE e.workspace_id = ${ws} AND e.type = 'order' AND e.revenue_stream IN (${streams})
           AND e.occurred_at >= ${fromTs} AND e.occurred_at < ${untilTs}
      ),
      stream AS (
        SELECT customer_id, at, channel, false AS is_conversion, 0::float8 AS revenue FROM touches
        UNION ALL
        SELECT customer_id, at, NULL, true, revenue FROM conversions
      ),
      -- Journey number = conversions before the row; a touch at the very instant of a conversion comes first
      -- (false < true) and belongs to it. Sorting per customer keeps this O(n log n), with no join.
      numbered AS (
        SELECT customer_id, at, channel, is_conversion, revenue,
               count(*) FILTER (WHERE is_conversion) OVER (
                 PARTITION BY customer_id ORDER BY at, is_conversion ROWS UNBOUNDED PRECEDING
               ) - is_conversion::int AS journey
          FROM stream
      ),
      framed AS (
        SELECT n.*, max(at) FILTER (WHERE is_conversion) OVER (PARTITION BY customer_id, journey) AS converted_at
          FROM numbered n
      ),
      journeys AS (
        SELECT bool_or(is_conversion) AS converted, sum(revenue) AS revenue,
               array_agg(channel ORDER BY at) FILTER (
                 WHERE NOT is_conversion
                   AND CASE WHEN converted_at IS NULL THEN at >= ${fromTs}
                            ELSE at >= converted_at - ${lookback} END) AS path
          FROM framed
         GROUP BY customer_id, journey
      )
      SELECT CASE WHEN path IS NULL THEN NULL
                  ELSE path[greatest(1, array_length(path, 1) - ${MAX_PATH_TOUCHES - 1}::int):] END AS path,
             sum(converted::int)::int AS conversions, (count(*) - sum(converted::int))::int AS nulls,
             sum(revenue)::float8 AS revenue
        FROM journeys
       WHERE converted OR path IS NOT NULL
       GROUP BY 1`;
    let unattributedConversions = 0;
    let unattributedRevenue = 0;
    // One row per distinct (truncated) path; the row without a path holds the conversions without touches.
    const paths: RevenuePath[] = [];
    for (const r of rows) {
      if (r.path === null) {
        unattributedConversions += Number(r.conversions);
        unattributedRevenue += Number(r.revenue);
        continue;
      }
      paths.push({
        path: (r.path as unknown[]).map(String),
        conversions: Number(r.conversions),
        nulls: Number(r.nulls),
        revenue: Number(r.revenue),
      });
    }
    paths.sort((a, b) => (JSON.stringify(a.path) < JSON.stringify(b.path) ? -1 : 1));
    return { paths, unattributedConversions, unattributedRevenue };
  }
}
