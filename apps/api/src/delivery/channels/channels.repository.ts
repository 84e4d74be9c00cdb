import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { PrismaService } from '../../database/prisma.service';
import { uuidv7 } from '../../database/ids';

/** What the retargeting webhook sends about a message: its sequence, touch, customer and offer. */
export interface WebhookContext {
  sequence: { id: string; key: string; name: string };
  touch: { id: string; position: number; content: unknown };
  contentVariant: string | null;
  customer: {
    id: string;
    externalId: string;
    segment: string | null;
    plan: string | null;
    country: string | null;
    timezone: string | null;
    traits: unknown;
  };
  offer: { key: string; name: string; kind: string; details: unknown } | null;
  offerCode: string | null;
  offerExpiresAt: Date | null;
}

export interface NewCallTask {
  workspaceId: string;
  customerId: string;
  messageId: string;
  owner: string;
  title: string;
  instructions: string;
  dueAt: Date;
  createdAt: Date;
}

/** The only place the in-app, webhook and call-task channels touch the database. */
@Injectable()
export class ChannelsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * The workspace's messaging settings, created with defaults and a fresh random webhook secret on first use.
   * Concurrent first uses agree: the first insert wins and everyone reads it back.
   */
  async ensureSettings(workspaceId: string): Promise<{ webhookSecret: string }> {
    const existing = await this.prisma.messagingSettings.findUnique({
      where: { workspaceId },
      select: { webhookSecret: true },
    });
    if (existing) return existing;
    const secret = randomBytes(32).toString('base64url');
    await this.prisma.$executeRaw`
      INSERT INTO messaging_settings (workspace_id, webhook_secret, updated_at)
      VALUES (${workspaceId}::uuid, ${secret}, now())
      ON CONFLICT (workspace_id) DO NOTHING`;
    return this.prisma.messagingSettings.findUniqueOrThrow({
      where: { workspaceId },
      select: { webhookSecret: true },
    });
  }

  async webhookContext(messageId: string): Promise<WebhookContext | null> {
    const m = await this.prisma.message.findUnique({
      where: { id: messageId },
      select: {
        customerId: true,
        contentVariant: true,
        offerCode: true,
        offerExpiresAt: true,
        enrollment: { select: { sequence: { select: { id: true, key: true, name: true } } } },
        touch: {
          select: {
            id: true,
            position: true,
            content: true,
            offer: { select: { key: true, name: true, kind: true, details: true } },
          },
        },
      },
    });
    if (!m) return null;
    const customer = await this.prisma.customer.findUnique({
      where: { id: m.customerId },
      select: {
        id: true,
        externalId: true,
        segment: true,
        plan: true,
        country: true,
        timezone: true,
        traits: true,
      },
    });
    if (!customer) return null;
    return {
      sequence: m.enrollment.sequence,
      touch: { id: m.touch.id, position: m.touch.position, content: m.touch.content },
      contentVariant: m.contentVariant,
      customer,
      offer: m.touch.offer,
      offerCode: m.offerCode,
      offerExpiresAt: m.offerExpiresAt,
    };
  }

  /** The stored content of the message's touch and the A/B variant the message got. */
  async touchContent(messageId: string): Promise<{ content: unknown; contentVariant: string | null } | null> {
    const m = await this.prisma.message.findUnique({
      where: { id: messageId },
      select: { contentVariant: true, touch: { select: { content: true } } },
    });
    return m ? { content: m.touch.content, contentVariant: m.contentVariant } : null;
  }

  /** Creates the call task of a message once: a retried or re-claimed attempt finds the existing one. */
  async createCallTask(task: NewCallTask): Promise<{ id: string; created: boolean }> {
    const id = uuidv7(task.createdAt.getTime());
    const inserted = await this.prisma.$executeRaw`
      INSERT INTO call_tasks (id, workspace_id, customer_id, message_id, owner, title, instructions, due_at,
                              status, created_at)
      VALUES (${id}::uuid, ${task.workspaceId}::uuid, ${task.customerId}::uuid, ${task.messageId}::uuid,
              ${task.owner}, ${task.title}, ${task.instructions}, ${task.dueAt}::timestamptz, 'open',
              ${task.createdAt}::timestamptz)
      ON CONFLICT (message_id) DO NOTHING`;
    if (inserted === 1) return { id, created: true };
    const existing = await this.prisma.callTask.findUniqueOrThrow({
      where: { messageId: task.messageId },
      select: { id: true },
    });
    return { id: existing.id, created: false };
  }
}
