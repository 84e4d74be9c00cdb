/**
 * Sequence messages written straight into the database, for the integration tests of the channels, inbox,
 * tasks, outbox and suppression: a sequence with one touch per channel, a customer enrolled in it, and a
 * message per touch in the state a test needs. Independent of the delivery engine on purpose, so each of these
 * modules is tested on its own.
 */
import type { PrismaService } from '../database/prisma.service';

export type Channel = 'email' | 'in_app' | 'webhook' | 'call_task';

export interface TestSequence {
  id: string;
  key: string;
  touches: Record<Channel, string>;
}

export const TOUCH_CONTENT: Record<Channel, unknown> = {
  email: { subject: 'We miss you, {{ customer.externalId }}', text: 'Come back' },
  in_app: { title: 'Welcome back', body: 'Here is 20% off', ctaUrl: 'https://shop.example/back' },
  webhook: { url: 'http://127.0.0.1:9/unused' },
  call_task: {
    owner: 'sales-team',
    title: 'Call {{ customer.externalId }}',
    instructions: 'Ask why they left',
    dueInDays: 3,
    variants: [
      { key: 'a', weight: 0.5, owner: 'team-a', title: 'Call A', instructions: 'A', dueInDays: 1 },
      { key: 'b', weight: 0.5, owner: 'team-b', title: 'Call B', instructions: 'B', dueInDays: 5 },
    ],
  },
};

export async function createSequence(
  prisma: PrismaService,
  workspaceId: string,
  key: string,
  options: { webhookUrl?: string; offer?: boolean } = {},
): Promise<TestSequence> {
  const offer = options.offer
    ? await prisma.offer.create({
        data: {
          workspaceId,
          key: `${key}-offer`,
          name: '20% off',
          kind: 'discount',
          details: { percent: 20 },
          codePrefix: 'BACK',
          validDays: 14,
        },
      })
    : null;
  const sequence = await prisma.sequence.create({
    data: { workspaceId, key, name: `Sequence ${key}`, status: 'running', audience: {} },
  });
  const channels: Channel[] = ['email', 'in_app', 'webhook', 'call_task'];
  const touches = {} as Record<Channel, string>;
  for (const [position, channel] of channels.entries()) {
    const content =
      channel === 'webhook' && options.webhookUrl ? { url: options.webhookUrl } : TOUCH_CONTENT[channel];
    const touch = await prisma.sequenceTouch.create({
      data: {
        sequenceId: sequence.id,
        position,
        delayDays: position * 3,
        channel,
        content: content as object,
        offerId: offer?.id ?? null,
      },
    });
    touches[channel] = touch.id;
  }
  return { id: sequence.id, key, touches };
}

export async function createCustomer(
  prisma: PrismaService,
  workspaceId: string,
  externalId: string,
  extra: { segment?: string; traits?: Record<string, unknown> } = {},
): Promise<string> {
  const c = await prisma.customer.create({
    data: { workspaceId, externalId, segment: extra.segment ?? null, traits: (extra.traits ?? {}) as object },
  });
  return c.id;
}

export interface MessageOptions {
  status?: 'pending' | 'sending' | 'sent' | 'failed' | 'suppressed';
  sentAt?: Date | null;
  createdAt?: Date;
  subject?: string | null;
  body?: string | null;
  html?: string | null;
  payload?: unknown;
  recipient?: string | null;
  contentVariant?: string | null;
  providerMessageId?: string | null;
  outbox?: boolean;
  offerCode?: string | null;
}

/** An enrollment (reused per customer and sequence) and one message for `channel`'s touch. */
export async function createMessage(
  prisma: PrismaService,
  workspaceId: string,
  sequence: TestSequence,
  customerId: string,
  channel: Channel,
  options: MessageOptions = {},
): Promise<string> {
  const createdAt = options.createdAt ?? new Date('2025-01-15T09:00:00.000Z');
  const enrollment =
    (await prisma.enrollment.findFirst({ where: { sequenceId: sequence.id, customerId } })) ??
    (await prisma.enrollment.create({
      data: {
        workspaceId,
        sequenceId: sequence.id,
        customerId,
        arm: 'treated',
        status: 'active',
        enrolledAt: createdAt,
        nextPosition: 0,
        nextDueAt: createdAt,
      },
    }));
  const status = options.status ?? 'sent';
  const message = await prisma.message.create({
    data: {
      workspaceId,
      sequenceId: sequence.id,
      enrollmentId: enrollment.id,
      touchId: sequence.touches[channel],
      customerId,
      channel,
      status,
      subject: options.subject === undefined ? `Subject ${channel}` : options.subject,
      body: options.body === undefined ? `Body ${channel}` : options.body,
      html: options.html ?? null,
      ...(options.payload !== undefined ? { payload: options.payload as object } : {}),
      recipient: options.recipient ?? null,
      contentVariant: options.contentVariant ?? null,
      providerMessageId: options.providerMessageId ?? null,
      outbox: options.outbox ?? false,
      offerCode: options.offerCode ?? null,
      nextAttemptAt: createdAt,
      createdAt,
      sentAt: options.sentAt === undefined ? (status === 'sent' ? createdAt : null) : options.sentAt,
    },
  });
  return message.id;
}

/** The ChannelMessage the delivery engine would hand a channel for a stored message. */
export async function channelMessage(prisma: PrismaService, id: string) {
  const m = await prisma.message.findUniqueOrThrow({ where: { id } });
  return {
    id: m.id,
    workspaceId: m.workspaceId,
    customerId: m.customerId,
    channel: m.channel,
    subject: m.subject,
    body: m.body,
    html: m.html,
    payload: m.payload,
    recipient: m.recipient,
    providerMessageId: m.providerMessageId,
    attempts: m.attempts,
  };
}
