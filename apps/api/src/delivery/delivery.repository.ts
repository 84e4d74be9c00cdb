import { Injectable } from '@nestjs/common';
import { Prisma } from '../generated/prisma/client';
import { PrismaService } from '../database/prisma.service';
import type { ChannelMessage } from './channels/channel';

/**
 * All SQL of the delivery engine. Work is claimed with `FOR UPDATE SKIP LOCKED` (concurrent workers never wait
 * for each other and never take the same row) and a lease (lease_owner, lease_until): a row is processed only by
 * its lease owner, and every state change below is guarded by `lease_owner = <me>`, so a worker whose lease
 * was taken over cannot overwrite the new owner's work.
 */

export type Tx = Prisma.TransactionClient;
export type ChannelKind = ChannelMessage['channel'];

export interface ContactSettings {
  frequencyCapCount: number;
  frequencyCapDays: number;
  quietHoursStart: string;
  quietHoursEnd: string;
  defaultTimezone: string;
  fromAddress: string;
}

export const DEFAULT_CONTACT_SETTINGS: ContactSettings = {
  frequencyCapCount: 2,
  frequencyCapDays: 7,
  quietHoursStart: '21:00',
  quietHoursEnd: '08:00',
  defaultTimezone: 'UTC',
  fromAddress: 'Liftlab <hello@liftlab.local>',
};

export interface ClaimedEnrollment {
  id: string;
  workspaceId: string;
  sequenceId: string;
  customerId: string;
  enrolledAt: Date;
  nextPosition: number;
  exitEventTypes: string[];
}

export interface TouchRow {
  id: string;
  sequenceId: string;
  position: number;
  delayDays: number;
  channel: ChannelKind;
  conditions: unknown;
  content: unknown;
  offerId: string | null;
}

export interface SequenceRow {
  id: string;
  key: string;
  name: string;
}

export interface CustomerRow {
  id: string;
  workspaceId: string;
  externalId: string;
  segment: string | null;
  plan: string | null;
  country: string | null;
  timezone: string | null;
  acquisitionChannel: string | null;
  acquisitionDate: Date | null;
  traits: unknown;
}

export interface OfferRow {
  id: string;
  key: string;
  name: string;
  kind: 'tier_upgrade' | 'discount' | 'pilot';
  details: unknown;
  codePrefix: string | null;
  validDays: number | null;
}

export interface NewMessage {
  id: string;
  workspaceId: string;
  sequenceId: string;
  enrollmentId: string;
  touchId: string;
  customerId: string;
  channel: ChannelKind;
  contentVariant: string | null;
  status: 'pending' | 'failed';
  subject: string | null;
  body: string | null;
  html: string | null;
  payload: unknown;
  recipient: string | null;
  offerCode: string | null;
  offerExpiresAt: Date | null;
  lastError: string | null;
  providerMessageId: string;
}

export interface EnrollmentMove {
  id: string;
  status: 'active' | 'completed' | 'exited';
  nextPosition: number | null;
  nextDueAt: Date | null;
  exitReason: string | null;
}

export interface ClaimedMessage extends ChannelMessage {
  status: 'pending' | 'sending';
}

export type Gate =
  | { id: string; decision: 'send' }
  | { id: string; decision: 'defer'; until: Date; reason: string }
  | { id: string; decision: 'suppressed'; reason: string };

const leaseEnd = (now: Date, leaseMs: number) => new Date(now.getTime() + leaseMs);

@Injectable()
export class DeliveryRepository {
  constructor(private readonly prisma: PrismaService) {}

  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(fn, { timeout: 120_000, maxWait: 60_000 });
  }

  async contactSettings(workspaceId: string, db: Tx | PrismaService = this.prisma): Promise<ContactSettings> {
    const row = await db.messagingSettings.findUnique({ where: { workspaceId } });
    if (!row) return DEFAULT_CONTACT_SETTINGS;
    return {
      frequencyCapCount: row.frequencyCapCount,
      frequencyCapDays: row.frequencyCapDays,
      quietHoursStart: row.quietHoursStart,
      quietHoursEnd: row.quietHoursEnd,
      defaultTimezone: row.defaultTimezone,
      fromAddress: row.fromAddress,
    };
  }

  // ------------------------------------------------------------------------------------------------------------
  // Step 1: advance enrollments

  /** Leases up to `limit` due active enrollments (not leased by anyone else) to `owner`. */
  async claimDueEnrollments(
    owner: string,
    now: Date,
    leaseNow: Date,
    leaseMs: number,
    limit: number,
  ): Promise<string[]> {
    const rows = await this.prisma.$queryRaw<{ id: string }[]>`
      UPDATE enrollments e
         SET lease_owner = ${owner}, lease_until = ${leaseEnd(leaseNow, leaseMs)}
       WHERE e.id IN (
         SELECT id FROM enrollments
          WHERE status = 'active' AND next_due_at <= ${now}
            AND (lease_until IS NULL OR lease_until < ${leaseNow})
            -- A paused sequence keeps its enrollments where they are until it resumes.
            AND sequence_id IN (SELECT id FROM sequences WHERE status = 'running')
          ORDER BY next_due_at
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED)
      RETURNING e.id`;
    return rows.map((r) => r.id);
  }

  /** The claimed enrollments still leased by `owner`, locked for the rest of the transaction. */
  lockOwnedEnrollments(tx: Tx, ids: string[], owner: string): Promise<ClaimedEnrollment[]> {
    return tx.$queryRaw<ClaimedEnrollment[]>`
      SELECT e.id, e.workspace_id AS "workspaceId", e.sequence_id AS "sequenceId", e.customer_id AS "customerId",
             e.enrolled_at AS "enrolledAt", e.next_position AS "nextPosition",
             s.exit_event_types AS "exitEventTypes"
        FROM enrollments e JOIN sequences s ON s.id = e.sequence_id
       WHERE e.id = ANY(${ids}::uuid[]) AND e.lease_owner = ${owner} AND e.status = 'active'
       ORDER BY e.id
         FOR UPDATE OF e`;
  }

  /** Enrollments whose customer had an exit event (reactivation) after enrolling and not after `now`. */
  async reactivated(tx: Tx, enrollments: ClaimedEnrollment[], now: Date): Promise<Set<string>> {
    if (enrollments.length === 0) return new Set();
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT e.id
        FROM enrollments e JOIN sequences s ON s.id = e.sequence_id
       WHERE e.id = ANY(${enrollments.map((x) => x.id)}::uuid[])
         AND EXISTS (
           SELECT 1 FROM events ev
            WHERE ev.workspace_id = e.workspace_id AND ev.customer_id = e.customer_id
              AND ev.type::text = ANY(s.exit_event_types)
              AND ev.occurred_at > e.enrolled_at AND ev.occurred_at <= ${now})`;
    return new Set(rows.map((r) => r.id));
  }

  touches(tx: Tx, sequenceIds: string[]): Promise<TouchRow[]> {
    return tx.$queryRaw<TouchRow[]>`
      SELECT id, sequence_id AS "sequenceId", position, delay_days AS "delayDays", channel::text AS channel,
             conditions, content, offer_id AS "offerId"
        FROM sequence_touches WHERE sequence_id = ANY(${sequenceIds}::uuid[])
       ORDER BY sequence_id, position`;
  }

  sequences(tx: Tx, ids: string[]): Promise<SequenceRow[]> {
    return tx.$queryRaw<SequenceRow[]>`SELECT id, key, name FROM sequences WHERE id = ANY(${ids}::uuid[])`;
  }

  customers(tx: Tx | PrismaService, ids: string[]): Promise<CustomerRow[]> {
    return tx.$queryRaw<CustomerRow[]>`
      SELECT id, workspace_id AS "workspaceId", external_id AS "externalId", segment, plan, country, timezone,
             acquisition_channel AS "acquisitionChannel", acquisition_date AS "acquisitionDate", traits
        FROM customers WHERE id = ANY(${ids}::uuid[])`;
  }

  offers(tx: Tx | PrismaService, ids: string[]): Promise<OfferRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return tx.$queryRaw<OfferRow[]>`
      SELECT id, key, name, kind::text AS kind, details, code_prefix AS "codePrefix", valid_days AS "validDays"
        FROM offers WHERE id = ANY(${ids}::uuid[])`;
  }

  /** The most recently created survey of each workspace (the `links.survey` of templates). */
  async latestSurveys(db: Tx | PrismaService, workspaceIds: string[]): Promise<Map<string, string>> {
    const rows = await db.$queryRaw<{ workspaceId: string; id: string }[]>`
      SELECT DISTINCT ON (workspace_id) workspace_id AS "workspaceId", id
        FROM surveys WHERE workspace_id = ANY(${workspaceIds}::uuid[])
       ORDER BY workspace_id, created_at DESC, id DESC`;
    return new Map(rows.map((r) => [r.workspaceId, r.id]));
  }

  /**
   * Writes messages before any send; the unique (enrollment, touch) key makes a replay of the same step (after
   * a crash, or by a worker whose lease expired) a no-op. Returns how many were new.
   */
  insertMessages(tx: Tx, messages: NewMessage[], now: Date): Promise<number> {
    if (messages.length === 0) return Promise.resolve(0);
    return tx.$executeRaw`
      INSERT INTO messages (id, workspace_id, sequence_id, enrollment_id, touch_id, customer_id, channel,
                            content_variant, status, subject, body, html, payload, recipient, offer_code,
                            offer_expires_at, attempts, next_attempt_at, last_error, provider_message_id,
                            created_at)
      SELECT r.id, r."workspaceId", r."sequenceId", r."enrollmentId", r."touchId", r."customerId",
             r.channel::touch_channel, r."contentVariant", r.status::message_status, r.subject, r.body, r.html,
             r.payload, r.recipient, r."offerCode", r."offerExpiresAt", 0, ${now}, r."lastError",
             r."providerMessageId", ${now}
        FROM jsonb_to_recordset(${JSON.stringify(messages)}::jsonb) AS r(
             id uuid, "workspaceId" uuid, "sequenceId" uuid, "enrollmentId" uuid, "touchId" uuid,
             "customerId" uuid, channel text, "contentVariant" text, status text, subject text, body text,
             html text, payload jsonb, recipient text, "offerCode" text, "offerExpiresAt" timestamptz,
             "lastError" text, "providerMessageId" text)
      ON CONFLICT (enrollment_id, touch_id) DO NOTHING`;
  }

  /** Moves enrollments to their next touch (or completes / exits them) and releases their lease. */
  moveEnrollments(tx: Tx, moves: EnrollmentMove[], owner: string, now: Date): Promise<number> {
    if (moves.length === 0) return Promise.resolve(0);
    return tx.$executeRaw`
      UPDATE enrollments e SET
             status = r.status::enrollment_status,
             next_position = r."nextPosition",
             next_due_at = r."nextDueAt",
             exit_reason = coalesce(r."exitReason", e.exit_reason),
             exited_at = CASE WHEN r.status = 'exited' THEN ${now}::timestamptz ELSE e.exited_at END,
             completed_at = CASE WHEN r.status = 'completed' THEN ${now}::timestamptz ELSE e.completed_at END,
             lease_owner = NULL, lease_until = NULL
        FROM jsonb_to_recordset(${JSON.stringify(moves)}::jsonb) AS r(
             id uuid, status text, "nextPosition" int, "nextDueAt" timestamptz, "exitReason" text)
       WHERE e.id = r.id AND e.lease_owner = ${owner}`;
  }

  // ------------------------------------------------------------------------------------------------------------
  // Step 2: send messages

  /**
   * Leases up to `limit` messages to `owner`: pending ones that are due (and not leased by a live worker), and
   * `sending` ones whose worker died or stalled (lease expired) — those may have reached the receiver, and are
   * retried with the same Message-ID. Only channels that are registered in this process are claimed.
   */
  claimDueMessages(
    owner: string,
    now: Date,
    leaseNow: Date,
    leaseMs: number,
    limit: number,
    channels: ChannelKind[],
  ): Promise<ClaimedMessage[]> {
    if (channels.length === 0) return Promise.resolve([]);
    return this.prisma.$queryRaw<ClaimedMessage[]>`
      UPDATE messages m
         SET lease_owner = ${owner}, lease_until = ${leaseEnd(leaseNow, leaseMs)}
       WHERE m.id IN (
         SELECT id FROM messages
          WHERE ((status = 'pending' AND next_attempt_at <= ${now}
                  AND (lease_until IS NULL OR lease_until < ${leaseNow})
                  AND sequence_id IN (SELECT id FROM sequences WHERE status = 'running'))
             OR (status = 'sending' AND lease_until < ${leaseNow}))
            AND channel::text = ANY(${channels}::text[])
          ORDER BY next_attempt_at
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED)
      RETURNING m.id, m.workspace_id AS "workspaceId", m.customer_id AS "customerId", m.channel::text AS channel,
                m.subject, m.body, m.html, m.payload, m.recipient, m.provider_message_id AS "providerMessageId",
                m.attempts, m.status::text AS status`;
  }

  /**
   * Serialises the contact decision per customer across workers: the frequency cap counts messages of every
   * sequence, so two workers must not both decide "one more is fine" for the same customer at once.
   * Locks are taken in a fixed order so that two workers cannot deadlock.
   */
  async lockCustomers(tx: Tx, customerIds: string[]): Promise<void> {
    const sorted = [...new Set(customerIds)].sort();
    // count(*) because Prisma cannot read the `void` the lock function returns.
    await tx.$queryRaw`
      SELECT count(*)::int AS n FROM (
        SELECT pg_advisory_xact_lock(hashtextextended(c.id::text, 7301))
          FROM unnest(${sorted}::uuid[]) WITH ORDINALITY AS c(id, n) ORDER BY c.n) locks`;
  }

  async suppressed(
    tx: Tx,
    workspaceCustomers: { workspaceId: string; customerId: string }[],
  ): Promise<Map<string, string>> {
    const rows = await tx.$queryRaw<{ customerId: string; reason: string }[]>`
      SELECT s.customer_id AS "customerId", s.reason::text AS reason
        FROM suppressions s
        JOIN jsonb_to_recordset(${JSON.stringify(workspaceCustomers)}::jsonb) AS r("workspaceId" uuid, "customerId" uuid)
          ON s.workspace_id = r."workspaceId" AND s.customer_id = r."customerId"`;
    return new Map(rows.map((r) => [r.customerId, r.reason]));
  }

  /**
   * What the frequency cap counts for each customer, per workspace window: messages sent within it, plus
   * messages another worker is sending right now (status `sending`, live lease), counted as sent at `now`.
   */
  async contactHistory(
    tx: Tx,
    rows: { workspaceId: string; customerId: string; since: Date }[],
    exclude: string[],
    now: Date,
    leaseNow: Date,
  ): Promise<Map<string, Date[]>> {
    const found = await tx.$queryRaw<{ customerId: string; at: Date }[]>`
      SELECT m.customer_id AS "customerId", coalesce(m.sent_at, ${now}) AS at
        FROM messages m
        JOIN jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r("workspaceId" uuid, "customerId" uuid, since timestamptz)
          ON m.workspace_id = r."workspaceId" AND m.customer_id = r."customerId"
       WHERE m.id <> ALL(${exclude}::uuid[])
         AND ((m.status = 'sent' AND m.sent_at > r.since AND m.sent_at <= ${now})
           OR (m.status = 'sending' AND m.lease_until >= ${leaseNow}))`;
    const history = new Map<string, Date[]>();
    for (const r of found) history.set(r.customerId, [...(history.get(r.customerId) ?? []), r.at]);
    return history;
  }

  /**
   * Applies the contact decisions of one batch: `send` → status sending with the attempt counted and the lease
   * renewed; `defer` → back to pending at the new time, lease released; `suppressed` → final.
   */
  async applyGates(tx: Tx, gates: Gate[], owner: string, now: Date, leaseMs: number): Promise<string[]> {
    if (gates.length === 0) return [];
    const payload = gates.map((g) => ({
      id: g.id,
      decision: g.decision,
      until: g.decision === 'defer' ? g.until : null,
      reason: g.decision === 'send' ? null : g.reason,
    }));
    const rows = await tx.$queryRaw<{ id: string }[]>`
      UPDATE messages m SET
             status = CASE r.decision WHEN 'send' THEN 'sending'::message_status
                                      WHEN 'defer' THEN 'pending'::message_status
                                      ELSE 'suppressed'::message_status END,
             attempts = CASE WHEN r.decision = 'send' THEN m.attempts + 1 ELSE m.attempts END,
             next_attempt_at = coalesce(r.until, m.next_attempt_at),
             last_error = CASE WHEN r.decision = 'send' THEN m.last_error ELSE r.reason END,
             lease_until = CASE WHEN r.decision = 'send' THEN ${leaseEnd(now, leaseMs)}::timestamptz END,
             lease_owner = CASE WHEN r.decision = 'send' THEN m.lease_owner END
        FROM jsonb_to_recordset(${JSON.stringify(payload)}::jsonb) AS r(id uuid, decision text, until timestamptz, reason text)
       WHERE m.id = r.id AND m.lease_owner = ${owner} AND m.status IN ('pending', 'sending')
      RETURNING m.id`;
    const applied = new Set(rows.map((r) => r.id));
    return gates.filter((g) => g.decision === 'send' && applied.has(g.id)).map((g) => g.id);
  }

  /** Extends the lease of `sending` messages still owned by `owner`; returns the ids it still owns. */
  async renewLeases(ids: string[], owner: string, until: Date): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.prisma.$queryRaw<{ id: string }[]>`
      UPDATE messages SET lease_until = ${until}
       WHERE id = ANY(${ids}::uuid[]) AND lease_owner = ${owner} AND status = 'sending'
      RETURNING id`;
    return new Set(rows.map((r) => r.id));
  }

  /** Records a delivered message; false when the lease was lost meanwhile (the new owner decides). */
  async markSent(
    id: string,
    owner: string,
    now: Date,
    outcome: { deliveredAt?: Date; outbox?: boolean },
  ): Promise<boolean> {
    const n = await this.prisma.$executeRaw`
      UPDATE messages SET status = 'sent', sent_at = ${now}, delivered_at = ${outcome.deliveredAt ?? null},
             outbox = ${outcome.outbox ?? false}, last_error = NULL, lease_owner = NULL, lease_until = NULL
       WHERE id = ${id}::uuid AND lease_owner = ${owner} AND status = 'sending'`;
    return n === 1;
  }

  async markRetry(id: string, owner: string, nextAttemptAt: Date, error: string): Promise<boolean> {
    const n = await this.prisma.$executeRaw`
      UPDATE messages SET status = 'pending', next_attempt_at = ${nextAttemptAt}, last_error = ${error},
             lease_owner = NULL, lease_until = NULL
       WHERE id = ${id}::uuid AND lease_owner = ${owner} AND status = 'sending'`;
    return n === 1;
  }

  /** Gives a message up; a hard bounce or complaint also suppresses the customer everywhere. */
  async markFailed(
    id: string,
    owner: string,
    error: string,
    now: Date,
    suppress?: { workspaceId: string; customerId: string; reason: 'hard_bounce' | 'complaint' },
  ): Promise<boolean> {
    return this.transaction(async (tx) => {
      const n = await tx.$executeRaw`
        UPDATE messages SET status = 'failed', last_error = ${error}, lease_owner = NULL, lease_until = NULL
         WHERE id = ${id}::uuid AND lease_owner = ${owner} AND status = 'sending'`;
      if (n === 1 && suppress) {
        await tx.$executeRaw`
          INSERT INTO suppressions (workspace_id, customer_id, reason, detail, created_at)
          VALUES (${suppress.workspaceId}::uuid, ${suppress.customerId}::uuid,
                  ${suppress.reason}::suppression_reason, ${error.slice(0, 500)}, ${now})
          ON CONFLICT (workspace_id, customer_id) DO NOTHING`;
      }
      return n === 1;
    });
  }

  // ------------------------------------------------------------------------------------------------------------
  // Template preview

  findCustomerByExternalId(workspaceId: string, externalId: string): Promise<CustomerRow | null> {
    return this.prisma.$queryRaw<CustomerRow[]>`
      SELECT id, workspace_id AS "workspaceId", external_id AS "externalId", segment, plan, country, timezone,
             acquisition_channel AS "acquisitionChannel", acquisition_date AS "acquisitionDate", traits
        FROM customers WHERE workspace_id = ${workspaceId}::uuid AND external_id = ${externalId}`.then(
      (r) => r[0] ?? null,
    );
  }

  findOfferByKey(workspaceId: string, key: string): Promise<OfferRow | null> {
    return this.prisma.$queryRaw<OfferRow[]>`
      SELECT id, key, name, kind::text AS kind, details, code_prefix AS "codePrefix", valid_days AS "validDays"
        FROM offers WHERE workspace_id = ${workspaceId}::uuid AND key = ${key}`.then((r) => r[0] ?? null);
  }

  latestSurvey(workspaceId: string): Promise<string | null> {
    return this.latestSurveys(this.prisma, [workspaceId]).then((m) => m.get(workspaceId) ?? null);
  }
}
