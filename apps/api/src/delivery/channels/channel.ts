/**
 * The contract every delivery channel implements. The delivery service claims a message, calls
 * `send` at most once per attempt, and applies the outcome (sent / retry with backoff / permanent).
 */
export interface ChannelMessage {
  id: string;
  workspaceId: string;
  customerId: string;
  channel: 'email' | 'in_app' | 'webhook' | 'call_task';
  subject: string | null;
  body: string | null;
  html: string | null;
  payload: unknown;
  recipient: string | null;
  providerMessageId: string | null;
  attempts: number;
}

export type ChannelOutcome =
  | { kind: 'sent'; deliveredAt?: Date; outbox?: boolean }
  | { kind: 'retry'; error: string }
  | { kind: 'permanent'; error: string; suppress?: 'hard_bounce' | 'complaint' };

export interface Channel {
  send(message: ChannelMessage, now: Date): Promise<ChannelOutcome>;
}
