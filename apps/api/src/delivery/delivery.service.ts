import { Injectable, Logger } from '@nestjs/common';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  TOUCH_CONTENT_SCHEMAS,
  type TemplatePreview,
  type TemplatePreviewRequestParsed,
} from '@liftlab/contracts';
import { matchesTargeting, type TargetingRule } from '@liftlab/sdk';
import { customerAttributes } from '../assignment/bucketing';
import type { Actor } from '../auth/actor';
import { DomainError } from '../common/domain-error';
import { zodFieldErrors } from '../common/zod.pipe';
import { AppConfig } from '../config/config';
import { uuidv7 } from '../database/ids';
import { issueOffer } from '../offers/offer-codes';
import { nextRetryAt } from './backoff';
import type { ChannelMessage, ChannelOutcome } from './channels/channel';
import { ChannelRegistry } from './channels/registry';
import {
  DeliveryRepository,
  type ClaimedEnrollment,
  type ClaimedMessage,
  type ContactSettings,
  type CustomerRow,
  type EnrollmentMove,
  type Gate,
  type NewMessage,
  type OfferRow,
  type TouchRow,
} from './delivery.repository';
import { frequencyCapRelease } from './frequency-cap';
import { LinkSigner } from './links';
import { isValidTimeZone, nextAllowedSendTime } from './quiet-hours';
import {
  chooseContentVariant,
  renderContent,
  type RenderedContent,
  type StoredContent,
  type TemplateContext,
  withOpenPixel,
} from './templates';

const DAY = 86_400_000;

/** Tuning of one service instance (the defaults suit the API server; tests and the bench change them). */
export class DeliveryOptions {
  /** Enrollments claimed per advance batch. */
  advanceBatch = 500;
  /** Messages claimed per send batch. */
  sendBatch = 100;
  /** Messages of a batch handed to channels at the same time (the SMTP pool size bounds it again). */
  sendConcurrency = 4;
}

export interface AdvanceSummary {
  claimed: number;
  messages: number;
  exited: number;
  completed: number;
  skippedTouches: number;
}

export interface SendSummary {
  claimed: number;
  sent: number;
  deferred: number;
  suppressed: number;
  retried: number;
  failed: number;
  /** Lost the lease before recording the outcome (another worker took the message over). */
  lostLease: number;
}

/**
 * The delivery engine (see docs/sequences.md, "Delivery"). Two claimed steps, both safe to run in any number of
 * processes at once:
 *
 * 1. `advance(now)`: due enrollments → exit on reactivation, skip touches whose conditions do not match, write
 *    the touch's Message (rendered, with its final Message-ID) before anything is sent, move to the next touch.
 * 2. `sendDue(now)`: due messages → suppression, quiet hours and the frequency cap (defer, never drop) → the
 *    channel → sent / retry with backoff / failed.
 *
 * `now` is the business time (what is due, quiet hours, caps). Leases are measured from `now` plus the real time
 * elapsed since the step began, so a long step never outlives its own leases on a fixed clock either.
 */
@Injectable()
export class DeliveryService {
  private readonly logger = new Logger('Delivery');
  /** Identifies this process's claims; a restarted process is a different owner. */
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly leaseMs: number;

  constructor(
    private readonly repo: DeliveryRepository,
    private readonly channels: ChannelRegistry,
    private readonly links: LinkSigner,
    config: AppConfig,
    private readonly options: DeliveryOptions = new DeliveryOptions(),
  ) {
    this.leaseMs = config.DELIVERY_LEASE_SECONDS * 1000;
  }

  /**
   * One scheduler tick: both steps, a batch of each in turn, until neither has due work. Interleaving means the
   * first messages of a large step go out while later enrollments are still being advanced.
   */
  async tick(now: Date): Promise<{ advance: AdvanceSummary; send: SendSummary }> {
    const advance = emptyAdvance();
    const send = emptySend();
    const clock = leaseClock(now);
    for (;;) {
      const advanced = await this.advanceBatch(now, clock, advance);
      const claimed = await this.sendBatch(now, clock, send);
      if (advanced === 0 && claimed === 0) break;
    }
    return { advance, send };
  }

  // ------------------------------------------------------------------------------------------------------------
  // Step 1

  /** Step 1 until no enrollment is due. */
  async advance(now: Date): Promise<AdvanceSummary> {
    const summary = emptyAdvance();
    const clock = leaseClock(now);
    // No early exit on a short batch: an enrollment moved to a touch that is already due (a late enrollment,
    // a skipped touch) is claimed again in the next round, so one call leaves nothing due behind.
    while ((await this.advanceBatch(now, clock, summary)) > 0);
    return summary;
  }

  /** Claims one batch of due enrollments and advances them in one transaction; returns how many were claimed. */
  private async advanceBatch(now: Date, clock: () => Date, summary: AdvanceSummary): Promise<number> {
    const ids = await this.repo.claimDueEnrollments(
      this.owner,
      now,
      clock(),
      this.leaseMs,
      this.options.advanceBatch,
    );
    if (ids.length === 0) return 0;
    summary.claimed += ids.length;
    await this.repo.transaction(async (tx) => {
      const enrollments = await this.repo.lockOwnedEnrollments(tx, ids, this.owner);
      if (enrollments.length === 0) return;
      const sequenceIds = [...new Set(enrollments.map((e) => e.sequenceId))];
      // One connection per transaction: its queries run one after the other.
      const reactivated = await this.repo.reactivated(tx, enrollments, now);
      const touchRows = await this.repo.touches(tx, sequenceIds);
      const sequenceRows = await this.repo.sequences(tx, sequenceIds);
      const customerRows = await this.repo.customers(tx, [...new Set(enrollments.map((e) => e.customerId))]);
      const offerIds = [
        ...new Set(touchRows.map((t) => t.offerId).filter((id): id is string => id !== null)),
      ];
      const offerRows = await this.repo.offers(tx, offerIds);
      const surveys = await this.repo.latestSurveys(tx, [...new Set(enrollments.map((e) => e.workspaceId))]);
      const touchesBySequence = groupBy(touchRows, (t) => t.sequenceId);
      const sequences = new Map(sequenceRows.map((s) => [s.id, s]));
      const customers = new Map(customerRows.map((c) => [c.id, c]));
      const offers = new Map(offerRows.map((o) => [o.id, o]));

      const messages: NewMessage[] = [];
      const moves: EnrollmentMove[] = [];
      for (const enrollment of enrollments) {
        if (reactivated.has(enrollment.id)) {
          moves.push({
            id: enrollment.id,
            status: 'exited',
            nextPosition: null,
            nextDueAt: null,
            exitReason: 'reactivated',
          });
          summary.exited += 1;
          continue;
        }
        const step = this.step(enrollment, touchesBySequence.get(enrollment.sequenceId) ?? [], now, {
          customer: customers.get(enrollment.customerId),
          sequence: sequences.get(enrollment.sequenceId),
          offers,
          surveyId: surveys.get(enrollment.workspaceId) ?? null,
        });
        summary.skippedTouches += step.skipped;
        if (step.message) messages.push(step.message);
        moves.push(step.move);
        if (step.move.status === 'completed') summary.completed += 1;
      }
      summary.messages += await this.repo.insertMessages(tx, messages, now);
      await this.repo.moveEnrollments(tx, moves, this.owner, now);
    });
    return ids.length;
  }

  /** From the enrollment's next position: skip non-matching touches, render the first due matching one. */
  private step(
    enrollment: ClaimedEnrollment,
    touches: TouchRow[],
    now: Date,
    data: {
      customer: CustomerRow | undefined;
      sequence: { key: string; name: string } | undefined;
      offers: Map<string, OfferRow>;
      surveyId: string | null;
    },
  ): { message: NewMessage | null; move: EnrollmentMove; skipped: number } {
    const attributes = data.customer ? customerAttributes(data.customer) : null;
    let position = enrollment.nextPosition;
    let skipped = 0;
    const moveTo = (pos: number): EnrollmentMove => {
      const next = touches.find((t) => t.position >= pos);
      if (!next)
        return {
          id: enrollment.id,
          status: 'completed',
          nextPosition: null,
          nextDueAt: null,
          exitReason: null,
        };
      return {
        id: enrollment.id,
        status: 'active',
        nextPosition: next.position,
        nextDueAt: new Date(enrollment.enrolledAt.getTime() + next.delayDays * DAY),
        exitReason: null,
      };
    };
    for (;;) {
      const touch = touches.find((t) => t.position >= position);
      if (!touch) return { message: null, move: moveTo(position), skipped };
      const due = enrollment.enrolledAt.getTime() + touch.delayDays * DAY;
      if (due > now.getTime()) return { message: null, move: moveTo(touch.position), skipped };
      const rules = Array.isArray(touch.conditions) ? (touch.conditions as TargetingRule[]) : [];
      if (!attributes || !data.customer || !matchesTargeting(rules, attributes)) {
        skipped += 1;
        position = touch.position + 1;
        continue;
      }
      const message = this.buildMessage(enrollment, touch, data.customer, now, data);
      return { message, move: moveTo(touch.position + 1), skipped };
    }
  }

  private buildMessage(
    enrollment: ClaimedEnrollment,
    touch: TouchRow,
    customer: CustomerRow,
    now: Date,
    data: {
      sequence: { key: string; name: string } | undefined;
      offers: Map<string, OfferRow>;
      surveyId: string | null;
    },
  ): NewMessage {
    const id = uuidv7(now.getTime());
    const base: NewMessage = {
      id,
      workspaceId: enrollment.workspaceId,
      sequenceId: enrollment.sequenceId,
      enrollmentId: enrollment.id,
      touchId: touch.id,
      customerId: enrollment.customerId,
      channel: touch.channel,
      contentVariant: null,
      status: 'pending',
      subject: null,
      body: null,
      html: null,
      payload: null,
      recipient: null,
      offerCode: null,
      offerExpiresAt: null,
      lastError: null,
      // Fixed before the first attempt: every retransmission carries the same Message-ID.
      providerMessageId: `<${id}@liftlab>`,
    };
    const offer = touch.offerId ? (data.offers.get(touch.offerId) ?? null) : null;
    const issued = offer ? issueOffer(offer, enrollment.id, now) : null;
    base.offerCode = issued?.code ?? null;
    base.offerExpiresAt = issued?.expiresAt ?? null;

    let content = (isObject(touch.content) ? touch.content : {}) as StoredContent;
    let field = `touches[${touch.position}].content`;
    const variant = chooseContentVariant(content, `${enrollment.id}:${touch.id}`);
    if (variant) {
      base.contentVariant = variant.key;
      content = variant.content;
      field = `${field}.variants[${variant.index}]`;
    }
    base.recipient = recipientOf(touch.channel, content, customer);
    try {
      const context = this.templateContext(customer, offer, issued, data.sequence ?? { key: '', name: '' }, {
        messageId: id,
        enrollmentId: enrollment.id,
        surveyId: data.surveyId,
        now,
      });
      const rendered = renderContent(
        touch.channel,
        content,
        context,
        this.clickLinker(customer, id, now),
        field,
      );
      const html =
        touch.channel === 'email' && rendered.html !== null
          ? withOpenPixel(
              rendered.html,
              this.links.url(
                { kind: 'open', workspaceId: customer.workspaceId, customerId: customer.id, messageId: id },
                now,
              ),
            )
          : rendered.html;
      Object.assign(base, {
        subject: rendered.subject,
        body: rendered.body,
        html,
        payload: rendered.payload,
      });
    } catch (error) {
      // A broken template fails this message visibly (message log) without blocking the sequence.
      base.status = 'failed';
      base.lastError = error instanceof Error ? error.message : String(error);
      return base;
    }
    if (touch.channel === 'email' && !base.recipient) {
      base.status = 'failed';
      base.lastError = 'customer has no e-mail address (trait "email")';
    }
    return base;
  }

  private templateContext(
    customer: CustomerRow,
    offer: OfferRow | null,
    issued: { code: string | null; expiresAt: Date | null } | null,
    sequence: { key: string; name: string },
    link: { messageId?: string; enrollmentId?: string; surveyId: string | null; now: Date },
  ): TemplateContext {
    const claims = {
      workspaceId: customer.workspaceId,
      customerId: customer.id,
      ...(link.messageId ? { messageId: link.messageId } : {}),
    };
    const details = (isObject(offer?.details) ? offer.details : {}) as Record<string, unknown>;
    return {
      customer: {
        externalId: customer.externalId,
        segment: customer.segment,
        plan: customer.plan,
        country: customer.country,
        timezone: customer.timezone,
        acquisitionChannel: customer.acquisitionChannel,
        traits: isObject(customer.traits) ? customer.traits : {},
      },
      offer: offer
        ? {
            key: offer.key,
            name: offer.name,
            kind: offer.kind,
            code: issued?.code ?? null,
            expiresAt: issued?.expiresAt ?? null,
            discountPercent: typeof details['percent'] === 'number' ? details['percent'] : null,
            targetTier: typeof details['targetTier'] === 'string' ? details['targetTier'] : null,
            termsDays: typeof details['termsDays'] === 'number' ? details['termsDays'] : null,
            description: typeof details['description'] === 'string' ? details['description'] : null,
          }
        : null,
      links: {
        unsubscribe: this.links.url({ kind: 'unsubscribe', ...claims }, link.now),
        survey: link.surveyId
          ? this.links.url(
              {
                kind: 'survey',
                ...claims,
                surveyId: link.surveyId,
                ...(link.enrollmentId ? { enrollmentId: link.enrollmentId } : {}),
              },
              link.now,
            )
          : null,
      },
      sequence,
    };
  }

  private clickLinker(customer: CustomerRow, messageId: string | undefined, now: Date) {
    return (url: string) => {
      if (!/^https?:\/\/\S+$/i.test(url)) throw new Error(`click: "${url}" is not an absolute http(s) URL`);
      return this.links.url(
        {
          kind: 'click',
          workspaceId: customer.workspaceId,
          customerId: customer.id,
          url,
          ...(messageId ? { messageId } : {}),
        },
        now,
      );
    };
  }

  // ------------------------------------------------------------------------------------------------------------
  // Step 2

  /** Step 2 until no message is due. */
  async sendDue(now: Date): Promise<SendSummary> {
    const summary = emptySend();
    const clock = leaseClock(now);
    while ((await this.sendBatch(now, clock, summary)) > 0);
    return summary;
  }

  /** Claims one batch of due messages, gates it, sends what may go; returns how many were claimed. */
  private async sendBatch(now: Date, clock: () => Date, summary: SendSummary): Promise<number> {
    const kinds = this.channels.kinds();
    const claimed = await this.repo.claimDueMessages(
      this.owner,
      now,
      clock(),
      this.leaseMs,
      this.options.sendBatch,
      kinds,
    );
    if (claimed.length === 0) return 0;
    summary.claimed += claimed.length;
    const gatedAt = clock();
    const toSend = await this.gate(claimed, now, gatedAt, summary);
    const lease = new LeaseKeeper(
      this.repo,
      this.owner,
      this.leaseMs,
      clock,
      toSend.map((m) => m.id),
      gatedAt,
    );
    await pool(toSend, this.options.sendConcurrency, async (m) => {
      if (!(await lease.holds(m.id))) {
        summary.lostLease += 1;
        return;
      }
      await this.attempt(m, now, summary);
      lease.done(m.id);
    });
    return claimed.length;
  }

  /** Suppression, quiet hours and the frequency cap, decided for a batch under per-customer locks. */
  private async gate(
    claimed: ClaimedMessage[],
    now: Date,
    leaseNow: Date,
    summary: SendSummary,
  ): Promise<ChannelMessage[]> {
    const byId = new Map(claimed.map((m) => [m.id, m]));
    const sendIds = await this.repo.transaction(async (tx) => {
      await this.repo.lockCustomers(
        tx,
        claimed.map((m) => m.customerId),
      );
      const workspaceIds = [...new Set(claimed.map((m) => m.workspaceId))];
      const settings = new Map<string, ContactSettings>();
      for (const w of workspaceIds) settings.set(w, await this.repo.contactSettings(w, tx));
      const pairs = uniqueBy(
        claimed.map((m) => ({ workspaceId: m.workspaceId, customerId: m.customerId })),
        (p) => p.customerId,
      );
      const suppressed = await this.repo.suppressed(tx, pairs);
      const customerRows = await this.repo.customers(
        tx,
        pairs.map((p) => p.customerId),
      );
      const history = await this.repo.contactHistory(
        tx,
        pairs.map((p) => ({
          ...p,
          since: new Date(now.getTime() - settings.get(p.workspaceId)!.frequencyCapDays * DAY),
        })),
        claimed.map((m) => m.id),
        now,
        leaseNow,
      );
      const zones = new Map(customerRows.map((c) => [c.id, c.timezone]));
      const gates: Gate[] = claimed.map((m) => {
        const s = settings.get(m.workspaceId)!;
        const reason = suppressed.get(m.customerId);
        if (reason) return { id: m.id, decision: 'suppressed', reason: `customer is suppressed (${reason})` };
        const zone =
          [zones.get(m.customerId), s.defaultTimezone].find((z): z is string => !!z && isValidTimeZone(z)) ??
          'UTC';
        const quiet = { start: s.quietHoursStart, end: s.quietHoursEnd };
        const allowed = nextAllowedSendTime(now, zone, quiet);
        if (allowed > now)
          return { id: m.id, decision: 'defer', until: allowed, reason: `quiet hours in ${zone}` };
        const sent = history.get(m.customerId) ?? [];
        const release = frequencyCapRelease(sent, now, {
          count: s.frequencyCapCount,
          days: s.frequencyCapDays,
        });
        if (release) {
          return {
            id: m.id,
            decision: 'defer',
            until: nextAllowedSendTime(release, zone, quiet),
            reason: 'frequency cap',
          };
        }
        history.set(m.customerId, [...sent, now]);
        return { id: m.id, decision: 'send' };
      });
      for (const g of gates) {
        if (g.decision === 'defer') summary.deferred += 1;
        if (g.decision === 'suppressed') summary.suppressed += 1;
      }
      return this.repo.applyGates(tx, gates, this.owner, leaseNow, this.leaseMs);
    });
    return sendIds.map((id) => {
      const { status: _status, ...message } = byId.get(id)!;
      return { ...message, attempts: message.attempts + 1 };
    });
  }

  /** One attempt through the channel, and its outcome recorded under the lease. */
  private async attempt(message: ChannelMessage, now: Date, summary: SendSummary): Promise<void> {
    const channel = this.channels.get(message.channel);
    let outcome: ChannelOutcome;
    try {
      outcome = channel
        ? await channel.send(message, now)
        : { kind: 'retry', error: `no ${message.channel} channel in this process` };
    } catch (error) {
      outcome = { kind: 'retry', error: error instanceof Error ? error.message : String(error) };
    }
    let kept: boolean;
    if (outcome.kind === 'sent') {
      kept = await this.repo.markSent(message.id, this.owner, now, outcome);
      if (kept) summary.sent += 1;
    } else if (outcome.kind === 'retry') {
      const next = nextRetryAt(message.attempts, now);
      if (next) {
        kept = await this.repo.markRetry(message.id, this.owner, next, outcome.error);
        if (kept) summary.retried += 1;
      } else {
        kept = await this.repo.markFailed(
          message.id,
          this.owner,
          `gave up after ${message.attempts} attempts: ${outcome.error}`,
          now,
        );
        if (kept) summary.failed += 1;
      }
    } else {
      kept = await this.repo.markFailed(
        message.id,
        this.owner,
        outcome.error,
        now,
        outcome.suppress
          ? { workspaceId: message.workspaceId, customerId: message.customerId, reason: outcome.suppress }
          : undefined,
      );
      if (kept) summary.failed += 1;
    }
    if (!kept) {
      summary.lostLease += 1;
      this.logger.warn(`message ${message.id}: lease lost before its ${outcome.kind} outcome was recorded`);
    }
  }

  // ------------------------------------------------------------------------------------------------------------
  // Template preview

  async previewTemplate(
    actor: Actor,
    body: TemplatePreviewRequestParsed,
    now: Date,
  ): Promise<TemplatePreview> {
    const schema = TOUCH_CONTENT_SCHEMAS[body.channel];
    const parsed = schema.safeParse(body.content);
    if (!parsed.success)
      throw DomainError.validation(zodFieldErrors(parsed.error, body.content, ['content']));
    const content = parsed.data as StoredContent;

    const customer = await this.repo.findCustomerByExternalId(actor.workspaceId, body.customerExternalId);
    if (!customer) {
      throw new DomainError('validation_failed', `Customer ${body.customerExternalId} does not exist.`, [
        { path: 'customerExternalId', rule: 'unknown_customer' },
      ]);
    }
    let offer: OfferRow | null = null;
    if (body.offerKey) {
      offer = await this.repo.findOfferByKey(actor.workspaceId, body.offerKey);
      if (!offer) {
        throw new DomainError('validation_failed', `Offer ${body.offerKey} does not exist.`, [
          { path: 'offerKey', rule: 'unknown_offer' },
        ]);
      }
    }
    // The preview's offer code is derived from a fixed pseudo-enrollment, so it is stable across previews.
    const issued = offer ? issueOffer(offer, `preview:${customer.id}`, now) : null;
    const surveyId = await this.repo.latestSurvey(actor.workspaceId);
    const context = this.templateContext(
      customer,
      offer,
      issued,
      { key: 'preview', name: 'Preview' },
      { surveyId, now },
    );
    const click = this.clickLinker(customer, undefined, now);

    const base = renderContent(body.channel, content, context, click, 'content');
    const variants = (content.variants ?? []).map((v, i) => {
      const { key, weight, ...fields } = v;
      const rendered = renderContent(
        body.channel,
        fields as StoredContent,
        context,
        click,
        `content.variants[${i}]`,
      );
      return { key, weight, ...view(rendered) };
    });
    return {
      channel: body.channel,
      customerExternalId: customer.externalId,
      recipient: recipientOf(body.channel, content, customer),
      offerCode: issued?.code ?? null,
      offerExpiresAt: issued?.expiresAt?.toISOString() ?? null,
      ...view(base),
      variants,
    };
  }
}

function emptyAdvance(): AdvanceSummary {
  return { claimed: 0, messages: 0, exited: 0, completed: 0, skippedTouches: 0 };
}

function emptySend(): SendSummary {
  return { claimed: 0, sent: 0, deferred: 0, suppressed: 0, retried: 0, failed: 0, lostLease: 0 };
}

function view(r: RenderedContent) {
  return { subject: r.subject, text: r.body, html: r.html, payload: r.payload };
}

function recipientOf(
  channel: ChannelMessage['channel'],
  content: StoredContent,
  customer: CustomerRow,
): string | null {
  const traits = isObject(customer.traits) ? customer.traits : {};
  switch (channel) {
    case 'email': {
      const email = traits['email'];
      return typeof email === 'string' && email.includes('@') ? email.trim() : null;
    }
    case 'webhook':
      return typeof content['url'] === 'string' ? content['url'] : null;
    case 'call_task':
      return typeof content['owner'] === 'string' ? content['owner'] : null;
    default:
      return null;
  }
}

/**
 * Keeps the lease of a batch's `sending` messages ahead of the sends: a message goes on the wire only with at
 * least half a lease left, so no other worker can take it over while its attempt is still running (the SMTP
 * timeouts bound an attempt well below half a lease). Renewal is one UPDATE for all messages not yet attempted.
 */
class LeaseKeeper {
  private readonly open: Set<string>;
  private readonly lost = new Set<string>();
  private deadline: number;
  private renewal: Promise<void> | null = null;

  constructor(
    private readonly repo: DeliveryRepository,
    private readonly owner: string,
    private readonly leaseMs: number,
    private readonly clock: () => Date,
    ids: string[],
    leasedAt: Date,
  ) {
    this.open = new Set(ids);
    this.deadline = leasedAt.getTime() + leaseMs;
  }

  async holds(id: string): Promise<boolean> {
    if (this.clock().getTime() > this.deadline - this.leaseMs / 2) {
      this.renewal ??= this.renew().finally(() => (this.renewal = null));
      await this.renewal;
    }
    return !this.lost.has(id);
  }

  done(id: string): void {
    this.open.delete(id);
  }

  private async renew(): Promise<void> {
    const at = this.clock();
    const ids = [...this.open].filter((id) => !this.lost.has(id));
    const kept = await this.repo.renewLeases(ids, this.owner, new Date(at.getTime() + this.leaseMs));
    for (const id of ids) if (!kept.has(id)) this.lost.add(id);
    this.deadline = at.getTime() + this.leaseMs;
  }
}

/** `now` advanced by the real time elapsed since the step began (for lease arithmetic only). */
function leaseClock(now: Date): () => Date {
  const start = performance.now();
  return () => new Date(now.getTime() + Math.round(performance.now() - start));
}

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await fn(item);
    }
  });
  await Promise.all(workers);
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) map.set(key(item), [...(map.get(key(item)) ?? []), item]);
  return map;
}

function uniqueBy<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(key(item))) seen.set(key(item), item);
  return [...seen.values()];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
