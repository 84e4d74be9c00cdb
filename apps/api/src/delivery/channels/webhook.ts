import { Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import type { Channel, ChannelMessage, ChannelOutcome } from './channel';
import { ChannelsRepository, type WebhookContext } from './channels.repository';
import { effectiveContent } from './content-variant';

export const SIGNATURE_HEADER = 'X-Liftlab-Signature';
export const TIMESTAMP_HEADER = 'X-Liftlab-Timestamp';
export const MESSAGE_ID_HEADER = 'X-Liftlab-Message-Id';

/**
 * `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`. Signing the timestamp with the body lets the
 * receiver refuse replays of an old request (compare X-Liftlab-Timestamp with its clock).
 */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * What an HTTP answer means for the delivery: 2xx delivered; 429 and 5xx are the receiver's temporary trouble
 * (retry with backoff); any other answer (4xx, and 3xx since redirects are not followed with a signed body)
 * will not change by retrying.
 */
export function webhookOutcome(status: number, now: Date): ChannelOutcome {
  if (status >= 200 && status < 300) return { kind: 'sent', deliveredAt: now };
  if (status === 429 || status >= 500) return { kind: 'retry', error: `webhook answered ${status}` };
  return { kind: 'permanent', error: `webhook answered ${status}` };
}

/** The JSON body: the customer, the sequence and touch that fired, and the offer, if any. */
export function webhookBody(
  message: ChannelMessage,
  context: WebhookContext,
  now: Date,
): Record<string, unknown> {
  return {
    id: message.id,
    type: 'sequence.touch',
    // The engine counts an attempt when it claims it, so `attempts` already includes this one.
    attempt: Math.max(1, message.attempts),
    sentAt: now.toISOString(),
    sequence: context.sequence,
    touch: { id: context.touch.id, position: context.touch.position, contentVariant: context.contentVariant },
    customer: {
      externalId: context.customer.externalId,
      segment: context.customer.segment,
      plan: context.customer.plan,
      country: context.customer.country,
      timezone: context.customer.timezone,
      traits: context.customer.traits,
    },
    offer: context.offer
      ? {
          ...context.offer,
          code: context.offerCode,
          expiresAt: context.offerExpiresAt?.toISOString() ?? null,
        }
      : null,
    data: message.payload ?? null,
  };
}

/** Retargeting webhook: a signed JSON POST to the touch's URL, with a timeout. */
@Injectable()
export class WebhookChannel implements Channel {
  /** A receiver slower than this counts as down (retry). */
  timeoutMs = 10_000;

  constructor(private readonly repo: ChannelsRepository) {}

  async send(message: ChannelMessage, now: Date): Promise<ChannelOutcome> {
    const context = await this.repo.webhookContext(message.id);
    if (!context) return { kind: 'permanent', error: 'message, touch or customer no longer exists' };
    const content = effectiveContent(context.touch.content, context.contentVariant);
    const url = message.recipient ?? (typeof content.url === 'string' ? content.url : null);
    if (!url || !/^https?:\/\//i.test(url)) return { kind: 'permanent', error: 'webhook has no http(s) url' };

    const { webhookSecret } = await this.repo.ensureSettings(message.workspaceId);
    const body = JSON.stringify(webhookBody(message, context, now));
    const timestamp = Math.floor(now.getTime() / 1000);
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'Liftlab-Webhook/1',
          [SIGNATURE_HEADER]: webhookSignature(webhookSecret, timestamp, body),
          [TIMESTAMP_HEADER]: String(timestamp),
          [MESSAGE_ID_HEADER]: message.id,
        },
        body,
      });
    } catch (error) {
      const reason =
        error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
          ? `timed out after ${this.timeoutMs} ms`
          : `network error: ${networkCause(error)}`;
      return { kind: 'retry', error: `webhook ${reason}` };
    }
    // The body is not needed; drain it so the connection can be reused.
    await response.arrayBuffer().catch(() => undefined);
    return webhookOutcome(response.status, now);
  }
}

function networkCause(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    if (cause instanceof Error) return (cause as Error & { code?: string }).code ?? cause.message;
    return error.message;
  }
  return String(error);
}
