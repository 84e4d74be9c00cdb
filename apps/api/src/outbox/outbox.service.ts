import { Inject, Injectable } from '@nestjs/common';
import type { OutboxMessage, OutboxMessageList, OutboxQuery } from '@liftlab/contracts';
import type { Actor } from '../auth/actor';
import { CLOCK, type Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { LinkSigner } from '../delivery/links';
import { OutboxRepository, type OutboxCursor, type OutboxRecord } from './outbox.repository';

/** Outcome of following a tracking link: where to send the reader, or why not. */
export type TrackingResult = { ok: true; redirectTo?: string } | { ok: false; reason: string };

/** The outbox / message log of every sequence message, and the open and click tracking of e-mails. */
@Injectable()
export class OutboxService {
  constructor(
    private readonly repo: OutboxRepository,
    private readonly links: LinkSigner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(actor: Actor, query: OutboxQuery): Promise<OutboxMessageList> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    let customerId: string | undefined;
    if (query.customer !== undefined) {
      const id = await this.repo.customerIdByExternalId(actor.workspaceId, query.customer);
      if (!id) return { items: [], nextCursor: null };
      customerId = id;
    }
    const rows = await this.repo.list(
      actor.workspaceId,
      {
        channel: query.channel,
        status: query.status,
        sequenceId: query.sequenceId,
        customerId,
        outbox: query.outbox,
      },
      after,
      query.limit + 1,
    );
    const page = rows.slice(0, query.limit);
    const externalIds = await this.repo.externalIds(
      actor.workspaceId,
      page.map((r) => r.customerId),
    );
    const last = page.at(-1);
    return {
      items: page.map((r) => toOutboxMessage(r, externalIds.get(r.customerId) ?? '')),
      nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
    };
  }

  async get(actor: Actor, id: string): Promise<OutboxMessage> {
    const row = await this.repo.find(actor.workspaceId, id);
    if (!row) throw DomainError.notFound('Message', id);
    const externalIds = await this.repo.externalIds(actor.workspaceId, [row.customerId]);
    return toOutboxMessage(row, externalIds.get(row.customerId) ?? '');
  }

  /** The open pixel: records the first open of the message the signed token names. */
  async open(token: string): Promise<TrackingResult> {
    const now = this.clock.now();
    const verified = this.links.verify(token, 'open', now);
    if (!verified.ok) return { ok: false, reason: verified.reason };
    const { workspaceId, customerId, messageId } = verified.claims;
    if (messageId) await this.repo.markOpened(workspaceId, customerId, messageId, now);
    return { ok: true };
  }

  /** A click: records it and redirects to the URL inside the signed token, never to anything else. */
  async click(token: string): Promise<TrackingResult> {
    const now = this.clock.now();
    const verified = this.links.verify(token, 'click', now);
    if (!verified.ok) return { ok: false, reason: verified.reason };
    const { workspaceId, customerId, messageId, url } = verified.claims;
    if (messageId) await this.repo.markClicked(workspaceId, customerId, messageId, now);
    return url === undefined ? { ok: false, reason: 'malformed' } : { ok: true, redirectTo: url };
  }
}

export function toOutboxMessage(r: OutboxRecord, externalId: string): OutboxMessage {
  return {
    id: r.id,
    sequenceId: r.sequenceId,
    sequenceKey: r.enrollment.sequence.key,
    sequenceName: r.enrollment.sequence.name,
    enrollmentId: r.enrollmentId,
    touchId: r.touchId,
    touchPosition: r.touch.position,
    customerId: r.customerId,
    externalId,
    channel: r.channel,
    contentVariant: r.contentVariant,
    status: r.status,
    subject: r.subject,
    body: r.body,
    html: r.html,
    payload: r.payload ?? null,
    recipient: r.recipient,
    offerCode: r.offerCode,
    offerExpiresAt: iso(r.offerExpiresAt),
    attempts: r.attempts,
    nextAttemptAt: r.nextAttemptAt.toISOString(),
    lastError: r.lastError,
    providerMessageId: r.providerMessageId,
    outbox: r.outbox,
    createdAt: r.createdAt.toISOString(),
    sentAt: iso(r.sentAt),
    deliveredAt: iso(r.deliveredAt),
    openedAt: iso(r.openedAt),
    clickedAt: iso(r.clickedAt),
    seenAt: iso(r.seenAt),
  };
}

function iso(d: Date | null): string | null {
  return d === null ? null : d.toISOString();
}

function encodeCursor(r: OutboxRecord): string {
  return Buffer.from(`${r.createdAt.toISOString()}|${r.id}`).toString('base64url');
}

function decodeCursor(cursor: string): OutboxCursor {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  if (!id || Number.isNaN(createdAt.getTime()) || !/^[0-9a-f-]{36}$/i.test(id))
    throw DomainError.invalid('query.cursor', 'cursor');
  return { createdAt, id };
}
