import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { ArmStats } from './reactivation';

export interface SequenceRecord {
  id: string;
  key: string;
  name: string;
  experimentId: string | null;
  measurementDays: number;
  exitEventTypes: string[];
  touches: {
    id: string;
    position: number;
    delayDays: number;
    channel: 'email' | 'in_app' | 'webhook' | 'call_task';
    offerKey: string | null;
  }[];
}

export interface ArmRow extends ArmStats {
  arm: 'treated' | 'holdout';
  /** Enrollments of the arm, measured or not. */
  enrolled: number;
}

export interface FunnelRow {
  touchId: string;
  variant: string | null;
  messages: number;
  sent: number;
  delivered: number;
  opened: number;
  clicked: number;
  converted: number;
}

export interface OfferAdoptionRow {
  offerId: string;
  key: string;
  name: string;
  kind: 'tier_upgrade' | 'discount' | 'pilot';
  offered: number;
  redeemed: number;
}

export interface CampaignRow {
  id: string;
  key: string;
  name: string;
  verdict: string | null;
  spend: number;
}

/**
 * The only place sequence results touch the database. Everything is aggregated by SQL: per arm the
 * sufficient statistics of reactivation (0/1) and revenue per enrollment; per touch and content variant the
 * funnel counts. A customer reactivates when an event of one of the sequence's exit types occurs after the
 * enrollment and at most `measurementDays` later; revenue is the sum of order amounts in that same window.
 */
@Injectable()
export class SequenceResultsRepository {
  constructor(private readonly prisma: PrismaService) {}

  async sequence(workspaceId: string, id: string): Promise<SequenceRecord | null> {
    const s = await this.prisma.sequence.findFirst({
      where: { id, workspaceId },
      include: { touches: { orderBy: { position: 'asc' }, include: { offer: { select: { key: true } } } } },
    });
    if (!s) return null;
    return {
      id: s.id,
      key: s.key,
      name: s.name,
      experimentId: s.experimentId,
      measurementDays: s.measurementDays,
      exitEventTypes: s.exitEventTypes,
      touches: s.touches.map((t) => ({
        id: t.id,
        position: t.position,
        delayDays: t.delayDays,
        channel: t.channel,
        offerKey: t.offer?.key ?? null,
      })),
    };
  }

  /** Per arm: all enrollments, and the sufficient statistics of those whose window ended at or before `now`. */
  async arms(workspaceId: string, s: SequenceRecord, now: Date): Promise<ArmRow[]> {
    return this.prisma.$queryRaw<ArmRow[]>`
      WITH enrolled AS (
        SELECT e.id, e.arm, e.customer_id, e.enrolled_at,
               e.enrolled_at + make_interval(days => ${s.measurementDays}::int) AS window_end
          FROM enrollments e
         WHERE e.sequence_id = ${s.id}::uuid AND e.workspace_id = ${workspaceId}::uuid
      ), outcome AS (
        -- One set-based join (not a subquery per enrollment): events in each enrollment's window.
        SELECT d.id,
               bool_or(ev.type::text = ANY(${s.exitEventTypes}::text[])) AS reactivated,
               COALESCE(sum(ev.amount) FILTER (WHERE ev.type = 'order'), 0)::float8 AS revenue
          FROM enrolled d
          JOIN events ev ON ev.workspace_id = ${workspaceId}::uuid AND ev.customer_id = d.customer_id
                        AND ev.occurred_at > d.enrolled_at AND ev.occurred_at <= d.window_end
         WHERE ev.type::text = ANY(${s.exitEventTypes}::text[]) OR ev.type = 'order'
         GROUP BY d.id
      ), measured AS (
        SELECT d.arm, d.window_end <= ${now}::timestamptz AS measured,
               COALESCE(o.reactivated, false) AS reactivated, COALESCE(o.revenue, 0)::float8 AS revenue
          FROM enrolled d LEFT JOIN outcome o ON o.id = d.id
      )
      SELECT arm::text AS arm,
             count(*)::int AS enrolled,
             count(*) FILTER (WHERE measured)::int AS n,
             count(*) FILTER (WHERE measured AND reactivated)::int AS reactivated,
             COALESCE(sum(revenue) FILTER (WHERE measured), 0)::float8 AS "revenueSum",
             COALESCE(sum(revenue * revenue) FILTER (WHERE measured), 0)::float8 AS "revenueSumSquares"
        FROM measured
       GROUP BY arm`;
  }

  /** Funnel counts per touch and content variant (null variant: the touch is not split). */
  funnel(workspaceId: string, s: SequenceRecord): Promise<FunnelRow[]> {
    return this.prisma.$queryRaw<FunnelRow[]>`
      WITH sent AS (
        SELECT m.id, m.touch_id, m.content_variant, m.customer_id, m.sent_at, m.delivered_at, m.opened_at,
               m.clicked_at, e.enrolled_at + make_interval(days => ${s.measurementDays}::int) AS window_end
          FROM messages m
          JOIN enrollments e ON e.id = m.enrollment_id
         WHERE m.sequence_id = ${s.id}::uuid AND m.workspace_id = ${workspaceId}::uuid
      ), converted AS (
        SELECT DISTINCT x.id
          FROM sent x
          JOIN events ev ON ev.workspace_id = ${workspaceId}::uuid AND ev.customer_id = x.customer_id
                        AND ev.occurred_at > x.sent_at AND ev.occurred_at <= x.window_end
         WHERE x.sent_at IS NOT NULL AND ev.type::text = ANY(${s.exitEventTypes}::text[])
      )
      SELECT x.touch_id AS "touchId", x.content_variant AS variant,
             count(*)::int AS messages,
             count(x.sent_at)::int AS sent,
             count(x.delivered_at)::int AS delivered,
             count(x.opened_at)::int AS opened,
             count(x.clicked_at)::int AS clicked,
             count(c.id)::int AS converted
        FROM sent x LEFT JOIN converted c ON c.id = x.id
       GROUP BY x.touch_id, x.content_variant`;
  }

  /**
   * Offers the sequence's touches carry (or its enrollments redeemed): treated enrollments that were sent a
   * touch carrying the offer, and their redemptions.
   */
  offerAdoption(workspaceId: string, s: SequenceRecord): Promise<OfferAdoptionRow[]> {
    return this.prisma.$queryRaw<OfferAdoptionRow[]>`
      WITH seq_offers AS (
        SELECT t.offer_id AS id FROM sequence_touches t
         WHERE t.sequence_id = ${s.id}::uuid AND t.offer_id IS NOT NULL
        UNION
        SELECT r.offer_id FROM offer_redemptions r JOIN enrollments e ON e.id = r.enrollment_id
         WHERE e.sequence_id = ${s.id}::uuid
      )
      SELECT o.id AS "offerId", o.key, o.name, o.kind::text AS kind,
             (SELECT count(DISTINCT m.enrollment_id) FROM messages m
                JOIN sequence_touches t ON t.id = m.touch_id
                JOIN enrollments e ON e.id = m.enrollment_id
               WHERE m.sequence_id = ${s.id}::uuid AND t.offer_id = o.id AND m.sent_at IS NOT NULL
                 AND e.arm = 'treated')::int AS offered,
             (SELECT count(DISTINCT r.enrollment_id) FROM offer_redemptions r
                JOIN enrollments e ON e.id = r.enrollment_id
               WHERE e.sequence_id = ${s.id}::uuid AND r.offer_id = o.id AND e.arm = 'treated')::int AS redeemed
        FROM offers o JOIN seq_offers so ON so.id = o.id
       WHERE o.workspace_id = ${workspaceId}::uuid
       ORDER BY o.key`;
  }

  /** The campaign wrapping the sequence's experiment (the oldest, if several) and its ledger total. */
  async campaign(workspaceId: string, experimentId: string): Promise<CampaignRow | null> {
    const rows = await this.prisma.$queryRaw<CampaignRow[]>`
      SELECT c.id, c.key, c.name, c.verdict,
             COALESCE((SELECT sum(k.total) FROM campaign_costs k WHERE k.campaign_id = c.id), 0)::float8 AS spend
        FROM campaigns c
       WHERE c.workspace_id = ${workspaceId}::uuid AND c.experiment_id = ${experimentId}::uuid
       ORDER BY c.created_at, c.id
       LIMIT 1`;
    return rows[0] ?? null;
  }
}
