import { Injectable, OnModuleDestroy } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import { AppConfig } from '../../config/config';
import { DeliveryRepository } from '../delivery.repository';
import { LinkSigner } from '../links';
import type { Channel, ChannelMessage, ChannelOutcome } from './channel';

/** Recipient errors that will never succeed for this address: the customer is suppressed as a hard bounce. */
const HARD_BOUNCE_CODES = new Set([550, 551, 553]);

interface SmtpError extends Error {
  code?: string;
  command?: string;
  responseCode?: number;
  response?: string;
  rejectedErrors?: SmtpError[];
}

/**
 * What an SMTP failure means for the message: 4xx (and no reply at all: connection refused, reset, timeout)
 * is transient → retry with backoff; 5xx is permanent → failed, and 550/551/553 on the recipient additionally
 * suppress the customer (hard bounce).
 */
export function smtpOutcome(error: unknown): ChannelOutcome {
  const err = (error ?? {}) as SmtpError;
  const rejected = err.rejectedErrors?.find((e) => typeof e.responseCode === 'number');
  const code = typeof err.responseCode === 'number' ? err.responseCode : rejected?.responseCode;
  const text =
    `${code ?? err.code ?? 'error'} ${(err.response ?? err.message ?? String(error)).trim()}`.slice(0, 1000);
  if (code === undefined || code < 500) return { kind: 'retry', error: `SMTP ${text}` };
  const recipientError = err.code === 'EENVELOPE' || err.command === 'RCPT TO' || rejected !== undefined;
  return {
    kind: 'permanent',
    error: `SMTP ${text}`,
    ...(recipientError && HARD_BOUNCE_CODES.has(code) ? { suppress: 'hard_bounce' as const } : {}),
  };
}

/**
 * E-mail through nodemailer. With SMTP_URL: a pooled SMTP transport (connections are reused across messages and
 * ticks). Without it (development): nothing leaves the machine; the rendered message already stored in the
 * database is the outbox (status sent, outbox = true), shown by the admin outbox page.
 *
 * Every attempt of a message carries the same Message-ID (fixed when the message row was written), so a
 * receiver can drop the rare retransmission after a crash in the RFC 1047 window.
 */
@Injectable()
export class EmailChannel implements Channel, OnModuleDestroy {
  private readonly transport: Transporter<SMTPPool.SentMessageInfo> | null;
  private readonly fromCache = new Map<string, { from: string; until: number }>();

  constructor(
    config: AppConfig,
    private readonly repo: DeliveryRepository,
    private readonly links: LinkSigner,
  ) {
    if (!config.SMTP_URL) {
      this.transport = null;
      return;
    }
    // A stalled SMTP exchange must end within the half lease an attempt starts with (connect + greeting +
    // exchange, one sixth each), or another worker could take the message over while this one still sends it.
    const timeout = Math.max(800, Math.floor((config.DELIVERY_LEASE_SECONDS * 1000) / 6));
    this.transport = nodemailer.createTransport({
      url: config.SMTP_URL,
      pool: true,
      maxConnections: 5,
      maxMessages: 1000,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
    } as SMTPPool.Options);
  }

  async send(message: ChannelMessage, now: Date): Promise<ChannelOutcome> {
    if (!message.recipient) return { kind: 'permanent', error: 'no recipient address' };
    if (!this.transport) return { kind: 'sent', outbox: true };
    const from = await this.fromAddress(message.workspaceId);
    const unsubscribe = this.links.url(
      {
        kind: 'unsubscribe',
        workspaceId: message.workspaceId,
        customerId: message.customerId,
        messageId: message.id,
      },
      now,
    );
    const mailbox = /<([^>]+)>/.exec(from)?.[1] ?? from;
    try {
      const info = await this.transport.sendMail({
        from,
        to: message.recipient,
        subject: message.subject ?? '',
        text: message.body ?? '',
        ...(message.html ? { html: message.html } : {}),
        date: now,
        messageId: message.providerMessageId ?? `<${message.id}@liftlab>`,
        headers: {
          // RFC 8058 one-click unsubscribe: the https URI answers a POST without any further page.
          'List-Unsubscribe': `<${unsubscribe}>, <mailto:${mailbox}?subject=unsubscribe>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        },
      });
      if (info.rejected.length > 0)
        return { kind: 'permanent', error: `SMTP rejected ${info.rejected.join(', ')}` };
      return { kind: 'sent', deliveredAt: now };
    } catch (error) {
      return smtpOutcome(error);
    }
  }

  private async fromAddress(workspaceId: string): Promise<string> {
    const cached = this.fromCache.get(workspaceId);
    if (cached && cached.until > Date.now()) return cached.from;
    const { fromAddress } = await this.repo.contactSettings(workspaceId);
    this.fromCache.set(workspaceId, { from: fromAddress, until: Date.now() + 60_000 });
    return fromAddress;
  }

  onModuleDestroy(): void {
    this.close();
  }

  close(): void {
    this.transport?.close();
  }
}
