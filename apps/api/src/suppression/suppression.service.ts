import { Inject, Injectable } from '@nestjs/common';
import type {
  BounceBatch,
  BounceResult,
  Suppression,
  SuppressionCreateParsed,
  SuppressionList,
  SuppressionListQuery,
} from '@liftlab/contracts';
import type { Actor, SystemActor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { CLOCK, type Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { LinkSigner } from '../delivery/links';
import {
  SuppressionRepository,
  type SuppressionCursor,
  type SuppressionReason,
  type SuppressionRow,
} from './suppression.repository';

const ENTITY = 'suppression';

/** Why a signed unsubscribe link was refused; the pages and the problem documents say which. */
export type UnsubscribeRefusal = 'invalid' | 'expired' | 'unknown_customer';

export type UnsubscribeResult =
  { ok: true; suppression: Suppression; created: boolean } | { ok: false; reason: UnsubscribeRefusal };

/**
 * The suppression list: customers no sequence may contact, whatever the reason (unsubscribe link, hard bounce,
 * complaint, or added by hand). Delivery asks `isSuppressed` right before every send.
 */
@Injectable()
export class SuppressionService {
  constructor(
    private readonly repo: SuppressionRepository,
    private readonly links: LinkSigner,
    private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  isSuppressed(workspaceId: string, customerId: string): Promise<boolean> {
    return this.repo.isSuppressed(workspaceId, customerId);
  }

  /**
   * Adds a customer by id (delivery after a hard bounce, unsubscribe link). Idempotent: the first entry wins.
   * Audited only when it changes the list.
   */
  async suppress(
    workspaceId: string,
    customerId: string,
    reason: SuppressionReason,
    detail: string | null,
    now: Date,
    actor: Actor | SystemActor = { type: 'system', id: 'delivery', workspaceId },
  ): Promise<{ suppression: Suppression; created: boolean }> {
    const { row, created } = await this.repo.add(workspaceId, customerId, reason, detail, now);
    const suppression = toSuppression(row);
    if (created) await this.audit.record(actor, 'suppression.add', entity(row), undefined, suppression);
    return { suppression, created };
  }

  async list(actor: Actor, query: SuppressionListQuery): Promise<SuppressionList> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const rows = await this.repo.list(
      actor.workspaceId,
      { reason: query.reason, search: query.search },
      after,
      query.limit + 1,
    );
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map(toSuppression),
      nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
    };
  }

  async add(actor: Actor, body: SuppressionCreateParsed): Promise<Suppression> {
    const customerId = await this.repo.customerIdByExternalId(actor.workspaceId, body.externalId);
    if (!customerId) throw DomainError.invalid('externalId', 'unknown_customer');
    const { suppression } = await this.suppress(
      actor.workspaceId,
      customerId,
      body.reason,
      body.detail ?? null,
      this.clock.now(),
      actor,
    );
    return suppression;
  }

  /** Takes a customer off the list (e.g. a bounce that was the provider's mistake). */
  async remove(actor: Actor, externalId: string): Promise<void> {
    const customerId = await this.repo.customerIdByExternalId(actor.workspaceId, externalId);
    if (!customerId) throw DomainError.notFound('Customer', externalId);
    const removed = await this.repo.remove(actor.workspaceId, customerId);
    if (!removed) throw DomainError.notFound('Suppression', externalId);
    await this.audit.record(actor, 'suppression.remove', entity(removed), toSuppression(removed), undefined);
  }

  /** Hard bounces and complaints from the mail provider suppress the customer; soft bounces are left to retries. */
  async ingestBounces(actor: Actor, body: BounceBatch): Promise<BounceResult> {
    const now = this.clock.now();
    const result: BounceResult = { suppressed: 0, ignored: 0, unmatched: [] };
    for (const [index, bounce] of body.bounces.entries()) {
      if (bounce.type === 'soft_bounce') {
        result.ignored++;
        continue;
      }
      const match = await this.findBouncedCustomer(actor.workspaceId, bounce);
      if ('field' in match) {
        result.unmatched.push({ index, field: match.field, rule: 'unknown_customer' });
        continue;
      }
      const detail = [bounce.detail, bounce.messageId ? `message ${bounce.messageId}` : undefined]
        .filter((s) => s !== undefined)
        .join('; ');
      await this.suppress(actor.workspaceId, match.customerId, bounce.type, detail || null, now, actor);
      result.suppressed++;
    }
    return result;
  }

  /** RFC 8058 one-click unsubscribe: the token alone authorises it. Repeating it is harmless. */
  async unsubscribe(token: string): Promise<UnsubscribeResult> {
    const check = await this.checkUnsubscribeToken(token);
    if (!check.ok) return check;
    const now = this.clock.now();
    const { suppression, created } = await this.suppress(
      check.workspaceId,
      check.customerId,
      'unsubscribe',
      check.messageId ? `link in message ${check.messageId}` : 'unsubscribe link',
      now,
      { type: 'system', id: 'unsubscribe-link', workspaceId: check.workspaceId },
    );
    return { ok: true, suppression, created };
  }

  /** Whether the token would unsubscribe someone (the confirmation page), without changing anything. */
  async checkUnsubscribeToken(
    token: string,
  ): Promise<
    | { ok: true; workspaceId: string; customerId: string; messageId: string | undefined }
    | { ok: false; reason: UnsubscribeRefusal }
  > {
    const verified = this.links.verify(token, 'unsubscribe', this.clock.now());
    if (!verified.ok) return { ok: false, reason: verified.reason === 'expired' ? 'expired' : 'invalid' };
    const { workspaceId, customerId, messageId } = verified.claims;
    if (!(await this.repo.customerExists(workspaceId, customerId)))
      return { ok: false, reason: 'unknown_customer' };
    return { ok: true, workspaceId, customerId, messageId };
  }

  private async findBouncedCustomer(
    workspaceId: string,
    bounce: BounceBatch['bounces'][number],
  ): Promise<{ customerId: string } | { field: string }> {
    if (bounce.messageId !== undefined) {
      const id = await this.repo.customerIdByMessageId(workspaceId, bounce.messageId);
      if (id) return { customerId: id };
    }
    if (bounce.externalId !== undefined) {
      const id = await this.repo.customerIdByExternalId(workspaceId, bounce.externalId);
      if (id) return { customerId: id };
    }
    if (bounce.email !== undefined) {
      const id = await this.repo.customerIdByRecipient(workspaceId, bounce.email);
      if (id) return { customerId: id };
    }
    return {
      field:
        bounce.messageId !== undefined
          ? 'messageId'
          : bounce.externalId !== undefined
            ? 'externalId'
            : 'email',
    };
  }
}

function entity(row: SuppressionRow) {
  return { type: ENTITY, id: row.customerId };
}

export function toSuppression(row: SuppressionRow): Suppression {
  return {
    customerId: row.customerId,
    externalId: row.externalId,
    reason: row.reason,
    detail: row.detail,
    createdAt: row.createdAt.toISOString(),
  };
}

function encodeCursor(row: SuppressionRow): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.customerId}`).toString('base64url');
}

function decodeCursor(cursor: string): SuppressionCursor {
  const [at, customerId] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  if (!customerId || Number.isNaN(createdAt.getTime()) || !/^[0-9a-f-]{36}$/i.test(customerId))
    throw DomainError.invalid('query.cursor', 'cursor');
  return { createdAt, customerId };
}
