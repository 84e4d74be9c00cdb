import { Inject, Injectable } from '@nestjs/common';
import type { InboxMessage, InboxMessageList, InboxQuery } from '@liftlab/contracts';
import type { Actor } from '../auth/actor';
import { CLOCK, type Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { InboxRepository, type InboxRecord } from './inbox.repository';

/** The product's view of a customer's in-app messages. */
@Injectable()
export class InboxService {
  constructor(
    private readonly repo: InboxRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(actor: Actor, externalId: string, query: InboxQuery): Promise<InboxMessageList> {
    const customerId = await this.customer(actor, externalId);
    const rows = await this.repo.list(actor.workspaceId, customerId, {
      includeSeen: query.includeSeen ?? false,
      take: query.limit,
    });
    return { items: rows.map(toInboxMessage) };
  }

  async markSeen(actor: Actor, externalId: string, id: string): Promise<InboxMessage> {
    const customerId = await this.customer(actor, externalId);
    const row = await this.repo.markSeen(actor.workspaceId, customerId, id, this.clock.now());
    if (!row) throw DomainError.notFound('Message', id);
    return toInboxMessage(row);
  }

  private async customer(actor: Actor, externalId: string): Promise<string> {
    const id = await this.repo.customerId(actor.workspaceId, externalId);
    if (!id) throw DomainError.notFound('Customer', externalId);
    return id;
  }
}

export function toInboxMessage(m: InboxRecord): InboxMessage {
  return {
    id: m.id,
    title: m.subject,
    body: m.body,
    html: m.html,
    data: m.payload ?? null,
    sequenceId: m.sequenceId,
    offerCode: m.offerCode,
    offerExpiresAt: m.offerExpiresAt?.toISOString() ?? null,
    // Listed messages are sent; a sent message always has sentAt (the engine sets both together).
    sentAt: (m.sentAt ?? new Date(0)).toISOString(),
    seenAt: m.seenAt?.toISOString() ?? null,
  };
}
