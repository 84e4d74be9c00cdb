import { Injectable } from '@nestjs/common';
import type { Channel, ChannelMessage, ChannelOutcome } from './channel';

/**
 * In-app messages are stored rows: "sending" one means making it visible in the customer's inbox, which the
 * status `sent` does (GET /v1/customers/:externalId/messages lists sent, unseen in-app messages).
 */
@Injectable()
export class InAppChannel implements Channel {
  send(message: ChannelMessage, now: Date): Promise<ChannelOutcome> {
    if (!message.subject?.trim() && !message.body?.trim())
      return Promise.resolve({ kind: 'permanent', error: 'in-app message has neither title nor body' });
    return Promise.resolve({ kind: 'sent', deliveredAt: now });
  }
}
