import { Injectable } from '@nestjs/common';
import type { Channel, ChannelMessage, ChannelOutcome } from './channel';
import { ChannelsRepository } from './channels.repository';
import { effectiveContent } from './content-variant';

const DEFAULT_DUE_IN_DAYS = 2;

/**
 * A call-task touch creates a task for a person ("call this customer"), due `dueInDays` after the touch is
 * sent. The task is keyed by the message, so a retried or re-claimed attempt never creates a second one.
 */
@Injectable()
export class CallTaskChannel implements Channel {
  constructor(private readonly repo: ChannelsRepository) {}

  async send(message: ChannelMessage, now: Date): Promise<ChannelOutcome> {
    const stored = await this.repo.touchContent(message.id);
    if (!stored) return { kind: 'permanent', error: 'message or touch no longer exists' };
    const content = effectiveContent(stored.content, stored.contentVariant);
    const owner = text(message.recipient) ?? text(content.owner);
    if (!owner) return { kind: 'permanent', error: 'call task has no owner' };
    const title = text(message.subject) ?? text(content.title) ?? 'Call this customer';
    const instructions =
      message.body ?? (typeof content.instructions === 'string' ? content.instructions : '');
    const days =
      typeof content.dueInDays === 'number' && Number.isFinite(content.dueInDays) && content.dueInDays >= 0
        ? content.dueInDays
        : DEFAULT_DUE_IN_DAYS;
    await this.repo.createCallTask({
      workspaceId: message.workspaceId,
      customerId: message.customerId,
      messageId: message.id,
      owner,
      title,
      instructions,
      dueAt: new Date(now.getTime() + days * 86_400_000),
      createdAt: now,
    });
    return { kind: 'sent', deliveredAt: now };
  }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim().length > 0 ? value.trim() : undefined;
}
